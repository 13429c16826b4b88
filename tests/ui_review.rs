//! Review in the real app: search what was logged and land on it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::ui::{app, click, field, log_note, start_session};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use kap_journal::domain::{Seq, SessionId};
use kap_journal::live::ManualClock;

#[test]
fn a_note_logged_live_is_found_by_search_and_opens_at_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    log_note(&mut harness, "Settled, eyes closed.");
    log_note(&mut harness, "Saw the blue kitchen of her grandmother.");
    log_note(&mut harness, "Quiet, breathing slowly.");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Back to sessions");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    field(&harness, "Search").type_text("grandm");
    harness.run();
    assert!(
        harness.query_by_label_contains("1 entries").is_some(),
        "one hit while typing a prefix"
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().shown_entry(),
        Some((SessionId(1), Some(Seq(4)))),
        "the session opens at the note (entry 4, after the checklist, the baseline and the first note)"
    );
    assert!(harness.query_by_label_contains("Session #1").is_some());

    // Back keeps the search.
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(field(&harness, "Search").value().as_deref(), Some("grandm"));
    assert_eq!(harness.state().shown_entry(), None);
}

#[test]
fn a_search_with_no_hits_says_so_and_the_model_filter_narrows_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    log_note(&mut harness, "Dizzy, asks for less.");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Back to sessions");
    field(&harness, "Search").click();
    harness.run();
    field(&harness, "Search").type_text("dizzy");
    harness.run();
    assert!(harness.query_by_label_contains("1 entries").is_some());
    harness.get_by_label("KAP").click();
    harness.run();
    assert!(
        harness.query_by_label_contains("0 entries").is_some(),
        "the Medical Model note is not a KAP hit"
    );
}

#[test]
fn the_prep_view_shows_a_marker_logged_in_the_last_session() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    log_note(&mut harness, "Quiet at first.");
    log_note(
        &mut harness,
        "Talked about the kitchen at her grandmother's house.",
    );
    click(&mut harness, "Bring to integration");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Prep view");
    assert!(
        harness
            .query_by_label_contains("Prep for integration · C-0142")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Intention: Meet the grief about my father.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Talked about the kitchen at her grandmother's house.")
            .is_some(),
        "the marked entry"
    );
    assert!(
        harness
            .query_by_label_contains("came after: Quiet at first.")
            .is_some(),
        "with the entry before it"
    );
    click(&mut harness, "Client history");
    assert!(
        harness
            .query_by_label_contains("Client history · C-0142")
            .is_some()
    );
}

#[test]
fn the_session_lists_filter_by_date_range_and_say_when_a_date_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Back to sessions");
    assert!(harness.query_by_label("KAP sessions (1)").is_some());

    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    common::ui::type_into(&mut harness, "From", &tomorrow);
    assert!(
        harness.query_by_label("KAP sessions (0)").is_some(),
        "nothing starts after today"
    );
    click(&mut harness, "Clear filters");
    assert!(harness.query_by_label("KAP sessions (1)").is_some());

    common::ui::type_into(&mut harness, "To", "24/11/2026");
    assert!(
        harness
            .query_by_label("Write a date as YYYY-MM-DD, e.g. 2026-12-07.")
            .is_some()
    );
    assert!(
        harness.query_by_label("KAP sessions (1)").is_some(),
        "an unreadable date filters nothing"
    );
}

#[test]
fn the_browser_shows_what_an_ended_session_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run();
    // 72 kg at 0.5 mg/kg over 40 min for 10 minutes: 0.125 mg/kg, 9 mg.
    clock.advance(std::time::Duration::from_mins(10));
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Back to sessions");
    assert!(harness.query_by_label("Total dose").is_some());
    assert!(
        harness.query_by_label("9 mg (0.125 mg/kg)").is_some(),
        "the row shows the delivered total, not the planned dose"
    );
}

#[test]
fn medical_model_sessions_read_in_their_own_words_and_search_keeps_the_models_apart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    for model in ["Medical Model", "KAP"] {
        if model == "KAP" {
            // The same client moves to KAP.
            click(&mut harness, "New session");
            common::ui::choose_client(&mut harness, "C-0142");
            harness.get_by_label("KAP").click();
            harness.run();
            common::ui::type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
            common::ui::confirm_consent(&mut harness);
            click(&mut harness, "Start session");
        } else {
            start_session(&mut harness, model);
        }
        // The Medical Model's live view has no empty integration panel.
        assert_eq!(
            harness
                .query_by_label_contains("Nothing marked yet")
                .is_some(),
            model == "KAP",
            "{model}"
        );
        log_note(&mut harness, "Blue kitchen again, calmer.");
        click(&mut harness, "End session");
        common::ui::end_now(&mut harness);
        click(&mut harness, "Back to sessions");
    }
    // Neither session sat with anything: a dash, not "0: 0 / 0 / 0 / 0".
    assert!(harness.query_by_label_contains("0: 0 / 0").is_none());
    assert!(harness.query_all_by_label("–").count() >= 2);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    field(&harness, "Search").type_text("kitchen");
    harness.run();
    harness.get_by_label_contains("(KAP 1, Medical Model 1)");
    // The KAP hit is listed first although the Medical Model note is older: grouped by model.
    let kap = harness.get_by_label_contains("session #2 entry").rect();
    let medical = harness.get_by_label_contains("session #1 entry").rect();
    assert!(kap.top() < medical.top());
}

/// A long timeline draws only the rows near what is on screen, so its frames cost the same at 30
/// entries or 300: the newest notes of a live session are drawn and the first are not, and a search
/// hit far up an ended session is brought into view and drawn.
#[test]
fn a_long_timeline_draws_the_rows_in_view_and_a_search_hit_far_up_is_brought_into_it() {
    use kap_journal::domain::TreatmentModel;
    use kap_journal::live::LiveCommand;

    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let note = |n: usize| match n {
        7 => "Note 7: speaks of the lighthouse at the end of the pier.".to_owned(),
        n => format!("Note {n}: breathing slow and even."),
    };
    for n in 0..300 {
        live.log(&mut journal.store, LiveCommand::Note(note(n)))
            .unwrap();
    }
    let dir = journal.dir;
    drop(journal.store);
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    // The live session is resumed at its newest entries.
    harness.run();
    assert!(harness.query_by_label_contains("Note 299:").is_some());
    assert!(
        harness.query_by_label_contains("Note 3:").is_none(),
        "rows far above the view are not drawn"
    );

    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Back to sessions");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    field(&harness, "Search").type_text("lighthouse");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().shown_entry().unwrap().0, SessionId(1));
    assert!(
        harness
            .query_by_label_contains("lighthouse at the end")
            .is_some(),
        "the hit is drawn where the session opens"
    );
    assert!(harness.query_by_label_contains("Note 299:").is_none());
}

#[test]
fn lists_show_the_clinics_times_of_day_not_this_computers() {
    use chrono::TimeZone as _;
    use kap_journal::domain::{ClinicZone, EventKind, TreatmentModel};
    use kap_journal::store::{NewEvent, Store};
    let dir = tempfile::tempdir().unwrap();
    // A clinic in Auckland (UTC+13 in December), whatever zone this computer is in.
    let started = chrono::Utc
        .with_ymd_and_hms(2026, 12, 1, 20, 30, 0)
        .unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        store
            .save_clinic_zone(ClinicZone::parse("Pacific/Auckland").unwrap())
            .unwrap();
        let client = common::client(&mut store, "C-0800");
        let session = store
            .record_mut()
            .start_session(&common::new_session(&client, TreatmentModel::Kap), started)
            .unwrap();
        let end = NewEvent {
            wall_time: started + chrono::TimeDelta::minutes(90),
            elapsed_ms: 90 * 60_000,
            kind: EventKind::SessionEnded {
                note: String::new(),
                discharge: None,
            },
        };
        store.end_session(session.id, Seq(1), &[end]).unwrap();
    }
    let clock = Arc::new(ManualClock::new(started + chrono::TimeDelta::days(2)));
    let harness = app(dir.path(), &clock);
    assert!(
        harness
            .query_by_label("Open the session of 2026-12-02 09:30, C-0800, IV infusion, ended")
            .is_some(),
        "the session list reads the clinic's morning, not 20:30 the day before"
    );
}

#[test]
fn at_1024_by_640_both_models_lists_stay_in_view_under_the_due_lists() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
        kap_journal::demo::generate(
            &mut store,
            kap_journal::demo::DemoPlan {
                clients: 12,
                sessions: 80,
                seed: 7,
            },
            |_, _| {},
        )
        .unwrap();
    }
    // Weeks later: the REMS forms are overdue and their list opens by itself.
    let clock = Arc::new(ManualClock::new(
        chrono::Utc::now() + chrono::TimeDelta::days(20),
    ));
    let mut harness = common::ui::app_sized(dir.path(), &clock, [1024.0, 640.0]);
    harness.run();
    assert!(
        harness.query_by_label_contains("OVERDUE").is_some(),
        "the due list is open"
    );
    // The clinician opens the other due lists too.
    for due in ["Consents to renew", "Integration check-ins due"] {
        harness.get_by_label_contains(due).click();
        harness.run();
    }
    for heading in ["KAP sessions", "Medical Model sessions"] {
        let rect = harness.get_by_label_contains(heading).rect();
        assert!(
            rect.bottom() < 640.0 - 48.0,
            "{heading} at {rect:?}, rows below it"
        );
    }
}

#[test]
fn a_clients_rems_details_are_typed_saved_and_refused_in_a_sentence_when_a_date_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let started = chrono::Utc::now() - chrono::Duration::days(1);
    {
        let mut store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
        common::ended_session(
            &mut store,
            "E-0001",
            kap_journal::domain::Route::IntranasalEsketamine,
            started,
        );
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    harness.get_by_label("E-0001").click();
    harness.run();
    click(&mut harness, "Client history");
    harness.get_by_label("REMS details").click();
    harness.run();
    common::ui::type_into(&mut harness, "First name", "  Alex ");
    common::ui::type_into(&mut harness, "Last name", "Example");
    common::ui::type_into(&mut harness, "Birthdate", "02/03/1984");
    click(&mut harness, "Save REMS details");
    assert!(
        harness
            .query_by_label_contains("The birthdate does not read. Write a date as YYYY-MM-DD")
            .is_some(),
        "a slash date is not guessed at under ISO dates"
    );
    let read = || {
        kap_journal::store::Store::open_for_reading(dir.path(), &common::passphrase())
            .unwrap()
            .registers()
            .rems_patient(kap_journal::domain::ClientId(1))
            .unwrap()
    };
    assert_eq!(read(), None, "nothing was saved");

    field(&harness, "Birthdate").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    field(&harness, "Birthdate").type_text("1984-03-02");
    harness.run();
    click(&mut harness, "Save REMS details");
    assert!(
        harness
            .query_by_label_contains("REMS details saved.")
            .is_some()
    );
    let saved = read().unwrap();
    assert_eq!(saved.first_name, "Alex", "trimmed");
    assert_eq!(
        saved.birth_date.map(|day| day.to_string()).as_deref(),
        Some("1984-03-02")
    );
    // Saved, so there is nothing more to save.
    assert!(
        harness
            .get_by_label("Save REMS details")
            .accesskit_node()
            .is_disabled()
    );
}
