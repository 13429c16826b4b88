//! The start form as a clinician meets it: typing starts in the client code, Ctrl+Enter starts the
//! session from any field, and a returning client brings back their own model and route.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::ui::{app, choose_client, click, confirm_consent, end_now, field, type_into};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use kap_journal::domain::{ConsentItem, Route, SessionStatus, TreatmentModel};
use kap_journal::live::Clock as _;
use kap_journal::live::ManualClock;
use kap_journal::store::{SessionFilter, Store};

#[test]
fn typing_starts_in_the_client_code_and_ctrl_enter_starts_from_a_multiline_field() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    // No click first: the focus is already there.
    field(&harness, "Client code").type_text("C-0777");
    harness.run();
    assert_eq!(
        field(&harness, "Client code").value().as_deref(),
        Some("C-0777")
    );
    type_into(&mut harness, "Starting dose", "56 mg");
    harness.get_by_label("Intranasal esketamine").click();
    harness.run();
    confirm_consent(&mut harness);
    type_into(&mut harness, "Comfort plan", "Music low.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    assert!(
        harness.query_by_label_contains("End session").is_some(),
        "the live view is open"
    );
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let sessions = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap();
    assert_eq!(sessions.len(), 1);
    let plan = store.record().session(sessions[0].id).unwrap().comfort_plan;
    assert_eq!(plan, "Music low.", "no new line was typed into the plan");
}

#[test]
fn a_returning_client_brings_back_their_own_model_and_route() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    // C-0142's last session: Medical Model, intranasal esketamine.
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0142");
    harness.get_by_label("Medical Model").click();
    harness.get_by_label("Intranasal esketamine").click();
    harness.run();
    type_into(&mut harness, "Starting dose", "56 mg");
    confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    clock.advance(Duration::from_mins(5));
    click(&mut harness, "End session");
    end_now(&mut harness);
    // Then another client's KAP IV session, the window's last choice.
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0200");
    harness.get_by_label("KAP").click();
    harness.get_by_label("IV infusion").click();
    harness.run();
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    type_into(&mut harness, "Weight", "70");
    confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    click(&mut harness, "End session");
    end_now(&mut harness);

    click(&mut harness, "New session");
    choose_client(&mut harness, "C-0142");
    type_into(&mut harness, "Starting dose", "84 mg");
    confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let live = store.record().live_sessions().unwrap();
    let session = store.record().session(live[0].id).unwrap();
    assert_eq!(session.status, SessionStatus::Live);
    assert_eq!(
        (session.model, session.route),
        (TreatmentModel::Medical, Route::IntranasalEsketamine),
        "C-0142's own model and route, not the last one chosen in the window"
    );
}

#[test]
fn with_a_clinic_consent_text_the_start_form_records_the_consent_with_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        store
            .registers_mut()
            .adopt_consent_text("Synthetic consent text.", 180, clock.wall())
            .unwrap();
    }
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0900");
    type_into(&mut harness, "Weight", "72");
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    harness.get_by_label("No consent recorded; record it before the first session.");
    // The old tick box is gone: consent is given item by item to the clinic's text.
    assert!(harness.query_by_label("Consent confirmed today").is_none());
    click(&mut harness, "Start session");
    harness.get_by_label("Confirm the client's consent before starting the session.");

    for item in ["Off-label use of ketamine", "Music"] {
        harness.get_by_label(item).click();
        harness.run();
    }
    click(&mut harness, "Start session");
    field(&harness, "Note");
    drop(harness);

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let client = store.record().client_by_code("C-0900").unwrap().unwrap();
    let consents = store.registers().consents(client.id).unwrap();
    assert_eq!(consents.len(), 1);
    assert!(consents[0].agrees_to(ConsentItem::Music));
    assert!(!consents[0].agrees_to(ConsentItem::Touch));
    assert_eq!(store.record().session_ids().unwrap().len(), 1);
}

#[test]
fn a_comfort_plan_carried_over_belongs_to_its_model() {
    use chrono::TimeZone as _;
    use kap_journal::domain::{EventKind, Seq};
    use kap_journal::store::NewEvent;
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        let client = common::client(&mut store, "C-0900");
        // A KAP session first, then (the newest) a Medical Model one, each with its own plan.
        for (day, model, plan) in [
            (
                1,
                TreatmentModel::Kap,
                "KAP plan: music low, a hand if asked.",
            ),
            (
                8,
                TreatmentModel::Medical,
                "Medical plan: tell me the time.",
            ),
        ] {
            let started = chrono::Utc
                .with_ymd_and_hms(2026, 11, day, 9, 0, 0)
                .unwrap();
            let mut new = common::new_session(&client, model);
            new.comfort_plan = plan.to_owned();
            let session = store.record_mut().start_session(&new, started).unwrap();
            let end = NewEvent {
                wall_time: started + chrono::TimeDelta::minutes(60),
                elapsed_ms: 3_600_000,
                kind: EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            };
            store.end_session(session.id, Seq(1), &[end]).unwrap();
        }
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    choose_client(&mut harness, "C-0900");
    let plan = |harness: &egui_kittest::Harness<'_, _>| field(harness, "Comfort plan").value();
    assert_eq!(
        plan(&harness).as_deref(),
        Some("Medical plan: tell me the time."),
        "the last session's model and its plan"
    );
    // Moving this client to KAP brings their KAP plan, not the Medical one.
    harness.get_by_label("KAP").click();
    harness.run();
    harness.run();
    assert_eq!(
        plan(&harness).as_deref(),
        Some("KAP plan: music low, a hand if asked.")
    );
    // A plan the clinician writes stays whatever the model.
    type_into(&mut harness, "Comfort plan", " Breathe out slowly.");
    harness.get_by_label("Medical Model").click();
    harness.run();
    harness.run();
    assert_eq!(
        plan(&harness).as_deref(),
        Some("KAP plan: music low, a hand if asked. Breathe out slowly.")
    );
}

#[test]
fn a_returning_clients_suicide_risk_is_on_the_start_form() {
    use chrono::TimeZone as _;
    use kap_journal::domain::{EventKind, Instrument, Measure, Seq};
    use kap_journal::store::NewEvent;
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        let client = common::client(&mut store, "C-0901");
        let started = chrono::Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap();
        let session = store
            .record_mut()
            .start_session(&common::new_session(&client, TreatmentModel::Kap), started)
            .unwrap();
        let at = |minutes: i64| started + chrono::TimeDelta::minutes(minutes);
        // PHQ-9 with item 9 above zero: a risk that follows the client.
        store
            .record_mut()
            .append_events(
                session.id,
                Seq(1),
                &[NewEvent {
                    wall_time: at(5),
                    elapsed_ms: 300_000,
                    kind: EventKind::Measure {
                        measure: Measure::new(Instrument::Phq9, vec![2, 2, 1, 1, 1, 2, 1, 0, 1])
                            .unwrap(),
                        note: String::new(),
                    },
                }],
            )
            .unwrap();
        let end = NewEvent {
            wall_time: at(60),
            elapsed_ms: 3_600_000,
            kind: EventKind::SessionEnded {
                note: String::new(),
                discharge: None,
            },
        };
        store.end_session(session.id, Seq(2), &[end]).unwrap();
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    assert!(harness.query_by_label_contains("Suicide risk").is_none());
    choose_client(&mut harness, "C-0901");
    harness.get_by_label_contains("Suicide risk · session #1");
    harness.get_by_label_contains("No safety plan was recorded since");

    // It stays in view in the live header all session, and names the missing plan.
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    common::ui::confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    harness.get_by_label_contains("Earlier suicide risk: session #1 of 2026-11-10");
    harness.get_by_label_contains("NO safety plan since");
}

#[test]
fn typing_a_code_finds_returning_clients_to_choose() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        for code in ["C-0142", "C-0143", "D-0007"] {
            common::client(&mut store, code);
        }
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    // Typing starts in the client code; what it matches is offered as it is typed.
    field(&harness, "Client code").type_text("014");
    harness.run();
    assert!(harness.query_by_label("C-0142").is_some());
    assert!(harness.query_by_label("C-0143").is_some());
    assert!(harness.query_by_label("D-0007").is_none());
    click(&mut harness, "C-0143");
    harness.run();
    harness.get_by_label_contains("last recorded weight 70 kg");
    assert!(
        harness.query_by_label("Client code").is_none(),
        "a returning client is chosen, not a new one typed"
    );
}

#[test]
fn the_start_form_opens_at_its_top_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    let heading_top = |harness: &egui_kittest::Harness<'_, _>| {
        harness.get_by_label("Start a session").rect().top()
    };
    click(&mut harness, "New session");
    let first = heading_top(&harness);
    field(&harness, "ASQ answers").scroll_to_me();
    harness.run();
    assert!(heading_top(&harness) < first, "the form scrolled down");
    harness.key_press(Key::Escape);
    harness.run();
    click(&mut harness, "New session");
    harness.run();
    assert!(
        (heading_top(&harness) - first).abs() < 0.5,
        "opened again at its top"
    );
}
