//! Suicide risk: the NIMH Ask Suicide-Screening Questions (ASQ, public domain) before a session, and
//! the safety plan a positive screen or PHQ-9 item 9 above zero opens.
//!
//! ASQ scoring as NIMH publishes it: "no" to questions 1–4 is a negative screen; "yes" to any, or
//! declining to answer, is positive, and question 5 (thoughts of killing yourself right now) is then
//! asked: "yes" is an **acute** positive (imminent risk: a full safety evaluation before anything
//! else, and the client does not leave until evaluated), "no" a **non-acute** positive (a brief
//! suicide safety assessment before the client leaves). The item texts here are paraphrases.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The four screening questions and the acuity question, paraphrased.
pub const ASQ_QUESTIONS: [&str; 5] = [
    "Wished you were dead (past few weeks)",
    "Felt you or your family would be better off if you were dead (past few weeks)",
    "Thoughts about killing yourself (past week)",
    "Ever tried to kill yourself",
    "Thoughts of killing yourself right now",
];

/// One answer to a screening question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AsqAnswer {
    Yes,
    No,
    /// The client did not answer; the screen counts it as positive.
    Declined,
}

impl AsqAnswer {
    fn read(c: char) -> Option<Self> {
        match c.to_ascii_lowercase() {
            'y' => Some(Self::Yes),
            'n' => Some(Self::No),
            'r' | 'd' => Some(Self::Declined),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Declined => "declined",
        }
    }
}

/// What the screen found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsqResult {
    Negative,
    NonAcutePositive,
    AcutePositive,
}

impl AsqResult {
    pub fn label(self) -> &'static str {
        match self {
            Self::Negative => "negative",
            Self::NonAcutePositive => "non-acute positive",
            Self::AcutePositive => "ACUTE positive",
        }
    }

    /// What NIMH asks the clinician to do next.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::Negative => "no intervention needed; clinical judgment can override",
            Self::NonAcutePositive => {
                "brief suicide safety assessment before the client leaves; make a safety plan"
            }
            Self::AcutePositive => {
                "imminent risk: full safety evaluation now; the client does not leave until evaluated"
            }
        }
    }
}

/// The assessment a positive screen asks for before the client leaves, as the end form names it.
pub fn suicide_safety_assessment(result: AsqResult) -> &'static str {
    match result {
        AsqResult::AcutePositive => "full suicide safety evaluation",
        AsqResult::NonAcutePositive | AsqResult::Negative => "brief suicide safety assessment",
    }
}

/// One ASQ screen: questions 1–4, and question 5 when the screen is positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "AsqRecord", into = "AsqRecord")]
pub struct AsqScreen {
    answers: [AsqAnswer; 4],
    right_now: Option<AsqAnswer>,
}

/// The stored form of a screen, checked on the way in.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct AsqRecord {
    answers: [AsqAnswer; 4],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    right_now: Option<AsqAnswer>,
}

/// Why a screen was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AsqError {
    #[error(
        "Write the ASQ answers as four letters, y or n (r if declined), e.g. \"nnnn\"; when any is y or r, add the answer to question 5 (\"ynnn n\")."
    )]
    Syntax,
    #[error(
        "A positive ASQ screen needs question 5 answered: thoughts of killing yourself right now, y or n."
    )]
    AcuityMissing,
    #[error(
        "Question 5 is asked only after a positive screen; leave it out when questions 1–4 are all n."
    )]
    AcuityNotAsked,
}

impl TryFrom<AsqRecord> for AsqScreen {
    type Error = AsqError;

    fn try_from(record: AsqRecord) -> Result<Self, Self::Error> {
        Self::new(record.answers, record.right_now)
    }
}

impl From<AsqScreen> for AsqRecord {
    fn from(screen: AsqScreen) -> Self {
        Self {
            answers: screen.answers,
            right_now: screen.right_now,
        }
    }
}

impl AsqScreen {
    /// A screen as answered; question 5 is asked exactly when questions 1–4 are positive.
    pub fn new(answers: [AsqAnswer; 4], right_now: Option<AsqAnswer>) -> Result<Self, AsqError> {
        let positive = answers.iter().any(|answer| *answer != AsqAnswer::No);
        match (positive, right_now) {
            (true, None) => Err(AsqError::AcuityMissing),
            (false, Some(_)) => Err(AsqError::AcuityNotAsked),
            _ => Ok(Self { answers, right_now }),
        }
    }

    /// Reads answers as typed: "nnnn", "ynnn n", "y n n r y" (spaces ignored).
    pub fn parse(text: &str) -> Result<Self, AsqError> {
        let letters: Vec<AsqAnswer> = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .map(AsqAnswer::read)
            .collect::<Option<_>>()
            .ok_or(AsqError::Syntax)?;
        let (first, rest) = match letters.len() {
            4 | 5 => letters.split_at(4),
            _ => return Err(AsqError::Syntax),
        };
        let answers = [first[0], first[1], first[2], first[3]];
        Self::new(answers, rest.first().copied())
    }

    pub fn answers(&self) -> [AsqAnswer; 4] {
        self.answers
    }

    pub fn right_now(&self) -> Option<AsqAnswer> {
        self.right_now
    }

    pub fn result(&self) -> AsqResult {
        match self.right_now {
            None => AsqResult::Negative,
            Some(AsqAnswer::No) => AsqResult::NonAcutePositive,
            // Declining the acuity question is treated as yes: the safe reading.
            Some(AsqAnswer::Yes | AsqAnswer::Declined) => AsqResult::AcutePositive,
        }
    }

    pub fn is_positive(&self) -> bool {
        self.result() != AsqResult::Negative
    }

    /// e.g. "ASQ non-acute positive: wished you were dead (past few weeks) yes, …".
    pub fn describe(&self) -> String {
        let result = self.result();
        if result == AsqResult::Negative {
            return "ASQ suicide risk screen: negative".to_owned();
        }
        let answered: Vec<String> = self
            .answers
            .iter()
            .zip(ASQ_QUESTIONS)
            .filter(|(answer, _)| **answer != AsqAnswer::No)
            .map(|(answer, question)| format!("{} {}", question.to_lowercase(), answer.label()))
            .collect();
        format!(
            "ASQ suicide risk screen: {} ({}) — {}",
            result.label(),
            answered.join("; "),
            result.next_step()
        )
    }
}

/// A safety plan as it is written with the client (after Stanley and Brown): what to watch for,
/// what helps, who to reach, and making the means safer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SafetyPlan {
    pub warning_signs: String,
    pub coping_steps: String,
    /// People and services to contact, crisis lines among them.
    pub contacts: String,
    pub means_safety: String,
}

/// Why a safety plan was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SafetyPlanError {
    #[error(
        "A safety plan names at least the people and services to contact (a crisis line among them)."
    )]
    NoContacts,
}

impl SafetyPlan {
    /// The four parts with their headings, in order.
    pub fn sections(&self) -> [(&'static str, &str); 4] {
        [
            ("Warning signs", &self.warning_signs),
            ("Coping steps", &self.coping_steps),
            ("People and services to contact", &self.contacts),
            ("Making the means safer", &self.means_safety),
        ]
    }

    /// Trims each part; a plan without contacts is refused.
    pub fn checked(&self) -> Result<Self, SafetyPlanError> {
        let plan = Self {
            warning_signs: self.warning_signs.trim().to_owned(),
            coping_steps: self.coping_steps.trim().to_owned(),
            contacts: self.contacts.trim().to_owned(),
            means_safety: self.means_safety.trim().to_owned(),
        };
        if plan.contacts.is_empty() {
            return Err(SafetyPlanError::NoContacts);
        }
        Ok(plan)
    }

    /// One line for timelines: "Safety plan — warning signs: …; contacts: …".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .sections()
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(heading, text)| format!("{}: {}", heading.to_lowercase(), text.trim()))
            .collect();
        format!("Safety plan — {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_is_scored_as_nimh_publishes_it() {
        let negative = AsqScreen::parse("nnnn").unwrap();
        assert_eq!(negative.result(), AsqResult::Negative);
        assert!(!negative.is_positive());
        let non_acute = AsqScreen::parse("y n n n n").unwrap();
        assert_eq!(non_acute.result(), AsqResult::NonAcutePositive);
        assert_eq!(
            AsqScreen::parse("nnny y").unwrap().result(),
            AsqResult::AcutePositive
        );
        // Declining a question counts as positive, and declining question 5 as acute.
        assert_eq!(
            AsqScreen::parse("nrnn n").unwrap().result(),
            AsqResult::NonAcutePositive
        );
        assert_eq!(
            AsqScreen::parse("ynnn r").unwrap().result(),
            AsqResult::AcutePositive
        );
        assert_eq!(AsqScreen::parse("ynnn"), Err(AsqError::AcuityMissing));
        assert_eq!(AsqScreen::parse("nnnn n"), Err(AsqError::AcuityNotAsked));
        for bad in ["", "nnn", "nnnnnn", "nnxn", "yes no"] {
            assert_eq!(AsqScreen::parse(bad), Err(AsqError::Syntax), "{bad:?}");
        }
        let json = serde_json::to_string(&non_acute).unwrap();
        assert_eq!(serde_json::from_str::<AsqScreen>(&json).unwrap(), non_acute);
        // A stored screen that breaks the rules is refused on the way in.
        assert!(
            serde_json::from_str::<AsqScreen>(r#"{"answers":["yes","no","no","no"]}"#).is_err()
        );
        assert!(
            non_acute
                .describe()
                .contains("wished you were dead (past few weeks) yes")
        );
    }

    #[test]
    fn a_safety_plan_needs_its_contacts() {
        let plan = SafetyPlan {
            warning_signs: "  can't sleep, stops texting ".into(),
            contacts: "sister; 988".into(),
            ..SafetyPlan::default()
        };
        let checked = plan.checked().unwrap();
        assert_eq!(checked.warning_signs, "can't sleep, stops texting");
        assert_eq!(
            checked.describe(),
            "Safety plan — warning signs: can't sleep, stops texting; people and services to contact: sister; 988"
        );
        let empty = SafetyPlan {
            contacts: "   ".into(),
            ..plan
        };
        assert_eq!(empty.checked(), Err(SafetyPlanError::NoContacts));
    }
}
