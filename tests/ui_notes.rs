//! The after-session record and the notes, driven through the real window: ending with discharge
//! criteria, a ride home and a follow-up plan; a SOAP note drafted from the timeline and saved as it
//! is typed; the private note opened on purpose and closed off the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::ui::{app, click, end_with_discharge, field, fill_discharge, start_session, type_into};
use egui_kittest::kittest::{By, Queryable};
use kap_journal::domain::{Discharge, EventKind, NoteFormat, SessionId};
use kap_journal::live::ManualClock;
use kap_journal::store::Store;

/// A data folder and a clock for a window; the window opens the journal itself.
struct Window {
    dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
}

impl Window {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            clock: Arc::new(ManualClock::new(chrono::Utc::now())),
        }
    }
}

#[test]
fn ending_records_discharge_ride_home_and_the_follow_up_plan() {
    let journal = Window::new();
    let mut harness = common::ui::unattended_app(journal.dir.path(), &journal.clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    journal.clock.advance(Duration::from_mins(50));
    harness.run();
    click(&mut harness, "End session");
    // How long the client has been watched is on screen while ending.
    harness.get_by_label_contains("Monitored 50:00 since the first dose.");
    fill_discharge(&mut harness);

    let store = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    let events = store.record().events(SessionId(1)).unwrap();
    let Some(EventKind::SessionEnded { discharge, .. }) = events.last().map(|e| &e.kind) else {
        panic!("the session ended");
    };
    assert_eq!(
        discharge.as_ref(),
        Some(&Discharge {
            criteria_met: true,
            ride_home: false,
            follow_up: "Integration Thursday 10:00".to_owned(),
            ..Discharge::default()
        })
    );
    // The session view shows it in the timeline, with the unconfirmed ride home in capitals.
    harness.get_by_label_contains("ride home NOT confirmed");
}

#[test]
fn a_soap_note_is_drafted_from_the_timeline_edited_and_saved() {
    let journal = Window::new();
    let mut harness = app(journal.dir.path(), &journal.clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    end_with_discharge(&mut harness);

    harness.get(By::new().label("Progress note")).click();
    harness.run();
    type_into(&mut harness, "Subjective", "Said the room felt safe. ");
    click(&mut harness, "Fill empty sections from the timeline");
    harness.get(By::new().label("BIRP")).click();
    harness.run();
    // Let the half-second save interval pass, then leave the view (which saves at once anyway).
    harness.step();
    click(&mut harness, "Back to sessions");

    let store = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    let note = store
        .record()
        .progress_note(SessionId(1))
        .unwrap()
        .expect("saved");
    assert_eq!(note.format(), NoteFormat::Birp);
    let behavior = &note.sections()[0];
    assert!(
        behavior.starts_with("Said the room felt safe."),
        "what was typed comes first and is kept: {behavior}"
    );
    assert!(behavior.contains("KAP session, IV infusion"), "{behavior}");
    assert!(
        note.sections()[3].contains("Integration Thursday 10:00"),
        "the plan is the follow-up plan: {:?}",
        note.sections()
    );
}

#[test]
fn the_private_note_is_opened_on_purpose_and_leaves_the_screen_when_closed() {
    let journal = Window::new();
    let mut harness = app(journal.dir.path(), &journal.clock);
    start_session(&mut harness, "KAP");
    end_with_discharge(&mut harness);

    harness.get(By::new().label("Private note")).click();
    harness.run();
    assert!(
        harness
            .query_by_label("Private psychotherapy note")
            .is_none(),
        "nothing is shown until the note is opened"
    );
    click(&mut harness, "Write a private note");
    // Opened on purpose, it has the focus: typing goes straight in.
    field(&harness, "Private psychotherapy note")
        .type_text("Countertransference: felt protective.");
    harness.run();
    harness.get(By::new().label("Timeline")).click();
    harness.run();

    let store = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    let private = store
        .record()
        .private_note(SessionId(1))
        .unwrap()
        .expect("saved");
    assert_eq!(private.text, "Countertransference: felt protective.");
    assert!(
        harness
            .query_by_label_contains("Countertransference")
            .is_none(),
        "leaving the tab closes the note"
    );
    harness
        .get(By::new().label("Private note (written)"))
        .click();
    harness.run();
    click(&mut harness, "Open private note");
    assert_eq!(
        field(&harness, "Private psychotherapy note")
            .value()
            .as_deref(),
        Some("Countertransference: felt protective.")
    );
}
