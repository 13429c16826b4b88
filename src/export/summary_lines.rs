//! The lines a summary is made of, one entry at a time: a dose entry as its "Dosing" line, a
//! reading or questionnaire with its flags, what an entry says of suicide risk, what is marked for
//! integration.

use super::SessionRecord;
use super::summary_context::SummaryContext;
use crate::domain::{EventKind, TimelineState};

/// A line of the summary tied to a moment of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    /// Time since the session started, e.g. `12:05`.
    pub elapsed: String,
    /// Wall-clock time of day in the summary's time zone, e.g. `14:05`.
    pub clock: String,
    pub text: String,
}

impl Timed {
    /// `text` at the moment of `event`, its time of day read in `zone` and written in `style`.
    pub(super) fn at(
        zone: crate::domain::ClinicZone,
        style: crate::domain::DateTimeStyle,
        event: &crate::domain::Event,
        text: String,
    ) -> Self {
        Self {
            elapsed: crate::format::elapsed(event.elapsed_ms),
            clock: style.time(zone.local(event.wall_time).time()),
            text,
        }
    }
}

/// The "Dosing" line of a dose entry, in the light of the entries before it (`administration`): an
/// infusion's start says its rate, which every later change is read against; a change during an
/// infusion says the rate it set. `None` for entries that are not about the dose.
pub(super) fn dosing_line(
    administration: &crate::domain::Administration,
    event: &crate::domain::Event,
    weight: Option<f64>,
) -> Option<String> {
    match &event.kind {
        EventKind::DosingBegan { dose } => {
            let rate = crate::domain::Rate::of(dose)
                .filter(|_| dose.delivery() != crate::domain::Delivery::PerHour)
                .map(|rate| format!(", a rate of {}", rate.describe(weight)))
                .unwrap_or_default();
            Some(format!("Dosing began: {}{rate}", dose.describe(weight)))
        }
        EventKind::DoseChange { dose, reason } => {
            let head = dose.map_or_else(
                || "Dosing stopped".to_owned(),
                |dose| administration.describe_change(&dose, event.elapsed_ms, weight),
            );
            Some(with_reason(head, reason))
        }
        EventKind::InfusionExtended { .. } => Some(event.kind.describe()),
        // Entries that are not about the dose, by name: a new kind is placed here or above.
        EventKind::Note { .. }
        | EventKind::PreSession(_)
        | EventKind::DecisionPoint(_)
        | EventKind::DecisionDetail { .. }
        | EventKind::DeferralStart { .. }
        | EventKind::DeferralMinutes { .. }
        | EventKind::DeferralOutcome { .. }
        | EventKind::WentAhead { .. }
        | EventKind::Marker { .. }
        | EventKind::Vitals { .. }
        | EventKind::Sedation { .. }
        | EventKind::Measure { .. }
        | EventKind::AdverseEvent(_)
        | EventKind::SuicideScreen { .. }
        | EventKind::SafetyPlan(_)
        | EventKind::SessionEnded { .. } => None,
    }
}

pub(super) fn with_reason(head: String, reason: &str) -> String {
    if reason.trim().is_empty() {
        head
    } else {
        format!("{head}. Reason: {}", reason.trim())
    }
}

/// The entries still marked "bring to integration", in timeline order.
pub(super) fn marked_lines(
    record: &SessionRecord,
    timed: impl Fn(&crate::domain::Event, String) -> Timed,
) -> Vec<Timed> {
    let marked = TimelineState::from_events(record.session.route, &record.events).marked;
    record
        .events
        .iter()
        .filter(|event| marked.contains(&event.seq))
        .map(|event| timed(event, event.kind.describe()))
        .collect()
}

/// The summary section a clinical entry belongs in.
#[derive(Clone, Copy)]
pub(super) enum ClinicalList {
    Monitoring,
    Measures,
    AdverseEvents,
}

/// A vitals, sedation, questionnaire or adverse-event entry as one summary line, flags included.
pub(super) fn clinical_line(kind: &EventKind, context: &SummaryContext) -> (ClinicalList, String) {
    let (list, line) = match kind {
        EventKind::Vitals { vitals, note } => {
            (ClinicalList::Monitoring, with_note(vitals.describe(), note))
        }
        EventKind::Sedation { rating, note } => {
            (ClinicalList::Monitoring, with_note(rating.describe(), note))
        }
        EventKind::Measure { measure, note } => {
            let answers: Vec<String> = measure.answers().iter().map(u8::to_string).collect();
            let line = format!("{} — answers {}", measure.score_text(), answers.join(" "));
            (ClinicalList::Measures, with_note(line, note))
        }
        other => (ClinicalList::AdverseEvents, other.describe()),
    };
    (list, flagged(line, kind, context))
}

/// A reading with the clinician's remark after it.
pub(super) fn with_note(head: String, note: &str) -> String {
    if note.trim().is_empty() {
        head
    } else {
        format!("{head} — {}", note.trim())
    }
}

/// The line with the entry's safety signals after it, in capitals so they survive any rendering.
pub(super) fn flagged(line: String, kind: &EventKind, context: &SummaryContext) -> String {
    let flags = crate::domain::entry_flags(kind, &context.thresholds);
    if flags.is_empty() {
        line
    } else {
        format!("{line} — FLAGGED: {}", flags.join("; "))
    }
}

/// What an entry says about suicide risk: a screen, PHQ-9 item 9 above zero, a safety plan's parts.
pub(super) fn suicide_risk_lines(kind: &EventKind) -> Vec<String> {
    match kind {
        EventKind::Measure { measure, .. } if measure.self_harm_flag() => {
            vec![measure.describe()]
        }
        EventKind::SuicideScreen { .. } => vec![kind.describe()],
        EventKind::SafetyPlan(plan) => plan
            .sections()
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(heading, text)| format!("Safety plan · {heading}: {}", text.trim()))
            .collect(),
        // Every other kind by name (kinds that say nothing of suicide risk (or not this time)): a new kind is placed here or above.
        EventKind::Note { .. }
        | EventKind::PreSession(_)
        | EventKind::DosingBegan { .. }
        | EventKind::DoseChange { .. }
        | EventKind::InfusionExtended { .. }
        | EventKind::DecisionPoint(_)
        | EventKind::DecisionDetail { .. }
        | EventKind::DeferralStart { .. }
        | EventKind::DeferralMinutes { .. }
        | EventKind::DeferralOutcome { .. }
        | EventKind::WentAhead { .. }
        | EventKind::Marker { .. }
        | EventKind::Vitals { .. }
        | EventKind::Sedation { .. }
        | EventKind::Measure { .. }
        | EventKind::AdverseEvent(_)
        | EventKind::SessionEnded { .. } => Vec::new(),
    }
}
