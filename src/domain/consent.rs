//! Consent to treatment: the clinic's consent text, versioned, and each client's consent to a
//! version, with the items KAP consent covers and a date by which it is renewed.
//!
//! Once a clinic has adopted a consent text, a session starts only for a client whose consent is
//! **current**: given to the newest version, not withdrawn, not past its renewal date, and agreeing
//! to off-label use (ketamine for depression is off-label; without that there is no treatment).
//! Touch, music and recording are the client's choices and travel with the record.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ClientId;

/// The longest consent text the journal keeps, in bytes.
pub const MAX_CONSENT_TEXT_BYTES: usize = 64 * 1024;
/// How long a consent may run before it is renewed, in days (the clinic chooses within this).
pub const RENEW_AFTER_DAYS_RANGE: std::ops::RangeInclusive<u32> = 30..=730;
/// A consent coming up for renewal within this many days is listed as due soon.
pub const RENEWAL_NOTICE_DAYS: i64 = 14;

/// What KAP consent asks about, item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentItem {
    /// Ketamine given off-label (for depression, anxiety, suicidality). Required for treatment.
    OffLabelUse,
    /// Supportive touch (a hand on the shoulder) when asked for or agreed in advance.
    Touch,
    /// Music during the session.
    Music,
    /// Audio or video recording of the session.
    Recording,
}

impl ConsentItem {
    pub const ALL: [Self; 4] = [Self::OffLabelUse, Self::Touch, Self::Music, Self::Recording];

    pub fn label(self) -> &'static str {
        match self {
            Self::OffLabelUse => "Off-label use of ketamine",
            Self::Touch => "Supportive touch",
            Self::Music => "Music",
            Self::Recording => "Recording",
        }
    }

    /// The name on the command line (`--agree off-label,music`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OffLabelUse => "off-label",
            Self::Touch => "touch",
            Self::Music => "music",
            Self::Recording => "recording",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|item| item.as_str() == text.trim().to_lowercase())
    }
}

/// One version of the clinic's consent text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentText {
    pub version: u32,
    pub text: String,
    /// A consent to this version is renewed this many days after it was given.
    pub renew_after_days: u32,
    pub adopted_at: DateTime<Utc>,
}

/// A client's answer to one version of the consent, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub client_id: ClientId,
    pub version: u32,
    pub given_at: DateTime<Utc>,
    /// Each item with whether the client agreed to it.
    pub items: Vec<(ConsentItem, bool)>,
    /// The last day the consent is current; renewed before then.
    pub renew_by: NaiveDate,
    /// Who took the consent (the clinician's name), for the record.
    pub recorded_by: String,
    /// The client withdrew consent at this record; no session starts until a new consent.
    pub withdrawn: bool,
}

impl ConsentRecord {
    pub fn agrees_to(&self, item: ConsentItem) -> bool {
        self.items
            .iter()
            .any(|(agreed, yes)| *agreed == item && *yes)
    }

    /// e.g. "version 2, given 2026-09-01; touch yes, music yes, recording no", its days the
    /// clinic's.
    pub fn describe(&self, days: super::ClinicDays) -> String {
        if self.withdrawn {
            return format!(
                "withdrawn {} (version {})",
                days.day_of(self.given_at),
                self.version
            );
        }
        let choices: Vec<String> = ConsentItem::ALL
            .into_iter()
            .filter(|item| *item != ConsentItem::OffLabelUse)
            .map(|item| {
                let answer = if self.agrees_to(item) { "yes" } else { "no" };
                format!("{} {answer}", item.label().to_lowercase())
            })
            .collect();
        format!(
            "version {}, given {}, renew by {}; {}",
            self.version,
            days.day_of(self.given_at),
            days.date(self.renew_by),
            choices.join(", ")
        )
    }
}

/// The consent a session went ahead under, kept in its checklist so it travels with the session
/// (archives, signatures, summaries, FHIR) wherever the session goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentGiven {
    /// The version of the clinic's consent text.
    pub version: u32,
    pub given_at: DateTime<Utc>,
    /// The items agreed to (those left out were declined).
    pub agreed: Vec<ConsentItem>,
    pub renew_by: NaiveDate,
}

impl ConsentGiven {
    pub fn of(record: &ConsentRecord) -> Self {
        Self {
            version: record.version,
            given_at: record.given_at,
            agreed: record
                .items
                .iter()
                .filter(|(_, yes)| *yes)
                .map(|(item, _)| *item)
                .collect(),
            renew_by: record.renew_by,
        }
    }

    /// e.g. "consent v2 of 2026-09-01 (music, touch; no recording)".
    pub fn describe(&self) -> String {
        let (agreed, declined): (Vec<ConsentItem>, Vec<ConsentItem>) = ConsentItem::ALL
            .into_iter()
            .filter(|item| *item != ConsentItem::OffLabelUse)
            .partition(|item| self.agreed.contains(item));
        let names = |items: &[ConsentItem]| {
            items
                .iter()
                .map(|item| item.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut choices = Vec::new();
        if !agreed.is_empty() {
            choices.push(names(&agreed));
        }
        if !declined.is_empty() {
            choices.push(format!("no {}", names(&declined)));
        }
        format!(
            "consent v{} of {} ({})",
            self.version,
            self.given_at.format("%Y-%m-%d"),
            choices.join("; ")
        )
    }
}

/// A consent about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub client_id: ClientId,
    pub items: Vec<(ConsentItem, bool)>,
    pub recorded_by: String,
    pub withdrawn: bool,
}

impl NewConsent {
    /// A consent given to `text` at `at`, with its renewal date; refused when off-label use is
    /// not agreed (there is then nothing to consent to).
    pub fn to_version(
        &self,
        text: &ConsentText,
        at: DateTime<Utc>,
    ) -> Result<ConsentRecord, ConsentError> {
        let record = ConsentRecord {
            client_id: self.client_id,
            version: text.version,
            given_at: at,
            items: ConsentItem::ALL
                .into_iter()
                .map(|item| {
                    let agreed = self.items.iter().any(|(given, yes)| *given == item && *yes);
                    (item, agreed && !self.withdrawn)
                })
                .collect(),
            renew_by: (at + TimeDelta::days(i64::from(text.renew_after_days))).date_naive(),
            recorded_by: self.recorded_by.trim().to_owned(),
            withdrawn: self.withdrawn,
        };
        if !self.withdrawn && !record.agrees_to(ConsentItem::OffLabelUse) {
            return Err(ConsentError::OffLabelRequired);
        }
        Ok(record)
    }
}

/// Where a client's consent stands at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentStanding {
    /// The clinic has no consent text: the checklist's tick box is the consent.
    NoClinicText,
    /// Never consented.
    Missing,
    /// Current until `renew_by`; `soon` when that is within the notice period.
    Current { record: ConsentRecord, soon: bool },
    /// Given to an older version of the text.
    OlderVersion { record: ConsentRecord, newest: u32 },
    /// Past its renewal date.
    Expired { record: ConsentRecord },
    /// Withdrawn by the client.
    Withdrawn { record: ConsentRecord },
}

impl ConsentStanding {
    /// Where the latest record stands against the newest text at `now`.
    pub fn of(
        latest: Option<ConsentRecord>,
        newest: Option<&ConsentText>,
        now: DateTime<Utc>,
    ) -> Self {
        let Some(newest) = newest else {
            return Self::NoClinicText;
        };
        let Some(record) = latest else {
            return Self::Missing;
        };
        let today = now.date_naive();
        if record.withdrawn {
            Self::Withdrawn { record }
        } else if record.version < newest.version {
            Self::OlderVersion {
                record,
                newest: newest.version,
            }
        } else if today > record.renew_by {
            Self::Expired { record }
        } else {
            let soon = (record.renew_by - today).num_days() <= RENEWAL_NOTICE_DAYS;
            Self::Current { record, soon }
        }
    }

    /// Whether a session may start: a current consent, or no clinic text to consent to.
    pub fn allows_a_session(&self) -> bool {
        matches!(self, Self::NoClinicText | Self::Current { .. })
    }

    /// One sentence for the start form, the client's page and the due list, its days the clinic's.
    pub fn describe(&self, days: super::ClinicDays) -> String {
        match self {
            Self::NoClinicText => {
                "The clinic has no consent text; the checklist's tick box records consent."
                    .to_owned()
            }
            Self::Missing => "No consent recorded; record it before the first session.".to_owned(),
            Self::Current { record, soon } => {
                let renew = if *soon { " (renewal due soon)" } else { "" };
                format!("Consent current: {}{renew}.", record.describe(days))
            }
            Self::OlderVersion { record, newest } => format!(
                "Consent was given to version {} of the text; version {newest} needs a new consent.",
                record.version
            ),
            Self::Expired { record } => format!(
                "Consent expired on {}; renew it before the next session.",
                days.date(record.renew_by)
            ),
            Self::Withdrawn { record } => format!(
                "Consent was withdrawn on {}; no session starts without a new consent.",
                days.day_of(record.given_at)
            ),
        }
    }
}

/// Why a consent text or record was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConsentError {
    #[error("The consent text is empty.")]
    EmptyText,
    #[error("The consent text is longer than {} KiB.", MAX_CONSENT_TEXT_BYTES / 1024)]
    TextTooLong,
    #[error("A consent is renewed after {} to {} days.", RENEW_AFTER_DAYS_RANGE.start(), RENEW_AFTER_DAYS_RANGE.end())]
    RenewAfter,
    #[error("The clinic has no consent text yet; adopt one in Settings first.")]
    NoText,
    #[error(
        "Consent to treatment includes off-label use of ketamine; without it, record a withdrawal instead."
    )]
    OffLabelRequired,
    /// Where the consent stands, as one sentence that says what to do.
    #[error("{0}")]
    NotCurrent(String),
}

/// Checks a consent text before it is adopted.
pub fn check_consent_text(text: &str, renew_after_days: u32) -> Result<(), ConsentError> {
    if text.trim().is_empty() {
        Err(ConsentError::EmptyText)
    } else if text.len() > MAX_CONSENT_TEXT_BYTES {
        Err(ConsentError::TextTooLong)
    } else if !RENEW_AFTER_DAYS_RANGE.contains(&renew_after_days) {
        Err(ConsentError::RenewAfter)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn text(version: u32) -> ConsentText {
        ConsentText {
            version,
            text: "Synthetic consent text.".into(),
            renew_after_days: 180,
            adopted_at: Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap(),
        }
    }

    fn given(at: DateTime<Utc>, items: &[ConsentItem]) -> ConsentRecord {
        NewConsent {
            client_id: ClientId(1),
            items: items.iter().map(|item| (*item, true)).collect(),
            recorded_by: "R. Example".into(),
            withdrawn: false,
        }
        .to_version(&text(1), at)
        .unwrap()
    }

    #[test]
    fn a_consent_is_current_until_its_renewal_day_then_expired() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
        let record = given(at, &[ConsentItem::OffLabelUse, ConsentItem::Music]);
        assert_eq!(
            record.renew_by,
            NaiveDate::from_ymd_opt(2026, 8, 28).unwrap()
        );
        assert!(record.agrees_to(ConsentItem::Music));
        assert!(!record.agrees_to(ConsentItem::Touch));
        let standing = |now| ConsentStanding::of(Some(record.clone()), Some(&text(1)), now);
        let on = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        assert!(matches!(
            standing(on(2026, 6, 1)),
            ConsentStanding::Current { soon: false, .. }
        ));
        assert!(matches!(
            standing(on(2026, 8, 20)),
            ConsentStanding::Current { soon: true, .. }
        ));
        assert!(
            standing(on(2026, 8, 28)).allows_a_session(),
            "the renewal day itself is current"
        );
        assert!(matches!(
            standing(on(2026, 8, 29)),
            ConsentStanding::Expired { .. }
        ));
        assert!(!standing(on(2026, 8, 29)).allows_a_session());
        // A newer text needs a new consent, however recent the old one.
        let newer = ConsentStanding::of(Some(record.clone()), Some(&text(2)), on(2026, 3, 2));
        assert!(matches!(
            newer,
            ConsentStanding::OlderVersion { newest: 2, .. }
        ));
        assert!(!newer.allows_a_session());
        assert_eq!(
            ConsentStanding::of(None, Some(&text(1)), at),
            ConsentStanding::Missing
        );
        assert!(ConsentStanding::of(None, None, at).allows_a_session());
    }

    #[test]
    fn off_label_use_is_required_and_a_withdrawal_agrees_to_nothing() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
        let music_only = NewConsent {
            client_id: ClientId(1),
            items: vec![(ConsentItem::Music, true)],
            recorded_by: String::new(),
            withdrawn: false,
        };
        assert_eq!(
            music_only.to_version(&text(1), at),
            Err(ConsentError::OffLabelRequired)
        );
        let withdrawal = NewConsent {
            withdrawn: true,
            ..music_only
        }
        .to_version(&text(1), at)
        .unwrap();
        assert!(withdrawal.items.iter().all(|(_, yes)| !yes));
        let standing = ConsentStanding::of(Some(withdrawal), Some(&text(1)), at);
        assert!(matches!(standing, ConsentStanding::Withdrawn { .. }));
        assert!(!standing.allows_a_session());
    }
}
