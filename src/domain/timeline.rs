//! What a session's events add up to at any moment: the current dose, the running deferrals, the markers.

use std::collections::BTreeSet;

use super::{Administration, CurrentDose, DeferralLinks, Event, EventKind, Sedation, Seq, Vitals};

/// A "sit with it" deferral that has no outcome yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenDeferral {
    /// The deferral-start event; outcomes refer to it.
    pub seq: Seq,
    /// Its decision point, as [`DeferralLinks`] resolves it.
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineState {
    /// What the dose entries mean over time: the running rate, its planned end, boluses.
    pub administration: Administration,
    pub dosing_began_ms: Option<i64>,
    pub last_dose_change_ms: Option<i64>,
    /// Open deferrals, oldest first.
    pub open_deferrals: Vec<OpenDeferral>,
    /// Events marked "bring to integration".
    pub marked: BTreeSet<Seq>,
    pub decision_points: usize,
    pub last_seq: Option<Seq>,
    /// The newest reading of each vital sign: what safety flags are judged on.
    pub latest: LatestReadings,
    /// The weight recorded by the session's checklist, which its doses are worked out with.
    pub checklist_weight_kg: Option<f64>,
    /// A positive suicide risk screen or PHQ-9 item 9 above zero came after the last safety plan
    /// (or with none): the live view opens the safety plan.
    pub needs_safety_plan: bool,
    /// The gravest ASQ screen of the session: a positive one asks for a suicide safety assessment
    /// before the client leaves.
    pub asq: Option<super::AsqResult>,
    /// What resolves each deferral's decision point.
    pub(super) links: DeferralLinks,
}

/// The newest value of each vital sign and of sedation, with when it was taken (elapsed ms). A
/// reading that leaves a sign out does not clear that sign's earlier value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LatestReadings {
    pub blood_pressure: Option<((u16, u16), i64)>,
    pub heart_rate: Option<(u16, i64)>,
    pub spo2: Option<(u8, i64)>,
    pub respiratory_rate: Option<(u8, i64)>,
    pub sedation: Option<(Sedation, i64)>,
    /// When vitals (any of blood pressure, heart rate, SpO2, respiratory rate) were last taken.
    pub vitals_at_ms: Option<i64>,
    /// When the dissociation scale (CADSS-6) was last answered.
    pub dissociation_at_ms: Option<i64>,
}

impl LatestReadings {
    /// The newest value of each sign as one reading, if any was ever taken.
    pub fn vitals(&self) -> Option<Vitals> {
        Vitals::with_breathing(
            self.blood_pressure.map(|(value, _)| value),
            self.heart_rate.map(|(value, _)| value),
            self.spo2.map(|(value, _)| value),
            self.respiratory_rate.map(|(value, _)| value),
            None,
        )
        .ok()
    }

    fn apply(&mut self, vitals: &Vitals, at_ms: i64) {
        if let Some(value) = vitals.blood_pressure() {
            self.blood_pressure = Some((value, at_ms));
        }
        if let Some(value) = vitals.heart_rate() {
            self.heart_rate = Some((value, at_ms));
        }
        if let Some(value) = vitals.spo2() {
            self.spo2 = Some((value, at_ms));
        }
        if let Some(value) = vitals.respiratory_rate() {
            self.respiratory_rate = Some((value, at_ms));
        }
        self.vitals_at_ms = Some(at_ms);
    }
}

impl TimelineState {
    /// Replays `events` of a session given by `route`, which must be in sequence order.
    pub fn from_events<'a>(
        route: super::Route,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Self {
        let mut state = Self {
            administration: Administration::new(route),
            ..Self::default()
        };
        for event in events {
            state.apply(event);
        }
        state
    }

    /// Folds one more event into the state.
    pub fn apply(&mut self, event: &Event) {
        self.last_seq = Some(event.seq);
        self.administration.apply(event);
        self.links.observe(event);
        match &event.kind {
            EventKind::DosingBegan { .. } => {
                self.dosing_began_ms = Some(event.elapsed_ms);
                self.last_dose_change_ms = Some(event.elapsed_ms);
            }
            EventKind::DoseChange { .. } | EventKind::InfusionExtended { .. } => {
                self.dosing_began_ms.get_or_insert(event.elapsed_ms);
                self.last_dose_change_ms = Some(event.elapsed_ms);
            }
            EventKind::DecisionPoint(_) => self.decision_points += 1,
            EventKind::DeferralStart {
                decision_seq,
                minutes,
            } => self.open_deferrals.push(OpenDeferral {
                seq: event.seq,
                decision_seq: self.links.decision_of(event.seq, *decision_seq),
                minutes: *minutes,
                started_ms: event.elapsed_ms,
            }),
            EventKind::DeferralMinutes {
                deferral_seq,
                minutes,
            } => {
                for open in &mut self.open_deferrals {
                    if open.seq == *deferral_seq {
                        open.minutes = *minutes;
                    }
                }
            }
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
            EventKind::Vitals { vitals, .. } => self.latest.apply(vitals, event.elapsed_ms),
            EventKind::Sedation { rating, .. } => {
                self.latest.sedation = Some((*rating, event.elapsed_ms));
            }
            EventKind::Measure { measure, .. } => {
                if measure.instrument() == super::Instrument::Cadss6 {
                    self.latest.dissociation_at_ms = Some(event.elapsed_ms);
                }
            }
            EventKind::PreSession(checklist) => {
                self.checklist_weight_kg = self.checklist_weight_kg.or(checklist.weight_kg);
            }
            EventKind::SafetyPlan(_) => self.needs_safety_plan = false,
            EventKind::SuicideScreen { screen, .. } => {
                self.asq = self.asq.max(Some(screen.result()));
            }
            EventKind::SessionEnded { .. }
            | EventKind::Note { .. }
            | EventKind::WentAhead { .. }
            | EventKind::DecisionDetail { .. }
            | EventKind::AdverseEvent(_) => {}
        }
        if super::calls_for_safety_plan(&event.kind) {
            self.needs_safety_plan = true;
        }
    }

    /// The dose being given at `now_ms` (elapsed since the session started).
    pub fn current_dose(&self, now_ms: i64) -> CurrentDose {
        self.administration.current(now_ms)
    }

    /// Whether the deferral started at `seq` is still waiting for its outcome.
    pub fn is_open_deferral(&self, seq: Seq) -> bool {
        self.open_deferrals.iter().any(|open| open.seq == seq)
    }
}
