//! A client's history charts in words, one line each, for a reader who cannot see them (the
//! window names each chart by its line). Worked out once, when the history is read.

use super::MeasureTrend;
use crate::domain::TreatmentModel;
use crate::format::count;
use crate::store::SessionSummary;

/// The text alternative of each chart on a client's history page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryWords {
    /// Dose delivered per session: per model, how many sessions and the range of doses.
    pub dose: String,
    /// Decision points per session: the total per model.
    pub decisions: String,
    /// How "sit with it" ended: how many ended each way.
    pub outcomes: String,
    /// Questionnaire scores: which questionnaires over how many sessions (their first and newest
    /// scores are the lines under the chart).
    pub measures: String,
}

impl HistoryWords {
    pub fn of(sessions: &[SessionSummary], trends: &[MeasureTrend]) -> Self {
        Self {
            dose: dose(sessions),
            decisions: decisions(sessions),
            outcomes: outcomes(sessions),
            measures: measures(trends),
        }
    }
}

fn of_model(
    sessions: &[SessionSummary],
    model: TreatmentModel,
) -> impl Iterator<Item = &SessionSummary> {
    sessions
        .iter()
        .filter(move |session| session.model == model)
}

fn dose(sessions: &[SessionSummary]) -> String {
    let parts: Vec<String> = TreatmentModel::ALL
        .into_iter()
        .filter_map(|model| {
            let doses: Vec<f64> = of_model(sessions, model)
                .filter_map(|session| session.delivered_mg_per_kg)
                .collect();
            let low = doses.iter().copied().reduce(f64::min)?;
            let high = doses.iter().copied().reduce(f64::max)?;
            Some(format!(
                "{} {}, {low:.2} to {high:.2} mg/kg",
                model.label(),
                count(doses.len(), "session", "sessions")
            ))
        })
        .collect();
    if parts.is_empty() {
        "no dose recorded".to_owned()
    } else {
        parts.join("; ")
    }
}

fn decisions(sessions: &[SessionSummary]) -> String {
    TreatmentModel::ALL
        .into_iter()
        .filter(|model| of_model(sessions, *model).next().is_some())
        .map(|model| {
            let points: u32 = of_model(sessions, model)
                .map(|session| session.decision_points)
                .sum();
            format!(
                "{} {} over {}",
                model.label(),
                count(points as usize, "decision point", "decision points"),
                count(of_model(sessions, model).count(), "session", "sessions")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn outcomes(sessions: &[SessionSummary]) -> String {
    let total = |count: fn(&SessionSummary) -> u32| -> u32 { sessions.iter().map(count).sum() };
    format!(
        "worked through {}, dose lowered {}, ended early {}, session stopped {}",
        total(|s| s.worked_through),
        total(|s| s.dose_lowered),
        total(|s| s.ended_early),
        total(|s| s.session_stopped)
    )
}

fn measures(trends: &[MeasureTrend]) -> String {
    let names: Vec<&str> = trends
        .iter()
        .map(|trend| trend.instrument.label())
        .collect();
    let sessions = trends
        .iter()
        .map(|trend| trend.points.len())
        .max()
        .unwrap_or_default();
    format!(
        "{} over {}; the first and newest scores are under it",
        names.join(", "),
        count(sessions, "session", "sessions")
    )
}
