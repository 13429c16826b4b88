//! How a "sit with it" deferral ended, when one keystroke could not record it (a lowering without a
//! proposed rate, or an outcome chosen at the end of the session).

use egui::{RichText, Ui};

use super::super::super::widgets;
use super::{EntryForm, Intent, current_dose_hint, proposed_lower_text};
use crate::domain::{DeferralOutcome, Dose, Seq, SessionError, TreatmentModel};
use crate::live::{LiveCommand, LiveSession};

#[derive(Clone)]
pub struct OutcomeForm {
    deferral: Seq,
    outcome: DeferralOutcome,
    new_dose: String,
    dose_hint: String,
}

impl OutcomeForm {
    pub fn new(deferral: Seq, outcome: DeferralOutcome, live: &LiveSession) -> Self {
        Self {
            deferral,
            outcome,
            new_dose: proposed_lower_text(live),
            dose_hint: current_dose_hint(live),
        }
    }
}

impl EntryForm for OutcomeForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Outcome note", "Record outcome")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(RichText::new(format!("How did sit with it {} end?", self.deferral)).strong());
        let options: Vec<_> = DeferralOutcome::ALL
            .iter()
            .map(|o| (*o, o.label()))
            .collect();
        widgets::chips(ui, "Outcome", &mut self.outcome, &options);
        if self.outcome == DeferralOutcome::DoseLowered {
            vec![widgets::labelled_field(
                ui,
                "New dose",
                &mut self.new_dose,
                &self.dose_hint,
                240.0,
            )]
        } else {
            Vec::new()
        }
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let new_dose = if self.outcome == DeferralOutcome::DoseLowered {
            Some(Dose::parse(&self.new_dose)?)
        } else {
            None
        };
        Ok(Intent::Log(LiveCommand::DeferralOutcome {
            deferral: self.deferral,
            outcome: self.outcome,
            new_dose,
            note: text,
        }))
    }
}
