//! Design tokens: the colours and sizes every view uses, in one place.

use egui::{Color32, FontId, Visuals};

use crate::domain::TreatmentModel;

/// KAP is teal and Medical Model is amber everywhere a session appears, so the two are never confused.
pub fn model_color(model: TreatmentModel) -> Color32 {
    match model {
        TreatmentModel::Kap => Color32::from_rgb(0, 128, 128),
        TreatmentModel::Medical => Color32::from_rgb(184, 110, 0),
    }
}

/// A pale, opaque tint of the model colour, for header backgrounds and the first action.
pub fn model_tint(model: TreatmentModel) -> Color32 {
    let color = model_color(model);
    let pale = |channel: u8| (f32::from(channel) * 0.18 + 255.0 * 0.82) as u8;
    Color32::from_rgb(pale(color.r()), pale(color.g()), pale(color.b()))
}

pub const SAVED: Color32 = Color32::from_rgb(30, 130, 60);
pub const WARNING: Color32 = Color32::from_rgb(200, 40, 30);
pub const MARKER: Color32 = Color32::from_rgb(150, 90, 200);
pub const MUTED: Color32 = Color32::from_gray(110);
/// Vitals, sedation and questionnaires in the timeline.
pub const VITALS: Color32 = Color32::from_rgb(0, 120, 130);

/// The font of the "sit with it" countdown, large enough to read from across the room.
pub fn countdown_font() -> FontId {
    FontId::proportional(40.0)
}

/// The font of the timers in the live header.
pub fn timer_font() -> FontId {
    FontId::monospace(18.0)
}

pub const GAP: f32 = 8.0;

/// A calm light theme with slightly larger text; clinic rooms are often dim, so contrast is kept high.
pub fn apply(ctx: &egui::Context) {
    ctx.set_visuals(Visuals::light());
    ctx.global_style_mut(|style| {
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
