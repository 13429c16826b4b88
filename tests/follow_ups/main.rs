//! Integration check-ins: planned when a session ends, due on an injected clock, recorded once, the
//! EBI and the PHQ-9 change related to how "sit with it" ended, Medical Model and KAP apart; in the
//! window and on the command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod recorded;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kap_journal::domain::{
    Asked, CameUp, CheckIn, CheckInKind, Decision, DeferralOutcome, Ebi, FollowUpError, Instrument,
    Measure, SessionId, TreatmentModel,
};
use kap_journal::live::{Clock, LiveCommand, LiveSession};
use kap_journal::review::Breakthrough;
use kap_journal::store::{SessionFilter, StoreError, connect_raw};

/// A session on the chart: its number, share worked through, EBI and PHQ-9 change.
type Point = (usize, Option<f64>, Option<f64>, Option<i32>);

fn phq9(answers: [u8; 9]) -> Measure {
    Measure::new(Instrument::Phq9, answers.to_vec()).unwrap()
}

/// A session of `model` with a PHQ-9 of `answers` and, when `outcome` is given, one "sit with it"
/// ending that way; ended after an hour.
fn session(
    journal: &mut common::Journal,
    client: &kap_journal::domain::Client,
    model: TreatmentModel,
    answers: [u8; 9],
    outcome: Option<DeferralOutcome>,
) -> SessionId {
    let clock: Arc<dyn Clock> = journal.clock.clone();
    let mut live = LiveSession::start(
        &mut journal.store,
        clock,
        &common::new_session(client, model),
    )
    .unwrap();
    let store = &mut journal.store;
    live.log(
        store,
        LiveCommand::Measure {
            measure: phq9(answers),
            note: String::new(),
        },
    )
    .unwrap();
    live.log(store, LiveCommand::BeginDosing).unwrap();
    if let Some(outcome) = outcome {
        let deferral = live
            .log(
                store,
                LiveCommand::DecisionPoint {
                    came_up: CameUp::Memory,
                    detail: String::new(),
                    asked: Asked::ClientAsksToLower,
                    decision: Decision::SitWithIt { minutes: 5 },
                    new_dose: None,
                    rationale: String::new(),
                },
            )
            .unwrap()[1]
            .seq;
        live.log(
            store,
            LiveCommand::DeferralOutcome {
                deferral,
                outcome,
                new_dose: (outcome == DeferralOutcome::DoseLowered)
                    .then(|| kap_journal::domain::Dose::parse("0.35 mg/kg over 40 min").unwrap()),
                note: String::new(),
            },
        )
        .unwrap();
    }
    journal.clock.advance(Duration::from_hours(1));
    live.end(&mut journal.store, "", None).unwrap();
    live.session().id
}

fn check_in(at: chrono::DateTime<Utc>, ebi: Option<&str>, phq9: Option<Measure>) -> CheckIn {
    CheckIn {
        at,
        ebi: ebi.map(|ratings| Ebi::parse(ratings).unwrap()),
        phq9,
        note: String::new(),
    }
}

#[test]
fn ending_a_session_plans_its_check_ins_which_fall_due_and_are_recorded_once() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "F-0100");
    // Started 2026-11-24 09:00, ended 10:00.
    let id = session(&mut journal, &client, TreatmentModel::Kap, [1; 9], None);
    let planned = journal.store.registers().follow_ups(id).unwrap();
    let plan: Vec<(CheckInKind, String)> = planned
        .iter()
        .map(|follow_up| (follow_up.kind, follow_up.due.to_string()))
        .collect();
    assert_eq!(
        plan,
        [
            (CheckInKind::NextDay, "2026-11-25".to_owned()),
            (CheckInKind::OneWeek, "2026-12-01".to_owned())
        ]
    );
    let now = journal.clock.wall();
    assert!(
        journal
            .store
            .registers()
            .follow_ups_due(now)
            .unwrap()
            .is_empty(),
        "nothing due the same day"
    );
    let next_day = now + TimeDelta::days(1);
    let due = journal.store.registers().follow_ups_due(next_day).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].client_code, "F-0100");
    assert!(!due[0].overdue);
    let later = now + TimeDelta::days(8);
    let due = journal.store.registers().follow_ups_due(later).unwrap();
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|due| due.overdue));

    // Nothing in it is refused; then the EBI is recorded, once.
    let next = planned[0].id;
    let empty = journal
        .store
        .registers_mut()
        .record_check_in(next, &check_in(next_day, None, None));
    assert!(matches!(
        empty,
        Err(StoreError::FollowUp(FollowUpError::EmptyCheckIn))
    ));
    let done = journal
        .store
        .registers_mut()
        .record_check_in(next, &check_in(next_day, Some("70 60 80 50 40 60"), None))
        .unwrap();
    assert!((done.done.unwrap().ebi.unwrap().score() - 60.0).abs() < 1e-9);
    let again = journal
        .store
        .registers_mut()
        .record_check_in(next, &check_in(next_day, Some("0 0 0 0 0 0"), None));
    assert!(matches!(
        again,
        Err(StoreError::FollowUp(FollowUpError::AlreadyDone))
    ));
    let unknown = journal.store.registers_mut().record_check_in(
        kap_journal::domain::FollowUpId(999),
        &check_in(next_day, Some("1 1 1 1 1 1"), None),
    );
    assert!(matches!(
        unknown,
        Err(StoreError::FollowUp(FollowUpError::Unknown))
    ));
    assert_eq!(
        journal
            .store
            .registers()
            .follow_ups_due(later)
            .unwrap()
            .len(),
        1
    );

    let raw = connect_raw(journal.dir.path(), &common::passphrase()).unwrap();
    for sql in [
        "UPDATE follow_ups SET ebi = '[0,0,0,0,0,0]' WHERE done_ms IS NOT NULL",
        "UPDATE follow_ups SET due_day = '2030-01-01'",
        "DELETE FROM follow_ups",
    ] {
        let error = raw.execute(sql, []).unwrap_err().to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
}

/// KAP: worked through (EBI 80, PHQ-9 18 → 12), dose lowered (EBI 40, 18 → 17), no deferral
/// (EBI 30, no one-week check-in). Medical Model: dose lowered (EBI 20, 18 → 18).
fn practice(journal: &mut common::Journal, client: &kap_journal::domain::Client) {
    let week_on = |journal: &mut common::Journal, id, ebi: &str, after: [u8; 9]| {
        let planned = journal.store.registers().follow_ups(id).unwrap();
        let at = journal.clock.wall();
        journal
            .store
            .registers_mut()
            .record_check_in(planned[0].id, &check_in(at, Some(ebi), None))
            .unwrap();
        journal
            .store
            .registers_mut()
            .record_check_in(planned[1].id, &check_in(at, None, Some(phq9(after))))
            .unwrap();
    };
    // KAP: worked through (EBI 80, PHQ-9 18 → 12), dose lowered (EBI 40, 18 → 17), no deferral
    // (EBI 30, no one-week check-in). Medical Model: dose lowered (EBI 20, 18 → 18).
    let kap = TreatmentModel::Kap;
    let worked = session(
        journal,
        client,
        kap,
        [2; 9],
        Some(DeferralOutcome::WorkedThrough),
    );
    week_on(
        journal,
        worked,
        "80 80 80 80 80 80",
        [2, 2, 2, 1, 1, 1, 1, 1, 1],
    );
    let lowered = session(
        journal,
        client,
        kap,
        [2; 9],
        Some(DeferralOutcome::DoseLowered),
    );
    week_on(
        journal,
        lowered,
        "40 40 40 40 40 40",
        [2, 2, 2, 2, 2, 2, 2, 2, 1],
    );
    let quiet = session(journal, client, kap, [2; 9], None);
    let planned = journal.store.registers().follow_ups(quiet).unwrap();
    let at = journal.clock.wall();
    journal
        .store
        .registers_mut()
        .record_check_in(
            planned[0].id,
            &check_in(at, Some("30 30 30 30 30 30"), None),
        )
        .unwrap();
    let medical = session(
        journal,
        client,
        TreatmentModel::Medical,
        [2; 9],
        Some(DeferralOutcome::DoseLowered),
    );
    week_on(journal, medical, "20 20 20 20 20 20", [2; 9]);
}

#[test]
fn what_followed_is_related_to_how_sitting_with_it_ended_model_by_model() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "F-0200");
    practice(&mut journal, &client);
    let mut sessions = journal
        .store
        .record()
        .session_summaries(&SessionFilter {
            client_code: Some("F-0200".into()),
            ..SessionFilter::default()
        })
        .unwrap();
    sessions.reverse();
    let chart = Breakthrough::of(
        &sessions,
        &journal.store.record().measures_of(client.id).unwrap(),
        &journal.store.registers().follow_ups_of(client.id).unwrap(),
    );
    let points: Vec<Point> = chart
        .sessions
        .iter()
        .map(|session| {
            (
                session.number,
                session.worked_through_share(),
                session.ebi,
                session.phq9_change,
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            (1, Some(1.0), Some(80.0), Some(-6)),
            (2, Some(0.0), Some(40.0), Some(-1)),
            (3, None, Some(30.0), None),
            (4, Some(0.0), Some(20.0), Some(0)),
        ]
    );
    let worked = chart.worked_through(TreatmentModel::Kap);
    assert_eq!(
        (worked.sessions, worked.mean_ebi, worked.mean_phq9_change),
        (1, Some(80.0), Some(-6.0))
    );
    let not = chart.not_worked_through(TreatmentModel::Kap);
    assert_eq!((not.sessions, not.mean_ebi), (1, Some(40.0)));
    assert_eq!(
        chart.without_deferral(TreatmentModel::Kap).mean_ebi,
        Some(30.0)
    );
    // The Medical Model session is counted with its own model only.
    let medical = chart.not_worked_through(TreatmentModel::Medical);
    assert_eq!(
        (medical.sessions, medical.mean_ebi, medical.mean_phq9_change),
        (1, Some(20.0), Some(0.0))
    );
    assert_eq!(chart.worked_through(TreatmentModel::Medical).sessions, 0);
}
