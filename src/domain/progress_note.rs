//! The progress note in a clinical format (SOAP, DAP or BIRP), chosen per session and prefilled from
//! the timeline's facts, so the clinician edits a draft instead of copying the timeline by hand.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Event, EventKind, Seq, Session, Thresholds, delivered, entry_flags};
use crate::format;

/// The layout of a progress note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// Moves to another format. Written sections carry over by meaning (the plan stays the plan);
    /// what has no place in the new format is kept at the end of its first section, never dropped.
    #[must_use]
    pub fn convert(&self, to: NoteFormat) -> Self {
        let mut converted = Self::blank(to);
        for (heading, text) in self.headed() {
            if text.trim().is_empty() {
                continue;
            }
            let target = to
                .sections()
                .iter()
                .position(|candidate| *candidate == heading)
                .or_else(|| (heading == "Plan").then(|| to.sections().len() - 1))
                .unwrap_or(0);
            append(&mut converted.sections[target], text);
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

fn append(section: &mut String, text: &str) {
    if !section.is_empty() {
        section.push_str("\n\n");
    }
    section.push_str(text.trim_end());
}

/// The stored form; reading it back checks the section count again.
#[derive(Serialize, Deserialize)]
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

/// The facts of a session a progress note is drafted from, sorted by what kind of fact they are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionFacts {
    /// What the client brought and said: intention, what came up at decision points.
    pub reported: Vec<Fact>,
    /// What was seen and measured: the session's plan and total, vitals, measures, notes, adverse events.
    pub observed: Vec<Fact>,
    /// What the clinician did: dosing, "sit with it" offers, the comfort plan.
    pub interventions: Vec<Fact>,
    /// How the client responded: deferral outcomes, the closing note.
    pub responses: Vec<Fact>,
    /// The clinical picture: counts of decisions and outcomes, safety signals.
    pub assessment: Vec<Fact>,
    /// What happens next: discharge, follow-up, what to bring to integration.
    pub plan: Vec<Fact>,
}

/// One line of a drafted note; a line from a timeline entry keeps its time, so lines from different
/// kinds of facts read in the order they happened when a section brings them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub at_ms: Option<i64>,
    pub text: String,
}

impl Fact {
    fn at(at_ms: i64, text: String) -> Self {
        Self {
            at_ms: Some(at_ms),
            text,
        }
    }

    fn render(&self) -> String {
        match self.at_ms {
            Some(ms) => format!("{} {}", format::elapsed(ms), self.text),
            None => self.text.clone(),
        }
    }
}

impl From<String> for Fact {
    fn from(text: String) -> Self {
        Self { at_ms: None, text }
    }
}

impl From<&str> for Fact {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

impl SessionFacts {
    /// Sorts the timeline of `session` into facts. `weight_kg` gives doses in mg; `thresholds`
    /// decide which readings are named as safety signals.
    pub fn gather(
        session: &Session,
        events: &[Event],
        weight_kg: Option<f64>,
        thresholds: &Thresholds,
    ) -> Self {
        let mut gathering = Gathering::default();
        if !session.intention.trim().is_empty() {
            gathering
                .facts
                .reported
                .push(format!("Intention: {}", session.intention.trim()).into());
        }
        let until_ms = events.last().map_or(0, |event| event.elapsed_ms);
        gathering.facts.observed.push(
            format!(
                "{} session, {}; planned {}; delivered {}.",
                session.model.label(),
                session.route.label(),
                session.planned_dose.describe(weight_kg),
                delivered(events, weight_kg, until_ms).describe()
            )
            .into(),
        );
        for event in events {
            gathering.take(event, thresholds);
        }
        let Gathering {
            mut facts,
            decisions,
            offers,
            flags,
            marked,
        } = gathering;
        if !session.comfort_plan.trim().is_empty() {
            facts
                .interventions
                .push(format!("Comfort plan: {}", session.comfort_plan.trim()).into());
        }
        facts.assessment.push(
            format!(
                "{decisions} decision point{}; sit with it offered {offers} time{}.",
                plural(decisions),
                plural(offers)
            )
            .into(),
        );
        facts.assessment.extend(facts.responses.iter().cloned());
        if flags.is_empty() {
            facts.assessment.push("No safety signals recorded.".into());
        } else {
            facts.assessment.extend(
                flags
                    .into_iter()
                    .map(|flag| format!("Safety: {flag}").into()),
            );
        }
        for seq in marked {
            if let Some(event) = events.iter().find(|event| event.seq == seq) {
                facts.plan.push(
                    format!(
                        "Bring to integration: {} {}",
                        format::elapsed(event.elapsed_ms),
                        event.kind.describe()
                    )
                    .into(),
                );
            }
        }
        facts
    }
    /// The section texts of `format`, in order.
    fn draft(&self, format: NoteFormat) -> Vec<String> {
        // Untimed lines (the session's plan, the comfort plan) first, then the rest as it happened.
        let join = |parts: &[&Vec<Fact>]| {
            let mut lines: Vec<&Fact> = parts.iter().flat_map(|lines| lines.iter()).collect();
            lines.sort_by_key(|fact| fact.at_ms.unwrap_or(i64::MIN));
            lines
                .iter()
                .map(|fact| fact.render())
                .collect::<Vec<_>>()
                .join("\n")
        };
        match format {
            NoteFormat::Soap => vec![
                join(&[&self.reported]),
                join(&[&self.observed, &self.interventions]),
                join(&[&self.assessment]),
                join(&[&self.plan]),
            ],
            NoteFormat::Dap => vec![
                join(&[&self.reported, &self.observed, &self.interventions]),
                join(&[&self.assessment]),
                join(&[&self.plan]),
            ],
            NoteFormat::Birp => vec![
                join(&[&self.reported, &self.observed]),
                join(&[&self.interventions]),
                join(&[&self.responses]),
                join(&[&self.plan]),
            ],
        }
    }
}

/// The facts sorted so far, with the counts and marks that are only known at the end.
#[derive(Default)]
struct Gathering {
    facts: SessionFacts,
    decisions: usize,
    offers: usize,
    flags: Vec<String>,
    /// Entries marked for integration and not unmarked since, in the order they were marked.
    marked: Vec<Seq>,
}

impl Gathering {
    fn take(&mut self, event: &Event, thresholds: &Thresholds) {
        let ms = event.elapsed_ms;
        for flag in entry_flags(&event.kind, thresholds) {
            self.flags.push(format!("{} {flag}", format::elapsed(ms)));
        }
        let facts = &mut self.facts;
        match &event.kind {
            EventKind::Note { text } => facts.observed.push(Fact::at(ms, text.clone())),
            EventKind::PreSession(checklist) => {
                facts.observed.push(Fact::at(ms, checklist.describe()));
            }
            EventKind::DecisionPoint(point) => {
                self.decisions += 1;
                let mut line = format!(
                    "{}: {}",
                    point.came_up.label(),
                    point.asked.label().to_lowercase()
                );
                if !point.detail.trim().is_empty() {
                    let _ = write!(line, " (\"{}\")", point.detail.trim());
                }
                facts.reported.push(Fact::at(ms, line));
            }
            EventKind::DeferralStart { minutes, .. } => {
                self.offers += 1;
                facts.interventions.push(Fact::at(
                    ms,
                    format!("Offered to sit with it for {minutes} min; accepted."),
                ));
            }
            EventKind::DeferralOutcome { outcome, note, .. } => {
                let mut line = format!("Sit with it: {}", outcome.label());
                if !note.trim().is_empty() {
                    let _ = write!(line, " ({})", note.trim());
                }
                facts.responses.push(Fact::at(ms, line));
            }
            EventKind::DosingBegan { .. } | EventKind::DoseChange { .. } => facts
                .interventions
                .push(Fact::at(ms, event.kind.describe())),
            EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_) => {
                facts.observed.push(Fact::at(ms, event.kind.describe()));
            }
            EventKind::Marker { target_seq, on } => {
                self.marked.retain(|seq| seq != target_seq);
                if *on {
                    self.marked.push(*target_seq);
                }
            }
            EventKind::SessionEnded { note, discharge } => {
                if !note.trim().is_empty() {
                    facts
                        .responses
                        .push(Fact::at(ms, format!("At the end: {}", note.trim())));
                }
                facts
                    .plan
                    .extend(discharge.as_ref().map(|d| Fact::from(d.describe())));
            }
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
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
                "Intention: grief",
                "KAP session\nOffered to sit with it",
                "1 decision point",
                "Integration Thursday"
            ]
        );
        let mut birp = ProgressNote::blank(NoteFormat::Birp);
        birp.fill_empty(&facts());
        assert_eq!(birp.sections()[2], "worked through");
        assert_eq!(ProgressNote::blank(NoteFormat::Dap).sections().len(), 3);
    }

    #[test]
    fn filling_never_overwrites_what_was_written() {
        let mut note = ProgressNote::blank(NoteFormat::Soap);
        note.sections_mut()[0] = "Client said the room felt safe.".into();
        note.fill_empty(&facts());
        assert_eq!(note.sections()[0], "Client said the room felt safe.");
        assert_eq!(note.sections()[3], "Integration Thursday");
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
    fn a_note_with_the_wrong_number_of_sections_is_refused() {
        let error = ProgressNote::new(NoteFormat::Dap, vec![String::new()]).unwrap_err();
        assert_eq!(error.to_string(), "A DAP note has 3 sections, not 1.");
        let json = r#"{"format":"birp","sections":["a","b"]}"#;
        assert!(serde_json::from_str::<ProgressNote>(json).is_err());
    }
}
