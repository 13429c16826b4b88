//! Questionnaires and the checklist: scored as entered, nudged when due, charted in a client's history.

use super::*;

#[test]
fn a_phq9_entered_item_by_item_is_scored_and_item_nine_stands_out() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    shortcut(&mut harness, Key::M);
    harness.get_by_label("PHQ-9").click();
    harness.run();
    type_into(&mut harness, "Answers", "210301121");
    assert!(shows(&harness, "9. Better off dead / self-harm: 1"));
    assert!(shows(&harness, "PHQ-9 11 (moderate) · item 9 above zero"));
    click(&mut harness, "Record measure");

    let events = stored_events(dir.path());
    let [EventKind::Measure { measure, .. }] = events.as_slice() else {
        panic!("one measure committed, got {events:?}");
    };
    assert_eq!(measure.instrument(), Instrument::Phq9);
    assert_eq!(measure.total(), 11);
    assert!(measure.self_harm_flag());
    assert!(
        harness
            .query_all_by_label_contains("PHQ-9 item 9 above zero")
            .count()
            >= 2,
        "the timeline row carries the flag"
    );
    // Item 9 above zero opens the safety plan by itself, and the header says one is due.
    assert!(shows(&harness, "make a safety plan with the client"));
    assert!(shows(&harness, "SAFETY  Suicide risk: safety plan to make"));
}

#[test]
fn too_many_or_unreadable_answers_are_named_while_typing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    shortcut(&mut harness, Key::M);
    type_into(&mut harness, "Answers", "21");
    assert!(
        !shows(&harness, "were answered"),
        "a short answer is still being typed"
    );
    type_into(&mut harness, "Answers", "0301121");
    assert!(shows(&harness, "CADSS-6 has 6 items; 9 were answered."));
    click(&mut harness, "Record measure");
    assert!(stored_events(dir.path()).is_empty());
}

#[test]
fn the_checklist_flags_medicines_needs_consent_and_is_offered_again_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0142");
    type_into(&mut harness, "Weight", "72");
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    type_into(&mut harness, "Comfort plan", "Hand on shoulder if asked.");
    type_into(
        &mut harness,
        "Current medicines",
        "sertraline 50 mg\nlorazepam 1 mg",
    );
    assert!(shows(
        &harness,
        "lorazepam 1 mg: benzodiazepine or other sedative"
    ));
    assert!(
        !shows(&harness, "sertraline 50 mg:"),
        "only what matters is flagged"
    );
    type_into(&mut harness, "Hours since food", "6");
    type_into(&mut harness, "Blood pressure", "150/92");
    type_into(&mut harness, "PHQ-9 answers", "111111110");
    click(&mut harness, "Start session");
    assert!(shows(
        &harness,
        "Confirm the client's consent before starting the session."
    ));
    assert!(
        Store::open_for_reading(dir.path(), &common::passphrase())
            .unwrap()
            .record()
            .clients()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );
    common::ui::confirm_consent(&mut harness);
    click(&mut harness, "Start session");

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let events: Vec<EventKind> = store
        .record()
        .events(kap_journal::domain::SessionId(1))
        .unwrap()
        .into_iter()
        .map(|event| event.kind)
        .collect();
    let [
        EventKind::PreSession(checklist),
        EventKind::Vitals { vitals, .. },
        EventKind::Measure { measure, .. },
    ] = events.as_slice()
    else {
        panic!("checklist, baseline vitals and PHQ-9, got {events:?}");
    };
    assert_eq!(checklist.weight_kg, Some(72.0));
    assert_eq!(checklist.fasting_hours, Some(6.0));
    assert_eq!(checklist.medicines, ["sertraline 50 mg", "lorazepam 1 mg"]);
    assert!(checklist.consent);
    assert_eq!(vitals.blood_pressure(), Some((150, 92)));
    assert_eq!(measure.total(), 8);
    drop(store);

    // The next session for the same client offers weight and medicines again; consent is asked anew.
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "New session");
    common::ui::choose_client(&mut harness, "C-0142");
    assert_eq!(
        common::ui::field(&harness, "Current medicines")
            .value()
            .as_deref(),
        Some("sertraline 50 mg\nlorazepam 1 mg")
    );
    assert_eq!(
        common::ui::field(&harness, "Weight").value().as_deref(),
        Some("72")
    );
    assert_eq!(
        common::ui::field(&harness, "Comfort plan")
            .value()
            .as_deref(),
        Some("Hand on shoulder if asked.")
    );
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    click(&mut harness, "Start session");
    assert!(shows(
        &harness,
        "Confirm the client's consent before starting the session."
    ));
}

#[test]
fn the_client_history_shows_questionnaire_trends_with_item_nine_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    for (phq9, gad7) in [("222222221", "2222222"), ("111111110", "1111111")] {
        click(&mut harness, "New session");
        if Store::open_for_reading(dir.path(), &common::passphrase())
            .unwrap()
            .record()
            .clients()
            .unwrap()
            .is_empty()
        {
            type_into(&mut harness, "Client code", "C-0142");
            type_into(&mut harness, "Weight", "72");
        } else {
            common::ui::choose_client(&mut harness, "C-0142");
        }
        type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
        type_into(&mut harness, "PHQ-9 answers", phq9);
        type_into(&mut harness, "GAD-7 answers", gad7);
        common::ui::confirm_consent(&mut harness);
        click(&mut harness, "Start session");
        click(&mut harness, "End session");
        common::ui::end_now(&mut harness);
    }
    click(&mut harness, "Client history");
    assert!(shows(&harness, "Questionnaire scores per session"));
    // 8 x 2 + 1 = 17, then 8 x 1 + 0 = 8.
    assert!(shows(
        &harness,
        "PHQ-9 17 (moderately severe) · item 9 above zero first; PHQ-9 8 (mild) now; across 2 sessions"
    ));
    assert!(shows(
        &harness,
        "GAD-7 14 (moderate) first; GAD-7 7 (mild) now; across 2 sessions"
    ));
}

#[test]
fn the_dissociation_scale_is_nudged_at_its_set_time_and_cleared_when_answered() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    clock.advance(Duration::from_mins(39));
    harness.run();
    assert!(!shows(&harness, "CADSS-6 due"), "not before its minute");
    clock.advance(Duration::from_mins(2));
    harness.run();
    due_line_shows(
        &harness,
        "CADSS-6 due (40 min after dosing)",
        "CADSS-6 due (40 min after dosing, 1:00 overdue)",
    );
    click(&mut harness, "Ask CADSS-6");
    type_into(&mut harness, "Answers", "121000");
    click(&mut harness, "Record measure");
    assert!(!shows(&harness, "CADSS-6 due"), "answered, the nudge goes");
    // Half an hour later, ending the session asks for it again.
    clock.advance(Duration::from_mins(30));
    click(&mut harness, "End session");
    assert!(shows(&harness, "CADSS-6 due (before discharge)"));
    harness.key_press(Key::Escape);
    harness.run();
    let events = stored_events(dir.path());
    assert!(
        matches!(events.last(), Some(EventKind::Measure { measure, .. }) if measure.instrument() == Instrument::Cadss6 && measure.total() == 4),
        "{events:?}"
    );
}

#[test]
fn a_medical_model_clients_history_has_no_sit_with_it_charts() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Client history");
    assert!(shows(&harness, "Dose delivered per session"));
    assert!(shows(&harness, "Decision points per session"));
    for kap in ["How \"sit with it\" ended", "What followed sitting with it"] {
        assert!(
            !shows(&harness, kap),
            "{kap} in a Medical Model client's history"
        );
    }
}
