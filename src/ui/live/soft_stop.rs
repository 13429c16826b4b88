//! A soft stop on screen: the sentences the live engine asks before an action, inline above the note
//! field, never a dialog. Enter goes ahead (each sentence becomes a "went ahead" entry, committed
//! with the action), Esc goes back; typing is never blocked.

use egui::{RichText, Ui};

use super::super::theme;

/// The question, in red, with the two keys that answer it.
pub fn show(ui: &mut Ui, warnings: &[String]) {
    egui::Frame::new()
        .stroke(egui::Stroke::new(2.0, theme::warning()))
        .inner_margin(egui::Margin::symmetric(8, 4))
        .corner_radius(4)
        .show(ui, |ui| {
            for warning in warnings {
                ui.label(RichText::new(warning).strong().color(theme::warning()));
            }
            ui.label(
                RichText::new("Enter: go ahead (this is recorded) · Esc: go back")
                    .color(theme::muted()),
            );
        });
}
