//! How a summary is presented, apart from the session it summarises: the zone and the style its
//! dates and times are written in, who prepared it, the clinic it names, and the thresholds its
//! readings are flagged against.

use crate::domain::{ClinicZone, DateTimeStyle, Thresholds};

/// How a summary is presented: the zone its times of day are read in when the session kept none,
/// and who prepared it.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryContext {
    /// The clinic's zone today: only for a session recorded before sessions kept their own.
    pub zone: ClinicZone,
    /// The clinician's name and credentials, shown in the header when given.
    pub clinician: Option<String>,
    /// The clinic's name (the REMS form's healthcare setting), when set.
    pub clinic: Option<String>,
    /// The clinic's telephone, email and address (the REMS form asks for them).
    pub contact: crate::domain::RemsContact,
    /// The limits beyond which a vital sign is flagged in the summary.
    pub thresholds: Thresholds,
    /// How dates and times of day are written (the clinic's order and clock).
    pub style: DateTimeStyle,
}

impl SummaryContext {
    /// Times in each session's zone (or `zone`, the clinic's, for one that kept none), the
    /// clinic's thresholds.
    pub fn local(clinician: Option<String>, thresholds: Thresholds, zone: ClinicZone) -> Self {
        Self {
            zone,
            clinician: clinician.filter(|name| !name.trim().is_empty()),
            clinic: None,
            contact: crate::domain::RemsContact::default(),
            thresholds,
            style: DateTimeStyle::ISO,
        }
    }

    /// The same, writing dates and times of day in the clinic's `style`.
    #[must_use]
    pub fn with_style(self, style: DateTimeStyle) -> Self {
        Self { style, ..self }
    }

    /// The same, naming the clinic (the healthcare setting on the REMS form).
    #[must_use]
    pub fn with_clinic(self, clinic: Option<String>) -> Self {
        Self { clinic, ..self }
    }

    /// The same, with the clinic's contact details for the REMS form.
    #[must_use]
    pub fn with_contact(self, contact: crate::domain::RemsContact) -> Self {
        Self { contact, ..self }
    }
}
