use crate::domain::{
    AdverseEvent, Asked, CameUp, Decision, DeferralOutcome, Dose, Measure, Sedation, Seq, Vitals,
};

/// One thing a clinician logs during a live session. Each becomes one or more events, committed together.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveCommand {
    /// A free-text note.
    Note(String),
    /// The planned dose is given; starts "time since dosing".
    BeginDosing,
    /// A new dose or rate; `None` stops administration. While an infusion runs it is a new rate.
    ChangeDose { dose: Option<Dose>, reason: String },
    /// Moves the running infusion's planned end `minutes` later.
    ExtendInfusion { minutes: u32, reason: String },
    /// A decision point. `new_dose` is needed when the decision is to lower now.
    DecisionPoint {
        came_up: CameUp,
        detail: String,
        asked: Asked,
        decision: Decision,
        new_dose: Option<Dose>,
        rationale: String,
    },
    /// Changes the minutes agreed for a running deferral by `by_minutes` (more or fewer).
    AdjustDeferral { deferral: Seq, by_minutes: i32 },
    /// How a "sit with it" deferral ended. `new_dose` is needed when the dose was lowered after all.
    DeferralOutcome {
        deferral: Seq,
        outcome: DeferralOutcome,
        new_dose: Option<Dose>,
        note: String,
    },
    /// Goes ahead past the soft stops `warnings` (each becomes an entry), then does `then`, all in
    /// one commit; without `then` the acknowledgements stand alone (before ending the session).
    GoAhead {
        warnings: Vec<String>,
        then: Option<Box<LiveCommand>>,
    },
    /// Marks an entry to bring to integration, or unmarks it.
    ToggleMarker { target: Seq },
    /// Sets what came up and who asked for the decision point at `decision`, afterwards (an entry
    /// of its own; the decision is never rewritten).
    DecisionDetail {
        decision: Seq,
        came_up: CameUp,
        asked: Asked,
    },
    /// Vitals and/or a sedation rating taken at one moment; at least one of the two.
    Reading {
        vitals: Option<Vitals>,
        sedation: Option<Sedation>,
        note: String,
    },
    /// A questionnaire answered item by item.
    Measure { measure: Measure, note: String },
    /// An adverse event with its severity and the action taken.
    AdverseEvent(AdverseEvent),
    /// A safety plan made with the client.
    SafetyPlan(crate::domain::SafetyPlan),
}
