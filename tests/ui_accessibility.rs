//! Usable without sight: every control on every screen has a name a screen reader can say, read
//! from the AccessKit tree the window gives the system (the same tree egui_kittest queries), and a
//! whole session can be logged, reviewed and exported with the keyboard alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::ui::{app, click, log_note, start_session};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::domain::{DeferralOutcome, EventKind, SessionId, SessionStatus};
use kap_journal::live::ManualClock;
use kap_journal::store::Store;
use kap_journal::ui::KapJournalApp;

/// Roles a person acts on: each must be named.
fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::DefaultButton
            | Role::CheckBox
            | Role::RadioButton
            | Role::Switch
            | Role::ComboBox
            | Role::EditableComboBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SearchInput
            | Role::DateInput
            | Role::NumberInput
            | Role::PasswordInput
            | Role::SpinButton
            | Role::Slider
            | Role::Link
            | Role::Tab
            | Role::MenuItem
            | Role::MenuItemCheckBox
            | Role::MenuItemRadio
    )
}

/// Each control on the screen now without a name, as "role (value)".
fn unnamed(harness: &Harness<'_, KapJournalApp>) -> Vec<String> {
    harness
        .query_all(By::new())
        .filter_map(|node| {
            let node = node.accesskit_node();
            let role = node.role();
            let named = node.label().is_some_and(|label| !label.trim().is_empty());
            (interactive(role) && !named).then(|| {
                format!(
                    "{role:?} ({})",
                    node.value()
                        .unwrap_or_default()
                        .chars()
                        .take(40)
                        .collect::<String>()
                )
            })
        })
        .collect()
}

/// Checks the screen on show, adding what is unnamed there to `found`.
fn check(harness: &Harness<'_, KapJournalApp>, screen: &str, found: &mut Vec<String>) {
    let controls = harness
        .query_all(By::new())
        .filter(|node| interactive(node.accesskit_node().role()))
        .count();
    assert!(controls > 0, "{screen}: no controls found at all");
    found.extend(
        unnamed(harness)
            .into_iter()
            .map(|control| format!("{screen}: {control}")),
    );
}

/// The text alternatives of the charts on the screen now.
fn charts(harness: &Harness<'_, KapJournalApp>) -> Vec<String> {
    harness
        .query_all(By::new().role(Role::Image))
        .filter_map(|node| node.accesskit_node().label())
        .collect()
}

#[test]
fn every_control_on_every_screen_has_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    {
        let mut store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
        kap_journal::demo::generate(
            &mut store,
            kap_journal::demo::DemoPlan {
                clients: 2,
                sessions: 6,
                seed: 5,
            },
            |_, _| {},
        )
        .unwrap();
    }
    let mut harness = app(dir.path(), &clock);
    harness.run();
    let mut found = Vec::new();
    // Every place of the top bar, from its own table: a new screen there is walked without a word here.
    for place in kap_journal::ui::top_bar_places() {
        click(&mut harness, place);
        check(&harness, place, &mut found);
    }
    click(&mut harness, "Sessions");
    // A past session, its client's history and the prep view.
    harness
        .query_all_by_label("D-0001")
        .next()
        .expect("a session of D-0001 in the list")
        .click();
    harness.run();
    check(&harness, "session", &mut found);
    let described = charts(&harness);
    assert!(
        described
            .iter()
            .any(|alt| alt.starts_with("Dose over time")),
        "the session's chart is described: {described:?}"
    );
    click(&mut harness, "Client history");
    check(&harness, "client history", &mut found);
    let described = charts(&harness);
    for title in [
        "Chart of dose delivered per session: ",
        "Chart of decision points per session: ",
    ] {
        assert!(
            described
                .iter()
                .any(|alt| alt.starts_with(title) && alt.len() > title.len() + 5),
            "{title} is described: {described:?}"
        );
    }
    click(&mut harness, "Prep view");
    check(&harness, "prep", &mut found);
    // A live session on a journal of its own (no consent text to confirm).
    let fresh = tempfile::tempdir().unwrap();
    let mut live = app(fresh.path(), &clock);
    start_session(&mut live, "KAP");
    log_note(&mut live, "Settled.");
    check(&live, "live session", &mut found);
    assert!(
        found.is_empty(),
        "controls without a name a screen reader can say:\n{}",
        found.join("\n")
    );
}

/// What has the keyboard focus now: its name, or its role when it has none.
fn focused(harness: &Harness<'_, KapJournalApp>) -> Option<String> {
    harness.query_all(By::new()).find_map(|node| {
        let node = node.accesskit_node();
        node.is_focused().then(|| {
            node.label()
                .map_or_else(|| format!("{:?}", node.role()), |label| label.clone())
        })
    })
}

/// Presses Tab until the control whose name starts with `name` has the focus, as someone who cannot
/// use a mouse reaches it; fails when 120 presses go round without reaching it.
fn tab_to(harness: &mut Harness<'_, KapJournalApp>, name: &str) {
    let mut seen = Vec::new();
    for _ in 0..120 {
        if focused(harness).is_some_and(|label| label.starts_with(name)) {
            return;
        }
        seen.push(focused(harness).unwrap_or_else(|| "nothing".to_owned()));
        harness.key_press(Key::Tab);
        harness.run();
    }
    panic!("Tab never reaches \"{name}\"; it goes round {seen:?}");
}

/// Types `text` into whatever has the focus, as a keyboard does.
fn type_keys(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run();
}

fn press(harness: &mut Harness<'_, KapJournalApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

#[test]
fn a_whole_session_is_logged_reviewed_and_exported_from_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app_without_file_dialogs(dir.path(), &clock);

    // Start: the form's fields, the consent box and the start, each reached with Tab.
    press(&mut harness, Modifiers::COMMAND, Key::N);
    tab_to(&mut harness, "Client code");
    type_keys(&mut harness, "K-0001");
    tab_to(&mut harness, "KAP");
    press(&mut harness, Modifiers::NONE, Key::Space);
    tab_to(&mut harness, "Starting dose");
    type_keys(&mut harness, "0.5 mg/kg over 40 min");
    tab_to(&mut harness, "Weight");
    type_keys(&mut harness, "72");
    tab_to(&mut harness, "Consent confirmed today");
    press(&mut harness, Modifiers::NONE, Key::Space);
    tab_to(&mut harness, "Blood pressure");
    type_keys(&mut harness, "124/80");
    tab_to(&mut harness, "Start session");
    press(&mut harness, Modifiers::NONE, Key::Enter);

    // Live: the note field has the focus; every event is one keystroke.
    assert_eq!(focused(&harness).as_deref(), Some("Note"));
    type_keys(&mut harness, "Settling in, eyes closed.");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    press(&mut harness, Modifiers::COMMAND, Key::S);
    press(&mut harness, Modifiers::COMMAND, Key::Num1);
    press(&mut harness, Modifiers::COMMAND, Key::E);
    tab_to(&mut harness, "Discharge criteria met");
    press(&mut harness, Modifiers::NONE, Key::Space);
    tab_to(&mut harness, "Follow-up and integration plan");
    type_keys(&mut harness, "Integration Thursday 10:00");
    tab_to(&mut harness, "End session now");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    if harness.query_by_label_contains("Enter: go ahead").is_some() {
        press(&mut harness, Modifiers::NONE, Key::Enter);
    }

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let session = store.record().session(SessionId(1)).unwrap();
    assert_eq!(session.status, SessionStatus::Ended);
    let kinds: Vec<_> = store
        .record()
        .events(SessionId(1))
        .unwrap()
        .into_iter()
        .map(|event| event.kind)
        .collect();
    assert!(kinds.iter().any(
        |kind| matches!(kind, EventKind::Note { text } if text == "Settling in, eyes closed.")
    ));
    assert!(kinds.iter().any(|kind| matches!(
        kind,
        EventKind::DeferralOutcome {
            outcome: DeferralOutcome::WorkedThrough,
            ..
        }
    )));
    drop(store);

    // Review: back to the list, the session opened and exported, all from the keyboard.
    press(&mut harness, Modifiers::NONE, Key::Escape);
    tab_to(&mut harness, "Open the session of");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    tab_to(&mut harness, "Export...");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    common::ui::step_until(&mut harness, "the export", |harness| {
        harness
            .query_by_label_contains("No save dialog can be shown on this system")
            .is_some()
    });
    let exported: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(std::fs::read(&exported[0]).unwrap().starts_with(b"%PDF"));
}
