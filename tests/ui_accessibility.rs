//! Usable without sight: every control on every screen has a name a screen reader can say, read
//! from the AccessKit tree the window gives the system (the same tree egui_kittest queries).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::ui::{app, click, log_note, start_session};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::live::ManualClock;
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
    check(&harness, "sessions", &mut found);
    click(&mut harness, "Settings");
    check(&harness, "settings", &mut found);
    click(&mut harness, "Lots");
    check(&harness, "lots", &mut found);
    click(&mut harness, "Practice");
    check(&harness, "practice", &mut found);
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
    // The start form, and a live session on a journal of its own (no consent text to confirm).
    click(&mut harness, "New session");
    check(&harness, "new session", &mut found);
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
