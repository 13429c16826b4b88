//! The real app driven headless with egui_kittest: widgets are found by their labels, the clock is
//! injected, and every assertion ends in the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

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
    let sessions = store.session_summaries(&SessionFilter::default()).unwrap();
    let mut events = store.events(sessions[0].id).unwrap().into_iter();
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
fn a_half_typed_note_is_saved_as_a_draft_and_offered_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    field(&harness, "Note").type_text("She mentions the kitch");
    harness.run();
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let id = store.live_sessions().unwrap()[0].id;
    assert_eq!(
        store.draft(id).unwrap().unwrap().text,
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
    let id = store.session_ids().unwrap()[0];
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
