//! Each "sit with it" deferral as the FHIR export tells it: the minutes last agreed, how it ended,
//! and the decision point it belongs to, read once from the whole timeline.

use std::collections::HashMap;

use crate::domain::{DeferralOutcome, Event, EventKind, Seq};

/// Each deferral's minutes as last agreed and how it ended, read once from the whole timeline.
pub(super) struct Deferrals {
    /// Each deferral's decision point, resolved once for the timeline.
    decisions: HashMap<Seq, Seq>,
    minutes: HashMap<Seq, u32>,
    outcomes: HashMap<Seq, (chrono::DateTime<chrono::Utc>, DeferralOutcome, String)>,
}

pub(super) struct Deferral {
    pub(super) minutes: u32,
    pub(super) outcome: Option<(chrono::DateTime<chrono::Utc>, DeferralOutcome, String)>,
}

impl Deferrals {
    pub(super) fn of(events: &[Event]) -> Self {
        let mut deferrals = Self {
            decisions: crate::domain::decisions_of_deferrals(events),
            minutes: HashMap::new(),
            outcomes: HashMap::new(),
        };
        for event in events {
            match &event.kind {
                EventKind::DeferralMinutes {
                    deferral_seq,
                    minutes,
                } => {
                    deferrals.minutes.insert(*deferral_seq, *minutes);
                }
                EventKind::DeferralOutcome {
                    deferral_seq,
                    outcome,
                    note,
                } => {
                    deferrals
                        .outcomes
                        .insert(*deferral_seq, (event.wall_time, *outcome, note.clone()));
                }
                _ => {}
            }
        }
        deferrals
    }

    /// The decision point of the deferral started at `start`, which recorded `recorded`.
    pub(super) fn decision_of(&self, start: Seq, recorded: Seq) -> Seq {
        self.decisions.get(&start).copied().unwrap_or(recorded)
    }

    pub(super) fn get(&self, seq: Seq, agreed: u32) -> Deferral {
        Deferral {
            minutes: self.minutes.get(&seq).copied().unwrap_or(agreed),
            outcome: self.outcomes.get(&seq).cloned(),
        }
    }
}
