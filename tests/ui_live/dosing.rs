//! Doses and infusions in the live view, and the session's end with what it asks.

use super::*;

#[test]
fn an_infusion_is_extended_from_the_dose_change_form_and_its_end_moves() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    clock.advance(Duration::from_mins(30));
    harness.run();
    harness.get_by_label_contains("ends in 10:00");
    field(&harness, "Note").type_text("Wants a little longer");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    harness.run();
    // The form's first field has the focus; the words typed before stay as the reason.
    field(&harness, "New dose").type_text("0.6");
    harness.run();
    assert_eq!(field(&harness, "New dose").value().as_deref(), Some("0.6"));
    harness.get(By::new().label("Extend infusion")).click();
    harness.run();
    assert_eq!(
        field(&harness, "Extend by (min)").value().as_deref(),
        Some("10")
    );
    click(&mut harness, "Record dose change");
    harness.get_by_label_contains("ends in 20:00");
    let (_, events) = stored(dir.path());
    assert!(
        matches!(&events[1], EventKind::InfusionExtended { minutes: 10, reason } if reason == "Wants a little longer")
    );
}

#[test]
fn dosing_without_a_baseline_asks_inline_and_esc_goes_back_with_nothing_saved() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    common::ui::start_session_without_baseline(&mut harness, "KAP");
    field(&harness, "Note").type_text("ready");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run();
    harness.get_by_label("No baseline vitals were taken: begin dosing without them?");
    // Typing is never blocked while it asks.
    field(&harness, "Note").type_text(" now");
    harness.run();
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some("ready now")
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("No baseline vitals")
            .is_none()
    );
    assert!(stored(dir.path()).1.is_empty(), "nothing saved");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let (_, events) = stored(dir.path());
    assert!(
        matches!(
            events.as_slice(),
            [EventKind::WentAhead { warning }, EventKind::DosingBegan { .. }]
                if warning == "No baseline vitals were taken: begin dosing without them?"
        ),
        "{events:?}"
    );
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some("ready now"),
        "the typed words stay for the next entry"
    );
}

#[test]
fn a_dose_change_says_why_and_one_the_client_asked_for_is_a_decision_point() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    click(&mut harness, "Begin dosing");
    clock.advance(Duration::from_mins(10));
    field(&harness, "Note").type_text("too strong, asks for less");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    harness.run();
    field(&harness, "New dose").type_text("0.35 mg/kg over 40 min");
    harness.run();
    // Without a why, nothing is recorded and the form says what is missing.
    click(&mut harness, "Record dose change");
    harness.get_by_label_contains("Choose why the dose changes");
    assert_eq!(stored(dir.path()).1.len(), 1, "only dosing began");

    harness.get(By::new().label("The client asked")).click();
    harness.run();
    click(&mut harness, "Record dose change");
    let (sessions, events) = stored(dir.path());
    let kinds: Vec<_> = events.iter().map(EventKind::as_str).collect();
    assert_eq!(kinds, ["dosing_began", "decision_point", "dose_change"]);
    assert!(
        matches!(&events[1], EventKind::DecisionPoint(point)
            if point.detail == "too strong, asks for less"
                && point.asked == kap_journal::domain::Asked::ClientAsksToLower
                && point.decision == Decision::LowerNow),
        "{:?}",
        events[1]
    );
    assert_eq!(
        sessions[0].decision_points, 1,
        "counted as the session's decision"
    );

    // Another reason is a dose change that says it.
    field(&harness, "Note").type_text("BP 172/104");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    harness.run();
    field(&harness, "New dose").type_text("0.3 mg/kg over 40 min");
    harness.get(By::new().label("The vitals")).click();
    harness.run();
    click(&mut harness, "Record dose change");
    let (sessions, events) = stored(dir.path());
    assert!(
        matches!(events.last(), Some(EventKind::DoseChange { reason, .. }) if reason == "Vitals: BP 172/104"),
        "{:?}",
        events.last()
    );
    assert_eq!(sessions[0].decision_points, 1);
}

#[test]
fn an_esketamine_session_ends_with_the_rems_forms_own_questions() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        store
            .save_clinician(&kap_journal::domain::Clinician {
                name: "R. Okafor".into(),
                credentials: "RN (synthetic)".into(),
            })
            .unwrap();
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::unattended_app(dir.path(), &clock);
    click(&mut harness, "New session");
    common::ui::type_into(&mut harness, "Client code", "E-0001");
    harness.get_by_label("Intranasal esketamine").click();
    harness.run();
    common::ui::type_into(&mut harness, "Starting dose", "56 mg");
    common::ui::type_into(&mut harness, "Blood pressure", "124/80");
    common::ui::confirm_consent(&mut harness);
    click(&mut harness, "Start session");
    click(&mut harness, "Begin dosing");
    // Two hours of monitoring, with a note now and then (the window locks after an hour untouched).
    for note in ["Settled.", "Talking quietly.", "Alert, oriented."] {
        clock.advance(Duration::from_mins(42));
        harness.run();
        log_note(&mut harness, note);
    }

    click(&mut harness, "End session");
    assert_eq!(
        field(&harness, "Monitored by").value().as_deref(),
        Some("R. Okafor, RN (synthetic)"),
        "the clinician in Settings, named in the session"
    );
    common::ui::type_into(&mut harness, "Ready to leave after (min)", "ninety");
    click(&mut harness, "End session now");
    assert!(
        harness
            .query_by_label_contains("Ready to leave after how many minutes")
            .is_some(),
        "a word for minutes is refused in a sentence"
    );
    field(&harness, "Ready to leave after (min)").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    field(&harness, "Ready to leave after (min)").type_text("90");
    harness.run();
    harness.get_by_label("No").click();
    harness.run();
    common::ui::fill_discharge(&mut harness);

    let (_, events) = stored(dir.path());
    let discharge = events
        .iter()
        .find_map(|kind| match kind {
            EventKind::SessionEnded {
                discharge: Some(discharge),
                ..
            } => Some(discharge.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (
            discharge.monitored_by.as_deref(),
            discharge.ready_after_minutes,
            discharge.serious_adverse_event
        ),
        (Some("R. Okafor, RN (synthetic)"), Some(90), Some(false))
    );
}
