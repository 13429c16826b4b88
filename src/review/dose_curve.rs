//! A session's dose over time, as a chart draws it: steps at each change, decision points on the
//! curve, and "sit with it" deferrals as spans ending in their outcome.

use crate::domain::{DeferralOutcome, Dose, Event, EventKind};

/// A deferral's time span, in minutes since the session start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeferralSpan {
    pub start_min: f64,
    pub end_min: f64,
    /// `None` while it is still open (the span then runs to the end of the timeline).
    pub outcome: Option<DeferralOutcome>,
}

/// Everything a dose-over-time chart of one session needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DoseCurve {
    /// The unit of the y values: "mg" when the weight is known or doses are in mg, else "mg/kg".
    pub unit: &'static str,
    /// `[minutes, dose]` corners of the step line, from dosing to the last entry.
    pub steps: Vec<[f64; 2]>,
    /// `[minutes, dose at that moment]` of each decision point.
    pub decisions: Vec<[f64; 2]>,
    pub deferrals: Vec<DeferralSpan>,
}

fn minutes(ms: i64) -> f64 {
    ms as f64 / 60_000.0
}

impl DoseCurve {
    /// Builds the curve from a timeline in sequence order; doses are shown in mg when they can be
    /// (all in mg, or the weight known), otherwise in mg/kg.
    pub fn of(events: &[Event], weight_kg: Option<f64>) -> Self {
        let doses = events.iter().filter_map(|event| match &event.kind {
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } => Some(*dose),
            _ => None,
        });
        let in_mg =
            weight_kg.is_some() || doses.clone().all(|dose| dose.milligrams(None).is_some());
        let value = |dose: &Dose| {
            if in_mg {
                dose.milligrams(weight_kg)
            } else {
                dose.mg_per_kg(weight_kg)
            }
            .unwrap_or(0.0)
        };
        let mut curve = Self {
            unit: if in_mg { "mg" } else { "mg/kg" },
            ..Self::default()
        };
        let mut level: Option<f64> = None;
        for event in events {
            let at = minutes(event.elapsed_ms);
            match &event.kind {
                EventKind::DosingBegan { dose }
                | EventKind::DoseChange {
                    dose: Some(dose), ..
                } => {
                    if let Some(before) = level {
                        curve.steps.push([at, before]);
                    }
                    level = Some(value(dose));
                    curve.steps.push([at, value(dose)]);
                }
                EventKind::DoseChange { dose: None, .. } => {
                    if let Some(before) = level {
                        curve.steps.push([at, before]);
                        curve.steps.push([at, 0.0]);
                    }
                    level = Some(0.0);
                }
                EventKind::DecisionPoint(_) => curve.decisions.push([at, level.unwrap_or(0.0)]),
                EventKind::DeferralStart { .. } => curve.deferrals.push(DeferralSpan {
                    start_min: at,
                    end_min: at,
                    outcome: None,
                }),
                EventKind::DeferralOutcome {
                    deferral_seq,
                    outcome,
                    ..
                } => {
                    let started = events
                        .iter()
                        .find(|e| e.seq == *deferral_seq)
                        .map(|e| minutes(e.elapsed_ms));
                    if let Some(span) = curve
                        .deferrals
                        .iter_mut()
                        .find(|span| Some(span.start_min) == started && span.outcome.is_none())
                    {
                        span.end_min = at;
                        span.outcome = Some(*outcome);
                    }
                }
                _ => {}
            }
        }
        let end = events.last().map_or(0.0, |event| minutes(event.elapsed_ms));
        if let Some(level) = level {
            curve.steps.push([end, level]);
        }
        for span in curve
            .deferrals
            .iter_mut()
            .filter(|span| span.outcome.is_none())
        {
            span.end_min = end;
        }
        curve
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the values compared are exact sums of exact inputs
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Seq, SessionId};

    fn event(seq: u32, minute: i64, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: Utc::now(),
            elapsed_ms: minute * 60_000,
            kind,
        }
    }

    #[test]
    fn steps_follow_each_change_and_deferrals_end_at_their_outcome() {
        let dose = |text| Dose::parse(text).unwrap();
        let events = [
            event(
                1,
                2,
                EventKind::DosingBegan {
                    dose: dose("0.5 mg/kg over 40 min"),
                },
            ),
            event(
                2,
                10,
                EventKind::DoseChange {
                    dose: Some(dose("0.4 mg/kg over 40 min")),
                    reason: String::new(),
                },
            ),
            event(
                3,
                12,
                EventKind::DeferralStart {
                    decision_seq: Seq(9),
                    minutes: 5,
                },
            ),
            event(
                4,
                17,
                EventKind::DeferralOutcome {
                    deferral_seq: Seq(3),
                    outcome: DeferralOutcome::WorkedThrough,
                    note: String::new(),
                },
            ),
            event(
                5,
                20,
                EventKind::DoseChange {
                    dose: None,
                    reason: String::new(),
                },
            ),
            event(
                6,
                30,
                EventKind::Note {
                    text: "resting".into(),
                },
            ),
        ];
        let curve = DoseCurve::of(&events, Some(70.0));
        assert_eq!(curve.unit, "mg");
        assert_eq!(
            curve.steps,
            vec![
                [2.0, 35.0],
                [10.0, 35.0],
                [10.0, 28.0],
                [20.0, 28.0],
                [20.0, 0.0],
                [30.0, 0.0]
            ]
        );
        assert_eq!(
            curve.deferrals,
            vec![DeferralSpan {
                start_min: 12.0,
                end_min: 17.0,
                outcome: Some(DeferralOutcome::WorkedThrough)
            }]
        );
        assert_eq!(
            DoseCurve::of(&events, None).unit,
            "mg/kg",
            "without a weight, mg/kg doses stay in mg/kg"
        );
    }
}
