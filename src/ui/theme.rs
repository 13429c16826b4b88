//! Design tokens: the colours and sizes every view uses, in one place.

use std::sync::atomic::{AtomicBool, Ordering};

use egui::{Color32, FontId, Theme, Visuals};

use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::palette::{self, Rgb};

/// A colour of the journal's palette, as egui draws it.
pub const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// A palette colour as text on this frame's theme: itself on the light theme, its lighter twin on
/// the dark one, so every text colour reads at 4.5:1 or better on either.
fn text(rgb: Rgb) -> Color32 {
    if dark() {
        color(palette::on_dark(rgb))
    } else {
        color(rgb)
    }
}

/// KAP is teal and Medical Model is amber everywhere a session appears, so the two are never confused.
pub fn model_color(model: TreatmentModel) -> Color32 {
    text(palette::model(model))
}

/// The model's colour as a fill under white text (the model badge), the same on either theme.
pub fn model_fill(model: TreatmentModel) -> Color32 {
    color(palette::model(model))
}

/// How a "sit with it" ended, in the colour it has in the PDF too.
pub fn outcome_color(outcome: Option<DeferralOutcome>) -> Color32 {
    text(palette::outcome(outcome))
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
    let color = model_fill(model);
    // Faint enough that every text colour still reads on it at 4.5:1 (tested below).
    let (share, ground) = if dark() { (0.2, 18.0) } else { (0.12, 255.0) };
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

/// Saved, and a deferral worked through.
pub fn saved() -> Color32 {
    text(palette::SAVED)
}

/// A problem, a safety flag, a session stopped.
pub fn warning() -> Color32 {
    text(palette::WARNING)
}

/// The fill under white text of a safety flag: the light theme's red on either theme.
pub fn warning_fill() -> Color32 {
    color(palette::WARNING)
}

/// What is brought to integration.
pub fn marker() -> Color32 {
    text(palette::MARKER)
}

/// The dose line and dose entries.
pub fn dose() -> Color32 {
    text(palette::DOSE)
}

/// Secondary text.
pub fn muted() -> Color32 {
    text(palette::MUTED)
}

/// Vitals, sedation and questionnaires in the timeline.
pub fn vitals() -> Color32 {
    text(palette::VITALS)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance of an sRGB colour.
    fn luminance(color: Color32) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
    }

    /// WCAG 2 contrast ratio, from 1 to 21.
    fn contrast(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn contrast_is_measured_as_wcag_does() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::from_gray(118), Color32::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn every_text_colour_reads_at_4_5_to_1_on_every_ground_of_both_themes() {
        let mut failures = Vec::new();
        for dark_theme in [false, true] {
            DARK.store(dark_theme, Ordering::Relaxed);
            let visuals = if dark_theme {
                Visuals::dark()
            } else {
                Visuals::light()
            };
            // A translucent ground (the striped rows) is seen over the panel.
            let over_panel = |color: Color32| {
                let keep = 1.0 - f32::from(color.a()) / 255.0;
                let blend = |top: u8, below: u8| {
                    (f32::from(top) + f32::from(below) * keep).min(255.0) as u8
                };
                let panel = visuals.panel_fill;
                Color32::from_rgb(
                    blend(color.r(), panel.r()),
                    blend(color.g(), panel.g()),
                    blend(color.b(), panel.b()),
                )
            };
            let grounds = [
                ("panel", visuals.panel_fill),
                ("window", visuals.window_fill),
                ("faint rows", over_panel(visuals.faint_bg_color)),
                ("text fields", visuals.extreme_bg_color),
                ("KAP header", model_tint(TreatmentModel::Kap)),
                ("Medical header", model_tint(TreatmentModel::Medical)),
            ];
            let texts = [
                ("body", visuals.text_color()),
                ("ink", ink()),
                ("saved", saved()),
                ("warning", warning()),
                ("marker", marker()),
                ("dose", dose()),
                ("muted", muted()),
                ("vitals", vitals()),
                ("KAP", model_color(TreatmentModel::Kap)),
                ("Medical Model", model_color(TreatmentModel::Medical)),
                (
                    "worked through",
                    outcome_color(Some(DeferralOutcome::WorkedThrough)),
                ),
                (
                    "dose lowered",
                    outcome_color(Some(DeferralOutcome::DoseLowered)),
                ),
                (
                    "ended early",
                    outcome_color(Some(DeferralOutcome::EndedEarly)),
                ),
                (
                    "stopped",
                    outcome_color(Some(DeferralOutcome::SessionStopped)),
                ),
            ];
            let mut pairs: Vec<(String, f64)> = Vec::new();
            for (text_name, text) in texts {
                for (ground_name, ground) in grounds {
                    pairs.push((
                        format!("{text_name} on {ground_name}"),
                        contrast(text, ground),
                    ));
                }
            }
            // A chosen chip's text on the selection fill, and the model badge's white on its fill.
            pairs.push((
                "chosen chip".to_owned(),
                contrast(visuals.selection.stroke.color, visuals.selection.bg_fill),
            ));
            pairs.push((
                "safety flag".to_owned(),
                contrast(Color32::WHITE, warning_fill()),
            ));
            for model in TreatmentModel::ALL {
                pairs.push((
                    format!("{} badge", model.label()),
                    contrast(Color32::WHITE, model_fill(model)),
                ));
            }
            let theme = if dark_theme { "dark" } else { "light" };
            failures.extend(
                pairs
                    .into_iter()
                    .filter(|(_, ratio)| *ratio < 4.5)
                    .map(|(pair, ratio)| format!("{theme}: {pair} {ratio:.2}:1")),
            );
        }
        DARK.store(false, Ordering::Relaxed);
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
