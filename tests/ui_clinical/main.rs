//! Vitals, sedation, questionnaires and adverse events in a live session, driven headless with
//! egui_kittest on an injected clock; every assertion ends in the database or on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod questionnaires;
mod safety;
mod vitals;

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
            .registers()
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
