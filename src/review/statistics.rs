//! Counts across sessions, always per model: how often sitting with it was tried and how it ended.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::store::SessionSummary;

/// How "sit with it" deferrals ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    pub deferrals: u32,
    pub worked_through: u32,
    pub dose_lowered: u32,
    pub ended_early: u32,
    pub session_stopped: u32,
}

impl OutcomeCounts {
    /// The count of one outcome.
    pub fn of(&self, outcome: DeferralOutcome) -> u32 {
        match outcome {
            DeferralOutcome::WorkedThrough => self.worked_through,
            DeferralOutcome::DoseLowered => self.dose_lowered,
            DeferralOutcome::EndedEarly => self.ended_early,
            DeferralOutcome::SessionStopped => self.session_stopped,
        }
    }

    /// Deferrals that have an outcome.
    pub fn ended(&self) -> u32 {
        self.worked_through + self.dose_lowered + self.ended_early + self.session_stopped
    }

    /// The share of ended deferrals the client worked through, the figure that shows whether sitting
    /// with it is helping. `None` before any deferral ended.
    pub fn worked_through_share(&self) -> Option<f64> {
        let ended = self.ended();
        (ended > 0).then(|| f64::from(self.worked_through) / f64::from(ended))
    }

    fn add(&mut self, summary: &SessionSummary) {
        self.deferrals += summary.deferrals;
        self.worked_through += summary.worked_through;
        self.dose_lowered += summary.dose_lowered;
        self.ended_early += summary.ended_early;
        self.session_stopped += summary.session_stopped;
    }
}

/// The totals of one model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ModelStatistics {
    pub sessions: u32,
    pub decision_points: u32,
    pub outcomes: OutcomeCounts,
}

/// Totals per model; a model with no sessions is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub by_model: BTreeMap<TreatmentModel, ModelStatistics>,
}

impl Statistics {
    /// Adds up the sessions, each under its own model.
    pub fn of(sessions: &[SessionSummary]) -> Self {
        let mut by_model: BTreeMap<TreatmentModel, ModelStatistics> = BTreeMap::new();
        for summary in sessions {
            let totals = by_model.entry(summary.model).or_default();
            totals.sessions += 1;
            totals.decision_points += summary.decision_points;
            totals.outcomes.add(summary);
        }
        Self { by_model }
    }

    /// The totals of one model (zero when it has no sessions).
    pub fn model(&self, model: TreatmentModel) -> ModelStatistics {
        self.by_model.get(&model).copied().unwrap_or_default()
    }
}
