//! Vitals, sedation, questionnaires and adverse events in a live session, driven headless with
//! egui_kittest on an injected clock; every assertion ends in the database or on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kap_journal::domain::{EventKind, Instrument};
use kap_journal::live::ManualClock;
use kap_journal::store::{SessionFilter, Store};
use kap_journal::ui::KapJournalApp;

use common::ui::{app, click, start_session, type_into};

/// The entries after the start form's checklist (which every session begins with).
fn stored_events(dir: &std::path::Path) -> Vec<EventKind> {
    let store = Store::open_for_reading(dir, &common::passphrase()).unwrap();
    let sessions = store.session_summaries(&SessionFilter::default()).unwrap();
    let mut events = store.events(sessions[0].id).unwrap().into_iter();
    assert!(
        matches!(
            events.next().map(|event| event.kind),
            Some(EventKind::PreSession(_))
        ),
        "the checklist comes first"
    );
    events
        .filter(|event| !common::ui::is_start_entry(event))
        .map(|event| event.kind)
        .collect()
}

fn shortcut(harness: &mut Harness<'_, KapJournalApp>, key: Key) {
    harness.key_press_modifiers(Modifiers::COMMAND, key);
    harness.run();
}

fn shows(harness: &Harness<'_, KapJournalApp>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

/// A line of what is due: a screen reader announces `steady` once, when it is free, and reads what
/// the line `shows` (its running overdue time) when the clinician goes to it.
fn due_line_shows(harness: &Harness<'_, KapJournalApp>, steady: &str, shows: &str) {
    let line = harness.get_by_label(steady);
    let node = line.accesskit_node();
    assert_eq!(node.live(), egui::accesskit::Live::Polite);
    assert_eq!(node.description().as_deref(), Some(shows));
}

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
    let id = store.session_summaries(&SessionFilter::default()).unwrap()[0].id;
    let events = store.events(id).unwrap();
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
            .clients()
            .unwrap()
            .is_empty(),
        "nothing was written"
    );
    common::ui::confirm_consent(&mut harness);
    click(&mut harness, "Start session");

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let events: Vec<EventKind> = store
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

/// Counts the alert tones instead of sounding them.
#[derive(Default)]
struct CountedTone(std::sync::atomic::AtomicUsize);

impl kap_journal::ui::Tone for CountedTone {
    fn play(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl CountedTone {
    fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn app_with_tone(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
    tone: &Arc<CountedTone>,
    sound: bool,
) -> Harness<'static, KapJournalApp> {
    let store = Store::open(dir, &common::passphrase());
    let app_clock: Arc<dyn kap_journal::live::Clock> = clock.clone();
    let tone: Arc<dyn kap_journal::ui::Tone> = tone.clone();
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            KapJournalApp::new(cc, store, app_clock)
                .automatic_backups(false)
                .alert_tone(tone)
                .alert_sound(sound)
                .writes_inline()
        })
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
    let summary = &store.session_summaries(&SessionFilter::default()).unwrap()[0];
    assert_eq!(summary.suicide_risk, 1);
    let events = store.events(summary.id).unwrap();
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
    let events = store.events(kap_journal::domain::SessionId(1)).unwrap();
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

#[test]
fn us_dates_on_a_12_hour_clock_chosen_in_settings_are_kept_and_shown_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    click(&mut harness, "Settings");
    for choice in ["US, 12/07/2026", "12-hour, 2:05 PM"] {
        harness.get_by_label(choice).scroll_to_me();
        harness.run();
        harness.get_by_label(choice).click();
        harness.run();
        // The choices wait, disabled, while the journal saves one.
        common::ui::step_until(&mut harness, "the choice saved", |harness| {
            !harness.get_by_label(choice).accesskit_node().is_disabled()
        });
    }
    assert!(shows(&harness, "Dates and times saved."));
    assert!(shows(&harness, "Reads: 12/07/2026 2:05 PM"));
    let saved = Store::open_for_reading(dir.path(), &common::passphrase())
        .unwrap()
        .date_time_settings()
        .unwrap();
    assert_eq!(saved.dates, kap_journal::domain::DateOrder::Us);
    assert_eq!(saved.clock, kap_journal::domain::ClockChoice::Twelve);

    // The session list writes the session's start so at once.
    click(&mut harness, "Sessions");
    let started = kap_journal::live::Clock::wall(clock.as_ref()).with_timezone(&chrono::Local);
    let day = started.format("%m/%d/%Y").to_string();
    let time = started.format("%-I:%M %p").to_string();
    assert!(
        shows(&harness, &format!("{day} {time}")),
        "the list shows {day} {time}"
    );
}

#[test]
fn a_consent_text_is_adopted_from_settings_and_a_second_version_only_once_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "Settings");
    let adopt = |harness: &Harness<'_, KapJournalApp>, version: u32| {
        !harness
            .get_by_label(&format!("Adopt as version {version}"))
            .accesskit_node()
            .is_disabled()
    };
    assert!(!adopt(&harness, 1), "nothing typed, nothing to adopt");
    type_into(
        &mut harness,
        "Consent text",
        "Consent to ketamine treatment (synthetic): off-label use, touch, music, recording.",
    );
    harness.get_by_label("Adopt as version 1").scroll_to_me();
    harness.run();
    harness.get_by_label("Adopt as version 1").click();
    harness.run();
    assert!(shows(
        &harness,
        "Version 1 adopted; every client consents to it before their next session."
    ));
    let newest = || {
        Store::open_for_reading(dir.path(), &common::passphrase())
            .unwrap()
            .consent_text()
            .unwrap()
    };
    let first = newest().unwrap();
    assert_eq!((first.version, first.renew_after_days), (1, 180));
    // Adopted as it stands: a second version only once something changes.
    assert!(!adopt(&harness, 2));
    type_into(&mut harness, "Renew after (days)", "0");
    assert!(adopt(&harness, 2));
    harness.get_by_label("Adopt as version 2").click();
    harness.run();
    assert_eq!(newest().unwrap().version, 1, "1800 days is refused");
    assert!(shows(
        &harness,
        "A consent is renewed after 30 to 730 days."
    ));
}
