//! Who the client is on the esketamine REMS patient monitoring form: the names, birthdate and sex
//! the form asks for, and whether they are enrolled in the REMS. The journal otherwise knows a
//! client only by a code, so these are optional, kept in the (encrypted) journal, and printed on
//! this form alone: never in summaries, archives or the practice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::hides_or_moves_text;

/// The longest first or last name kept, in characters.
pub const MAX_REMS_NAME_CHARS: usize = 80;

/// The sex the form asks for, as it offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemsSex {
    Female,
    Male,
}

impl RemsSex {
    pub const ALL: [Self; 2] = [Self::Female, Self::Male];

    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
        }
    }

    /// Reads "female"/"f" or "male"/"m", in any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "female" | "f" => Some(Self::Female),
            "male" | "m" => Some(Self::Male),
            _ => None,
        }
    }
}

/// A client's details for the REMS form; every field may still be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemsPatient {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<RemsSex>,
    /// Enrolled in the SPRAVATO REMS (the form asks; the journal cannot know).
    pub enrolled: Option<bool>,
}

/// Why a client's REMS details were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RemsPatientError {
    #[error("A first or last name is at most {MAX_REMS_NAME_CHARS} characters.")]
    NameTooLong,
    #[error("A name is one line of visible text, without control or direction marks.")]
    Hidden,
    #[error("A birthdate is a day between 1900-01-01 and {0}.")]
    BirthDate(NaiveDate),
}

impl RemsPatient {
    /// The details trimmed, or why they cannot be kept; `today` bounds the birthdate.
    pub fn checked(&self, today: NaiveDate) -> Result<Self, RemsPatientError> {
        let name = |text: &str| {
            let text = text.trim();
            if text.chars().count() > MAX_REMS_NAME_CHARS {
                Err(RemsPatientError::NameTooLong)
            } else if text.chars().any(hides_or_moves_text) {
                Err(RemsPatientError::Hidden)
            } else {
                Ok(text.to_owned())
            }
        };
        let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
        if let Some(born) = self.birth_date
            && !(earliest..=today).contains(&born)
        {
            return Err(RemsPatientError::BirthDate(today));
        }
        Ok(Self {
            first_name: name(&self.first_name)?,
            last_name: name(&self.last_name)?,
            ..self.clone()
        })
    }

    /// Nothing is known: no row needs keeping.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// How the clinic is reached, as the REMS form asks of the healthcare setting and the provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemsContact {
    pub telephone: String,
    pub email: String,
    /// The setting's address, one line ("12 Example Street, Springfield, IL 62701").
    pub address: String,
}

/// The longest contact field kept, in characters.
pub const MAX_CONTACT_CHARS: usize = 200;

/// Why the clinic's contact details were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RemsContactError {
    #[error("A telephone number holds digits, spaces and + ( ) - . x only.")]
    Telephone,
    #[error("An email address looks like name@clinic.example.")]
    Email,
    #[error("Each contact detail is one line of at most {MAX_CONTACT_CHARS} visible characters.")]
    Line,
}

impl RemsContact {
    /// The details trimmed, or why they cannot be kept. Empty fields are allowed (not yet known).
    pub fn checked(&self) -> Result<Self, RemsContactError> {
        let line = |text: &str| {
            let text = text.trim();
            if text.chars().count() > MAX_CONTACT_CHARS || text.chars().any(hides_or_moves_text) {
                Err(RemsContactError::Line)
            } else {
                Ok(text.to_owned())
            }
        };
        let telephone = line(&self.telephone)?;
        if !telephone
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-.xX".contains(c))
        {
            return Err(RemsContactError::Telephone);
        }
        let email = line(&self.email)?;
        if !email.is_empty() && !plausible_email(&email) {
            return Err(RemsContactError::Email);
        }
        Ok(Self {
            telephone,
            email,
            address: line(&self.address)?,
        })
    }
}

/// One `@`, something before it, a dot in a domain after it, and no spaces.
fn plausible_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn details_are_trimmed_and_a_birthdate_is_a_past_day() {
        let today = day("2026-12-06");
        let patient = RemsPatient {
            first_name: "  Alex ".into(),
            last_name: "Example".into(),
            birth_date: Some(day("1984-03-02")),
            sex: Some(RemsSex::Female),
            enrolled: Some(true),
        };
        assert_eq!(patient.checked(today).unwrap().first_name, "Alex");
        for born in ["2026-12-07", "1899-12-31"] {
            let wrong = RemsPatient {
                birth_date: Some(day(born)),
                ..patient.clone()
            };
            assert_eq!(
                wrong.checked(today),
                Err(RemsPatientError::BirthDate(today))
            );
        }
        let hidden = RemsPatient {
            last_name: "Ex\u{202e}ample".into(),
            ..patient
        };
        assert_eq!(hidden.checked(today), Err(RemsPatientError::Hidden));
        assert!(RemsPatient::default().is_empty());
    }

    #[test]
    fn contact_details_are_checked_loosely_and_may_be_empty() {
        let contact = RemsContact {
            telephone: " +1 (555) 010-0199 x12 ".into(),
            email: "front.desk@clinic.example".into(),
            address: "12 Example Street, Springfield".into(),
        };
        assert_eq!(
            contact.checked().unwrap().telephone,
            "+1 (555) 010-0199 x12"
        );
        assert!(RemsContact::default().checked().is_ok());
        for (telephone, email, error) in [
            ("call me", "", RemsContactError::Telephone),
            ("", "front desk@clinic.example", RemsContactError::Email),
            ("", "front.desk@clinic", RemsContactError::Email),
            ("", "@clinic.example", RemsContactError::Email),
        ] {
            let wrong = RemsContact {
                telephone: telephone.into(),
                email: email.into(),
                address: String::new(),
            };
            assert_eq!(wrong.checked(), Err(error), "{telephone:?} {email:?}");
        }
    }
}
