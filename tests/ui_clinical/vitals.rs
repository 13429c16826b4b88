//! Vital signs in the live view: flags raised at once, impossible readings refused, the infusion's schedule.

use super::*;

#[test]
fn high_blood_pressure_is_flagged_at_once_and_stays_on_screen_during_sit_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "184/112");
    type_into(&mut harness, "Heart rate", "96");
    type_into(&mut harness, "SpO2", "97");
    type_into(&mut harness, "Sedation (MOAA/S)", "4");
    click(&mut harness, "Record vitals");

    let events = stored_events(dir.path());
    let [
        EventKind::Vitals { vitals, .. },
        EventKind::Sedation { rating, .. },
    ] = events.as_slice()
    else {
        panic!("vitals and sedation committed as two entries, got {events:?}");
    };
    assert_eq!(vitals.blood_pressure(), Some((184, 112)));
    assert_eq!(rating.score(), 4);
    assert!(shows(&harness, "SAFETY  Blood pressure 184/112 is high"));
    // A screen reader announces the flag at once.
    assert_eq!(
        harness
            .get_by_label_contains("SAFETY  Blood pressure 184/112 is high")
            .accesskit_node()
            .live(),
        egui::accesskit::Live::Assertive
    );

    // A "sit with it" while the flag stands asks first, inline; Enter goes ahead and says so in the
    // timeline. The countdown runs, and the safety signal is still there.
    shortcut(&mut harness, Key::S);
    assert!(shows(
        &harness,
        "Blood pressure 184/112 is high: ask to sit with it while this stands?"
    ));
    harness.key_press(Key::Enter);
    harness.run();
    assert!(matches!(
        stored_events(dir.path()).as_slice(),
        [.., EventKind::WentAhead { warning }, EventKind::DecisionPoint(_), EventKind::DeferralStart { .. }]
            if warning.contains("184/112")
    ));
    clock.advance(Duration::from_secs(90));
    harness.run();
    assert!(shows(&harness, "Sit with it  3:30"), "the countdown runs");
    assert!(
        shows(&harness, "SAFETY  Blood pressure 184/112 is high"),
        "a deferral never hides a safety signal"
    );

    // A normal reading clears it.
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "142/88");
    click(&mut harness, "Record vitals");
    assert!(!shows(&harness, "SAFETY"));
}

/// Breathing is watched like the rest: a slow respiratory rate on supplemental oxygen is stored
/// with the reading, flagged at once as possible respiratory depression, and the adverse event of
/// that name can be recorded beside it.
#[test]
fn slow_breathing_on_oxygen_is_stored_and_flagged_as_respiratory_depression() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "SpO2", "93");
    type_into(&mut harness, "Resp. rate", "8");
    type_into(&mut harness, "O2 (L/min)", "2.5");
    click(&mut harness, "Record vitals");
    let events = stored_events(dir.path());
    let [EventKind::Vitals { vitals, .. }] = events.as_slice() else {
        panic!("one reading, got {events:?}");
    };
    assert_eq!(vitals.respiratory_rate(), Some(8));
    assert_eq!(vitals.oxygen_l_min(), Some(2.5));
    let row = egui_kittest::kittest::By::new().predicate(|node| {
        node.value()
            .is_some_and(|text| text.starts_with("SpO2 93 % · RR 8 · O2 2.5 L/min"))
    });
    assert!(
        harness.query_all(row).next().is_some(),
        "the timeline row says it"
    );
    assert!(shows(
        &harness,
        "SAFETY  Respiratory rate 8 is slow (respiratory depression?)"
    ));

    shortcut(&mut harness, Key::R);
    harness.get_by_label("Respiratory depression").click();
    harness.run();
    type_into(&mut harness, "Action taken", "infusion paused, chin lift");
    type_into(&mut harness, "What happened", "shallow breathing");
    click(&mut harness, "Record adverse event");
    assert!(matches!(
        stored_events(dir.path()).as_slice(),
        [_, EventKind::AdverseEvent(event)]
            if event.category == kap_journal::domain::AdverseCategory::RespiratoryDepression
    ));

    // A rate typed wrong is refused in a sentence, and nothing is stored.
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Resp. rate", "80");
    click(&mut harness, "Record vitals");
    assert!(shows(
        &harness,
        "A respiratory rate is a whole number of breaths per minute from 2 to 60."
    ));
    assert_eq!(stored_events(dir.path()).len(), 2);
}

#[test]
fn impossible_vitals_are_refused_with_a_plain_message_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "400/20");
    click(&mut harness, "Record vitals");
    assert!(shows(&harness, "Blood pressure 400/20 cannot be right"));

    // Esc goes back to the note; the vitals form opens empty again.
    harness.key_press(Key::Escape);
    harness.run();
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "SpO2", "130");
    click(&mut harness, "Record vitals");
    assert!(shows(
        &harness,
        "SpO2 is a whole percentage from 50 to 100."
    ));
    assert!(stored_events(dir.path()).is_empty(), "nothing was saved");
}

#[test]
fn vitals_come_due_on_the_infusion_schedule_and_the_nudge_opens_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    common::ui::start_session_without_baseline(&mut harness, "KAP");
    assert!(shows(&harness, "Vitals due (before dosing"));
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "128/82");
    click(&mut harness, "Record vitals");
    shortcut(&mut harness, Key::B);
    assert!(shows(&harness, "Next vitals in 15:00 (every 15 min)"));

    clock.advance(Duration::from_mins(16));
    harness.run();
    due_line_shows(
        &harness,
        "Vitals due (every 15 min)",
        "Vitals due (every 15 min, 1:00 overdue)",
    );
    click(&mut harness, "Take vitals");
    type_into(&mut harness, "Heart rate", "88");
    click(&mut harness, "Record vitals");
    assert!(shows(&harness, "Next vitals in 14:00 (every 15 min)"));
    assert_eq!(
        stored_events(dir.path())
            .iter()
            .filter(|kind| matches!(kind, EventKind::Vitals { .. }))
            .count(),
        2
    );
}

#[test]
fn thresholds_changed_in_the_settings_flag_the_next_reading() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "Settings");
    let systolic = "Flag systolic at or above (mmHg)";
    harness.get_by_label(systolic).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(systolic).type_text("150");
    harness.key_press(Key::Enter);
    harness.run();
    click(&mut harness, "Save settings");
    assert!(shows(&harness, "Settings saved."));
    let saved = Store::open_for_reading(dir.path(), &common::passphrase())
        .unwrap()
        .clinic_settings()
        .unwrap();
    assert_eq!(saved.thresholds.systolic_at_or_above, 150);

    click(&mut harness, "Sessions");
    start_session(&mut harness, "KAP");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "155/85");
    click(&mut harness, "Record vitals");
    assert!(shows(&harness, "SAFETY  Blood pressure 155/85 is high"));
}

#[test]
fn a_weight_typed_in_pounds_is_shown_back_in_pounds_and_dosed_in_kilograms() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0154");
    type_into(&mut harness, "Weight", "154 lb");
    assert!(shows(&harness, "= 69.9 kg"), "said in kilograms as typed");
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    common::ui::confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    // The timeline's checklist line reads in pounds, the kilograms beside them.
    assert!(shows(&harness, "154 lb (69.9 kg)"));

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let events = store
        .record()
        .events(kap_journal::domain::SessionId(1))
        .unwrap();
    let EventKind::PreSession(checklist) = &events[0].kind else {
        panic!("the checklist comes first: {events:?}");
    };
    assert_eq!(checklist.weight_kg, Some(69.853));
    assert_eq!(checklist.weighed_in, kap_journal::domain::WeightUnit::Lb);
    drop(store);

    // The next session offers the weight again in pounds.
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "New session");
    common::ui::choose_client(&mut harness, "C-0154");
    assert_eq!(
        common::ui::field(&harness, "Weight").value().as_deref(),
        Some("154 lb")
    );
    assert!(shows(&harness, "last recorded weight 154 lb (69.9 kg)"));
}
