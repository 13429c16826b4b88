//! The real app driven headless with egui_kittest: widgets are found by their labels, the clock is
//! injected, and every assertion ends in the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod decisions;
mod dosing;

use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::domain::{Decision, DeferralOutcome, EventKind, SessionStatus, TreatmentModel};
use kap_journal::live::ManualClock;
use kap_journal::store::{SessionFilter, Store};
use kap_journal::ui::KapJournalApp;

use common::ui::{app, click, field, log_note, start_session};

/// What the app committed after the checklist, read beside it as a second (read-only) instance would.
fn stored(dir: &std::path::Path) -> (Vec<kap_journal::store::SessionSummary>, Vec<EventKind>) {
    let store = Store::open_for_reading(dir, &common::passphrase()).unwrap();
    let sessions = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap();
    let mut events = store.record().events(sessions[0].id).unwrap().into_iter();
    assert!(
        matches!(
            events.next().map(|event| event.kind),
            Some(EventKind::PreSession(_))
        ),
        "the start form's checklist comes first"
    );
    (
        sessions,
        events
            .filter(|event| !common::ui::is_start_entry(event))
            .map(|event| event.kind)
            .collect(),
    )
}

#[test]
fn a_half_typed_note_is_saved_as_a_draft_and_offered_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    field(&harness, "Note").type_text("She mentions the kitch");
    harness.run();
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let id = store.record().live_sessions().unwrap()[0].id;
    assert_eq!(
        store.record().draft(id).unwrap().unwrap().text,
        "She mentions the kitch",
        "saved without pressing anything"
    );
    drop(store);

    // The app goes away (kittest never calls on_exit, so nothing more is written) and a new one starts.
    drop(harness);
    let mut harness = app(dir.path(), &clock);
    harness.run();
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some("She mentions the kitch")
    );
    assert!(
        harness
            .query_by_label_contains("Your unsaved note from")
            .is_some()
    );
}

#[test]
fn the_window_is_idle_unless_a_timer_is_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    harness.run();
    assert_eq!(
        repaint_delay(&harness),
        Duration::from_mins(10),
        "the session list repaints only on input, or to lock itself after 10 idle minutes"
    );
    start_session(&mut harness, "KAP");
    harness.run();
    let delay = repaint_delay(&harness);
    assert!(
        delay > Duration::from_millis(1) && delay <= Duration::from_secs(1),
        "{delay:?}"
    );
}

fn repaint_delay(harness: &Harness<'_, KapJournalApp>) -> Duration {
    harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|viewport| viewport.repaint_delay)
        .unwrap()
}

#[test]
fn a_window_on_a_folder_held_by_another_instance_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path(), &common::passphrase()).unwrap();
    let before = std::fs::read(dir.path().join("journal.db")).unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    harness.run();
    assert!(
        harness
            .query_by_label("KAP Journal cannot open the journal")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Another KAP Journal is already using the data folder")
            .is_some()
    );
    assert!(
        harness.query_by_label_contains("New session").is_none(),
        "nothing to write with"
    );
    assert_eq!(
        std::fs::read(dir.path().join("journal.db")).unwrap(),
        before
    );
}

#[test]
fn past_sessions_are_read_during_a_live_session_and_the_way_back_is_always_there() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let mut harness = common::ui::unattended_app(dir.path(), &journal.clock);
    // The fixture's live Medical Model session of C-0007 is resumed.
    field(&harness, "Note").type_text("half a thought");
    harness.run();
    click(&mut harness, "Sessions");
    assert!(harness.query_by_label_contains("KAP sessions").is_some());
    assert!(
        harness
            .query_by_label_contains("Back to the live session")
            .is_some(),
        "the way back is on the home screen"
    );
    harness.get_by_label("C-0142").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Found words for the fear")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Back to the live session")
            .is_some(),
        "and on the session being read"
    );
    // Whole, on its own line, overlapping nothing of the bar above it.
    let back = harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("Back to the live session"),
        )
        .rect();
    let lock = harness
        .get(By::new().role(Role::Button).label_contains("Lock"))
        .rect();
    assert!(back.top() >= lock.bottom(), "{back:?} below {lock:?}");
    assert!(
        harness
            .query(By::new().role(Role::Button).label_contains("New session"))
            .is_some_and(|button| button.accesskit_node().is_disabled()),
        "no second session while one is live"
    );
    click(&mut harness, "Back to the live session");
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some("half a thought"),
        "the note field is as it was left"
    );
    field(&harness, "Note").type_text(", finished");
    harness.run();
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some("half a thought, finished"),
        "with the focus in it"
    );
}

#[test]
fn a_place_shut_while_a_session_is_live_stays_shut_when_a_screen_offers_it() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let mut harness = common::ui::unattended_app(dir.path(), &journal.clock);
    // The fixture's live session is resumed; the practice screen offers the settings by a button.
    click(&mut harness, "Practice");
    click(&mut harness, "Open Settings");
    assert!(
        harness
            .query_by_label_contains("Settings opens once the live session has ended.")
            .is_some(),
        "the refusal is said"
    );
    assert!(
        harness.query_by_label("Clinic settings").is_none(),
        "the settings did not open"
    );
    assert!(
        harness
            .query_by_label_contains("has not joined a practice")
            .is_some(),
        "the practice screen stays"
    );
    click(&mut harness, "Back to the live session");
    assert!(
        harness.query_by_label("Note").is_some(),
        "the live view is there"
    );
}
