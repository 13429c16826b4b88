//! The entries of a session's timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    AdverseEvent, Asked, AsqScreen, CameUp, DecisionPoint, DeferralOutcome, Discharge, Dose,
    Measure, PreSession, SafetyPlan, Sedation, SessionId, Vitals,
};

/// The "sit with it" length offered first, in minutes.
pub const DEFAULT_SIT_WITH_IT_MINUTES: u32 = 5;
/// The extension of an infusion offered first, in minutes.
pub const DEFAULT_EXTENSION_MINUTES: u32 = 10;
/// The longest extension of an infusion the journal accepts in one entry, in minutes.
pub const MAX_EXTENSION_MINUTES: u32 = 120;
/// The longest "sit with it" deferral the journal accepts, in minutes.
pub const MAX_SIT_WITH_IT_MINUTES: u32 = 60;

/// Whether an entry calls for a safety plan: a positive suicide risk screen, or PHQ-9 item 9
/// (thoughts of being better off dead or of self-harm) above zero.
pub fn calls_for_safety_plan(kind: &EventKind) -> bool {
    match kind {
        EventKind::SuicideScreen { screen, .. } => screen.is_positive(),
        EventKind::Measure { measure, .. } => measure.self_harm_flag(),
        // Kinds that never call for one, by name: a new kind is placed here or above.
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
        | EventKind::AdverseEvent(_)
        | EventKind::SafetyPlan(_)
        | EventKind::SessionEnded { .. } => false,
    }
}

/// The per-session sequence number of an event. It, not the wall clock, orders the timeline.
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
#[serde(transparent)]
pub struct Seq(pub u32);

impl std::fmt::Display for Seq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One timestamped, committed entry of a session's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub session_id: SessionId,
    pub seq: Seq,
    /// Wall-clock time, for the record. It may jump; it never decides the order.
    pub wall_time: DateTime<Utc>,
    /// Milliseconds since the session started, from a monotonic clock.
    pub elapsed_ms: i64,
    pub kind: EventKind,
}

/// What an event records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    /// A free-text observation.
    Note { text: String },
    /// The checklist before the session: weight, fasting, medicines, consent.
    PreSession(PreSession),
    /// The first dose is given; "time since dosing" counts from here.
    DosingBegan { dose: Dose },
    /// The dose or rate changed. `None` means administration stopped. During an infusion a new dose
    /// is a new rate; the planned end stays (see `domain::administration`).
    DoseChange { dose: Option<Dose>, reason: String },
    /// The running infusion's planned end moves `minutes` later (or, once it has run its length, it
    /// runs again at its last rate for `minutes`).
    InfusionExtended { minutes: u32, reason: String },
    /// A moment when lowering or stopping the dose was asked for or considered.
    DecisionPoint(DecisionPoint),
    /// What came up and who asked, set afterwards for the decision point at `decision_seq` (one
    /// recorded in one key says neither); readers fold it into that decision (`decision_detail`).
    DecisionDetail {
        decision_seq: Seq,
        came_up: CameUp,
        asked: Asked,
    },
    /// The start of a "sit with it" deferral decided at `decision_seq`.
    DeferralStart { decision_seq: Seq, minutes: u32 },
    /// The minutes agreed for the running deferral started at `deferral_seq` are now `minutes`
    /// (the countdown runs from its start).
    DeferralMinutes { deferral_seq: Seq, minutes: u32 },
    /// How the deferral started at `deferral_seq` ended.
    DeferralOutcome {
        deferral_seq: Seq,
        outcome: DeferralOutcome,
        note: String,
    },
    /// The clinician went ahead after the journal asked about `warning` (a soft stop).
    WentAhead { warning: String },
    /// Marks (or unmarks) the event `target_seq` to bring to the integration session.
    Marker { target_seq: Seq, on: bool },
    /// Blood pressure, heart rate and/or SpO2, with an optional remark.
    Vitals { vitals: Vitals, note: String },
    /// A sedation rating (MOAA/S).
    Sedation { rating: Sedation, note: String },
    /// A questionnaire answered item by item (PHQ-9, GAD-7, CADSS-6).
    Measure { measure: Measure, note: String },
    /// Something that went wrong for the body or mind, its severity and what was done.
    AdverseEvent(AdverseEvent),
    /// The ASQ suicide risk screen.
    SuicideScreen { screen: AsqScreen, note: String },
    /// A safety plan made with the client (opened by a positive screen or PHQ-9 item 9 above zero).
    SafetyPlan(SafetyPlan),
    /// The session was ended, with the after-session record when one was made.
    SessionEnded {
        note: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discharge: Option<Discharge>,
    },
}

impl EventKind {
    /// The stable identifier stored beside the payload, for counting and filtering.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Note { .. } => "note",
            Self::PreSession(_) => "pre_session",
            Self::DosingBegan { .. } => "dosing_began",
            Self::DoseChange { .. } => "dose_change",
            Self::InfusionExtended { .. } => "infusion_extended",
            Self::DecisionPoint(_) => "decision_point",
            Self::DecisionDetail { .. } => "decision_detail",
            Self::DeferralStart { .. } => "deferral_start",
            Self::DeferralMinutes { .. } => "deferral_minutes",
            Self::DeferralOutcome { .. } => "deferral_outcome",
            Self::WentAhead { .. } => "went_ahead",
            Self::Marker { .. } => "marker",
            Self::Vitals { .. } => "vitals",
            Self::Sedation { .. } => "sedation",
            Self::Measure { .. } => "measure",
            Self::AdverseEvent(_) => "adverse_event",
            Self::SuicideScreen { .. } => "suicide_screen",
            Self::SafetyPlan(_) => "safety_plan",
            Self::SessionEnded { .. } => "session_ended",
        }
    }

    /// The words a clinician wrote in this event, for search and review.
    pub fn text(&self) -> Vec<&str> {
        match self {
            Self::Note { text } => vec![text],
            Self::WentAhead { warning } => vec![warning],
            Self::PreSession(checklist) => checklist.medicines.iter().map(String::as_str).collect(),
            Self::DoseChange { reason, .. } | Self::InfusionExtended { reason, .. } => vec![reason],
            Self::DecisionPoint(point) => vec![&point.detail, &point.rationale],
            Self::DeferralOutcome { note, .. }
            | Self::Vitals { note, .. }
            | Self::Sedation { note, .. }
            | Self::Measure { note, .. }
            | Self::SuicideScreen { note, .. } => vec![note],
            Self::SafetyPlan(plan) => plan.sections().into_iter().map(|(_, text)| text).collect(),
            Self::AdverseEvent(event) => vec![&event.detail, &event.action],
            Self::SessionEnded { note, discharge } => {
                let mut text = vec![note.as_str()];
                text.extend(
                    discharge
                        .iter()
                        .map(|discharge| discharge.follow_up.as_str()),
                );
                text
            }
            Self::DosingBegan { .. }
            | Self::DecisionDetail { .. }
            | Self::DeferralStart { .. }
            | Self::DeferralMinutes { .. }
            | Self::Marker { .. } => Vec::new(),
        }
    }

    /// A one-line, plain-language description for timelines and summaries.
    pub fn describe(&self) -> String {
        match self {
            Self::Note { text } => text.clone(),
            Self::PreSession(checklist) => checklist.describe(),
            Self::DosingBegan { dose } => format!("Dosing began: {dose}"),
            Self::DoseChange {
                dose: Some(dose),
                reason,
            } => with_reason(format!("Dose changed to {dose}"), reason),
            Self::DoseChange { dose: None, reason } => {
                with_reason("Dosing stopped".to_owned(), reason)
            }
            Self::InfusionExtended { minutes, reason } => {
                with_reason(format!("Infusion extended by {minutes} min"), reason)
            }
            Self::DecisionPoint(point) => point.describe(),
            Self::DecisionDetail {
                decision_seq,
                came_up,
                asked,
            } => format!(
                "Decision {decision_seq}: {} — {}",
                came_up.label(),
                asked.label()
            ),
            // Not the decision's number: a record from before schema 16 may name it one place
            // off (see `deferral_link`); the start follows its decision, and readers link the two.
            Self::DeferralStart { minutes, .. } => format!("Sit with it: {minutes} min agreed"),
            Self::DeferralMinutes {
                deferral_seq,
                minutes,
            } => format!("Sit with it {deferral_seq}: now {minutes} min agreed"),
            Self::DeferralOutcome {
                deferral_seq,
                outcome,
                note,
            } => with_reason(
                format!("Sit with it {deferral_seq} ended: {}", outcome.label()),
                note,
            ),
            Self::WentAhead { warning } => format!("Went ahead after: {warning}"),
            Self::Marker {
                target_seq,
                on: true,
            } => format!("Bring to integration: entry {target_seq}"),
            Self::Marker {
                target_seq,
                on: false,
            } => format!("No longer bringing entry {target_seq} to integration"),
            Self::Vitals { vitals, note } => with_reason(vitals.describe(), note),
            Self::Sedation { rating, note } => with_reason(rating.describe(), note),
            Self::Measure { measure, note } => with_reason(measure.describe(), note),
            Self::AdverseEvent(event) => event.describe(),
            Self::SuicideScreen { screen, note } => with_reason(screen.describe(), note),
            Self::SafetyPlan(plan) => plan.describe(),
            Self::SessionEnded { note, discharge } => {
                let head = match discharge {
                    Some(discharge) => format!("Session ended: {}", discharge.describe()),
                    None => "Session ended".to_owned(),
                };
                with_reason(head, note)
            }
        }
    }
}

pub(super) fn with_reason(head: String, reason: &str) -> String {
    if reason.trim().is_empty() {
        head
    } else {
        format!("{head} — {}", reason.trim())
    }
}

impl EventKind {
    /// The words full-text search finds this event by: what the clinician wrote, plus the names of
    /// what was chosen (so "sit with it", "worked through" or "memory" find the entries they describe).
    pub fn search_text(&self) -> String {
        let mut words: Vec<&str> = match self {
            Self::DecisionPoint(point) => vec![point.came_up.label(), point.asked.label()],
            Self::DeferralOutcome { outcome, .. } => vec![outcome.label()],
            Self::AdverseEvent(event) => vec![
                "adverse event",
                event.category.label(),
                event.severity.label(),
            ],
            Self::Measure { measure, .. } => vec![measure.instrument().label()],
            Self::Vitals { .. } => vec!["vitals"],
            Self::PreSession(_) => vec!["checklist"],
            Self::Sedation { .. } => vec!["sedation"],
            _ => Vec::new(),
        };
        let decision = match self {
            Self::DecisionPoint(point) => point.decision.label(),
            _ => String::new(),
        };
        words.push(&decision);
        words.extend(self.text());
        words.retain(|word| !word.trim().is_empty());
        words.join("\n")
    }
}
