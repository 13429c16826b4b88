//! A safety plan, opened by a positive suicide risk screen or PHQ-9 item 9 above zero (or by its
//! key): warning signs, coping steps and making the means safer above, the people and services to
//! contact in the main field (required: a crisis line among them).

use egui::{RichText, Ui};

use super::super::super::{theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{SafetyPlan, SessionError, TreatmentModel};
use crate::live::LiveCommand;

#[derive(Clone, Default)]
pub struct SafetyPlanForm {
    warning_signs: String,
    coping_steps: String,
    means_safety: String,
    /// Why the form opened by itself, when it did.
    opened_for: Option<String>,
}

impl SafetyPlanForm {
    /// The form opened because `reason` called for it.
    pub fn opened_for(reason: String) -> Self {
        Self {
            opened_for: Some(reason),
            ..Self::default()
        }
    }
}

impl EntryForm for SafetyPlanForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("People and services to contact", "Record safety plan")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(
            RichText::new("Safety plan")
                .strong()
                .color(theme::warning()),
        );
        if let Some(reason) = &self.opened_for {
            ui.label(RichText::new(reason).color(theme::warning()));
        }
        let width = 520.0;
        vec![
            widgets::labelled_field(
                ui,
                "Warning signs",
                &mut self.warning_signs,
                "thoughts, moods, situations that come before a crisis",
                width,
            ),
            widgets::labelled_field(
                ui,
                "Coping steps",
                &mut self.coping_steps,
                "what helps, alone and with others",
                width,
            ),
            widgets::labelled_field(
                ui,
                "Making the means safer",
                &mut self.means_safety,
                "e.g. medicines kept by a partner",
                width,
            ),
        ]
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let plan = SafetyPlan {
            warning_signs: self.warning_signs.clone(),
            coping_steps: self.coping_steps.clone(),
            contacts: text,
            means_safety: self.means_safety.clone(),
        };
        Ok(Intent::Log(LiveCommand::SafetyPlan(plan.checked()?)))
    }

    fn starts_in_first_field(&self) -> bool {
        true
    }
}
