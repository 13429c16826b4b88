//! The passphrase screen in the real app: choosing one for a new journal, and unlocking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::{KEY_FILE_NAME, LockedJournal, Passphrase, Store};
use kap_journal::ui::KapJournalApp;

use common::ui::{click, step_until, type_into};

fn locked_app(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    let journal = LockedJournal::claim(dir);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            KapJournalApp::new(cc, journal, clock)
                .automatic_backups(false)
                .writes_inline()
        })
}

/// Types into the passphrase field and presses Enter, as at the unlock and lock screens.
fn submit_passphrase(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    type_into(harness, "Passphrase", text);
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn a_new_journal_asks_for_a_passphrase_twice_and_refuses_a_short_or_mismatched_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = locked_app(dir.path());
    harness.run();
    assert!(
        harness
            .query_by_label("Choose a passphrase for this journal")
            .is_some()
    );

    type_into(&mut harness, "Passphrase", "too short");
    type_into(&mut harness, "Passphrase again", "too short");
    click(&mut harness, "Create journal");
    assert!(
        harness
            .query_by_label("A passphrase needs at least 10 characters.")
            .is_some()
    );
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing written");

    type_into(&mut harness, "Passphrase", "long enough passphrase");
    type_into(&mut harness, "Passphrase again", "long enough passphrasE");
    click(&mut harness, "Create journal");
    assert!(
        harness
            .query_by_label("The two passphrases differ; type them again.")
            .is_some()
    );
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing written");

    type_into(&mut harness, "Passphrase", "long enough passphrase");
    type_into(&mut harness, "Passphrase again", "long enough passphrase");
    click(&mut harness, "Create journal");
    assert!(harness.query_by_label("No sessions yet").is_some());
    drop(harness);

    let store = Store::open(
        dir.path(),
        &Passphrase::new("long enough passphrase".to_owned()),
    );
    assert!(store.is_ok(), "the chosen passphrase opens the journal");
}

#[test]
fn a_wrong_passphrase_gets_one_sentence_and_the_right_one_opens_the_journal() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let before = common::folder_snapshot(dir.path());

    let mut harness = locked_app(dir.path());
    harness.run();
    assert!(harness.query_by_label("Unlock KAP Journal").is_some());
    assert!(harness.query_by_label("Passphrase again").is_none());
    for attempt in 0..3 {
        submit_passphrase(&mut harness, "not the passphrase");
        assert!(
            harness
                .query_by_label("That passphrase does not unlock this journal.")
                .is_some(),
            "attempt {attempt}"
        );
        assert!(
            harness.query_by_label_contains("C-").is_none(),
            "no client data shown"
        );
    }
    assert_eq!(
        common::folder_snapshot(dir.path()),
        before,
        "wrong tries wrote nothing"
    );

    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(harness.query_by_label("Unlock KAP Journal").is_none());
    assert!(harness.query_by_label_contains("Sessions").is_some());
}

#[test]
fn the_passphrase_is_changed_in_the_settings_and_the_old_one_stops_working() {
    let journal = common::journal();
    let dir = journal.dir;
    drop(journal.store);
    let mut harness = common::ui::app(dir.path(), &journal.clock);
    click(&mut harness, "Settings");

    type_into(&mut harness, "Current passphrase", "not the passphrase");
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase");
    click(&mut harness, "Change passphrase");
    assert!(
        harness
            .query_by_label("That passphrase does not unlock this journal.")
            .is_some()
    );

    type_into(&mut harness, "Current passphrase", common::PASSPHRASE);
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase!");
    click(&mut harness, "Change passphrase");
    assert!(
        harness
            .query_by_label("The two new passphrases differ; nothing was changed.")
            .is_some()
    );

    type_into(&mut harness, "Current passphrase", common::PASSPHRASE);
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase");
    click(&mut harness, "Change passphrase");
    assert!(harness.query_by_label("Passphrase changed.").is_some());
    drop(harness);

    assert!(Store::open(dir.path(), &common::passphrase()).is_err());
    assert!(
        Store::open(
            dir.path(),
            &Passphrase::new("a fresh passphrase".to_owned())
        )
        .is_ok()
    );
}

/// Whether anything of the journal is on screen: the client code or the note being typed.
fn shows_client_data(harness: &Harness<'_, KapJournalApp>) -> bool {
    harness.query_by_label_contains("C-0142").is_some()
        || harness.query_by_label_contains("Wave of grief").is_some()
        || harness
            .query_by_label_contains("grief about my father")
            .is_some()
}

#[test]
fn the_window_locks_after_ten_idle_minutes_saving_the_draft_and_unlocks_to_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app(dir.path(), &clock);
    common::ui::start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    type_into(&mut harness, "Note", "Wave of grief, half typed");
    assert!(shows_client_data(&harness));

    clock.advance(std::time::Duration::from_secs(9 * 60 + 59));
    harness.run();
    assert!(!harness.state().is_locked(), "not yet at 9:59");
    clock.advance(std::time::Duration::from_secs(1));
    harness.run();
    assert!(harness.state().is_locked());
    assert!(harness.query_by_label("KAP Journal is locked").is_some());
    assert!(
        !shows_client_data(&harness),
        "no client data on the lock screen"
    );
    assert!(
        harness
            .query_by_label_contains("its timers go on")
            .is_some()
    );
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let live = store.live_sessions().unwrap()[0].id;
    assert_eq!(
        store
            .draft(live)
            .unwrap()
            .map(|draft| draft.text)
            .as_deref(),
        Some("Wave of grief, half typed"),
        "the draft was saved before locking"
    );
    drop(store);

    // The session's clock runs on while locked.
    clock.advance(std::time::Duration::from_mins(5));
    submit_passphrase(&mut harness, "not it at all");
    assert!(
        harness
            .query_by_label("That passphrase does not unlock this journal.")
            .is_some()
    );
    assert!(harness.state().is_locked());
    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(!harness.state().is_locked());
    assert_eq!(
        common::ui::field(&harness, "Note").value().as_deref(),
        Some("Wave of grief, half typed"),
        "back where the clinician was, with the words typed"
    );
    assert!(
        harness
            .query_all_by_label_contains("15:00")
            .next()
            .is_some(),
        "time since dosing counted the locked minutes"
    );
}

#[test]
fn a_sleep_that_stops_the_monotonic_clock_locks_on_waking_and_the_shortcut_locks_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app(dir.path(), &clock);
    common::ui::start_session(&mut harness, "KAP");
    assert!(!harness.state().is_locked());
    // Suspended for an hour: the monotonic clock stood still, only the wall clock moved.
    clock.set_wall(clock.wall() + chrono::Duration::hours(1));
    harness.run();
    assert!(harness.state().is_locked());
    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(!harness.state().is_locked());

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::L,
    );
    harness.run();
    assert!(harness.state().is_locked(), "Ctrl+Shift+L locks");
    assert!(!shows_client_data(&harness));
    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(!harness.state().is_locked());
    assert!(
        harness.query_by_label("New dose").is_none(),
        "the shortcut did not also open the lower-dose form (Ctrl+L)"
    );

    click(&mut harness, "Lock");
    assert!(harness.state().is_locked(), "the Lock button locks");
    assert!(!shows_client_data(&harness));
}

#[test]
fn the_lock_screen_keeps_the_countdown_and_safety_flags_and_unlocking_returns_to_the_note_field() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app(dir.path(), &clock);
    common::ui::start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    // A high blood pressure, then a sit-with-it of 15 minutes for the grief that came up.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    harness.run();
    type_into(&mut harness, "Blood pressure", "186/104");
    click(&mut harness, "Record vitals");
    common::ui::field(&harness, "Note").type_text("Wave of grief");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    // The flag stands: the journal asks first, inline; Enter goes ahead.
    harness.key_press(egui::Key::Enter);
    harness.run();
    harness.get_by_label_contains("Sit with it  5:00");
    // Ten more minutes agreed, without leaving the note field.
    for _ in 0..10 {
        harness.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowUp);
    }
    harness.run();
    harness.get_by_label_contains("Sit with it  15:00");

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::L,
    );
    harness.run();
    clock.advance(std::time::Duration::from_mins(4));
    harness.run();
    assert!(harness.state().is_locked());
    assert!(!shows_client_data(&harness), "still nobody's name or words");
    let safety = harness.get_by_label_contains("SAFETY").rect();
    let countdown = harness.get_by_label_contains("Sit with it  11:00").rect();
    assert!(
        safety.top() < countdown.top(),
        "the safety flag ranks above the countdown"
    );
    assert!(
        safety.height() >= countdown.height(),
        "and is at least as large"
    );
    clock.advance(std::time::Duration::from_mins(12));
    harness.run();
    // Announced by its steady words; what the line shows, with the time over, is its description.
    let up = harness.get_by_label("Time is up: record the outcome of sit with it");
    assert!(
        up.accesskit_node()
            .description()
            .is_some_and(|shown| shown.starts_with("Time is up (1:00 over)")),
        "the lock screen shows the countdown's end"
    );

    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(!harness.state().is_locked());
    // Typing goes straight to the note field, nothing is lost.
    harness
        .get(By::new().role(Role::MultilineTextInput))
        .type_text("Back after unlocking");
    harness.run();
    assert_eq!(
        common::ui::field(&harness, "Note").value().as_deref(),
        Some("Back after unlocking")
    );
}

#[test]
fn a_new_folder_restores_a_backup_from_another_computer_with_its_passphrase() {
    // The backup of a journal on the old computer.
    let old = common::journal_with_fixture();
    let files = tempfile::tempdir().unwrap();
    let backup = files.path().join("journal-20261130-180000.db");
    old.store.backup_to(&backup, |_| {}).unwrap();
    drop(old);

    let dir = tempfile::tempdir().unwrap();
    let mut harness = locked_app(dir.path());
    harness.run();
    harness.get_by_label("Or restore a backup");
    type_into(&mut harness, "Backup file", backup.to_str().unwrap());
    type_into(
        &mut harness,
        "Passphrase of the backup",
        "not the passphrase at all",
    );
    click(&mut harness, "Restore from a backup");
    step_until(&mut harness, "the refusal", |h| {
        h.query_by_label("That passphrase does not unlock this journal.")
            .is_some()
    });
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing kept");

    type_into(&mut harness, "Passphrase of the backup", common::PASSPHRASE);
    click(&mut harness, "Restore from a backup");
    step_until(&mut harness, "the restored journal", |h| {
        h.query_by_label_contains("The backup was restored.")
            .is_some()
    });
    harness.run();
    // The fixture's live session is taken up again, as after any start.
    assert!(
        harness
            .query_all_by_label_contains("C-0007")
            .next()
            .is_some()
    );
    assert!(dir.path().join(KEY_FILE_NAME).exists());
}

/// The key is derived on a thread of its own: the frame that takes the passphrase only starts the
/// try, the button says so meanwhile, and the journal opens when the try is done.
#[test]
fn the_passphrase_is_tried_beside_the_window_which_keeps_drawing() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let locked = LockedJournal::claim(dir.path());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| KapJournalApp::new(cc, locked, clock).automatic_backups(false));
    harness.run();
    type_into(&mut harness, "Passphrase", common::PASSPHRASE);
    harness.key_press(egui::Key::Enter);
    harness.step();
    assert!(
        harness.query_by_label("Unlocking…").is_some(),
        "the frame started the try and went on"
    );
    step_until(&mut harness, "the journal to open", |harness| {
        harness.query_by_label("Unlock KAP Journal").is_none()
    });
    harness.run();
    assert!(harness.state().journal().is_some());
}

/// The clinician's next note after the automatic lock is a note, not a passphrase try: it is kept
/// on the lock screen and added to the session's note once unlocked, and the window comes back to
/// the live session (from whatever screen was open) with the caret after the words.
#[test]
fn a_note_typed_on_the_lock_screen_is_kept_for_the_session_and_never_tried_as_a_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app(dir.path(), &clock);
    common::ui::start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    type_into(&mut harness, "Note", "Breathing slowly,");
    // Reading the session list while the session runs.
    click(&mut harness, "Sessions");
    clock.advance(std::time::Duration::from_mins(10));
    harness.run();
    assert!(harness.state().is_locked());

    // Typed at once, without a click: the note field has the focus.
    common::ui::field(
        &harness,
        "Note for the session (added to its note when unlocked)",
    )
    .type_text("asked for water");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(
        harness
            .query_by_label("That passphrase does not unlock this journal.")
            .is_none(),
        "nothing typed was tried as a passphrase"
    );
    assert!(harness.state().is_locked());
    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(!harness.state().is_locked());
    harness.run();
    assert_eq!(
        common::ui::field(&harness, "Note").value().as_deref(),
        Some("Breathing slowly, asked for water"),
        "back in the live session's note with both, the kept words after the draft"
    );
    // The caret is after them: the next words follow, with no click.
    common::ui::field(&harness, "Note").type_text(" and rested");
    harness.run();
    assert_eq!(
        common::ui::field(&harness, "Note").value().as_deref(),
        Some("Breathing slowly, asked for water and rested")
    );
}
