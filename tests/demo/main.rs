//! The demo reads like a real practice and never contradicts itself, on several seeds: nothing after a
//! session's end, infusion words only in infusions, every "dose lowered after all" followed by a lower
//! dose, sessions at clinic hours on weekdays, doses in the ranges clinics use, every kind of entry,
//! clients whose PHQ-9 falls over a KAP course, and notes that are mostly distinct.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod stories;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike as _, Local, Timelike as _, Weekday};
use kap_journal::demo::{DemoPlan, generate};
use kap_journal::domain::{
    ConsentGiven, Decision, DeferralOutcome, DoseUnit, Event, EventKind, Instrument, NoteFormat,
    Route, Session, SessionId, TreatmentModel,
};
use kap_journal::review::PrepSheet;
use kap_journal::store::{SessionFilter, Store};

const SEEDS: [u64; 3] = [1, 7, 2026];

fn demo(sessions: usize, clients: usize, seed: u64) -> common::Journal {
    let mut journal = common::journal();
    generate(
        &mut journal.store,
        DemoPlan {
            clients,
            sessions,
            seed,
        },
        |_, _| {},
    )
    .unwrap();
    journal
}

/// Every session with its timeline.
fn sessions(store: &Store) -> Vec<(Session, Vec<Event>)> {
    store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .map(|id| {
            (
                store.record().session(id).unwrap(),
                store.record().events(id).unwrap(),
            )
        })
        .collect()
}

/// Every text an entry carries.
fn texts(event: &Event) -> Vec<String> {
    match &event.kind {
        EventKind::Note { text } => vec![text.clone()],
        EventKind::DoseChange { reason, .. } | EventKind::InfusionExtended { reason, .. } => {
            vec![reason.clone()]
        }
        EventKind::DecisionPoint(point) => vec![point.detail.clone(), point.rationale.clone()],
        EventKind::DeferralOutcome { note, .. } => vec![note.clone()],
        EventKind::AdverseEvent(adverse) => vec![adverse.detail.clone(), adverse.action.clone()],
        EventKind::SessionEnded { note, discharge } => {
            let mut texts = vec![note.clone()];
            texts.extend(discharge.iter().map(|d| d.follow_up.clone()));
            texts
        }
        _ => Vec::new(),
    }
}

#[test]
fn every_session_is_consistent_on_several_seeds() {
    for seed in SEEDS {
        let journal = demo(60, 12, seed);
        for (session, events) in sessions(&journal.store) {
            let what = format!("seed {seed}, session {}", session.id.0);
            times_run_forward_and_stop_at_the_end(&what, &session, &events);
            at_clinic_hours_with_the_routes_words_and_doses(&what, &session, &events);
            doses_only_fall(&what, &events);
            nothing_lowered_once_the_pump_has_finished(&what, &events);
        }
        nothing_delivered_beyond_the_plan(&journal.store, seed);
    }
}

/// Nothing after the end; the end is the last entry; times run forward and match the clock.
fn times_run_forward_and_stop_at_the_end(what: &str, session: &Session, events: &[Event]) {
    let last = events.last().unwrap();
    assert!(
        matches!(last.kind, EventKind::SessionEnded { .. }),
        "{what}"
    );
    assert_eq!(
        session.ended_at.unwrap(),
        session.started_at + chrono::Duration::milliseconds(last.elapsed_ms),
        "{what}"
    );
    assert!(
        events
            .windows(2)
            .all(|pair| pair[0].elapsed_ms <= pair[1].elapsed_ms),
        "{what}"
    );
    for event in events {
        assert_eq!(
            event.wall_time,
            session.started_at + chrono::Duration::milliseconds(event.elapsed_ms),
            "{what}"
        );
    }
    // Esketamine: two hours of monitoring at least.
    if session.route == Route::IntranasalEsketamine {
        let dosing = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::DosingBegan { .. }))
            .unwrap();
        assert!(
            last.elapsed_ms - dosing.elapsed_ms >= 2 * 3_600_000,
            "{what}"
        );
    }
}

/// Weekdays at clinic hours in this computer's time zone, infusion words only in infusions, and
/// doses in the ranges clinics use for the route.
fn at_clinic_hours_with_the_routes_words_and_doses(
    what: &str,
    session: &Session,
    events: &[Event],
) {
    let local = session.started_at.with_timezone(&Local);
    assert!(
        !matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
        "{what}: {local}"
    );
    assert!((8..16).contains(&local.hour()), "{what}: {local}");
    // The practice's records end on a fixed Friday, so no session lies in the future.
    assert!(
        local.date_naive() <= chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        "{what}: {local} is after the practice's last day"
    );
    if session.route != Route::IvInfusion {
        for event in events {
            assert!(
                !matches!(event.kind, EventKind::InfusionExtended { .. }),
                "{what}"
            );
            for text in texts(event) {
                assert!(!text.to_lowercase().contains("infusion"), "{what}: {text}");
            }
        }
    }
    let plan = session.planned_dose;
    let in_range = match session.route {
        Route::IvInfusion => {
            plan.unit() == DoseUnit::MgPerKg
                && (0.4..=0.8).contains(&plan.amount())
                && plan.infusion().is_some_and(|i| i.over_minutes == 40)
        }
        Route::Intramuscular => {
            plan.unit() == DoseUnit::MgPerKg && (0.5..=1.0).contains(&plan.amount())
        }
        Route::SublingualLozenge => {
            plan.unit() == DoseUnit::Mg && (100.0..=300.0).contains(&plan.amount())
        }
        Route::IntranasalEsketamine => {
            plan.unit() == DoseUnit::Mg && [56.0, 84.0].contains(&plan.amount())
        }
    };
    assert!(in_range, "{what}: {plan:?} by {:?}", session.route);
}

/// Every "dose lowered after all" is followed by a lower dose; the dose never rises.
fn doses_only_fall(what: &str, events: &[Event]) {
    let mut running: Option<f64> = None;
    for (index, event) in events.iter().enumerate() {
        match &event.kind {
            EventKind::DosingBegan { dose } => running = Some(dose.amount()),
            EventKind::DoseChange {
                dose: Some(dose), ..
            } => {
                assert!(dose.amount() < running.unwrap(), "{what}: a raise");
                running = Some(dose.amount());
            }
            EventKind::DeferralOutcome {
                outcome: DeferralOutcome::DoseLowered,
                ..
            } => assert!(
                matches!(
                    events[index + 1].kind,
                    EventKind::DoseChange { dose: Some(_), .. }
                ),
                "{what}: lowered after all, but no lower dose follows"
            ),
            _ => {}
        }
    }
}

/// An infusion is lowered only while it runs: never after its planned end (extensions included),
/// and it is marked complete at that end.
fn nothing_lowered_once_the_pump_has_finished(what: &str, events: &[Event]) {
    let mut ends: Option<i64> = None;
    for event in events {
        match &event.kind {
            EventKind::DosingBegan { dose } => {
                ends = dose
                    .infusion()
                    .map(|infusion| event.elapsed_ms + i64::from(infusion.over_minutes) * 60_000);
            }
            EventKind::InfusionExtended { minutes, .. } => {
                ends = ends.map(|end| end + i64::from(*minutes) * 60_000);
            }
            EventKind::DoseChange { dose: Some(_), .. } => {
                let end = ends.expect("a dose change without an infusion running");
                assert!(
                    event.elapsed_ms <= end,
                    "{what}: lowered after the pump finished"
                );
            }
            EventKind::DoseChange { dose: None, reason } if reason == "Infusion complete." => {
                assert_eq!(
                    Some(event.elapsed_ms),
                    ends,
                    "{what}: completed off its end"
                );
            }
            _ => {}
        }
    }
}

/// What was delivered never exceeds the plan, but for an extension's minutes.
fn nothing_delivered_beyond_the_plan(store: &Store, seed: u64) {
    for summary in store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
    {
        let session = store.record().session(summary.id).unwrap();
        let delivered = summary.delivered_mg_per_kg.unwrap();
        let extended: u32 = store
            .record()
            .events(summary.id)
            .unwrap()
            .iter()
            .map(|event| match event.kind {
                EventKind::InfusionExtended { minutes, .. } => minutes,
                _ => 0,
            })
            .sum();
        let plan = session.planned_dose.mg_per_kg(session.weight_kg).unwrap();
        let allowed = plan * (1.0 + f64::from(extended) / 40.0) + 1e-9;
        assert!(delivered <= allowed, "seed {seed}: {delivered} > {allowed}");
    }
}

#[test]
fn every_session_went_ahead_under_a_current_consent() {
    let journal = demo(300, 12, 1);
    let all = sessions(&journal.store);
    // Every session went ahead under a consent current when it started, given before it, to the
    // version then in force; the second version made every client consent again.
    let newest = journal.store.registers().consent_text().unwrap().unwrap();
    assert_eq!(newest.version, 2);
    let mut versions = BTreeSet::new();
    for (session, events) in &all {
        let EventKind::PreSession(checklist) = &events[0].kind else {
            panic!("session {} starts with its checklist", session.id);
        };
        let given = checklist.consent_given.as_ref().expect("a consent");
        assert!(given.given_at <= session.started_at);
        assert!(session.started_at.date_naive() <= given.renew_by);
        let held = journal
            .store
            .registers()
            .consent_at(session.client_id, session.started_at)
            .unwrap()
            .unwrap();
        assert_eq!(ConsentGiven::of(&held), *given);
        if session.started_at >= newest.adopted_at {
            assert_eq!(given.version, 2);
        }
        versions.insert(given.version);
    }
    assert_eq!(versions, BTreeSet::from([1, 2]));
}

#[test]
fn most_notes_in_a_small_demo_are_distinct() {
    for seed in SEEDS {
        let journal = demo(60, 12, seed);
        let notes: Vec<String> = sessions(&journal.store)
            .into_iter()
            .flat_map(|(_, events)| events)
            .filter_map(|event| match event.kind {
                EventKind::Note { text } if !text.starts_with("Intention read aloud") => Some(text),
                _ => None,
            })
            .collect();
        let distinct: HashSet<&String> = notes.iter().collect();
        assert!(
            distinct.len() * 10 >= notes.len() * 6,
            "seed {seed}: {} distinct of {}",
            distinct.len(),
            notes.len()
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_practice_and_another_seed_another() {
    let practice = |seed: u64| {
        let journal = demo(40, 6, seed);
        sessions(&journal.store)
            .into_iter()
            .map(|(session, events)| {
                let timeline: Vec<(i64, String, String)> = events
                    .iter()
                    .map(|event| {
                        (
                            event.elapsed_ms,
                            event.wall_time.to_rfc3339(),
                            serde_json::to_string(&event.kind).unwrap(),
                        )
                    })
                    .collect();
                (session.started_at, session.model, session.route, timeline)
            })
            .collect::<Vec<_>>()
    };
    let first = practice(5);
    assert_eq!(first.len(), 40);
    assert_eq!(first, practice(5), "seed 5 twice");
    assert_ne!(first, practice(6), "seeds 5 and 6");
}

#[test]
fn every_demo_rems_form_ends_its_monitoring_as_a_real_one_does() {
    for seed in SEEDS {
        let journal = demo(160, 16, seed);
        let store = &journal.store;
        let mut forms = 0;
        for (session, events) in sessions(store) {
            if session.route != Route::IntranasalEsketamine {
                continue;
            }
            forms += 1;
            let record = kap_journal::export::SessionRecord::load(
                store,
                session.id,
                kap_journal::export::ExportOptions::default(),
            )
            .unwrap();
            let form = kap_journal::domain::RemsForm::of(
                &session,
                &events,
                record.weight_kg(),
                &kap_journal::domain::Thresholds::default(),
                kap_journal::domain::RemsContext {
                    setting: Some("Riverside (synthetic)".into()),
                    contact: kap_journal::domain::RemsContact {
                        telephone: "+1 555 010 0199".into(),
                        email: "desk@clinic.example".into(),
                        address: "12 Example Street".into(),
                    },
                    patient: None,
                    first_treatment: record.rems.map(|rems| rems.first_treatment),
                    signed_by: None,
                    zone: kap_journal::domain::ClinicZone::UTC,
                },
            )
            .unwrap();
            let what = format!("seed {seed} session {}", session.id.0);
            for effect in [
                form.sedation,
                form.dissociation,
                form.respiratory_depression,
            ] {
                assert!(
                    !effect.occurred || effect.resolved == Some(true),
                    "{what}: {effect:?} in a session discharged with criteria met"
                );
            }
            let missing: Vec<_> = form
                .missing()
                .into_iter()
                .filter(|name| {
                    !name.starts_with("patient") && !name.starts_with("whether the patient")
                })
                .collect();
            assert!(missing.is_empty(), "{what}: {missing:?}");
            assert!(matches!(form.devices(), Some(2 | 3)), "{what}");
        }
        assert!(forms > 5, "seed {seed}: {forms} esketamine sessions");
    }
}
