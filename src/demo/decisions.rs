//! What happens at a decision point and while the pump runs: the decision the model and the
//! client's trust lead to, a "sit with it" and how it ends, lowering or stopping an infusion, and the
//! pump finishing (with the occasional extension) exactly at its planned end.

use rand::Rng;
use rand::rngs::StdRng;

use super::builder::{Builder, SessionShape, jot, mark};
use super::phrases::{self, pick};
use super::readings::MINUTE;
use crate::domain::{
    Asked, CameUp, Decision, DecisionPoint, DeferralOutcome, Dose, EventKind, Route, TreatmentModel,
};

/// When the pump finishes before `next`: an extension now and then (KAP), otherwise the infusion is
/// complete. Returns whether it finished.
pub(super) fn pump_finishes(
    rng: &mut StdRng,
    log: &mut Builder,
    shape: &SessionShape<'_>,
    dose: &mut DoseState,
    next: i64,
) -> bool {
    let Some(infusion_end) = dose
        .infusion_ends
        .filter(|end| dose.current.is_some() && next >= *end)
    else {
        return false;
    };
    log.at = infusion_end;
    if shape.model == TreatmentModel::Kap && rng.random_bool(0.08) {
        let minutes = *pick(rng, &[5, 10]);
        log.push(EventKind::InfusionExtended {
            minutes,
            reason: "Client deep in the material; extended with consent.".to_owned(),
        });
        dose.infusion_ends = Some(infusion_end + i64::from(minutes) * MINUTE);
    } else {
        log.push(EventKind::DoseChange {
            dose: None,
            reason: "Infusion complete.".to_owned(),
        });
        dose.current = None;
    }
    true
}

/// The dose running now, and when an infusion's pump finishes.
pub(super) struct DoseState {
    pub(super) current: Option<Dose>,
    pub(super) infusion_ends: Option<i64>,
}

/// A decision point and whatever follows from it. Lowering and stopping are for an infusion that is
/// still running (a bolus given cannot be given less); a lozenge can be taken out.
/// What came up in the demo's decisions: recorded through the form, each kind chosen.
const STATED_KINDS: [CameUp; 4] = [
    CameUp::Emotion,
    CameUp::Memory,
    CameUp::Thought,
    CameUp::BodySensation,
];

pub(super) fn decision_point(
    rng: &mut StdRng,
    log: &mut Builder,
    shape: &SessionShape<'_>,
    dose: &mut DoseState,
) {
    let infusing = shape.route == Route::IvInfusion && dose.current.is_some();
    let roll: f64 = rng.random();
    let decision = match shape.model {
        TreatmentModel::Kap if roll < 0.75 => Decision::SitWithIt {
            minutes: *pick(rng, &[3, 5, 5, 10]),
        },
        TreatmentModel::Kap if roll < 0.90 || !infusing => Decision::Hold,
        TreatmentModel::Kap => Decision::LowerNow,
        TreatmentModel::Medical if roll < 0.70 && infusing => Decision::LowerNow,
        TreatmentModel::Medical if roll < 0.94 => Decision::Hold,
        TreatmentModel::Medical if infusing => Decision::Stop,
        TreatmentModel::Medical => Decision::Hold,
    };
    let asked = match decision {
        Decision::Stop => Asked::ClientAsksToStop,
        _ if rng.random_bool(0.8) => Asked::ClientAsksToLower,
        _ => Asked::ClinicianConsidersLowering,
    };
    let came_up = *pick(rng, &STATED_KINDS);
    let point = DecisionPoint {
        came_up,
        detail: (*pick(rng, phrases::came_up(came_up))).to_owned(),
        asked,
        decision,
        rationale: (*pick(rng, phrases::rationales(decision))).to_owned(),
    };
    let decision_seq = log.push(EventKind::DecisionPoint(point));
    match decision {
        Decision::LowerNow => lower(
            log,
            dose,
            format!("Lowered at decision point #{}", decision_seq.0),
        ),
        Decision::Stop => {
            dose.current = None;
            log.push(EventKind::DoseChange {
                dose: None,
                reason: format!("Infusion stopped at decision point #{}", decision_seq.0),
            });
        }
        Decision::Hold => {}
        Decision::SitWithIt { minutes } => {
            let started = log.at;
            let deferral = log.push(EventKind::DeferralStart {
                decision_seq,
                minutes,
            });
            for _ in 0..rng.random_range(1..=3) {
                let next = log.at + rng.random_range(60..=120) * 1000;
                pump_completes_by(log, dose, next);
                log.at = next;
                jot(rng, log, shape);
            }
            let agreed_end = log.at.max(started + i64::from(minutes) * MINUTE);
            // The pump may finish while the client sits with it: then there is nothing left to lower.
            pump_completes_by(log, dose, agreed_end);
            log.at = agreed_end;
            // Trust grows over a KAP course: staying with it ends in "worked through" more often.
            let trust =
                (0.35 + 0.08 * shape.story.kap_sessions_before(shape.index) as f64).min(0.85);
            let still_infusing = shape.route == Route::IvInfusion && dose.current.is_some();
            let roll: f64 = rng.random();
            // Otherwise: lowered after all, eased before the time was up, or (rarely) stopped; a
            // bolus already given can only have eased.
            let rest = (roll - trust) / (1.0 - trust);
            let outcome = match (roll < trust, still_infusing) {
                (true, _) => DeferralOutcome::WorkedThrough,
                (false, true) if rest < 0.55 => DeferralOutcome::DoseLowered,
                (false, true) if rest > 0.9 => DeferralOutcome::SessionStopped,
                (false, _) => DeferralOutcome::EndedEarly,
            };
            log.push(EventKind::DeferralOutcome {
                deferral_seq: deferral,
                outcome,
                note: (*pick(rng, phrases::outcome_notes(outcome))).to_owned(),
            });
            match outcome {
                DeferralOutcome::DoseLowered => lower(
                    log,
                    dose,
                    format!("Lowered after sit with it #{}", deferral.0),
                ),
                DeferralOutcome::SessionStopped => {
                    dose.current = None;
                    log.push(EventKind::DoseChange {
                        dose: None,
                        reason: format!("Infusion stopped after sit with it #{}", deferral.0),
                    });
                }
                DeferralOutcome::WorkedThrough | DeferralOutcome::EndedEarly => {}
            }
            // What the client could not yet stay with is what integration takes up; the therapist
            // marks it more often than material that was worked through.
            let worth_marking = if outcome == DeferralOutcome::WorkedThrough {
                0.25
            } else {
                0.6
            };
            if rng.random_bool(worth_marking) {
                mark(log, decision_seq);
            }
        }
    }
}

/// Logs the infusion's completion at its planned end when that comes by `at`, during a "sit with
/// it" (no extension is offered then).
fn pump_completes_by(log: &mut Builder, dose: &mut DoseState, at: i64) {
    if let Some(end) = dose
        .infusion_ends
        .filter(|end| dose.current.is_some() && at >= *end)
    {
        log.at = log.at.max(end);
        log.push(EventKind::DoseChange {
            dose: None,
            reason: "Infusion complete.".to_owned(),
        });
        dose.current = None;
    }
}

/// Lowers the running infusion to three quarters (the clinic's `lower-to`), as the pump is set.
fn lower(log: &mut Builder, dose: &mut DoseState, reason: String) {
    let Some(lowered) = dose.current.and_then(|current| current.scaled(0.75).ok()) else {
        return;
    };
    dose.current = Some(lowered);
    log.push(EventKind::DoseChange {
        dose: Some(lowered),
        reason,
    });
}
