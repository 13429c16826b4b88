//! The sedation rating: the Modified Observer's Assessment of Alertness/Sedation (MOAA/S), the scale
//! procedural-sedation and ketamine-clinic charts use, from 5 (responds readily to name) to 0 (no
//! response to a painful stimulus).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One MOAA/S rating.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Sedation(u8);

/// A rating outside the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error(
    "Sedation (MOAA/S) is a whole number from 0 to 5: 5 responds readily to name, 0 does not respond to pain."
)]
pub struct SedationError;

impl Sedation {
    /// Ratings at or below this are deep sedation: more than a ketamine-assisted session aims for.
    pub const DEEP_AT_OR_BELOW: u8 = 2;

    pub fn new(score: u8) -> Result<Self, SedationError> {
        if score <= 5 {
            Ok(Self(score))
        } else {
            Err(SedationError)
        }
    }

    /// Reads a rating as typed; empty means none was given.
    pub fn parse(text: &str) -> Result<Option<Self>, SedationError> {
        match text.trim() {
            "" => Ok(None),
            text => text
                .parse::<u8>()
                .map_err(|_| SedationError)
                .and_then(Self::new)
                .map(Some),
        }
    }

    pub fn score(self) -> u8 {
        self.0
    }

    /// What the rating means at the bedside.
    pub fn label(self) -> &'static str {
        match self.0 {
            5 => "responds readily to name",
            4 => "lethargic response to name",
            3 => "responds only to loud or repeated name",
            2 => "responds only to prodding or shaking",
            1 => "responds only to trapezius squeeze",
            _ => "no response to painful stimulus",
        }
    }

    /// Deep sedation is flagged like a vital sign beyond its threshold.
    pub fn is_deep(self) -> bool {
        self.0 <= Self::DEEP_AT_OR_BELOW
    }

    /// e.g. "Sedation MOAA/S 4 (lethargic response to name)".
    pub fn describe(self) -> String {
        format!("Sedation MOAA/S {} ({})", self.0, self.label())
    }
}

impl TryFrom<u8> for Sedation {
    type Error = SedationError;

    fn try_from(score: u8) -> Result<Self, Self::Error> {
        Self::new(score)
    }
}

impl From<Sedation> for u8 {
    fn from(sedation: Sedation) -> Self {
        sedation.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_outside_the_scale_are_refused() {
        assert_eq!(
            Sedation::parse(" 4 ").unwrap().map(Sedation::score),
            Some(4)
        );
        assert_eq!(Sedation::parse("").unwrap(), None);
        assert_eq!(Sedation::parse("6"), Err(SedationError));
        assert_eq!(Sedation::parse("-1"), Err(SedationError));
        assert!(serde_json::from_str::<Sedation>("9").is_err());
        assert!(Sedation::new(2).unwrap().is_deep());
        assert!(!Sedation::new(3).unwrap().is_deep());
    }
}
