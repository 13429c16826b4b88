//! Safety in the live view: a sit-with-it asked under a flag, suicide risk and the safety plan, the sounds of alarms.

use super::*;

fn app_with_tone(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
    tone: &Arc<CountedTone>,
    sound: bool,
) -> Harness<'static, KapJournalApp> {
    let store = Store::open(dir, &common::passphrase());
    let app_clock: Arc<dyn kap_journal::live::Clock> = clock.clone();
    let tone: Arc<dyn kap_journal::ui::Tone> = tone.clone();
    common::ui::harness().build_eframe(move |cc| {
        KapJournalApp::new(cc, store, app_clock)
            .automatic_backups(false)
            .alert_tone(tone)
            .alert_sound(sound)
            .writes_inline()
    })
}

/// The seed's moment under a safety flag: SpO2 89 % stands, the client asks to lower, Ctrl+S asks
/// first, Enter goes ahead. The deferral belongs to its own decision point, so its outcome is in
/// the record, the header, the summary and the prep view.
#[test]
fn a_sit_with_it_asked_under_a_safety_flag_keeps_its_decision_and_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "SpO2", "89");
    click(&mut harness, "Record vitals");
    assert!(shows(&harness, "SAFETY  SpO2 89 %"));
    common::ui::field(&harness, "Note").type_text("fear of falling");
    harness.run();
    shortcut(&mut harness, Key::S);
    assert!(shows(&harness, "ask to sit with it while this stands?"));
    harness.key_press(Key::Enter);
    harness.run();

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let id = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0]
        .id;
    let events = store.record().events(id).unwrap();
    let decision = events
        .iter()
        .find(|event| matches!(event.kind, EventKind::DecisionPoint(_)))
        .unwrap()
        .seq;
    let start = events.last().unwrap();
    assert_eq!(
        start.kind,
        EventKind::DeferralStart {
            decision_seq: decision,
            minutes: 5
        },
        "the deferral names its decision point, not the went-ahead entry before it"
    );
    assert!(
        shows(&harness, &format!("5 min agreed, decision {decision}")),
        "the header names the same decision"
    );
    drop(store);

    clock.advance(Duration::from_mins(5));
    harness.run();
    common::ui::field(&harness, "Note").type_text("still frightened");
    harness.run();
    shortcut(&mut harness, Key::Num2);
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let record = kap_journal::export::SessionRecord::load(
        &store,
        id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let summary = kap_journal::export::Summary::of(&record, &common::summary_context());
    assert_eq!(
        summary.outcome_counts,
        [(kap_journal::domain::DeferralOutcome::DoseLowered, 1)]
    );
    let prep = kap_journal::review::PrepSheet::load(&store, record.client.id).unwrap();
    assert!(
        prep.sessions[0]
            .decisions
            .iter()
            .all(|decision| decision.outcome.is_some()),
        "the prep view does not list the moment as still open for want of its outcome"
    );
}

#[test]
fn an_adverse_event_is_recorded_with_severity_and_action() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "Medical Model");
    shortcut(&mut harness, Key::R);
    harness.get_by_label("moderate").click();
    harness.run();
    type_into(&mut harness, "Action taken", "ondansetron 4 mg IV");
    type_into(&mut harness, "What happened", "retching once");
    click(&mut harness, "Record adverse event");
    let events = stored_events(dir.path());
    let [EventKind::AdverseEvent(event)] = events.as_slice() else {
        panic!("one adverse event committed, got {events:?}");
    };
    assert_eq!(
        event.describe(),
        "Adverse event: Nausea/vomiting, moderate — retching once — action: ondansetron 4 mg IV"
    );
}

#[test]
fn a_countdown_ending_and_a_safety_flag_rising_sound_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let tone = Arc::new(CountedTone::default());
    let mut harness = app_with_tone(dir.path(), &clock, &tone, true);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    shortcut(&mut harness, Key::S);
    clock.advance(Duration::from_secs(4 * 60 + 59));
    harness.run();
    assert_eq!(tone.count(), 0, "not before the countdown ends");
    clock.advance(Duration::from_secs(1));
    harness.run();
    assert_eq!(tone.count(), 1, "the countdown ended");
    harness.run();
    assert_eq!(tone.count(), 1, "once, not every frame");

    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "186/112");
    click(&mut harness, "Record vitals");
    assert_eq!(tone.count(), 2, "a safety flag rose");
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Heart rate", "80");
    click(&mut harness, "Record vitals");
    assert_eq!(
        tone.count(),
        2,
        "the same flag still standing is not a new alert"
    );
}

#[test]
fn with_the_sound_off_a_countdown_ends_silently() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let tone = Arc::new(CountedTone::default());
    let mut harness = app_with_tone(dir.path(), &clock, &tone, false);
    start_session(&mut harness, "KAP");
    click(&mut harness, "Begin dosing");
    shortcut(&mut harness, Key::S);
    clock.advance(Duration::from_mins(6));
    harness.run();
    assert!(shows(&harness, "Time is up"));
    assert_eq!(tone.count(), 0);
}

#[test]
fn a_positive_suicide_risk_screen_opens_the_safety_plan_and_marks_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "New session");
    type_into(&mut harness, "Client code", "C-0400");
    type_into(&mut harness, "Weight", "70");
    type_into(&mut harness, "Starting dose", "0.5 mg/kg over 40 min");
    common::ui::confirm_consent(&mut harness);
    type_into(&mut harness, "ASQ answers", "ynnn");
    harness.get_by_label(
        "A positive ASQ screen needs question 5 answered: thoughts of killing yourself right now, y or n.",
    );
    type_into(&mut harness, "ASQ answers", " n");
    harness.get_by_label_contains("ASQ non-acute positive: brief suicide safety assessment");
    click(&mut harness, "Start session");

    // The live view opens on the safety plan, with the reason, and the header says one is due.
    harness.get_by_label_contains("make a safety plan with the client");
    harness.get_by_label_contains("SAFETY  Suicide risk: safety plan to make");
    // Without people and services to contact, the plan is refused and nothing is written.
    common::ui::field(&harness, "Warning signs").type_text("stops answering texts");
    harness.run();
    click(&mut harness, "Record safety plan");
    harness.get_by_label(
        "A safety plan names at least the people and services to contact (a crisis line among them).",
    );
    type_into(
        &mut harness,
        "People and services to contact",
        "sister Ana; 988",
    );
    click(&mut harness, "Record safety plan");
    assert!(
        harness
            .query_by_label_contains("SAFETY  Suicide risk")
            .is_none()
    );
    // Before the client leaves, the end form asks whether the assessment the screen calls for was
    // done; left unanswered, ending asks first.
    click(&mut harness, "End session");
    harness.get_by_label("Brief suicide safety assessment done (positive ASQ)");
    harness.get_by_label("Done").click();
    harness.run();
    common::ui::fill_discharge(&mut harness);
    drop(harness);

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let summary = &store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0];
    assert_eq!(summary.suicide_risk, 1);
    let events = store.record().events(summary.id).unwrap();
    let screen = events
        .iter()
        .find_map(|event| match &event.kind {
            EventKind::SuicideScreen { screen, .. } => Some(*screen),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        screen.result(),
        kap_journal::domain::AsqResult::NonAcutePositive
    );
    let plan = events
        .iter()
        .find_map(|event| match &event.kind {
            EventKind::SafetyPlan(plan) => Some(plan.clone()),
            _ => None,
        })
        .unwrap();
    let assessed = events.iter().find_map(|event| match &event.kind {
        EventKind::SessionEnded {
            discharge: Some(discharge),
            ..
        } => Some(discharge.suicide_safety_assessment),
        _ => None,
    });
    assert_eq!(assessed, Some(Some(true)));
    assert_eq!(plan.warning_signs, "stops answering texts");
    assert_eq!(plan.contacts, "sister Ana; 988");
}

#[test]
fn at_1024_by_640_four_flags_and_the_safety_plan_leave_the_timeline_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app_sized(dir.path(), &clock, [1024.0, 640.0]);
    start_session(&mut harness, "KAP");
    for note in ["Settled.", "Music on.", "Eyes closed."] {
        common::ui::log_note(&mut harness, note);
    }
    shortcut(&mut harness, Key::T);
    type_into(&mut harness, "Blood pressure", "186/112");
    type_into(&mut harness, "Heart rate", "135");
    type_into(&mut harness, "SpO2", "89");
    type_into(&mut harness, "Resp. rate", "30");
    click(&mut harness, "Record vitals");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    let flags: Vec<egui::Rect> = harness
        .query_all_by_label_contains("SAFETY  ")
        .map(|flag| flag.rect())
        .collect();
    assert_eq!(flags.len(), 4, "{flags:?}");
    for flag in &flags {
        assert!(
            flag.right() <= 1024.0,
            "a flag runs off the window: {flag:?}"
        );
    }
    // The header ends with where the vitals schedule stands, below the flags.
    let header_bottom = harness
        .get_by_label_contains("Vitals taken")
        .rect()
        .bottom();
    let form_top = harness.get_by_label("Warning signs").rect().top();
    // The newest rows (the notes before the reading) are whole between the header and the form.
    for note in ["Music on.", "Eyes closed."] {
        let row = harness.get_by_label(note).rect();
        assert!(
            row.top() >= header_bottom && row.bottom() <= form_top,
            "{note} at {row:?}, between {header_bottom} and {form_top}"
        );
    }
}
