//! What each command becomes: the events it commits, or the plain reason it is refused. Commands that
//! imply a second fact (a decision to sit with it starts a deferral; lowering logs the new dose) produce
//! both events, so they are committed in one transaction.

use super::{LiveCommand, LiveSession};
use crate::domain::{
    AdverseCategory, Asked, CameUp, CurrentDose, Decision, DecisionPoint, DeferralOutcome,
    Delivery, Dose, DoseError, EventKind, MAX_EXTENSION_MINUTES, MAX_SIT_WITH_IT_MINUTES, Sedation,
    Seq, SessionError, SessionStatus, Vitals,
};

/// The events `command` becomes in `live` as it stands now.
pub fn events_for(
    live: &LiveSession,
    command: LiveCommand,
) -> Result<Vec<EventKind>, SessionError> {
    events_from(live, command, live.next_seq())
}

/// [`events_for`], its first event to be committed as `first`: entries that name another entry of
/// the same command (a deferral its decision point) count from there.
fn events_from(
    live: &LiveSession,
    command: LiveCommand,
    first: Seq,
) -> Result<Vec<EventKind>, SessionError> {
    if live.session().status != SessionStatus::Live {
        return Err(SessionError::NotLive);
    }
    match command {
        LiveCommand::Note(text) => {
            if text.trim().is_empty() {
                return Err(SessionError::EmptyNote);
            }
            Ok(vec![EventKind::Note { text }])
        }
        LiveCommand::BeginDosing => {
            if live.state().dosing_began_ms.is_some() {
                return Err(SessionError::DosingAlreadyBegun);
            }
            let dose = checked(live, Some(live.session().planned_dose))?;
            Ok(vec![EventKind::DosingBegan { dose }])
        }
        LiveCommand::GoAhead { warnings, then } => go_ahead(live, warnings, then, first),
        LiveCommand::AdjustDeferral {
            deferral,
            by_minutes,
        } => adjust_deferral(live, deferral, by_minutes),
        LiveCommand::ExtendInfusion { minutes, reason } => extend_infusion(live, minutes, &reason),
        LiveCommand::ChangeDose { dose, reason } => {
            if let Some(dose) = dose {
                checked(live, Some(dose))?;
            }
            Ok(vec![EventKind::DoseChange {
                dose,
                reason: reason.trim().to_owned(),
            }])
        }
        LiveCommand::DecisionPoint {
            came_up,
            detail,
            asked,
            decision,
            new_dose,
            rationale,
        } => decision_point(
            live,
            first,
            &DecisionInput {
                came_up,
                detail,
                asked,
                decision,
                new_dose,
                rationale,
            },
        ),
        LiveCommand::DeferralOutcome {
            deferral,
            outcome,
            new_dose,
            note,
        } => deferral_outcome(live, deferral, outcome, new_dose, &note),
        LiveCommand::Reading {
            vitals,
            sedation,
            note,
        } => reading(vitals, sedation, note.trim()),
        LiveCommand::Measure { measure, note } => Ok(vec![EventKind::Measure {
            measure,
            note: note.trim().to_owned(),
        }]),
        LiveCommand::AdverseEvent(mut event) => {
            event.detail = event.detail.trim().into();
            event.action = event.action.trim().into();
            if event.category == AdverseCategory::Other && event.detail.is_empty() {
                return Err(SessionError::AdverseDetail);
            }
            Ok(vec![EventKind::AdverseEvent(event)])
        }
        LiveCommand::SafetyPlan(plan) => Ok(vec![EventKind::SafetyPlan(plan.checked()?)]),
        LiveCommand::ToggleMarker { target } => {
            if !live.events().iter().any(|event| event.seq == target) {
                return Err(SessionError::UnknownEvent);
            }
            Ok(vec![EventKind::Marker {
                target_seq: target,
                on: !live.state().marked.contains(&target),
            }])
        }
        LiveCommand::DecisionDetail {
            decision,
            came_up,
            asked,
        } => {
            if !crate::domain::decision_detail::is_decision_point(live.events(), decision) {
                return Err(SessionError::UnknownEvent);
            }
            Ok(vec![EventKind::DecisionDetail {
                decision_seq: decision,
                came_up,
                asked,
            }])
        }
    }
}

/// Each soft stop gone past becomes an entry, committed before the action it held back, which
/// therefore starts that many entries later.
fn go_ahead(
    live: &LiveSession,
    warnings: Vec<String>,
    then: Option<Box<LiveCommand>>,
    first: Seq,
) -> Result<Vec<EventKind>, SessionError> {
    let mut events: Vec<EventKind> = warnings
        .into_iter()
        .map(|warning| EventKind::WentAhead { warning })
        .collect();
    if let Some(then) = then {
        let after = Seq(first.0 + events.len() as u32);
        events.extend(events_from(live, *then, after)?);
    }
    Ok(events)
}

/// More or fewer minutes agreed for a running deferral, within the deferral limits.
fn adjust_deferral(
    live: &LiveSession,
    deferral: Seq,
    by_minutes: i32,
) -> Result<Vec<EventKind>, SessionError> {
    let open = live
        .state()
        .open_deferrals
        .iter()
        .find(|open| open.seq == deferral)
        .ok_or(SessionError::UnknownDeferral)?;
    let minutes = u32::try_from(i64::from(open.minutes) + i64::from(by_minutes))
        .ok()
        .filter(|minutes| (1..=MAX_SIT_WITH_IT_MINUTES).contains(minutes))
        .ok_or(SessionError::DeferralMinutes)?;
    Ok(vec![EventKind::DeferralMinutes {
        deferral_seq: deferral,
        minutes,
    }])
}

/// An extension of a running (or just completed) infusion's planned end.
fn extend_infusion(
    live: &LiveSession,
    minutes: u32,
    reason: &str,
) -> Result<Vec<EventKind>, SessionError> {
    if minutes == 0 || minutes > MAX_EXTENSION_MINUTES {
        return Err(SessionError::ExtensionMinutes);
    }
    if !live.state().administration.extendable_at(live.elapsed_ms()) {
        return Err(SessionError::NothingToExtend);
    }
    Ok(vec![EventKind::InfusionExtended {
        minutes,
        reason: reason.trim().to_owned(),
    }])
}

/// Vitals and a sedation rating taken together become one entry each, committed together; the note
/// goes with the first.
fn reading(
    vitals: Option<Vitals>,
    sedation: Option<Sedation>,
    note: &str,
) -> Result<Vec<EventKind>, SessionError> {
    let mut note = Some(note.to_owned());
    let mut events = Vec::new();
    if let Some(vitals) = vitals {
        events.push(EventKind::Vitals {
            vitals,
            note: note.take().unwrap_or_default(),
        });
    }
    if let Some(rating) = sedation {
        events.push(EventKind::Sedation {
            rating,
            note: note.take().unwrap_or_default(),
        });
    }
    if events.is_empty() {
        return Err(SessionError::EmptyReading);
    }
    Ok(events)
}

struct DecisionInput {
    came_up: CameUp,
    detail: String,
    asked: Asked,
    decision: Decision,
    new_dose: Option<Dose>,
    rationale: String,
}

/// A decision point committed as `seq`, with what it decided.
fn decision_point(
    live: &LiveSession,
    seq: Seq,
    input: &DecisionInput,
) -> Result<Vec<EventKind>, SessionError> {
    let follow_up = match input.decision {
        Decision::LowerNow => Some(EventKind::DoseChange {
            dose: Some(checked(live, input.new_dose)?),
            reason: format!("Lowered at decision point {seq}"),
        }),
        Decision::SitWithIt { minutes } => {
            if minutes == 0 || minutes > MAX_SIT_WITH_IT_MINUTES {
                return Err(SessionError::DeferralMinutes);
            }
            // One countdown at a time: a second press of Ctrl+S must not start another.
            if !live.state().open_deferrals.is_empty() {
                return Err(SessionError::DeferralRunning);
            }
            Some(EventKind::DeferralStart {
                decision_seq: seq,
                minutes,
            })
        }
        Decision::Stop => Some(EventKind::DoseChange {
            dose: None,
            reason: format!("Stopped at decision point {seq}"),
        }),
        Decision::Hold => None,
    };
    let point = DecisionPoint {
        came_up: input.came_up,
        detail: input.detail.trim().to_owned(),
        asked: input.asked,
        decision: input.decision,
        rationale: input.rationale.trim().to_owned(),
    };
    Ok(std::iter::once(EventKind::DecisionPoint(point))
        .chain(follow_up)
        .collect())
}

fn deferral_outcome(
    live: &LiveSession,
    deferral: Seq,
    outcome: DeferralOutcome,
    new_dose: Option<Dose>,
    note: &str,
) -> Result<Vec<EventKind>, SessionError> {
    if !live.state().is_open_deferral(deferral) {
        let started = live.events().iter().any(|event| {
            event.seq == deferral && matches!(event.kind, EventKind::DeferralStart { .. })
        });
        return Err(if started {
            SessionError::DeferralAlreadyClosed
        } else {
            SessionError::UnknownDeferral
        });
    }
    let follow_up = match outcome {
        DeferralOutcome::DoseLowered => Some(EventKind::DoseChange {
            dose: Some(checked(live, new_dose)?),
            reason: format!("Lowered after sit with it {deferral}"),
        }),
        DeferralOutcome::SessionStopped => Some(EventKind::DoseChange {
            dose: None,
            reason: format!("Stopped after sit with it {deferral}"),
        }),
        DeferralOutcome::WorkedThrough | DeferralOutcome::EndedEarly => None,
    };
    let outcome_event = EventKind::DeferralOutcome {
        deferral_seq: deferral,
        outcome,
        note: note.trim().to_owned(),
    };
    Ok(std::iter::once(outcome_event).chain(follow_up).collect())
}

/// A new dose must be given, plausible for the client's weight, at a rate within the clinic's
/// ceiling; while an infusion runs at a rate with no planned length, a plain amount means nothing.
fn checked(live: &LiveSession, dose: Option<Dose>) -> Result<Dose, SessionError> {
    let dose = dose.ok_or(SessionError::Dose(DoseError::Empty))?;
    let weight = live.weight_kg();
    dose.check_for_weight(weight)?;
    let now = live.elapsed_ms();
    let administration = &live.state().administration;
    // Once the infusion has run its planned length, only an extension gives more.
    if matches!(
        administration.current(now),
        CurrentDose::InfusionComplete { .. }
    ) {
        return Err(SessionError::InfusionComplete);
    }
    match administration.rate_set_by(&dose, now) {
        Some(rate) => {
            let as_rate =
                Dose::per_hour(rate.per_hour, rate.unit).map_err(|_| DoseError::AbsurdRate)?;
            as_rate.check_ceiling(weight, live.rate_ceiling())?;
        }
        None if dose.delivery() == Delivery::Bolus
            && matches!(
                administration.current(now),
                CurrentDose::Infusing { ends_ms: None, .. }
            ) =>
        {
            return Err(SessionError::RateNeeded);
        }
        None => {}
    }
    Ok(dose)
}
