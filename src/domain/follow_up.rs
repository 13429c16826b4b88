//! Integration follow-up: the check-ins planned after a session (the next day, a week on), what
//! each found, and the Emotional Breakthrough Inventory (EBI) asked the day after.
//!
//! The EBI (Roseman et al., Journal of Psychopharmacology, 2019) has six items, each rated 0–100;
//! its score is their mean. The journal shows short paraphrases of the items, not the published
//! wording, as it does for CADSS-6: whether the wording may be reproduced could not be checked here.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Measure, SessionId};

/// The six EBI items, paraphrased.
pub const EBI_ITEMS: [&str; 6] = [
    "Faced difficult feelings usually pushed aside",
    "Resolution of a personal conflict or trauma",
    "Explored challenging emotions and memories",
    "Had an emotional breakthrough",
    "A sense of closure on an emotional problem",
    "Emotional release, then relief",
];

/// One EBI: six ratings from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct Ebi([u8; 6]);

/// Why an EBI or a check-in was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FollowUpError {
    #[error("The EBI is six ratings from 0 to 100, e.g. \"70 40 80 60 50 65\".")]
    Ebi,
    #[error("A check-in records an EBI, a PHQ-9 or a note.")]
    EmptyCheckIn,
    #[error("This check-in was already recorded; a check-in is recorded once.")]
    AlreadyDone,
    #[error("There is no such check-in.")]
    Unknown,
}

impl TryFrom<Vec<u8>> for Ebi {
    type Error = FollowUpError;

    fn try_from(ratings: Vec<u8>) -> Result<Self, Self::Error> {
        let ratings: [u8; 6] = ratings.try_into().map_err(|_| FollowUpError::Ebi)?;
        if ratings.iter().any(|rating| *rating > 100) {
            return Err(FollowUpError::Ebi);
        }
        Ok(Self(ratings))
    }
}

impl From<Ebi> for Vec<u8> {
    fn from(ebi: Ebi) -> Self {
        ebi.0.to_vec()
    }
}

impl Ebi {
    /// Reads six ratings separated by spaces or commas.
    pub fn parse(text: &str) -> Result<Self, FollowUpError> {
        text.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<u8>().map_err(|_| FollowUpError::Ebi))
            .collect::<Result<Vec<u8>, _>>()
            .and_then(Self::try_from)
    }

    pub fn ratings(&self) -> [u8; 6] {
        self.0
    }

    /// The mean rating, 0–100.
    pub fn score(&self) -> f64 {
        f64::from(self.0.iter().map(|rating| u32::from(*rating)).sum::<u32>()) / 6.0
    }

    pub fn describe(&self) -> String {
        format!("EBI {:.0} of 100", self.score())
    }
}

/// Which check-in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckInKind {
    /// The day after: how it landed, and the EBI.
    NextDay,
    /// A week on: the PHQ-9 again, to see the change.
    OneWeek,
}

impl CheckInKind {
    pub const ALL: [Self; 2] = [Self::NextDay, Self::OneWeek];

    pub fn days_after(self) -> i64 {
        match self {
            Self::NextDay => 1,
            Self::OneWeek => 7,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NextDay => "next_day",
            Self::OneWeek => "one_week",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NextDay => "Next-day check-in (EBI)",
            Self::OneWeek => "One-week check-in (PHQ-9)",
        }
    }

    /// The day it is due for a session that ended at `ended`.
    pub fn due_after(self, ended: DateTime<Utc>) -> NaiveDate {
        (ended + TimeDelta::days(self.days_after())).date_naive()
    }
}

/// What a check-in found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ebi: Option<Ebi>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phq9: Option<Measure>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl CheckIn {
    /// A check-in with at least something in it; the note trimmed.
    pub fn checked(&self) -> Result<Self, FollowUpError> {
        let note = self.note.trim().to_owned();
        if self.ebi.is_none() && self.phq9.is_none() && note.is_empty() {
            return Err(FollowUpError::EmptyCheckIn);
        }
        if self
            .phq9
            .as_ref()
            .is_some_and(|measure| measure.instrument() != super::Instrument::Phq9)
        {
            return Err(FollowUpError::EmptyCheckIn);
        }
        Ok(Self {
            note,
            ..self.clone()
        })
    }

    /// e.g. "EBI 62 of 100 · PHQ-9 8 (mild) · slept well".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(ebi) = &self.ebi {
            parts.push(ebi.describe());
        }
        if let Some(phq9) = &self.phq9 {
            parts.push(phq9.score_text());
        }
        if !self.note.is_empty() {
            parts.push(self.note.clone());
        }
        parts.join(" · ")
    }
}

/// The id of a planned check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FollowUpId(pub i64);

/// A check-in planned after a session, and what it found once done.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub session_id: SessionId,
    pub kind: CheckInKind,
    pub due: NaiveDate,
    pub done: Option<CheckIn>,
}

impl FollowUp {
    /// Not done, and due on or before `today`.
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.done.is_none() && self.due <= today
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    #[test]
    fn an_ebi_is_six_ratings_to_100_scored_by_their_mean() {
        let ebi = Ebi::parse("70, 40 80 60 50 66").unwrap();
        assert_eq!(ebi.ratings(), [70, 40, 80, 60, 50, 66]);
        assert!((ebi.score() - 61.0).abs() < 1e-9);
        assert_eq!(ebi.describe(), "EBI 61 of 100");
        for bad in [
            "",
            "70 40 80 60 50",
            "70 40 80 60 50 66 1",
            "70 40 80 60 50 101",
            "a b c d e f",
        ] {
            assert_eq!(Ebi::parse(bad), Err(FollowUpError::Ebi), "{bad:?}");
        }
        assert!(serde_json::from_str::<Ebi>("[1,2,3,4,5,200]").is_err());
    }

    #[test]
    fn check_ins_fall_due_the_day_after_and_a_week_after_the_end() {
        let ended = Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();
        assert_eq!(
            CheckInKind::NextDay.due_after(ended).to_string(),
            "2026-12-01"
        );
        assert_eq!(
            CheckInKind::OneWeek.due_after(ended).to_string(),
            "2026-12-07"
        );
        let empty = CheckIn {
            at: ended,
            ebi: None,
            phq9: None,
            note: "  ".into(),
        };
        assert_eq!(empty.checked(), Err(FollowUpError::EmptyCheckIn));
    }
}
