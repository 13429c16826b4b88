//! This computer's preferences, kept by eframe between runs: the look (light, dark or the system's;
//! the text size) and whether alerts make a sound. Patient data never goes here.

use serde::{Deserialize, Serialize};

use crate::domain::{Route, TreatmentModel};

/// The smallest and largest text size, as a share of the normal one.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.6..=2.5;

/// UI preferences kept by eframe between runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The model the start form offers a new client first: the one chosen last time.
    pub last_model: TreatmentModel,
    pub last_route: Route,
    /// A short tone when a countdown ends or a safety flag rises.
    pub alert_sound: bool,
    pub theme: ThemeChoice,
    /// Text size as a share of the normal one (Ctrl+plus and Ctrl+minus change it).
    pub zoom: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            last_model: TreatmentModel::Kap,
            last_route: Route::IvInfusion,
            alert_sound: true,
            theme: ThemeChoice::System,
            zoom: 1.0,
        }
    }
}

/// Light, dark (for a darkened room), or whichever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Follow the system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }
}

impl Prefs {
    /// Puts the look into effect.
    pub fn apply(&self, ctx: &egui::Context) {
        // A system that does not say (a bare X server) gets the light theme, not egui's dark one.
        ctx.options_mut(|options| options.fallback_theme = egui::Theme::Light);
        ctx.set_theme(match self.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
        let zoom = if self.zoom.is_finite() {
            self.zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end())
        } else {
            1.0
        };
        ctx.set_zoom_factor(zoom);
    }

    /// Takes the text size the keyboard set (Ctrl+plus, Ctrl+minus, Ctrl+0), so it is remembered.
    pub fn follow(&mut self, ctx: &egui::Context) {
        self.zoom = ctx.zoom_factor();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_that_does_not_say_gets_the_light_theme_and_the_text_size_is_kept_in_range() {
        let ctx = egui::Context::default();
        let prefs = Prefs {
            zoom: f32::NAN,
            ..Prefs::default()
        };
        prefs.apply(&ctx);
        assert_eq!(ctx.theme(), egui::Theme::Light);
        assert!(
            (ctx.zoom_factor() - 1.0).abs() < f32::EPSILON,
            "NaN is not a size"
        );
        Prefs {
            zoom: 40.0,
            theme: ThemeChoice::Dark,
            ..Prefs::default()
        }
        .apply(&ctx);
        // A new text size takes effect at the next frame.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        assert_eq!(ctx.theme(), egui::Theme::Dark);
        assert!((ctx.zoom_factor() - ZOOM_RANGE.end()).abs() < f32::EPSILON);
    }
}
