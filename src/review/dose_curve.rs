//! A session's dose over time, as a chart draws it: steps at each change, decision points on the
//! curve, and "sit with it" deferrals as spans ending in their outcome.
//!
//! An infusion is drawn as its rate (mg/h, or mg/kg/h without a weight), falling to zero when it is
//! stopped or has run its planned length, exactly as the delivered total counts it (see
//! `domain::administration`). Bolus routes are drawn as the amount set.

use crate::domain::{Administration, DeferralOutcome, Dose, DoseUnit, Event, EventKind, Route};

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
    /// The unit of the y values: "mg/h" or "mg/kg/h" for an infusion's rate, "mg" or "mg/kg" for
    /// amounts given at once (mg when the weight is known or doses are in mg).
    pub unit: &'static str,
    /// `[minutes, value]` corners of the step line, from dosing to the last entry.
    pub steps: Vec<[f64; 2]>,
    /// `[minutes, value at that moment]` of each decision point.
    pub decisions: Vec<[f64; 2]>,
    pub deferrals: Vec<DeferralSpan>,
}

fn minutes(ms: i64) -> f64 {
    ms as f64 / 60_000.0
}

impl DoseCurve {
    /// The chart in one line, for a reader who cannot see it (a screen reader, a tagged PDF):
    /// the highest dose and from when to when any was given, the decision points, and each
    /// "sit with it" with its outcome.
    pub fn describe(&self) -> String {
        let giving: Vec<&[f64; 2]> = self.steps.iter().filter(|point| point[1] > 0.0).collect();
        let mut parts = Vec::new();
        match (
            giving.first(),
            self.steps.iter().rev().find(|point| point[1] > 0.0),
        ) {
            (Some(first), Some(_)) => {
                let peak = giving.iter().map(|point| point[1]).fold(0.0_f64, f64::max);
                // The dose runs until the next corner of the step line after its last value.
                let last_given = self
                    .steps
                    .windows(2)
                    .filter(|pair| pair[0][1] > 0.0)
                    .map(|pair| pair[1][0])
                    .fold(first[0], f64::max);
                parts.push(format!(
                    "dose over time, at most {} {} from minute {:.0} to minute {:.0}",
                    trim_number(peak),
                    self.unit,
                    first[0],
                    last_given
                ));
            }
            _ => parts.push("dose over time: none given".to_owned()),
        }
        parts.push(crate::format::count(
            self.decisions.len(),
            "decision point",
            "decision points",
        ));
        if !self.deferrals.is_empty() {
            let outcomes: Vec<&str> = self
                .deferrals
                .iter()
                .map(|span| span.outcome.map_or("still open", DeferralOutcome::label))
                .collect();
            parts.push(format!(
                "{} ({})",
                crate::format::count(self.deferrals.len(), "\"sit with it\"", "\"sit with it\"s"),
                outcomes.join(", ")
            ));
        }
        let mut line = parts.join("; ");
        line.push('.');
        crate::format::capitalised(&line)
    }

    /// Builds the curve from a timeline given by `route`, in sequence order.
    pub fn of(events: &[Event], route: Route, weight_kg: Option<f64>) -> Self {
        let end_ms = events.last().map_or(0, |event| event.elapsed_ms);
        let administration = Administration::of(events, route);
        let spans = administration.rate_spans(end_ms);
        let (unit, steps) = if spans.is_empty() {
            bolus_steps(events, route, weight_kg)
        } else {
            let in_mg = weight_kg.is_some() || spans.iter().all(|s| s.rate.unit == DoseUnit::Mg);
            let value = |span: &crate::domain::RateSpan| {
                if in_mg {
                    span.rate.mg_per_hour(weight_kg)
                } else {
                    span.rate.mg_per_kg_per_hour(weight_kg)
                }
                .unwrap_or(0.0)
            };
            let mut steps: Vec<[f64; 2]> = Vec::new();
            let mut previous_end: Option<i64> = None;
            for span in &spans {
                if let Some(end) = previous_end.filter(|end| *end < span.from_ms) {
                    steps.push([minutes(end), 0.0]);
                    steps.push([minutes(span.from_ms), 0.0]);
                }
                steps.push([minutes(span.from_ms), value(span)]);
                steps.push([minutes(span.to_ms), value(span)]);
                previous_end = Some(span.to_ms);
            }
            if let Some(end) = previous_end.filter(|end| *end < end_ms) {
                steps.push([minutes(end), 0.0]);
                steps.push([minutes(end_ms), 0.0]);
            }
            (if in_mg { "mg/h" } else { "mg/kg/h" }, steps)
        };
        let level_at = |at: f64| {
            steps
                .iter()
                .take_while(|corner| corner[0] <= at)
                .last()
                .map_or(0.0, |corner| corner[1])
        };
        let mut curve = Self {
            unit,
            decisions: Vec::new(),
            deferrals: Vec::new(),
            steps: Vec::new(),
        };
        for event in events {
            let at = minutes(event.elapsed_ms);
            match &event.kind {
                EventKind::DecisionPoint(_) => curve.decisions.push([at, level_at(at)]),
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
                // Kinds the curve does not mark, by name: a new kind is placed here or above.
                EventKind::Note { .. }
                | EventKind::PreSession(_)
                | EventKind::DosingBegan { .. }
                | EventKind::DoseChange { .. }
                | EventKind::InfusionExtended { .. }
                | EventKind::DecisionDetail { .. }
                | EventKind::DeferralMinutes { .. }
                | EventKind::WentAhead { .. }
                | EventKind::Marker { .. }
                | EventKind::Vitals { .. }
                | EventKind::Sedation { .. }
                | EventKind::Measure { .. }
                | EventKind::AdverseEvent(_)
                | EventKind::SuicideScreen { .. }
                | EventKind::SafetyPlan(_)
                | EventKind::SessionEnded { .. } => {}
            }
        }
        let end = minutes(end_ms);
        for span in curve
            .deferrals
            .iter_mut()
            .filter(|span| span.outcome.is_none())
        {
            span.end_min = end;
        }
        curve.steps = steps;
        curve
    }
}

/// Amounts given at once, as steps: each new amount from its entry, zero from a stop.
/// The amount given, step by step: the last amount set, or for esketamine's devices, the running
/// total (a stop ends further devices and leaves what was given).
fn bolus_steps(
    events: &[Event],
    route: Route,
    weight_kg: Option<f64>,
) -> (&'static str, Vec<[f64; 2]>) {
    let add_up = route == Route::IntranasalEsketamine;
    let doses = events.iter().filter_map(|event| match &event.kind {
        EventKind::DosingBegan { dose }
        | EventKind::DoseChange {
            dose: Some(dose), ..
        } => Some(*dose),
        _ => None,
    });
    let in_mg = weight_kg.is_some() || doses.clone().all(|dose| dose.milligrams(None).is_some());
    let value = |dose: &Dose| {
        if in_mg {
            dose.milligrams(weight_kg)
        } else {
            dose.mg_per_kg(weight_kg)
        }
        .unwrap_or(0.0)
    };
    let mut steps = Vec::new();
    let mut level: Option<f64> = None;
    for event in events {
        let at = minutes(event.elapsed_ms);
        let before = level.unwrap_or(0.0);
        let next = match &event.kind {
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } if add_up => before + value(dose),
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } => value(dose),
            EventKind::DoseChange { dose: None, .. } if add_up => before,
            EventKind::DoseChange { dose: None, .. } => 0.0,
            _ => continue,
        };
        if let Some(before) = level {
            steps.push([at, before]);
        }
        steps.push([at, next]);
        level = Some(next);
    }
    if let (Some(level), Some(last)) = (level, events.last()) {
        steps.push([minutes(last.elapsed_ms), level]);
    }
    (if in_mg { "mg" } else { "mg/kg" }, steps)
}

/// A number without trailing zeros, to three decimals at most.
fn trim_number(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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
        // 0.5 mg/kg over 40 min is 0.75 mg/kg/h, 52.5 mg/h at 70 kg; 0.4 over 40 is 42 mg/h.
        let curve = DoseCurve::of(&events, Route::IvInfusion, Some(70.0));
        assert_eq!(curve.unit, "mg/h");
        assert_eq!(
            curve.steps,
            vec![
                [2.0, 52.5],
                [10.0, 52.5],
                [10.0, 42.0],
                [20.0, 42.0],
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
            DoseCurve::of(&events, Route::IvInfusion, None).unit,
            "mg/kg/h",
            "without a weight, mg/kg rates stay in mg/kg/h"
        );
    }

    #[test]
    fn an_infusion_falls_to_zero_at_its_planned_end_and_a_bolus_is_its_amount() {
        let dose = |text| Dose::parse(text).unwrap();
        let events = [
            event(
                1,
                0,
                EventKind::DosingBegan {
                    dose: dose("40 mg over 40 min"),
                },
            ),
            event(
                2,
                20,
                EventKind::DoseChange {
                    dose: Some(dose("30 mg/h")),
                    reason: String::new(),
                },
            ),
            event(
                3,
                60,
                EventKind::Note {
                    text: "resting".into(),
                },
            ),
        ];
        let curve = DoseCurve::of(&events, Route::IvInfusion, None);
        assert_eq!(
            curve.steps,
            vec![
                [0.0, 60.0],
                [20.0, 60.0],
                [20.0, 30.0],
                [40.0, 30.0],
                [40.0, 0.0],
                [60.0, 0.0]
            ]
        );
        let spray = [
            event(
                1,
                0,
                EventKind::DosingBegan {
                    dose: dose("84 mg"),
                },
            ),
            event(
                2,
                10,
                EventKind::DoseChange {
                    dose: Some(dose("56 mg")),
                    reason: String::new(),
                },
            ),
        ];
        let lozenge = DoseCurve::of(&spray, Route::SublingualLozenge, None);
        assert_eq!(lozenge.unit, "mg");
        assert_eq!(
            lozenge.steps,
            vec![[0.0, 84.0], [10.0, 84.0], [10.0, 56.0], [10.0, 56.0]]
        );
        // Esketamine's devices add up: 84 mg, then 56 mg more.
        let devices = DoseCurve::of(&spray, Route::IntranasalEsketamine, None);
        assert_eq!(
            devices.steps,
            vec![[0.0, 84.0], [10.0, 84.0], [10.0, 140.0], [10.0, 140.0]]
        );
    }
}
