//! One synthetic session's timeline: notes every minute or two, dosing, decision points whose decisions
//! follow the session's model, deferrals of every outcome, dose changes and integration markers.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::phrases::{self, pick};
use crate::domain::{
    Asked, CameUp, DEFAULT_SIT_WITH_IT_MINUTES, Decision, DecisionPoint, DeferralOutcome, Dose,
    DoseUnit, EventKind, Infusion, NewSession, Route, Seq, TreatmentModel,
};
use crate::store::NewEvent;

/// A typical starting dose for the route.
pub fn planned_dose(rng: &mut StdRng, route: Route) -> Dose {
    let (amount, unit, infusion) = match route {
        Route::IvInfusion => (
            *pick(rng, &[0.4, 0.5, 0.6, 0.75]),
            DoseUnit::MgPerKg,
            Some(Infusion { over_minutes: 40 }),
        ),
        Route::Intramuscular => (*pick(rng, &[0.5, 0.75, 1.0]), DoseUnit::MgPerKg, None),
        Route::SublingualLozenge => (
            f64::from(rng.random_range(2..=8_u32) * 50),
            DoseUnit::Mg,
            None,
        ),
        Route::IntranasalEsketamine => (*pick(rng, &[56.0, 84.0]), DoseUnit::Mg, None),
    };
    // The amounts above are all valid doses; fall back to a plain 0.5 mg/kg if a list is ever edited wrongly.
    Dose::new(amount, unit, infusion).unwrap_or_else(|_| fallback_dose())
}

fn fallback_dose() -> Dose {
    Dose::new(0.5, DoseUnit::MgPerKg, None)
        .unwrap_or_else(|_| unreachable!("0.5 mg/kg is a valid dose"))
}

/// The events of a session and its end time.
pub fn generate(
    rng: &mut StdRng,
    session: &NewSession,
    started_at: DateTime<Utc>,
) -> (Vec<NewEvent>, DateTime<Utc>) {
    let mut builder = Builder {
        started_at,
        events: Vec::new(),
    };
    let duration_ms = i64::from(rng.random_range(60..=120_u32)) * 60_000;
    let mut at_ms = i64::from(rng.random_range(20..=90_u32)) * 1000;
    builder.push(
        at_ms,
        EventKind::Note {
            text: format!("Intention read aloud: {}", session.intention),
        },
    );
    at_ms += i64::from(rng.random_range(60..=240_u32)) * 1000;
    builder.push(
        at_ms,
        EventKind::DosingBegan {
            dose: session.planned_dose,
        },
    );
    let mut current = Some(session.planned_dose);
    while at_ms < duration_ms {
        at_ms += i64::from(rng.random_range(40..=150_u32)) * 1000;
        let roll: f64 = rng.random();
        if roll < 0.07 && current.is_some() {
            at_ms = decision_point(rng, &mut builder, session.model, &mut current, at_ms);
        } else if roll < 0.10 && session.route == Route::IvInfusion && current.is_some() {
            let dose = current.and_then(|dose| scaled(dose, *pick(rng, &[0.8, 0.9, 1.1])));
            current = dose.or(current);
            builder.push(
                at_ms,
                EventKind::DoseChange {
                    dose: current,
                    reason: "Rate adjusted to response.".to_owned(),
                },
            );
        } else {
            builder.push(
                at_ms,
                EventKind::Note {
                    text: (*pick(rng, phrases::NOTES)).to_owned(),
                },
            );
        }
        if rng.random_bool(0.05) {
            let target = builder.last_seq();
            builder.push(
                at_ms + 2000,
                EventKind::Marker {
                    target_seq: target,
                    on: true,
                },
            );
        }
    }
    builder.push(
        duration_ms,
        EventKind::SessionEnded {
            note: (*pick(rng, phrases::CLOSING_NOTES)).to_owned(),
            discharge: None,
        },
    );
    (
        builder.events,
        started_at + Duration::milliseconds(duration_ms),
    )
}

/// Logs a decision point and whatever follows from it; returns the time after it.
fn decision_point(
    rng: &mut StdRng,
    builder: &mut Builder,
    model: TreatmentModel,
    current: &mut Option<Dose>,
    at_ms: i64,
) -> i64 {
    let roll: f64 = rng.random();
    let decision = match model {
        TreatmentModel::Kap if roll < 0.75 => Decision::SitWithIt {
            minutes: *pick(rng, &[DEFAULT_SIT_WITH_IT_MINUTES, 3, 5, 10]),
        },
        TreatmentModel::Kap if roll < 0.85 => Decision::Hold,
        TreatmentModel::Kap if roll < 0.95 => Decision::LowerNow,
        TreatmentModel::Medical if roll < 0.70 => Decision::LowerNow,
        TreatmentModel::Medical if roll < 0.88 => Decision::Hold,
        TreatmentModel::Medical if roll < 0.95 => Decision::SitWithIt { minutes: 5 },
        _ => Decision::Stop,
    };
    let asked = if decision == Decision::Stop {
        Asked::ClientAsksToStop
    } else {
        *pick(rng, &Asked::ALL[..2])
    };
    let point = DecisionPoint {
        came_up: *pick(rng, &CameUp::ALL),
        detail: (*pick(rng, phrases::CAME_UP)).to_owned(),
        asked,
        decision,
        rationale: (*pick(rng, phrases::RATIONALES)).to_owned(),
    };
    let decision_seq = builder.push(at_ms, EventKind::DecisionPoint(point));
    match decision {
        Decision::LowerNow => lower(
            rng,
            builder,
            current,
            at_ms,
            format!("Lowered at decision point {decision_seq}"),
        ),
        Decision::Stop => stop(
            builder,
            current,
            at_ms,
            format!("Stopped at decision point {decision_seq}"),
        ),
        Decision::Hold => {}
        Decision::SitWithIt { minutes } => {
            let deferral = builder.push(
                at_ms,
                EventKind::DeferralStart {
                    decision_seq,
                    minutes,
                },
            );
            let mut end_ms = at_ms;
            for _ in 0..rng.random_range(1..=3) {
                end_ms += i64::from(rng.random_range(40..=100_u32)) * 1000;
                builder.push(
                    end_ms,
                    EventKind::Note {
                        text: (*pick(rng, phrases::NOTES)).to_owned(),
                    },
                );
            }
            let roll: f64 = rng.random();
            let outcome = match roll {
                r if r < 0.55 => DeferralOutcome::WorkedThrough,
                r if r < 0.80 => DeferralOutcome::DoseLowered,
                r if r < 0.92 => DeferralOutcome::EndedEarly,
                _ => DeferralOutcome::SessionStopped,
            };
            end_ms = end_ms.max(at_ms + i64::from(minutes) * 60_000);
            let note = (*pick(rng, phrases::OUTCOME_NOTES)).to_owned();
            builder.push(
                end_ms,
                EventKind::DeferralOutcome {
                    deferral_seq: deferral,
                    outcome,
                    note,
                },
            );
            match outcome {
                DeferralOutcome::DoseLowered => lower(
                    rng,
                    builder,
                    current,
                    end_ms,
                    format!("Lowered after sit with it {deferral}"),
                ),
                DeferralOutcome::SessionStopped => stop(
                    builder,
                    current,
                    end_ms,
                    format!("Stopped after sit with it {deferral}"),
                ),
                DeferralOutcome::WorkedThrough | DeferralOutcome::EndedEarly => {}
            }
            return end_ms;
        }
    }
    at_ms
}

fn lower(
    rng: &mut StdRng,
    builder: &mut Builder,
    current: &mut Option<Dose>,
    at_ms: i64,
    reason: String,
) {
    if let Some(lowered) = current.and_then(|dose| scaled(dose, *pick(rng, &[0.6, 0.7, 0.8]))) {
        *current = Some(lowered);
        builder.push(
            at_ms,
            EventKind::DoseChange {
                dose: Some(lowered),
                reason,
            },
        );
    }
}

fn stop(builder: &mut Builder, current: &mut Option<Dose>, at_ms: i64, reason: String) {
    *current = None;
    builder.push(at_ms, EventKind::DoseChange { dose: None, reason });
}

fn scaled(dose: Dose, factor: f64) -> Option<Dose> {
    let amount = (dose.amount() * factor * 100.0).round() / 100.0;
    Dose::new(amount, dose.unit(), dose.infusion()).ok()
}

struct Builder {
    started_at: DateTime<Utc>,
    events: Vec<NewEvent>,
}

impl Builder {
    /// Appends an event and returns the sequence number it will get (events are stored from 1 up).
    fn push(&mut self, elapsed_ms: i64, kind: EventKind) -> Seq {
        let elapsed_ms = elapsed_ms.max(self.events.last().map_or(0, |event| event.elapsed_ms));
        self.events.push(NewEvent {
            wall_time: self.started_at + Duration::milliseconds(elapsed_ms),
            elapsed_ms,
            kind,
        });
        self.last_seq()
    }

    fn last_seq(&self) -> Seq {
        Seq(self.events.len() as u32)
    }
}
