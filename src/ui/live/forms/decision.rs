//! A dose-adjustment decision point: what came up, what was asked, what was decided and why.

use egui::{RichText, Ui};

use super::super::super::{theme, widgets};
use super::{EntryForm, Intent, current_dose_hint, proposed_lower_text};
use crate::domain::{
    Asked, CameUp, DEFAULT_SIT_WITH_IT_MINUTES, Decision, Dose, SessionError, TreatmentModel,
};
use crate::live::{LiveCommand, LiveSession};

/// What the decision form offers; the minutes and new dose live in their own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionChoice {
    LowerNow,
    Hold,
    SitWithIt,
    Stop,
}

#[derive(Clone)]
pub struct DecisionForm {
    came_up: CameUp,
    asked: Asked,
    choice: DecisionChoice,
    minutes: String,
    /// Starts as the clinic's proposed lower rate, so Enter records it.
    new_dose: String,
    rationale: String,
    dose_hint: String,
}

impl DecisionForm {
    /// The form with `choice` preselected.
    pub fn new(choice: DecisionChoice, live: &LiveSession) -> Self {
        Self {
            // Nothing is stated until the clinician chooses it.
            came_up: CameUp::NotStated,
            asked: Asked::NotStated,
            choice,
            minutes: DEFAULT_SIT_WITH_IT_MINUTES.to_string(),
            new_dose: proposed_lower_text(live),
            rationale: String::new(),
            dose_hint: current_dose_hint(live),
        }
    }
}

impl EntryForm for DecisionForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("What came up", "Record decision")
    }

    fn fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(
            RichText::new("Decision point")
                .strong()
                .color(theme::model_color(model)),
        );
        let came_up_options: Vec<_> = CameUp::ALL.iter().map(|c| (*c, c.label())).collect();
        widgets::chips(ui, "Came up", &mut self.came_up, &came_up_options);
        let asked_options: Vec<_> = Asked::ALL.iter().map(|a| (*a, a.label())).collect();
        widgets::chips(ui, "Asked", &mut self.asked, &asked_options);
        // Each model offers its own first response first.
        let lower = (DecisionChoice::LowerNow, "Lower now");
        let sit = (DecisionChoice::SitWithIt, "Sit with it");
        let (first, second) = if model == TreatmentModel::Medical {
            (lower, sit)
        } else {
            (sit, lower)
        };
        widgets::chips(
            ui,
            "Decision",
            &mut self.choice,
            &[
                first,
                second,
                (DecisionChoice::Hold, "Hold"),
                (DecisionChoice::Stop, "Stop"),
            ],
        );
        ui.horizontal(|ui| {
            let mut fields = Vec::new();
            match self.choice {
                DecisionChoice::SitWithIt => {
                    fields.push(widgets::labelled_field(
                        ui,
                        "Minutes",
                        &mut self.minutes,
                        "5",
                        50.0,
                    ));
                }
                DecisionChoice::LowerNow => fields.push(widgets::labelled_field(
                    ui,
                    "New dose",
                    &mut self.new_dose,
                    &self.dose_hint,
                    240.0,
                )),
                DecisionChoice::Hold | DecisionChoice::Stop => {}
            }
            fields.push(widgets::labelled_field(
                ui,
                "Rationale",
                &mut self.rationale,
                "why this decision",
                360.0,
            ));
            fields
        })
        .inner
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let (decision, new_dose) = match self.choice {
            DecisionChoice::LowerNow => (Decision::LowerNow, Some(Dose::parse(&self.new_dose)?)),
            DecisionChoice::Hold => (Decision::Hold, None),
            DecisionChoice::Stop => (Decision::Stop, None),
            DecisionChoice::SitWithIt => {
                let minutes = self
                    .minutes
                    .trim()
                    .parse()
                    .map_err(|_| SessionError::DeferralMinutes)?;
                (Decision::SitWithIt { minutes }, None)
            }
        };
        Ok(Intent::Log(LiveCommand::DecisionPoint {
            came_up: self.came_up,
            detail: text,
            asked: self.asked,
            decision,
            new_dose,
            rationale: self.rationale.clone(),
        }))
    }
}
