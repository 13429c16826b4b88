//! One synthetic session's timeline, as a clinic logs it: the checklist with today's weight, PHQ-9
//! and GAD-7 item by item, baseline vitals, the intention, dosing, notes every few minutes, vitals on
//! the route's schedule, MOAA/S, CADSS-6 at 40 minutes, decision points whose decisions follow the
//! model and the client's growing trust, the rare adverse event, and a discharge record. Everything
//! stays consistent: nothing after the end, infusion words only for an infusion, every "dose lowered"
//! followed by a lower dose, and an infusion that ends when its plan (or an extension) says.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::builder::{Builder, jot};
use super::decisions::{DoseState, decision_point, pump_finishes};
use super::phrases::{self, pick};
use super::readings::{measure, pick_adverse, vitals, vitals_every};
use crate::domain::{
    AdverseCategory, AdverseEvent, AdverseSeverity, AsqScreen, Discharge, Dose, DoseUnit,
    ESKETAMINE_MONITORING_MS, EventKind, Infusion, Instrument, Measure, PreSession, Route,
    Sedation, TreatmentModel, Vitals,
};
use crate::store::NewEvent;

pub use super::builder::SessionShape;
pub(super) use super::readings::MINUTE;

/// A typical dose for the route, as clinics use them.
pub fn planned_dose(rng: &mut StdRng, route: Route, model: TreatmentModel) -> Dose {
    let (amount, unit, infusion) = match (route, model) {
        (Route::IvInfusion, TreatmentModel::Medical) => (
            *pick(rng, &[0.5, 0.5, 0.6]),
            DoseUnit::MgPerKg,
            Some(Infusion { over_minutes: 40 }),
        ),
        (Route::IvInfusion, TreatmentModel::Kap) => (
            *pick(rng, &[0.5, 0.6, 0.75]),
            DoseUnit::MgPerKg,
            Some(Infusion { over_minutes: 40 }),
        ),
        (Route::Intramuscular, _) => (*pick(rng, &[0.5, 0.75, 1.0]), DoseUnit::MgPerKg, None),
        (Route::SublingualLozenge, _) => (
            *pick(rng, &[100.0, 150.0, 200.0, 300.0]),
            DoseUnit::Mg,
            None,
        ),
        (Route::IntranasalEsketamine, _) => (*pick(rng, &[56.0, 84.0]), DoseUnit::Mg, None),
    };
    Dose::new(amount, unit, infusion).unwrap_or_else(|_| fallback_dose())
}

fn fallback_dose() -> Dose {
    Dose::new(0.5, DoseUnit::MgPerKg, None)
        .unwrap_or_else(|_| unreachable!("0.5 mg/kg is a valid dose"))
}

/// The events of a session and its end time.
pub fn generate(
    rng: &mut StdRng,
    shape: &SessionShape<'_>,
    started_at: DateTime<Utc>,
) -> (Vec<NewEvent>, DateTime<Utc>) {
    let mut log = Builder {
        started_at,
        said: Vec::new(),
        events: Vec::new(),
        at: rng.random_range(30..=90) * 1000,
    };
    before_dosing(rng, &mut log, shape);
    let dosing_at = log.after(rng, 1, 3);
    log.push(EventKind::DosingBegan {
        dose: shape.planned,
    });
    let mut dose = DoseState {
        current: Some(shape.planned),
        infusion_ends: shape
            .planned
            .infusion()
            .map(|infusion| dosing_at + i64::from(infusion.over_minutes) * MINUTE),
    };
    let ends_at = dosing_at
        + match shape.route {
            Route::IvInfusion => rng.random_range(75..=95) * MINUTE,
            Route::Intramuscular | Route::SublingualLozenge => rng.random_range(65..=90) * MINUTE,
            // REMS: at least two hours of monitoring after the first administration.
            Route::IntranasalEsketamine => {
                ESKETAMINE_MONITORING_MS + rng.random_range(2..=12) * MINUTE
            }
        };
    let mut due = Due {
        vitals: dosing_at + vitals_every(shape.route),
        every: vitals_every(shape.route),
        sedation: [dosing_at + 15 * MINUTE, dosing_at + 30 * MINUTE],
        cadss: Some(dosing_at + 40 * MINUTE),
        adverse: pick_adverse(rng).map(|(minute, event)| (dosing_at + minute * MINUTE, event)),
        slow_breathing: shape.slow_breathing(),
    };
    let mut decisions = 0;
    loop {
        let next = log.at + rng.random_range(90..=300) * 1000;
        // The last ten minutes are the discharge check.
        if next >= ends_at - 10 * MINUTE {
            break;
        }
        if pump_finishes(rng, &mut log, shape, &mut dose, next) {
            continue;
        }
        log.at = next;
        if due.reading(rng, &mut log) {
            continue;
        }
        if decisions < 3 && log.at < ends_at - 25 * MINUTE && rng.random_bool(0.09) {
            decisions += 1;
            decision_point(rng, &mut log, shape, &mut dose);
            continue;
        }
        jot(rng, &mut log, shape);
    }
    if dose.current.is_some() && dose.infusion_ends.is_some() {
        log.at = log.at.max(dose.infusion_ends.unwrap_or(log.at));
        log.push(EventKind::DoseChange {
            dose: None,
            reason: "Infusion complete.".to_owned(),
        });
    }
    // Discharge: vitals near baseline, then the record.
    log.at = log.at.max(ends_at - 8 * MINUTE);
    log.push(vitals(rng, false));
    let esketamine = shape.route == Route::IntranasalEsketamine;
    if esketamine {
        // The REMS form asks whether sedation and dissociation resolved: they are rated again.
        discharge_ratings(&mut log);
    }
    log.at = ends_at;
    log.push(EventKind::SessionEnded {
        note: (*pick(rng, phrases::closing_notes(shape.model))).to_owned(),
        discharge: Some(Discharge {
            criteria_met: true,
            ride_home: !rng.random_bool(0.03),
            follow_up: (*pick(rng, phrases::follow_ups(shape.model))).to_owned(),
            // What the end form asks at an esketamine discharge; drawn from no randomness of its
            // own, so every seed's practice stays the one it was.
            monitored_by: esketamine.then(|| super::paperwork::clinician(shape.model).signed_as()),
            ready_after_minutes: esketamine
                .then(|| 70 + 10 * u32::try_from(shape.index % 4).unwrap_or_default()),
            serious_adverse_event: esketamine.then_some(false),
            // A client screened positive had the assessment the screen asks for.
            suicide_safety_assessment: shape.at_risk().then_some(true),
        }),
    });
    (log.events, started_at + Duration::milliseconds(ends_at))
}

/// Fully alert (MOAA/S 5) and no dissociation left (CADSS-6 of 0): rated before discharge.
fn discharge_ratings(log: &mut Builder) {
    if let Ok(rating) = Sedation::new(5) {
        log.push(EventKind::Sedation {
            rating,
            note: "Before discharge.".to_owned(),
        });
    }
    if let Ok(measure) = Measure::new(Instrument::Cadss6, vec![0; 6]) {
        log.push(EventKind::Measure {
            measure,
            note: "Before discharge.".to_owned(),
        });
    }
}

/// The readings a session's schedule asks for, and the rare adverse event, by when they are due.
struct Due {
    vitals: i64,
    every: i64,
    sedation: [i64; 2],
    cadss: Option<i64>,
    adverse: Option<(i64, AdverseEvent)>,
    /// The next vitals show slowed breathing (once).
    slow_breathing: bool,
}

impl Due {
    /// Logs the reading that is due now, if any; returns whether it logged one.
    fn reading(&mut self, rng: &mut StdRng, log: &mut Builder) -> bool {
        if log.at >= self.vitals {
            let reading = vitals(rng, false);
            if std::mem::take(&mut self.slow_breathing) {
                breathing_slows(log, &reading);
            } else {
                log.push(reading);
            }
            self.vitals = log.at + self.every;
        } else if let Some(at) = self.sedation.iter_mut().find(|at| **at <= log.at) {
            *at = i64::MAX;
            let rating = Sedation::new(*pick(rng, &[3, 4, 4, 5, 5]))
                .unwrap_or_else(|_| unreachable!("ratings are 0–5"));
            log.push(EventKind::Sedation {
                rating,
                note: String::new(),
            });
        } else if self.cadss.is_some_and(|at| at <= log.at) {
            self.cadss = None;
            let total = rng.random_range(3..=14);
            log.push(measure(rng, Instrument::Cadss6, total));
        } else if let Some((_, event)) = self.adverse.take_if(|(at, _)| log.at >= *at) {
            // A rise in blood pressure is seen in a reading first.
            if event.category == AdverseCategory::Hypertension {
                log.push(vitals(rng, true));
            }
            log.push(EventKind::AdverseEvent(event));
        } else {
            return false;
        }
        true
    }
}

/// The checklist, the questionnaires, baseline vitals and the intention.
fn before_dosing(rng: &mut StdRng, log: &mut Builder, shape: &SessionShape<'_>) {
    log.push(EventKind::PreSession(PreSession {
        weight_kg: Some(shape.weight_kg),
        weighed_in: crate::domain::WeightUnit::Kg,
        fasting_hours: Some(f64::from(rng.random_range(4..=10_u8))),
        medicines: shape.story.medicines.clone(),
        consent: true,
        lot: shape.lot.clone(),
        consent_given: shape.consent.clone(),
    }));
    let phq9 = (shape.story.phq9(shape.index) + rng.random_range(-2.0..=2.0)).clamp(0.0, 27.0);
    log.after(rng, 1, 2);
    let mut phq9_entry = measure(rng, Instrument::Phq9, phq9.round() as u32);
    if shape.at_risk() {
        phq9_entry = with_item_9(phq9_entry);
    }
    log.push(phq9_entry);
    log.after(rng, 1, 2);
    let gad7 = (phq9 * 0.7 + rng.random_range(-2.0..=2.0)).clamp(0.0, 21.0);
    log.push(measure(rng, Instrument::Gad7, gad7.round() as u32));
    suicide_screen(log, shape);
    log.after(rng, 1, 2);
    log.push(vitals(rng, false));
    log.after(rng, 1, 2);
    log.push(EventKind::Note {
        text: format!("Intention read aloud: {}", shape.intention),
    });
}

/// The ASQ before every session, and the safety plan a positive one opens. No draws: the time moves
/// on by fixed steps.
fn suicide_screen(log: &mut Builder, shape: &SessionShape<'_>) {
    log.at += 40_000;
    let answers = if shape.at_risk() { "ynnn n" } else { "nnnn" };
    let Ok(screen) = AsqScreen::parse(answers) else {
        return;
    };
    log.push(EventKind::SuicideScreen {
        screen,
        note: String::new(),
    });
    if shape.at_risk() {
        log.at += 4 * MINUTE;
        log.push(EventKind::SafetyPlan(phrases::safety_plan(
            shape.story.client_index,
        )));
    }
}

/// Respiratory depression after esketamine, drawn from the reading `taken` without a draw of its
/// own: the reading with breathing at 8 and SpO2 92 %, the adverse event and what was done, and
/// three minutes later the recovery on 2 L/min of oxygen.
fn breathing_slows(log: &mut Builder, taken: &EventKind) {
    let EventKind::Vitals { vitals, .. } = taken else {
        log.push(taken.clone());
        return;
    };
    let reading = |rate, spo2, oxygen| {
        Vitals::with_breathing(
            vitals.blood_pressure(),
            vitals.heart_rate(),
            Some(spo2),
            Some(rate),
            oxygen,
        )
    };
    let (Ok(slow), Ok(recovered)) = (reading(8, 92, None), reading(14, 97, Some(20))) else {
        log.push(taken.clone());
        return;
    };
    log.push(EventKind::Vitals {
        vitals: slow,
        note: "drowsy, shallow breathing".to_owned(),
    });
    log.push(EventKind::AdverseEvent(AdverseEvent {
        category: AdverseCategory::RespiratoryDepression,
        severity: AdverseSeverity::Mild,
        detail: "RR 8, SpO2 92 %; roused to voice".to_owned(),
        action: "Sat upright, 2 L/min oxygen by nasal cannula".to_owned(),
    }));
    log.at += 3 * MINUTE;
    log.push(EventKind::Vitals {
        vitals: recovered,
        note: "breathing settled on oxygen".to_owned(),
    });
}

/// The same PHQ-9 with item 9 (better off dead, self-harm) answered 1, "several days".
fn with_item_9(entry: EventKind) -> EventKind {
    let EventKind::Measure { measure, note } = &entry else {
        return entry;
    };
    let mut answers = measure.answers().to_vec();
    if let Some(last) = answers.last_mut() {
        *last = 1;
    }
    match Measure::new(Instrument::Phq9, answers) {
        Ok(measure) => EventKind::Measure {
            measure,
            note: note.clone(),
        },
        Err(_) => entry,
    }
}
