//! What a session's events add up to at any moment: the current dose, the running deferrals, the markers.

use std::collections::BTreeSet;

use super::{Dose, Event, EventKind, Seq};

/// The dose being given right now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CurrentDose {
    /// Dosing has not begun.
    NotStarted,
    Given(Dose),
    /// Administration was stopped.
    Stopped,
}

/// A "sit with it" deferral that has no outcome yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenDeferral {
    /// The deferral-start event; outcomes refer to it.
    pub seq: Seq,
    pub decision_seq: Seq,
    pub minutes: u32,
    pub started_ms: i64,
}

impl OpenDeferral {
    /// Milliseconds left on the countdown at `now_ms` (elapsed since session start); negative once overdue.
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        self.started_ms + i64::from(self.minutes) * 60_000 - now_ms
    }
}

/// The state a session's timeline adds up to, rebuilt from events in sequence order.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineState {
    pub current_dose: CurrentDose,
    pub dosing_began_ms: Option<i64>,
    pub last_dose_change_ms: Option<i64>,
    /// Open deferrals, oldest first.
    pub open_deferrals: Vec<OpenDeferral>,
    /// Events marked "bring to integration".
    pub marked: BTreeSet<Seq>,
    pub decision_points: usize,
    pub last_seq: Option<Seq>,
}

impl Default for TimelineState {
    fn default() -> Self {
        Self {
            current_dose: CurrentDose::NotStarted,
            dosing_began_ms: None,
            last_dose_change_ms: None,
            open_deferrals: Vec::new(),
            marked: BTreeSet::new(),
            decision_points: 0,
            last_seq: None,
        }
    }
}

impl TimelineState {
    /// Replays `events`, which must be in sequence order.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut state = Self::default();
        for event in events {
            state.apply(event);
        }
        state
    }

    /// Folds one more event into the state.
    pub fn apply(&mut self, event: &Event) {
        self.last_seq = Some(event.seq);
        match &event.kind {
            EventKind::DosingBegan { dose } => {
                self.current_dose = CurrentDose::Given(*dose);
                self.dosing_began_ms = Some(event.elapsed_ms);
                self.last_dose_change_ms = Some(event.elapsed_ms);
            }
            EventKind::DoseChange { dose, .. } => {
                self.current_dose = dose.map_or(CurrentDose::Stopped, CurrentDose::Given);
                self.dosing_began_ms.get_or_insert(event.elapsed_ms);
                self.last_dose_change_ms = Some(event.elapsed_ms);
            }
            EventKind::DecisionPoint(_) => self.decision_points += 1,
            EventKind::DeferralStart {
                decision_seq,
                minutes,
            } => self.open_deferrals.push(OpenDeferral {
                seq: event.seq,
                decision_seq: *decision_seq,
                minutes: *minutes,
                started_ms: event.elapsed_ms,
            }),
            EventKind::DeferralOutcome { deferral_seq, .. } => {
                self.open_deferrals.retain(|open| open.seq != *deferral_seq);
            }
            EventKind::Marker { target_seq, on } => {
                if *on {
                    self.marked.insert(*target_seq);
                } else {
                    self.marked.remove(target_seq);
                }
            }
            EventKind::SessionEnded { .. } | EventKind::Note { .. } => {}
        }
    }

    /// Whether the deferral started at `seq` is still waiting for its outcome.
    pub fn is_open_deferral(&self, seq: Seq) -> bool {
        self.open_deferrals.iter().any(|open| open.seq == seq)
    }
}
