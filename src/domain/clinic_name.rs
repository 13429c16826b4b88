//! The clinic's name: the healthcare setting the esketamine REMS form names, set once in Settings.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::hides_or_moves_text;

/// The longest clinic name the journal keeps, in characters.
pub const MAX_CLINIC_NAME_CHARS: usize = 120;

/// A clinic's name as it heads the REMS form: trimmed, not empty, one plain line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClinicName(String);

/// Why a clinic name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClinicNameError {
    #[error("Enter the clinic's name, as the REMS form names the healthcare setting.")]
    Empty,
    #[error("A clinic name is at most {MAX_CLINIC_NAME_CHARS} characters.")]
    TooLong,
    #[error("A clinic name is one line of visible text, without control or direction marks.")]
    Hidden,
}

impl ClinicName {
    pub fn parse(text: &str) -> Result<Self, ClinicNameError> {
        let name = text.trim();
        if name.is_empty() {
            Err(ClinicNameError::Empty)
        } else if name.chars().count() > MAX_CLINIC_NAME_CHARS {
            Err(ClinicNameError::TooLong)
        } else if name.chars().any(hides_or_moves_text) {
            Err(ClinicNameError::Hidden)
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClinicName {
    type Error = ClinicNameError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ClinicName> for String {
    fn from(name: ClinicName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_refused_when_empty_long_or_hidden() {
        assert_eq!(
            ClinicName::parse("  Riverside Ketamine Clinic ")
                .unwrap()
                .as_str(),
            "Riverside Ketamine Clinic"
        );
        assert_eq!(ClinicName::parse("   "), Err(ClinicNameError::Empty));
        assert_eq!(
            ClinicName::parse(&"x".repeat(MAX_CLINIC_NAME_CHARS + 1)),
            Err(ClinicNameError::TooLong)
        );
        assert_eq!(
            ClinicName::parse("Clinic\u{202E}cinilC"),
            Err(ClinicNameError::Hidden)
        );
        assert_eq!(
            ClinicName::parse("Clinic\nSecond line"),
            Err(ClinicNameError::Hidden)
        );
    }
}
