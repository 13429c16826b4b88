//! One row per timeline entry, for spreadsheets and statistics. The columns are documented in the
//! reference (docs/reference.md); fields are quoted as RFC 4180 says and rows end in CRLF.

use std::io::Write;

use super::{ExportError, SessionRecord};
use crate::domain::{EventKind, Seq, TimelineState};
use crate::format;

/// The header row, in column order.
pub const COLUMNS: [&str; 20] = [
    "session_uuid",
    "client_code",
    "model",
    "route",
    "seq",
    "wall_time_utc",
    "elapsed_ms",
    "elapsed",
    "kind",
    "dose",
    "dose_mg",
    "came_up",
    "asked",
    "decision",
    "outcome",
    "refers_to_seq",
    "marked_for_integration",
    "reading",
    "text",
    "synthetic",
];

/// Writes the session's entries as CSV.
pub fn write(record: &SessionRecord, out: impl Write) -> Result<(), ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(COLUMNS).map_err(csv_error)?;
    let marked = TimelineState::from_events(record.session.route, &record.events).marked;
    let decisions = crate::domain::decisions_of_deferrals(&record.events);
    let weight = record.weight_kg();
    let session = &record.session;
    // Every row of a synthetic journal's session says so: a row copied alone is still marked.
    let synthetic = if record.synthetic { "yes" } else { "" };
    for event in &record.events {
        let mut row = Row::of(&event.kind, weight);
        if let Some(decision) = decisions.get(&event.seq) {
            row.refers_to = Some(*decision);
        }
        let text = match &event.kind {
            EventKind::Note { .. }
            | EventKind::WentAhead { .. }
            | EventKind::DoseChange { .. }
            | EventKind::InfusionExtended { .. }
            | EventKind::DecisionPoint(_)
            | EventKind::DeferralOutcome { .. }
            | EventKind::SessionEnded { .. }
            | EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. } => event
                .kind
                .text()
                .into_iter()
                .filter(|text| !text.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            // Entries without words of their own are described, so no row reads empty.
            EventKind::PreSession(_)
            | EventKind::DosingBegan { .. }
            | EventKind::DecisionDetail { .. }
            | EventKind::DeferralStart { .. }
            | EventKind::DeferralMinutes { .. }
            | EventKind::Marker { .. }
            | EventKind::SafetyPlan(_) => event.kind.describe(),
        };
        writer
            .write_record(
                [
                    session.uuid.to_string(),
                    record.client.code.clone(),
                    session.model.as_str().to_owned(),
                    session.route.as_str().to_owned(),
                    event.seq.0.to_string(),
                    event
                        .wall_time
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    event.elapsed_ms.to_string(),
                    format::elapsed(event.elapsed_ms),
                    event.kind.as_str().to_owned(),
                    row.dose,
                    row.dose_mg,
                    row.came_up,
                    row.asked,
                    row.decision,
                    row.outcome,
                    row.refers_to
                        .map(|seq| seq.0.to_string())
                        .unwrap_or_default(),
                    if marked.contains(&event.seq) {
                        "yes"
                    } else {
                        ""
                    }
                    .to_owned(),
                    row.reading,
                    text,
                    synthetic.to_owned(),
                ]
                .iter()
                // Every column: a client code or an imported word can start with "=" too.
                .map(|cell| defuse_formula(cell)),
            )
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

/// The columns only some kinds of entry fill.
#[derive(Default)]
struct Row {
    dose: String,
    dose_mg: String,
    came_up: String,
    asked: String,
    decision: String,
    outcome: String,
    refers_to: Option<Seq>,
    /// Vitals, sedation, a questionnaire's score or an adverse event, described without the note.
    reading: String,
}

impl Row {
    fn of(kind: &EventKind, weight: Option<f64>) -> Self {
        match kind {
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } => Self {
                dose: dose.to_string(),
                dose_mg: dose
                    .milligrams(weight)
                    .map(|mg| format!("{mg:.2}"))
                    .unwrap_or_default(),
                ..Self::default()
            },
            EventKind::InfusionExtended { minutes, .. } => Self {
                dose: format!("extended by {minutes} min"),
                ..Self::default()
            },
            EventKind::DoseChange { dose: None, .. } => Self {
                dose: "stopped".to_owned(),
                ..Self::default()
            },
            EventKind::DecisionPoint(point) => Self {
                came_up: point.came_up.label().to_owned(),
                asked: point.asked.label().to_owned(),
                decision: point.decision.label(),
                ..Self::default()
            },
            EventKind::DecisionDetail {
                decision_seq,
                came_up,
                asked,
            } => Self {
                came_up: came_up.label().to_owned(),
                asked: asked.label().to_owned(),
                refers_to: Some(*decision_seq),
                ..Self::default()
            },
            EventKind::DeferralMinutes { deferral_seq, .. } => Self {
                refers_to: Some(*deferral_seq),
                ..Self::default()
            },
            EventKind::DeferralStart { decision_seq, .. } => Self {
                refers_to: Some(*decision_seq),
                ..Self::default()
            },
            EventKind::DeferralOutcome {
                deferral_seq,
                outcome,
                ..
            } => Self {
                outcome: outcome.as_str().to_owned(),
                refers_to: Some(*deferral_seq),
                ..Self::default()
            },
            EventKind::Marker { target_seq, .. } => Self {
                refers_to: Some(*target_seq),
                ..Self::default()
            },
            EventKind::Vitals { vitals, .. } => Self::reading(vitals.describe()),
            EventKind::Sedation { rating, .. } => Self::reading(rating.describe()),
            EventKind::Measure { measure, .. } => Self::reading(format!(
                "{} · answers {}",
                measure.describe(),
                measure
                    .answers()
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            EventKind::AdverseEvent(event) => Self::reading(format!(
                "{}, {}",
                event.category.label(),
                event.severity.label()
            )),
            EventKind::SessionEnded {
                discharge: Some(discharge),
                ..
            } => Self::reading(discharge.checks()),
            EventKind::PreSession(checklist) => Self::reading(checklist.flags().join("; ")),
            EventKind::SuicideScreen { screen, .. } => Self::reading(screen.describe()),
            EventKind::SafetyPlan(_)
            | EventKind::Note { .. }
            | EventKind::WentAhead { .. }
            | EventKind::SessionEnded { .. } => Self::default(),
        }
    }
}

impl Row {
    fn reading(reading: String) -> Self {
        Self {
            reading,
            ..Self::default()
        }
    }
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula; a leading apostrophe
/// keeps clinical text as text (OWASP's advice for CSV injection).
pub(super) fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub(super) fn csv_error(error: ::csv::Error) -> ExportError {
    match error.into_kind() {
        ::csv::ErrorKind::Io(io) => ExportError::Io(io),
        _ => ExportError::Write,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_kept_as_text() {
        assert_eq!(defuse_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse_formula("-5 on the scale"), "'-5 on the scale");
        assert_eq!(defuse_formula("felt calmer"), "felt calmer");
    }
}
