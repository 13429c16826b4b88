//! A dose change: a new dose or rate, a longer infusion, or dosing stopped.

use egui::{RichText, Ui};

use super::super::super::widgets;
use super::{EntryForm, Intent, current_dose_hint};
use crate::domain::{DEFAULT_EXTENSION_MINUTES, Dose, SessionError, TreatmentModel};
use crate::live::{LiveCommand, LiveSession};

/// What the dose-change form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseAction {
    /// A new dose; while an infusion runs, a new rate.
    NewDose,
    /// The running infusion's planned end moves later.
    Extend,
    Stop,
}

#[derive(Clone)]
pub struct DoseChangeForm {
    action: DoseAction,
    /// Starts empty, so a new dose is typed on purpose.
    new_dose: String,
    extend_minutes: String,
    dose_hint: String,
}

impl DoseChangeForm {
    pub fn new(live: &LiveSession) -> Self {
        Self {
            action: DoseAction::NewDose,
            new_dose: String::new(),
            extend_minutes: DEFAULT_EXTENSION_MINUTES.to_string(),
            dose_hint: current_dose_hint(live),
        }
    }
}

impl EntryForm for DoseChangeForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Reason", "Record dose change")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(RichText::new(format!("Dose change · {}", self.dose_hint)).strong());
        widgets::chips(
            ui,
            "Change",
            &mut self.action,
            &[
                (DoseAction::NewDose, "New dose or rate"),
                (DoseAction::Extend, "Extend infusion"),
                (DoseAction::Stop, "Stop dosing"),
            ],
        );
        ui.horizontal(|ui| match self.action {
            DoseAction::NewDose => vec![widgets::labelled_field(
                ui,
                "New dose",
                &mut self.new_dose,
                "0.35 mg/kg over 40 min, 0.5 mg/kg/h or 35 mg/h",
                300.0,
            )],
            DoseAction::Extend => vec![widgets::labelled_field(
                ui,
                "Extend by (min)",
                &mut self.extend_minutes,
                "10",
                50.0,
            )],
            DoseAction::Stop => Vec::new(),
        })
        .inner
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        Ok(Intent::Log(match self.action {
            DoseAction::NewDose => LiveCommand::ChangeDose {
                dose: Some(Dose::parse(&self.new_dose)?),
                reason: text,
            },
            DoseAction::Stop => LiveCommand::ChangeDose {
                dose: None,
                reason: text,
            },
            DoseAction::Extend => LiveCommand::ExtendInfusion {
                minutes: self
                    .extend_minutes
                    .trim()
                    .parse()
                    .map_err(|_| SessionError::ExtensionMinutes)?,
                reason: text,
            },
        }))
    }

    fn starts_in_first_field(&self) -> bool {
        true
    }
}
