//! The live-session engine: decision points, "sit with it" deferrals and their outcomes, dose rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use kap_journal::domain::{
    Asked, CameUp, CurrentDose, Decision, DeferralOutcome, Dose, DoseError, EventKind, Seq,
    SessionError, TreatmentModel,
};
use kap_journal::live::{Clock, LiveCommand, LiveSession};
use kap_journal::store::{Store, StoreError};

fn sit_with_it(minutes: u32) -> LiveCommand {
    LiveCommand::DecisionPoint {
        came_up: CameUp::Emotion,
        detail: "grief about father".into(),
        asked: Asked::ClientAsksToLower,
        decision: Decision::SitWithIt { minutes },
        new_dose: None,
        rationale: "Agreed in preparation to stay a few minutes.".into(),
    }
}

#[test]
fn sit_with_it_countdown_ends_with_an_outcome() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    let committed = live
        .log(&mut journal.store, sit_with_it(5))
        .unwrap()
        .to_vec();
    assert_eq!(
        committed.len(),
        2,
        "a decision to sit with it starts a deferral in the same commit"
    );
    let deferral = committed[1].seq;
    assert_eq!(
        committed[1].kind,
        EventKind::DeferralStart {
            decision_seq: committed[0].seq,
            minutes: 5
        }
    );

    journal.clock.advance(Duration::from_mins(3));
    let open = live.state().open_deferrals[0];
    assert_eq!(open.remaining_ms(live.elapsed_ms()), 2 * 60 * 1000);

    // Ending now is refused: the deferral must get its outcome first, and nothing is written.
    let error = live.end(&mut journal.store, "", None).unwrap_err();
    assert!(matches!(
        error,
        StoreError::Session(SessionError::OpenDeferral)
    ));
    assert_eq!(
        journal
            .store
            .record()
            .events(live.session().id)
            .unwrap()
            .len(),
        3
    );

    journal.clock.advance(Duration::from_secs(2 * 60 + 5));
    assert!(
        live.state().open_deferrals[0].remaining_ms(live.elapsed_ms()) < 0,
        "the countdown ran out"
    );
    live.log(
        &mut journal.store,
        LiveCommand::DeferralOutcome {
            deferral,
            outcome: DeferralOutcome::WorkedThrough,
            new_dose: None,
            note: "The wave passed.".into(),
        },
    )
    .unwrap();
    assert!(live.state().open_deferrals.is_empty());
    live.end(&mut journal.store, "Calm, ride home arranged.", None)
        .unwrap();

    let stored = journal.store.record().events(live.session().id).unwrap();
    let kinds: Vec<_> = stored.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "dosing_began",
            "decision_point",
            "deferral_start",
            "deferral_outcome",
            // The infusion still ran: its stop is recorded with the end.
            "dose_change",
            "session_ended"
        ]
    );
    let summary = &journal
        .store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap()[0];
    assert_eq!(
        (
            summary.decision_points,
            summary.deferrals,
            summary.worked_through
        ),
        (1, 1, 1)
    );
}

#[test]
fn a_dose_lowered_after_all_becomes_the_current_dose() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    let deferral = live.log(&mut journal.store, sit_with_it(3)).unwrap()[1].seq;
    journal.clock.advance(Duration::from_mins(1));
    let lower = |new_dose| LiveCommand::DeferralOutcome {
        deferral,
        outcome: DeferralOutcome::DoseLowered,
        new_dose,
        note: String::new(),
    };
    let error = live.log(&mut journal.store, lower(None)).unwrap_err();
    assert!(matches!(
        error,
        StoreError::Session(SessionError::Dose(DoseError::Empty))
    ));
    let lowered = Dose::parse("0.3 mg/kg over 40 min").unwrap();
    live.log(&mut journal.store, lower(Some(lowered))).unwrap();
    // During an infusion the lowered dose is a lower rate: 0.3 mg/kg over 40 min is 0.45 mg/kg/h,
    // and the infusion still ends 40 minutes after dosing began.
    let CurrentDose::Infusing { rate, ends_ms } = live.current_dose() else {
        panic!("an infusion runs: {:?}", live.current_dose());
    };
    assert!((rate.per_hour - 0.45).abs() < 1e-9, "{rate:?}");
    assert_eq!(ends_ms, Some(40 * 60_000));
    assert_eq!(live.since_last_dose_change_ms(), Some(0));
    let again = live
        .log(&mut journal.store, lower(Some(lowered)))
        .unwrap_err();
    assert!(matches!(
        again,
        StoreError::Session(SessionError::DeferralAlreadyClosed)
    ));
    let unknown = LiveCommand::DeferralOutcome {
        deferral: Seq(99),
        outcome: DeferralOutcome::EndedEarly,
        new_dose: None,
        note: String::new(),
    };
    assert!(matches!(
        live.log(&mut journal.store, unknown).unwrap_err(),
        StoreError::Session(SessionError::UnknownDeferral)
    ));
}

#[test]
fn medical_model_lower_now_commits_the_decision_and_the_new_dose_together() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    let lower_now = |new_dose| LiveCommand::DecisionPoint {
        came_up: CameUp::BodySensation,
        detail: "dizziness".into(),
        asked: Asked::ClientAsksToLower,
        decision: Decision::LowerNow,
        new_dose,
        rationale: String::new(),
    };
    // An absurd dose is refused and nothing of the decision is written.
    let error = live
        .log(
            &mut journal.store,
            lower_now(Some(Dose::parse("900 mg").unwrap())),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "A dose of more than 10 mg/kg cannot be right; check the amount and unit."
    );
    assert_eq!(
        journal
            .store
            .record()
            .events(live.session().id)
            .unwrap()
            .len(),
        1
    );
    let committed = live
        .log(
            &mut journal.store,
            lower_now(Some(Dose::parse("0.35 mg/kg over 40 min").unwrap())),
        )
        .unwrap();
    assert_eq!(committed.len(), 2);
    assert!(
        matches!(&committed[1].kind, EventKind::DoseChange { dose: Some(_), reason } if reason == "Lowered at decision point #2")
    );
}

#[test]
fn notes_must_have_words_and_markers_toggle() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    assert!(matches!(
        live.log(&mut journal.store, LiveCommand::Note("   ".into()))
            .unwrap_err(),
        StoreError::Session(SessionError::EmptyNote)
    ));
    let note = live
        .log(
            &mut journal.store,
            LiveCommand::Note("Saw the old kitchen.".into()),
        )
        .unwrap()[0]
        .seq;
    live.log(
        &mut journal.store,
        LiveCommand::ToggleMarker { target: note },
    )
    .unwrap();
    assert!(live.state().marked.contains(&note));
    live.log(
        &mut journal.store,
        LiveCommand::ToggleMarker { target: note },
    )
    .unwrap();
    assert!(!live.state().marked.contains(&note));
    assert!(matches!(
        live.log(
            &mut journal.store,
            LiveCommand::ToggleMarker { target: Seq(40) }
        )
        .unwrap_err(),
        StoreError::Session(SessionError::UnknownEvent)
    ));
    assert!(
        live.log(&mut journal.store, LiveCommand::BeginDosing)
            .is_ok()
    );
    assert!(matches!(
        live.log(&mut journal.store, LiveCommand::BeginDosing)
            .unwrap_err(),
        StoreError::Session(SessionError::DosingAlreadyBegun)
    ));
}

#[test]
fn a_resumed_session_keeps_counting_from_where_it_was() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    journal.clock.advance(Duration::from_mins(10));
    live.log(
        &mut journal.store,
        LiveCommand::Note("ten minutes in".into()),
    )
    .unwrap();
    let id = live.session().id;
    drop(live);
    drop(journal.store);
    // The app restarts: a new monotonic clock starts at zero, while the wall clock went on 2 minutes.
    let restarted = Arc::new(kap_journal::live::ManualClock::new(
        journal.clock.wall() + chrono::Duration::minutes(2),
    ));
    let mut store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    let clock: Arc<dyn Clock> = restarted;
    let mut live = LiveSession::resume(&store, clock, id).unwrap();
    assert_eq!(live.elapsed_ms(), 12 * 60 * 1000);
    let event = live
        .log(&mut store, LiveCommand::Note("after the restart".into()))
        .unwrap()[0]
        .clone();
    assert_eq!((event.seq, event.elapsed_ms), (Seq(2), 12 * 60 * 1000));
}

#[test]
fn a_second_sit_with_it_waits_for_the_first_to_end() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    live.log(&mut journal.store, sit_with_it(5)).unwrap();
    let before = journal
        .store
        .record()
        .events(live.session().id)
        .unwrap()
        .len();
    let refused = live.log(&mut journal.store, sit_with_it(5)).unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Session(SessionError::DeferralRunning)
    ));
    assert_eq!(
        journal
            .store
            .record()
            .events(live.session().id)
            .unwrap()
            .len(),
        before,
        "a second press records nothing"
    );
}

#[test]
fn phq9_item_9_above_zero_calls_for_a_safety_plan_until_one_is_made() {
    use kap_journal::domain::{Instrument, Measure, SafetyPlan};
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let phq9 = |item9| LiveCommand::Measure {
        measure: Measure::new(Instrument::Phq9, vec![1, 1, 1, 1, 1, 1, 1, 1, item9]).unwrap(),
        note: String::new(),
    };
    live.log(&mut journal.store, phq9(0)).unwrap();
    assert!(!live.state().needs_safety_plan);
    live.log(&mut journal.store, phq9(1)).unwrap();
    assert!(live.state().needs_safety_plan);
    let refused = live
        .log(
            &mut journal.store,
            LiveCommand::SafetyPlan(SafetyPlan::default()),
        )
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Session(SessionError::SafetyPlan(_))
    ));
    assert!(live.state().needs_safety_plan, "a refused plan is no plan");
    let plan = SafetyPlan {
        contacts: "partner; 988".into(),
        ..SafetyPlan::default()
    };
    live.log(&mut journal.store, LiveCommand::SafetyPlan(plan))
        .unwrap();
    assert!(!live.state().needs_safety_plan);
    live.end(&mut journal.store, "", None).unwrap();
    let summary = &journal
        .store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap()[0];
    assert_eq!(summary.suicide_risk, 1, "one entry called for the plan");
}

#[test]
fn ending_with_the_infusion_running_asks_and_records_the_stop_with_the_end() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(10));
    let discharge = kap_journal::domain::Discharge {
        criteria_met: true,
        ride_home: true,
        follow_up: String::new(),
        ..kap_journal::domain::Discharge::default()
    };
    let asked = live.soft_stops(kap_journal::domain::Guarded::End(&discharge));
    assert!(
        asked
            .iter()
            .any(|stop| stop.starts_with("The infusion is still running")),
        "{asked:?}"
    );
    live.end(&mut journal.store, "Calm.", Some(discharge))
        .unwrap();
    let events = journal.store.record().events(live.session().id).unwrap();
    let [.., stop, end] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert!(matches!(
        &stop.kind,
        EventKind::DoseChange { dose: None, .. }
    ));
    assert!(matches!(end.kind, EventKind::SessionEnded { .. }));
    assert_eq!(
        stop.elapsed_ms, end.elapsed_ms,
        "stopped at the moment it ended"
    );
    assert_eq!(
        live.state().administration.current(end.elapsed_ms),
        CurrentDose::Stopped
    );

    // An infusion that ran its planned length is not stopped again.
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(45));
    live.end(&mut journal.store, "", None).unwrap();
    let events = journal.store.record().events(live.session().id).unwrap();
    assert!(
        !events
            .iter()
            .any(|event| matches!(event.kind, EventKind::DoseChange { dose: None, .. }))
    );
}
