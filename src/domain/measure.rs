//! Questionnaires scored item by item: PHQ-9 (depression), GAD-7 (anxiety) and CADSS-6 (dissociation
//! during a session). A score is only ever computed from a complete, valid set of answers.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// Patient Health Questionnaire, 9 items answered 0–3.
    Phq9,
    /// Generalized Anxiety Disorder scale, 7 items answered 0–3.
    Gad7,
    /// Clinician-Administered Dissociative States Scale, 6-item form, answered 0–4.
    Cadss6,
}

impl Instrument {
    pub const ALL: [Self; 3] = [Self::Phq9, Self::Gad7, Self::Cadss6];

    pub fn label(self) -> &'static str {
        match self {
            Self::Phq9 => "PHQ-9",
            Self::Gad7 => "GAD-7",
            Self::Cadss6 => "CADSS-6",
        }
    }

    /// How many items the questionnaire has.
    pub fn items(self) -> usize {
        match self {
            Self::Phq9 => 9,
            Self::Gad7 => 7,
            Self::Cadss6 => 6,
        }
    }

    /// A few words per item, for entering answers item by item (PHQ-9 and GAD-7 paraphrase the
    /// public-domain items; CADSS-6 paraphrases the six subjective items it keeps of the CADSS,
    /// each answered 0 not at all … 4 extremely).
    pub fn item_labels(self) -> &'static [&'static str] {
        match self {
            Self::Phq9 => &[
                "Little interest or pleasure",
                "Down, depressed, hopeless",
                "Sleep",
                "Tired, little energy",
                "Appetite",
                "Feeling bad about self",
                "Concentration",
                "Slowed or restless",
                "Better off dead / self-harm",
            ],
            Self::Gad7 => &[
                "Nervous, anxious, on edge",
                "Cannot stop worrying",
                "Worrying too much",
                "Trouble relaxing",
                "Restless",
                "Easily annoyed",
                "Afraid something awful",
            ],
            Self::Cadss6 => &[
                "Things move in slow motion",
                "Things seem unreal, dreamlike",
                "Apart from what happens, as in a film",
                "Seeing things as from outside the body",
                "Watching as an onlooker",
                "Disconnected from own body",
            ],
        }
    }

    /// Reads answers typed one digit per item ("210301120") or separated ("2 1 0 3", "2,1,0").
    pub fn parse_answers(self, text: &str) -> Result<Vec<u8>, MeasureError> {
        let text = text.trim();
        let parts: Vec<&str> = if text.contains([' ', ',', ';']) {
            text.split([' ', ',', ';'])
                .filter(|part| !part.is_empty())
                .collect()
        } else {
            text.char_indices()
                .map(|(at, c)| &text[at..at + c.len_utf8()])
                .collect()
        };
        parts
            .iter()
            .map(|part| {
                part.parse::<u8>().map_err(|_| MeasureError::Unreadable {
                    instrument: self.label(),
                    max: self.max_answer(),
                })
            })
            .collect()
    }

    /// What the answers mean, from 0 up.
    pub fn answer_scale(self) -> &'static str {
        match self {
            Self::Phq9 | Self::Gad7 => {
                "0 not at all · 1 several days · 2 more than half the days · 3 nearly every day"
            }
            Self::Cadss6 => {
                "0 not at all · 1 slightly · 2 moderately · 3 considerably · 4 extremely"
            }
        }
    }

    /// The highest answer to one item.
    pub fn max_answer(self) -> u8 {
        match self {
            Self::Phq9 | Self::Gad7 => 3,
            Self::Cadss6 => 4,
        }
    }
}

/// The published severity bands of a total score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minimal,
    Mild,
    Moderate,
    ModeratelySevere,
    Severe,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Minimal => "minimal",
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::ModeratelySevere => "moderately severe",
            Self::Severe => "severe",
        }
    }
}

/// Why a set of answers was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeasureError {
    #[error("{instrument} has {expected} items; {given} were answered.")]
    WrongCount {
        instrument: &'static str,
        expected: usize,
        given: usize,
    },
    #[error("{instrument} answers are whole numbers from 0 to {max}, one per item.")]
    Unreadable { instrument: &'static str, max: u8 },
    #[error("{instrument} item {item} is answered from 0 to {max}.")]
    OutOfRange {
        instrument: &'static str,
        item: usize,
        max: u8,
    },
}

/// A complete, scored questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "MeasureRecord", into = "MeasureRecord")]
pub struct Measure {
    instrument: Instrument,
    answers: Vec<u8>,
}

impl Measure {
    /// Checks every answer; the score exists only for a complete, valid set.
    pub fn new(instrument: Instrument, answers: Vec<u8>) -> Result<Self, MeasureError> {
        if answers.len() != instrument.items() {
            return Err(MeasureError::WrongCount {
                instrument: instrument.label(),
                expected: instrument.items(),
                given: answers.len(),
            });
        }
        if let Some(item) = answers
            .iter()
            .position(|answer| *answer > instrument.max_answer())
        {
            return Err(MeasureError::OutOfRange {
                instrument: instrument.label(),
                item: item + 1,
                max: instrument.max_answer(),
            });
        }
        Ok(Self {
            instrument,
            answers,
        })
    }

    /// Reads answers as typed ("210301121", "2 1 0 3 …") and checks them.
    pub fn parse(instrument: Instrument, text: &str) -> Result<Self, MeasureError> {
        Self::new(instrument, instrument.parse_answers(text)?)
    }

    pub fn instrument(&self) -> Instrument {
        self.instrument
    }

    pub fn answers(&self) -> &[u8] {
        &self.answers
    }

    /// The sum of the answers.
    pub fn total(&self) -> u32 {
        self.answers.iter().map(|answer| u32::from(*answer)).sum()
    }

    /// The band of the total: PHQ-9 0–4 / 5–9 / 10–14 / 15–19 / 20–27 (Kroenke 2001), GAD-7
    /// 0–4 / 5–9 / 10–14 / 15–21 (Spitzer 2006). CADSS-6 has no published bands: `None`.
    pub fn severity(&self) -> Option<Severity> {
        let total = self.total();
        match self.instrument {
            Instrument::Phq9 => Some(match total {
                0..=4 => Severity::Minimal,
                5..=9 => Severity::Mild,
                10..=14 => Severity::Moderate,
                15..=19 => Severity::ModeratelySevere,
                _ => Severity::Severe,
            }),
            Instrument::Gad7 => Some(match total {
                0..=4 => Severity::Minimal,
                5..=9 => Severity::Mild,
                10..=14 => Severity::Moderate,
                _ => Severity::Severe,
            }),
            Instrument::Cadss6 => None,
        }
    }

    /// PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above zero: shown
    /// wherever the score appears, whatever the total.
    pub fn self_harm_flag(&self) -> bool {
        self.instrument == Instrument::Phq9 && self.answers.get(8).is_some_and(|answer| *answer > 0)
    }

    /// Where a CADSS-6 total lies in its 0–24 range: none (0), low (1–8), moderate (9–16) or high
    /// (17–24). The scale has no published cut-offs; these are thirds of the range, said as such.
    pub fn dissociation_band(&self) -> Option<&'static str> {
        (self.instrument == Instrument::Cadss6).then(|| match self.total() {
            0 => "none",
            1..=8 => "low",
            9..=16 => "moderate",
            _ => "high",
        })
    }

    /// The score alone, e.g. "PHQ-9 14 (moderate)" or "CADSS-6 14 of 24 (moderate)".
    pub fn score_text(&self) -> String {
        let line = format!("{} {}", self.instrument.label(), self.total());
        match (self.severity(), self.dissociation_band()) {
            (Some(severity), _) => format!("{line} ({})", severity.label()),
            (None, Some(band)) => {
                let most = self.instrument.items() * usize::from(self.instrument.max_answer());
                format!("{line} of {most} ({band})")
            }
            (None, None) => line,
        }
    }

    /// One line, e.g. "PHQ-9 14 (moderate) · item 9 above zero".
    pub fn describe(&self) -> String {
        let mut line = self.score_text();
        if self.self_harm_flag() {
            line.push_str(" · item 9 above zero");
        }
        line
    }
}

/// The stored form; reading it back checks it again.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct MeasureRecord {
    instrument: Instrument,
    answers: Vec<u8>,
}

impl TryFrom<MeasureRecord> for Measure {
    type Error = MeasureError;

    fn try_from(record: MeasureRecord) -> Result<Self, Self::Error> {
        Self::new(record.instrument, record.answers)
    }
}

impl From<Measure> for MeasureRecord {
    fn from(measure: Measure) -> Self {
        Self {
            instrument: measure.instrument,
            answers: measure.answers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(instrument: Instrument, answers: &[u8]) -> Measure {
        Measure::new(instrument, answers.to_vec()).unwrap()
    }

    #[test]
    fn answers_are_read_one_digit_per_item_or_separated() {
        let phq = Instrument::Phq9;
        assert_eq!(
            phq.parse_answers("210301120"),
            Ok(vec![2, 1, 0, 3, 0, 1, 1, 2, 0])
        );
        assert_eq!(phq.parse_answers(" 2 1, 0;3 "), Ok(vec![2, 1, 0, 3]));
        assert_eq!(phq.parse_answers(""), Ok(Vec::new()));
        assert!(phq.parse_answers("2a1").is_err());
        assert!(
            phq.parse_answers("−1").is_err(),
            "a Unicode minus is not a digit"
        );
        assert_eq!(phq.item_labels().len(), phq.items());
        assert_eq!(Instrument::Gad7.item_labels().len(), 7);
        assert_eq!(Instrument::Cadss6.item_labels().len(), 6);
    }

    #[test]
    fn phq9_totals_and_bands_match_hand_computed_fixtures() {
        // (answers, total, band) worked out by hand from the published cut-offs.
        let fixtures: [(&[u8], u32, Severity); 6] = [
            (&[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, Severity::Minimal),
            (&[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, Severity::Minimal),
            (&[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, Severity::Mild),
            (&[2, 2, 2, 1, 1, 1, 1, 0, 0], 10, Severity::Moderate),
            (&[3, 2, 2, 2, 2, 2, 2, 0, 0], 15, Severity::ModeratelySevere),
            (&[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, Severity::Severe),
        ];
        for (answers, total, band) in fixtures {
            let phq = measure(Instrument::Phq9, answers);
            assert_eq!(
                (phq.total(), phq.severity()),
                (total, Some(band)),
                "{answers:?}"
            );
        }
    }

    #[test]
    fn gad7_totals_and_bands_match_hand_computed_fixtures() {
        let fixtures: [(&[u8], u32, Severity); 4] = [
            (&[0, 1, 0, 1, 0, 1, 1], 4, Severity::Minimal),
            (&[1, 1, 1, 1, 1, 1, 3], 9, Severity::Mild),
            (&[2, 2, 2, 2, 2, 2, 2], 14, Severity::Moderate),
            (&[3, 3, 3, 3, 3, 0, 0], 15, Severity::Severe),
        ];
        for (answers, total, band) in fixtures {
            let gad = measure(Instrument::Gad7, answers);
            assert_eq!(
                (gad.total(), gad.severity()),
                (total, Some(band)),
                "{answers:?}"
            );
        }
    }

    #[test]
    fn cadss6_is_summed_without_bands() {
        let cadss = measure(Instrument::Cadss6, &[4, 3, 2, 1, 0, 4]);
        assert_eq!(cadss.total(), 14);
        assert_eq!(cadss.severity(), None);
        assert_eq!(cadss.describe(), "CADSS-6 14 of 24 (moderate)");
        assert_eq!(
            measure(Instrument::Cadss6, &[0; 6]).describe(),
            "CADSS-6 0 of 24 (none)"
        );
        assert_eq!(
            measure(Instrument::Cadss6, &[4, 4, 4, 4, 1, 0]).describe(),
            "CADSS-6 17 of 24 (high)"
        );
    }

    #[test]
    fn item_9_above_zero_is_flagged_even_with_a_minimal_total() {
        let phq = measure(Instrument::Phq9, &[0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(phq.severity(), Some(Severity::Minimal));
        assert!(phq.self_harm_flag());
        assert_eq!(phq.describe(), "PHQ-9 1 (minimal) · item 9 above zero");
        assert!(!measure(Instrument::Phq9, &[3, 3, 3, 3, 3, 3, 3, 3, 0]).self_harm_flag());
    }

    #[test]
    fn incomplete_or_impossible_answers_are_refused_with_a_plain_message() {
        assert_eq!(
            Measure::new(Instrument::Gad7, vec![1, 2])
                .unwrap_err()
                .to_string(),
            "GAD-7 has 7 items; 2 were answered."
        );
        assert_eq!(
            Measure::new(Instrument::Phq9, vec![0, 0, 4, 0, 0, 0, 0, 0, 0])
                .unwrap_err()
                .to_string(),
            "PHQ-9 item 3 is answered from 0 to 3."
        );
        let stored = r#"{"instrument":"gad7","answers":[9,0,0,0,0,0,0]}"#;
        assert!(
            serde_json::from_str::<Measure>(stored).is_err(),
            "checked when read back"
        );
    }
}
