//! Decision points and sit-with-it deferrals from the keyboard: one key each, the countdown, the outcome.

use super::*;

/// The questions asked before ending minutes after dosing, without the scale or a ride.
fn went_ahead_at_an_early_end(events: &[EventKind]) {
    let warnings: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            EventKind::WentAhead { warning } => Some(warning.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        warnings[0].starts_with("The infusion is still running"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("Monitored 5 min of the 60 min required"),
        "{warnings:?}"
    );
    assert!(warnings[2].starts_with("CADSS-6 is due before discharge"));
    assert!(warnings[3].starts_with("The ride home is NOT confirmed"));
}

/// A screen reader announces a countdown's end at once, and once: its spoken name does not count
/// the seconds, and no running countdown is a live region.
fn time_up_is_announced_once(harness: &mut Harness<'_, KapJournalApp>, clock: &ManualClock) {
    let spoken = "Time is up: record the outcome of sit with it";
    assert_eq!(
        harness.get_by_label(spoken).accesskit_node().live(),
        egui::accesskit::Live::Assertive
    );
    clock.advance(Duration::from_secs(7));
    harness.run();
    assert!(harness.query_by_label(spoken).is_some());
    let running = harness
        .query_all_by_label_contains("Sit with it")
        .filter(|node| node.accesskit_node().live() != egui::accesskit::Live::Off)
        .count();
    assert_eq!(
        running, 0,
        "a running countdown is not announced every second"
    );
}

#[test]
fn a_kap_session_is_logged_with_a_sit_with_it_deferral_run_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    log_note(&mut harness, "Settled, eyes closed, music on.");
    click(&mut harness, "Begin dosing");

    field(&harness, "Note").type_text("grief about father");
    harness.run();
    // One click (or Ctrl+S) records it: the typed words are what came up.
    click(&mut harness, "Sit with it");
    assert_eq!(field(&harness, "Note").value().as_deref(), Some(""));
    assert!(
        harness
            .query_by_label_contains("Sit with it  5:00")
            .is_some(),
        "the countdown shows"
    );

    clock.advance(Duration::from_secs(5 * 60 + 1));
    harness.run();
    assert!(
        harness.query_by_label_contains("Time is up").is_some(),
        "an expired countdown asks for the outcome"
    );
    time_up_is_announced_once(&mut harness, &clock);

    // Clicking an earlier entry selects it as the one to bring to integration.
    harness
        .get_by_label("Settled, eyes closed, music on.")
        .click();
    harness.run();
    click(&mut harness, "Bring to integration");

    // Ending now asks for the outcome instead of ending.
    click(&mut harness, "End session");
    assert!(harness.query_by_label_contains("still open").is_some());
    field(&harness, "Outcome note").type_text("The wave passed.");
    harness.run();
    // The outcome is recorded at once, with the typed words as its note.
    click(&mut harness, "Worked through");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);

    // The ended session opens on its timeline; from the list it can be found and opened again.
    assert!(
        harness
            .query_by_label_contains("The wave passed.")
            .is_some()
    );
    click(&mut harness, "Back to sessions");
    assert!(harness.query_by_label("KAP sessions (1)").is_some());
    assert!(
        harness
            .query_by_label("No Medical Model sessions here.")
            .is_some(),
        "the models are listed apart"
    );
    harness.get_by_label("C-0142").click();
    harness.run();
    assert!(harness.query_by_label_contains("Session #1").is_some());
    assert!(
        harness
            .query_by_label_contains("grief about father")
            .is_some()
    );

    let (sessions, events) = stored(dir.path());
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (
            sessions[0].model,
            sessions[0].status,
            sessions[0].client_code.as_str()
        ),
        (TreatmentModel::Kap, SessionStatus::Ended, "C-0142")
    );
    let kinds: Vec<_> = events.iter().map(EventKind::as_str).collect();
    assert_eq!(
        kinds,
        [
            "note",
            "dosing_began",
            "decision_point",
            "deferral_start",
            "marker",
            "deferral_outcome",
            // Ended minutes after dosing, the infusion running, without the scale or a ride:
            // asked, and gone ahead; the infusion's stop is recorded with the end.
            "went_ahead",
            "went_ahead",
            "went_ahead",
            "went_ahead",
            "dose_change",
            "session_ended"
        ]
    );
    went_ahead_at_an_early_end(&events);
    assert_eq!(
        events[4],
        EventKind::Marker {
            // The first note is entry 3: the checklist and the baseline are entries 1 and 2.
            target_seq: kap_journal::domain::Seq(3),
            on: true
        }
    );
    assert!(
        matches!(&events[2], EventKind::DecisionPoint(point) if point.detail == "grief about father" && point.decision == Decision::SitWithIt { minutes: 5 })
    );
    assert!(
        matches!(&events[5], EventKind::DeferralOutcome { outcome: DeferralOutcome::WorkedThrough, note, .. } if note == "The wave passed.")
    );
}

#[test]
fn a_medical_model_session_offers_lower_dose_first_and_logs_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    click(&mut harness, "Begin dosing");
    let lower = harness
        .get(By::new().role(Role::Button).label_contains("Lower dose"))
        .rect();
    let decision = harness
        .get(
            By::new()
                .role(Role::Button)
                .label_contains("Decision point"),
        )
        .rect();
    assert!(
        lower.left() < decision.left(),
        "Medical Model puts lower dose first"
    );
    // Sitting with it and bringing material to integration are KAP's: no buttons for them here.
    for kap in ["Sit with it", "Bring to integration"] {
        assert!(
            harness
                .query_all(By::new().role(Role::Button).label_contains(kap))
                .next()
                .is_none(),
            "{kap} is not offered in the Medical Model"
        );
    }

    clock.advance(Duration::from_mins(12));
    field(&harness, "Note").type_text("uncomfortable, dizzy");
    harness.run();
    harness.get_by_label_contains("Current rate");
    harness.get_by_label_contains("0.75 mg/kg/h (54 mg/h at 72 kg)");
    // 0.5 mg/kg over 40 min runs at 0.75 mg/kg/h; Ctrl+L records the clinic's 75 % of it at once.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    harness.get_by_label_contains("0.56 mg/kg/h (40.32 mg/h at 72 kg)");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);

    let (sessions, events) = stored(dir.path());
    assert_eq!(
        (sessions[0].model, sessions[0].status),
        (TreatmentModel::Medical, SessionStatus::Ended)
    );
    let kinds: Vec<_> = events.iter().map(EventKind::as_str).collect();
    assert_eq!(
        kinds,
        [
            "dosing_began",
            "decision_point",
            "dose_change",
            "went_ahead",
            "went_ahead",
            "went_ahead",
            "went_ahead",
            "dose_change",
            "session_ended"
        ]
    );
    assert!(
        matches!(&events[1], EventKind::DecisionPoint(point) if point.decision == Decision::LowerNow && point.detail == "uncomfortable, dizzy")
    );
    assert!(
        matches!(&events[2], EventKind::DoseChange { dose: Some(dose), .. } if dose.to_string() == "0.56 mg/kg/h")
    );
}

#[test]
fn one_keystroke_records_a_sit_with_it_a_lower_rate_and_an_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    let press = |harness: &mut Harness<'_, KapJournalApp>, modifiers, key| {
        harness.key_press_modifiers(modifiers, key);
        harness.run();
    };
    field(&harness, "Note").type_text("tightness in the chest");
    harness.run();
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::S);
    harness.get_by_label_contains("Sit with it  5:00");
    press(&mut harness, egui::Modifiers::ALT, egui::Key::ArrowUp);
    press(&mut harness, egui::Modifiers::ALT, egui::Key::ArrowUp);
    harness.get_by_label_contains("7 min agreed, decision");
    press(&mut harness, egui::Modifiers::ALT, egui::Key::ArrowDown);
    clock.advance(Duration::from_mins(3));
    harness.run();
    harness.get_by_label_contains("Sit with it  3:00");
    field(&harness, "Note").type_text("still wants it lower");
    harness.run();
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::Num2);
    field(&harness, "Note").type_text("settling");
    harness.run();
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::L);

    let (_, events) = stored(dir.path());
    let kinds: Vec<_> = events.iter().map(EventKind::as_str).collect();
    assert_eq!(
        kinds,
        [
            "dosing_began",
            "decision_point",
            "deferral_start",
            "deferral_minutes",
            "deferral_minutes",
            "deferral_minutes",
            "deferral_outcome",
            "dose_change",
            "decision_point",
            "dose_change",
        ]
    );
    assert!(
        matches!(&events[1], EventKind::DecisionPoint(point) if point.detail == "tightness in the chest")
    );
    assert!(
        matches!(&events[5], EventKind::DeferralMinutes { minutes: 6, .. }),
        "{:?}",
        events[5]
    );
    assert!(
        matches!(&events[6], EventKind::DeferralOutcome { outcome: DeferralOutcome::DoseLowered, note, .. } if note == "still wants it lower")
    );
    // 0.75 mg/kg/h lowered to the proposed 75 % (0.56), then again to 75 % of that (0.42).
    assert!(
        matches!(&events[7], EventKind::DoseChange { dose: Some(dose), .. } if dose.to_string() == "0.56 mg/kg/h")
    );
    assert!(
        matches!(&events[8], EventKind::DecisionPoint(point) if point.detail == "settling" && point.decision == Decision::LowerNow)
    );
    assert!(
        matches!(&events[9], EventKind::DoseChange { dose: Some(dose), .. } if dose.to_string() == "0.42 mg/kg/h")
    );
    // Words stand as typed: a decision in one key states no kind and no asker nobody chose.
    for decision in [&events[1], &events[8]] {
        assert!(
            matches!(decision, EventKind::DecisionPoint(point)
                if point.came_up == kap_journal::domain::CameUp::NotStated
                    && point.asked == kap_journal::domain::Asked::NotStated),
            "{decision:?}"
        );
    }
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let id = store.record().session_ids().unwrap()[0];
    let record = kap_journal::export::SessionRecord::load(
        &store,
        id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let summary = kap_journal::export::markdown_summary(&record, &common::summary_context());
    assert!(summary.contains("Not stated"), "{summary}");
    assert!(summary.contains("tightness in the chest"), "{summary}");
    assert!(
        !summary.contains("Emotion") && !summary.contains("Client asks to lower"),
        "{summary}"
    );
}

#[test]
fn a_one_key_decisions_kinds_are_set_afterwards_each_in_one_key() {
    use kap_journal::domain::{Asked, CameUp};
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    field(&harness, "Note").type_text("nausea and fear");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    assert!(
        harness.query_by_label_contains("what came up?").is_some(),
        "the one-key decision asks what it did not say"
    );
    // As a real keyboard sends it: the key, and the digit as text too, which must not reach the note.
    let alt_digit = |harness: &mut Harness<'_, KapJournalApp>, key: egui::Key, digit: &str| {
        let alt = egui::Modifiers::ALT;
        let press = |pressed| egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: alt,
        };
        harness.event(egui::Event::ModifiersChanged(alt));
        harness.event(press(true));
        harness.event(egui::Event::Text(digit.to_owned()));
        harness.event(press(false));
        harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
        harness.run();
    };
    alt_digit(&mut harness, egui::Key::Num1, "1");
    assert!(harness.query_by_label_contains("what came up?").is_none());
    alt_digit(&mut harness, egui::Key::Num5, "5");
    assert_eq!(
        field(&harness, "Note").value().as_deref(),
        Some(""),
        "the keys chose, and typed nothing"
    );
    assert!(
        harness.query_by_label_contains("who asked?").is_none(),
        "asked no more once both are said"
    );

    let (sessions, events) = stored(dir.path());
    let details: Vec<_> = events
        .iter()
        .filter_map(|kind| match kind {
            EventKind::DecisionDetail { came_up, asked, .. } => Some((*came_up, *asked)),
            _ => None,
        })
        .collect();
    assert_eq!(
        details,
        [
            (CameUp::Emotion, Asked::NotStated),
            (CameUp::Emotion, Asked::ClientAsksToLower)
        ]
    );
    // The decision itself stays as recorded; every reader folds the detail in.
    assert!(events.iter().any(|kind| matches!(
        kind,
        EventKind::DecisionPoint(point) if point.came_up == CameUp::NotStated && point.detail == "nausea and fear"
    )));
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let record = kap_journal::export::SessionRecord::load(
        &store,
        sessions[0].id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let summary = kap_journal::export::markdown_summary(&record, &common::summary_context());
    assert!(summary.contains("Emotion"), "{summary}");
    assert!(summary.contains("Client asks to lower"), "{summary}");
}
