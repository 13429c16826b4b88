//! The progress note in a clinical format (SOAP, DAP or BIRP), chosen per session and prefilled from
//! the timeline's facts, so the clinician edits a draft instead of copying the timeline by hand.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::SessionFacts;

/// The layout of a progress note.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum NoteFormat {
    /// Subjective, Objective, Assessment, Plan.
    #[default]
    Soap,
    /// Data, Assessment, Plan.
    Dap,
    /// Behavior, Intervention, Response, Plan.
    Birp,
}

impl NoteFormat {
    pub const ALL: [Self; 3] = [Self::Soap, Self::Dap, Self::Birp];

    /// The stable identifier stored in the database and archives.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Soap => "soap",
            Self::Dap => "dap",
            Self::Birp => "birp",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Soap => "SOAP",
            Self::Dap => "DAP",
            Self::Birp => "BIRP",
        }
    }

    /// The section headings, in order.
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            Self::Soap => &["Subjective", "Objective", "Assessment", "Plan"],
            Self::Dap => &["Data", "Assessment", "Plan"],
            Self::Birp => &["Behavior", "Intervention", "Response", "Plan"],
        }
    }
}

/// Why a stored or imported progress note cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("A {format} note has {expected} sections, not {given}.")]
pub struct ProgressNoteError {
    format: &'static str,
    expected: usize,
    given: usize,
}

/// A progress note: one text per section of its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "ProgressNoteRecord", into = "ProgressNoteRecord")]
pub struct ProgressNote {
    format: NoteFormat,
    sections: Vec<String>,
}

impl ProgressNote {
    /// A note whose section count matches its format.
    pub fn new(format: NoteFormat, sections: Vec<String>) -> Result<Self, ProgressNoteError> {
        if sections.len() != format.sections().len() {
            return Err(ProgressNoteError {
                format: format.label(),
                expected: format.sections().len(),
                given: sections.len(),
            });
        }
        Ok(Self { format, sections })
    }

    /// An empty note in `format`.
    pub fn blank(format: NoteFormat) -> Self {
        Self {
            format,
            sections: vec![String::new(); format.sections().len()],
        }
    }

    pub fn format(&self) -> NoteFormat {
        self.format
    }

    pub fn sections(&self) -> &[String] {
        &self.sections
    }

    /// The section texts, for editing in place; their number never changes.
    pub fn sections_mut(&mut self) -> &mut [String] {
        &mut self.sections
    }

    /// Heading and text of each section, in order.
    pub fn headed(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.format
            .sections()
            .iter()
            .copied()
            .zip(self.sections.iter().map(String::as_str))
    }

    /// Nothing has been written in any section.
    pub fn is_blank(&self) -> bool {
        self.sections.iter().all(|text| text.trim().is_empty())
    }

    /// Moves to another format. Written sections carry over by meaning, and no word is dropped:
    /// what was said and seen (Subjective, Objective, Data, Behavior) goes to the new format's
    /// account of it, what was done (Intervention) to where interventions are told, the clinician's
    /// reading (Assessment) and the client's response (Response) to each other's place, the plan to
    /// the plan.
    #[must_use]
    pub fn convert(&self, to: NoteFormat) -> Self {
        let mut converted = Self::blank(to);
        for (heading, text) in self.headed() {
            if text.trim().is_empty() {
                continue;
            }
            append(&mut converted.sections[section_for(heading, to)], text);
        }
        converted
    }

    /// Fills the empty sections from `facts`; a section with writing in it is left as it is.
    pub fn fill_empty(&mut self, facts: &SessionFacts) {
        let drafted = facts.draft(self.format);
        for (text, draft) in self.sections.iter_mut().zip(drafted) {
            if text.trim().is_empty() {
                *text = draft;
            }
        }
    }
}

/// Where a section headed `heading` belongs in a note of format `to`.
fn section_for(heading: &str, to: NoteFormat) -> usize {
    if let Some(same) = to
        .sections()
        .iter()
        .position(|candidate| *candidate == heading)
    {
        return same;
    }
    match (heading, to) {
        ("Plan", _) => to.sections().len() - 1,
        // Observed behaviour and what was done are SOAP's Objective.
        ("Behavior" | "Intervention", NoteFormat::Soap) => 1,
        // The client's response is read in the assessment, and the assessment in the response.
        ("Response", NoteFormat::Soap | NoteFormat::Dap) => to.sections().len() - 2,
        ("Assessment", NoteFormat::Birp) => 2,
        // What was said and what was seen open every format: Subjective and Objective become DAP's
        // Data or BIRP's Behavior, Data becomes Behavior, Behavior and Intervention become Data,
        // and DAP's Data (both said and seen) opens a SOAP note.
        _ => 0,
    }
}

fn append(section: &mut String, text: &str) {
    if !section.is_empty() {
        section.push_str("\n\n");
    }
    section.push_str(text.trim_end());
}

/// The stored form; reading it back checks the section count again.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProgressNoteRecord {
    format: NoteFormat,
    sections: Vec<String>,
}

impl TryFrom<ProgressNoteRecord> for ProgressNote {
    type Error = ProgressNoteError;

    fn try_from(record: ProgressNoteRecord) -> Result<Self, Self::Error> {
        Self::new(record.format, record.sections)
    }
}

impl From<ProgressNote> for ProgressNoteRecord {
    fn from(note: ProgressNote) -> Self {
        Self {
            format: note.format,
            sections: note.sections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> SessionFacts {
        SessionFacts {
            reported: vec!["Intention: grief".into()],
            observed: vec!["KAP session".into()],
            interventions: vec!["Offered to sit with it".into()],
            responses: vec!["worked through".into()],
            assessment: vec!["1 decision point".into()],
            plan: vec!["Integration Thursday".into()],
        }
    }

    #[test]
    fn each_format_has_its_sections_filled_from_the_facts() {
        let mut soap = ProgressNote::blank(NoteFormat::Soap);
        soap.fill_empty(&facts());
        assert_eq!(
            soap.sections(),
            [
                "Intention: grief.",
                "KAP session.\n\nOffered to sit with it.",
                "1 decision point.",
                "Integration Thursday."
            ]
        );
        let mut birp = ProgressNote::blank(NoteFormat::Birp);
        birp.fill_empty(&facts());
        assert_eq!(birp.sections()[2], "Worked through.");
        assert_eq!(ProgressNote::blank(NoteFormat::Dap).sections().len(), 3);
    }

    #[test]
    fn filling_never_overwrites_what_was_written() {
        let mut note = ProgressNote::blank(NoteFormat::Soap);
        note.sections_mut()[0] = "Client said the room felt safe.".into();
        note.fill_empty(&facts());
        assert_eq!(note.sections()[0], "Client said the room felt safe.");
        assert_eq!(note.sections()[3], "Integration Thursday.");
    }

    #[test]
    fn converting_keeps_every_written_word() {
        let note = ProgressNote::new(
            NoteFormat::Soap,
            vec!["said".into(), "seen".into(), String::new(), "next".into()],
        )
        .unwrap();
        let dap = note.convert(NoteFormat::Dap);
        assert_eq!(dap.sections(), ["said\n\nseen", "", "next"]);
        let birp = dap.convert(NoteFormat::Birp);
        assert_eq!(birp.sections(), ["said\n\nseen", "", "", "next"]);
    }

    #[test]
    fn converting_maps_sections_by_meaning() {
        let soap = ProgressNote::new(
            NoteFormat::Soap,
            vec!["said".into(), "seen".into(), "read".into(), "next".into()],
        )
        .unwrap();
        let birp = soap.convert(NoteFormat::Birp);
        assert_eq!(birp.sections(), ["said\n\nseen", "", "read", "next"]);
        let birp = ProgressNote::new(
            NoteFormat::Birp,
            vec![
                "did".into(),
                "done".into(),
                "answered".into(),
                "next".into(),
            ],
        )
        .unwrap();
        assert_eq!(
            birp.convert(NoteFormat::Soap).sections(),
            ["", "did\n\ndone", "answered", "next"]
        );
        assert_eq!(
            birp.convert(NoteFormat::Dap).sections(),
            ["did\n\ndone", "answered", "next"]
        );
    }

    #[test]
    fn a_note_with_the_wrong_number_of_sections_is_refused() {
        let error = ProgressNote::new(NoteFormat::Dap, vec![String::new()]).unwrap_err();
        assert_eq!(error.to_string(), "A DAP note has 3 sections, not 1.");
        let json = r#"{"format":"birp","sections":["a","b"]}"#;
        assert!(serde_json::from_str::<ProgressNote>(json).is_err());
    }
}
