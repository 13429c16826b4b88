//! An adverse event; the main field says what happened.

use egui::{RichText, Ui};

use super::super::super::{theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{AdverseCategory, AdverseEvent, AdverseSeverity, SessionError, TreatmentModel};
use crate::live::LiveCommand;

#[derive(Clone)]
pub struct AdverseForm {
    category: AdverseCategory,
    severity: AdverseSeverity,
    action: String,
}

impl Default for AdverseForm {
    fn default() -> Self {
        Self {
            category: AdverseCategory::NauseaVomiting,
            severity: AdverseSeverity::Mild,
            action: String::new(),
        }
    }
}

impl EntryForm for AdverseForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("What happened", "Record adverse event")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(
            RichText::new("Adverse event")
                .strong()
                .color(theme::warning()),
        );
        let categories: Vec<_> = AdverseCategory::ALL
            .iter()
            .map(|c| (*c, c.label()))
            .collect();
        widgets::chips(ui, "What", &mut self.category, &categories);
        let severities: Vec<_> = AdverseSeverity::ALL
            .iter()
            .map(|s| (*s, s.label()))
            .collect();
        widgets::chips(ui, "Severity", &mut self.severity, &severities);
        vec![widgets::labelled_field(
            ui,
            "Action taken",
            &mut self.action,
            "e.g. ondansetron 4 mg IV, infusion paused",
            360.0,
        )]
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        Ok(Intent::Log(LiveCommand::AdverseEvent(AdverseEvent {
            category: self.category,
            severity: self.severity,
            detail: text,
            action: self.action.clone(),
        })))
    }
}
