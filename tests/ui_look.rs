//! This computer's look: light or dark on request, or the system's (light when it does not say),
//! chosen in Settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::ui::{app, click};
use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use kap_journal::live::ManualClock;

#[test]
fn the_theme_is_chosen_in_settings_and_a_silent_system_gets_the_light_one() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "Settings");
    let radio = |label| By::new().role(Role::RadioButton).label(label);
    harness.get(radio("Dark")).scroll_to_me();
    harness.run();
    for (choice, theme) in [
        ("Dark", egui::Theme::Dark),
        ("Light", egui::Theme::Light),
        // The harness, like a bare X server, does not say: the light theme.
        ("Follow the system", egui::Theme::Light),
    ] {
        harness.get(radio(choice)).click();
        harness.run();
        assert_eq!(harness.ctx.theme(), theme, "{choice}");
        assert_eq!(
            harness.ctx.global_style().visuals.dark_mode,
            theme == egui::Theme::Dark,
            "{choice}: the visuals follow"
        );
    }
}
