//! The window locking: after idle minutes, on waking, at once; what the lock screen keeps and where unlocking returns.

use super::*;

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
    let live = store.record().live_sessions().unwrap()[0].id;
    assert_eq!(
        store
            .record()
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
