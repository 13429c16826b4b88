//! A soft stop on screen: the sentences the journal asks before an action, inline above the note
//! field, never a dialog. Enter goes ahead (each sentence becomes a "went ahead" entry, committed
//! with the action), Esc goes back; typing is never blocked.

use egui::{RichText, Ui};

use super::super::theme;
use crate::domain::{Decision, Discharge, Guarded};
use crate::live::LiveCommand;

/// An action held back until the clinician says to go ahead.
pub struct Pending {
    pub warnings: Vec<String>,
    pub action: Held,
}

/// What was held back.
pub enum Held {
    Log {
        command: LiveCommand,
        from_composer: bool,
    },
    End {
        note: String,
        discharge: Discharge,
    },
}

/// Which soft stops a command passes, if any.
pub fn guarded(command: &LiveCommand) -> Option<Guarded<'static>> {
    match command {
        LiveCommand::BeginDosing => Some(Guarded::BeginDosing),
        LiveCommand::DecisionPoint {
            decision: Decision::SitWithIt { .. },
            ..
        } => Some(Guarded::SitWithIt),
        _ => None,
    }
}

impl Pending {
    /// The question, in red, with the two keys that answer it.
    pub fn show(&self, ui: &mut Ui) {
        egui::Frame::new()
            .stroke(egui::Stroke::new(2.0, theme::warning()))
            .inner_margin(egui::Margin::symmetric(8, 4))
            .corner_radius(4)
            .show(ui, |ui| {
                for warning in &self.warnings {
                    ui.label(RichText::new(warning).strong().color(theme::warning()));
                }
                ui.label(
                    RichText::new("Enter: go ahead (this is recorded) · Esc: go back")
                        .color(theme::muted()),
                );
            });
    }
}
