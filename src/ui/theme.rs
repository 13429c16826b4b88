//! Design tokens: the colours and sizes every view uses, in one place.

use std::sync::atomic::{AtomicBool, Ordering};

use egui::{Color32, FontId, Theme, Visuals};

use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::palette::{self, Rgb};

/// A colour of the journal's palette, as egui draws it.
pub const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// KAP is teal and Medical Model is amber everywhere a session appears, so the two are never confused.
pub fn model_color(model: TreatmentModel) -> Color32 {
    color(palette::model(model))
}

/// How a "sit with it" ended, in the colour it has in the PDF too.
pub fn outcome_color(outcome: Option<DeferralOutcome>) -> Color32 {
    color(palette::outcome(outcome))
}

/// Whether the window is drawn dark this frame (see [`follow`]).
static DARK: AtomicBool = AtomicBool::new(false);

/// Notes whether this frame is drawn dark, for the tokens that differ (tints, ink).
pub fn follow(ctx: &egui::Context) {
    DARK.store(ctx.theme() == Theme::Dark, Ordering::Relaxed);
}

fn dark() -> bool {
    DARK.load(Ordering::Relaxed)
}

/// A quiet, opaque tint of the model colour, for header backgrounds and the first action: pale on
/// the light theme, deep on the dark one.
pub fn model_tint(model: TreatmentModel) -> Color32 {
    let color = model_color(model);
    let (share, ground) = if dark() { (0.35, 27.0) } else { (0.18, 255.0) };
    let mix = |channel: u8| (f32::from(channel) * share + ground * (1.0 - share)) as u8;
    Color32::from_rgb(mix(color.r()), mix(color.g()), mix(color.b()))
}

/// Strong text that is not the body colour (the end of a session in the timeline).
pub fn ink() -> Color32 {
    if dark() {
        Color32::from_gray(225)
    } else {
        Color32::from_gray(40)
    }
}

pub const SAVED: Color32 = color(palette::SAVED);
pub const WARNING: Color32 = color(palette::WARNING);
pub const MARKER: Color32 = color(palette::MARKER);
/// The dose line and dose entries.
pub const DOSE: Color32 = color(palette::DOSE);
/// Secondary text; readable on the light and the dark theme alike.
pub const MUTED: Color32 = Color32::from_gray(120);
/// Vitals, sedation and questionnaires in the timeline.
pub const VITALS: Color32 = color(palette::VITALS);

/// The font of the "sit with it" countdown, large enough to read from across the room.
pub fn countdown_font() -> FontId {
    FontId::proportional(40.0)
}

/// The font of the timers in the live header.
pub fn timer_font() -> FontId {
    FontId::monospace(18.0)
}

pub const GAP: f32 = 8.0;

/// A calm light theme and a dark one for a darkened room, both with slightly larger text and high
/// contrast; which one shows is this computer's preference (see `prefs`).
pub fn apply(ctx: &egui::Context) {
    ctx.set_visuals_of(Theme::Light, Visuals::light());
    ctx.set_visuals_of(Theme::Dark, Visuals::dark());
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(GAP, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        for (text_style, size) in [
            (egui::TextStyle::Body, 15.0),
            (egui::TextStyle::Button, 15.0),
            (egui::TextStyle::Heading, 22.0),
            (egui::TextStyle::Small, 12.0),
            (egui::TextStyle::Monospace, 14.0),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
    });
}
