//! Vitals (with breathing and any supplemental oxygen) and/or a sedation rating; the main field is
//! the remark.

use egui::{RichText, Ui};

use super::super::super::{theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{Sedation, SessionError, TreatmentModel, Vitals, VitalsText};
use crate::live::LiveCommand;

#[derive(Clone, Default)]
pub struct VitalsForm {
    blood_pressure: String,
    heart_rate: String,
    spo2: String,
    respiratory_rate: String,
    /// Litres per minute; empty is room air.
    oxygen: String,
    sedation: String,
}

impl EntryForm for VitalsForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Remark", "Record vitals")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Vitals").strong().color(theme::vitals()));
            vec![
                widgets::labelled_field(
                    ui,
                    "Blood pressure",
                    &mut self.blood_pressure,
                    "128/82",
                    90.0,
                ),
                widgets::labelled_field(ui, "Heart rate", &mut self.heart_rate, "bpm", 60.0),
                widgets::labelled_field(ui, "SpO2", &mut self.spo2, "%", 50.0),
                widgets::labelled_field(ui, "Resp. rate", &mut self.respiratory_rate, "/min", 50.0),
                widgets::labelled_field(ui, "O2 (L/min)", &mut self.oxygen, "room air", 70.0),
                widgets::labelled_field(
                    ui,
                    "Sedation (MOAA/S)",
                    &mut self.sedation,
                    "5 alert … 0",
                    90.0,
                ),
            ]
        })
        .inner
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let sedation = Sedation::parse(&self.sedation)?;
        let typed = VitalsText {
            blood_pressure: &self.blood_pressure,
            heart_rate: &self.heart_rate,
            spo2: &self.spo2,
            respiratory_rate: &self.respiratory_rate,
            oxygen: &self.oxygen,
        };
        let vitals = Vitals::read_if_any(&typed)?;
        Ok(Intent::Log(LiveCommand::Reading {
            vitals,
            sedation,
            note: text,
        }))
    }

    fn starts_in_first_field(&self) -> bool {
        true
    }
}
