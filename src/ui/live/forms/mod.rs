//! The composer's entry forms, one file each behind [`EntryForm`]: the few fields an entry needs
//! beside the main text field, and what the filled form asks the live session for.

mod adverse;
mod decision;
mod dose_change;
mod end;
mod measure;
mod outcome;
mod safety_plan;
mod vitals;

use egui::Ui;

pub use adverse::AdverseForm;
pub use decision::{DecisionChoice, DecisionForm};
pub use dose_change::DoseChangeForm;
pub use end::{EndForm, monitoring_hint};
pub use measure::MeasureForm;
pub use outcome::OutcomeForm;
pub use safety_plan::SafetyPlanForm;
pub use vitals::VitalsForm;

use crate::domain::{CurrentDose, Discharge, SessionError, TreatmentModel};
use crate::live::{LiveCommand, LiveSession};

/// What submitting the composer asks for.
pub enum Intent {
    Log(LiveCommand),
    End(String, Discharge),
}

/// One kind of entry the composer can make.
pub trait EntryForm {
    /// The main field's label and the submit button's words.
    fn labels(&self) -> (&'static str, &'static str);

    /// Draws the form's own fields above the main one and returns them in order: the first takes
    /// the focus when the form [starts there](Self::starts_in_first_field), Enter in any submits.
    fn fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> Vec<egui::Response>;

    /// The entry the filled form describes, with `text` from the main field, or the plain sentence
    /// saying what is missing.
    fn intent(&self, text: String) -> Result<Intent, SessionError>;

    /// Whether typing starts in the form's first field rather than the main one (vitals start with
    /// the blood pressure).
    fn starts_in_first_field(&self) -> bool {
        false
    }
}

/// The entry being made. A plain note has no fields of its own.
#[derive(Clone)]
pub enum Form {
    Note,
    Decision(DecisionForm),
    DoseChange(DoseChangeForm),
    Outcome(OutcomeForm),
    Vitals(VitalsForm),
    Measure(MeasureForm),
    Adverse(AdverseForm),
    SafetyPlan(SafetyPlanForm),
    End(EndForm),
}

impl Form {
    fn entry(&self) -> Option<&dyn EntryForm> {
        Some(match self {
            Self::Note => return None,
            Self::Decision(form) => form,
            Self::DoseChange(form) => form,
            Self::Outcome(form) => form,
            Self::Vitals(form) => form,
            Self::Measure(form) => form,
            Self::Adverse(form) => form,
            Self::SafetyPlan(form) => form,
            Self::End(form) => form,
        })
    }

    fn entry_mut(&mut self) -> Option<&mut dyn EntryForm> {
        Some(match self {
            Self::Note => return None,
            Self::Decision(form) => form,
            Self::DoseChange(form) => form,
            Self::Outcome(form) => form,
            Self::Vitals(form) => form,
            Self::Measure(form) => form,
            Self::Adverse(form) => form,
            Self::SafetyPlan(form) => form,
            Self::End(form) => form,
        })
    }

    pub fn labels(&self) -> (&'static str, &'static str) {
        self.entry()
            .map_or(("Note", "Save note"), EntryForm::labels)
    }

    pub fn fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> Vec<egui::Response> {
        self.entry_mut()
            .map(|form| form.fields(ui, model))
            .unwrap_or_default()
    }

    pub fn intent(&self, text: String) -> Result<Intent, SessionError> {
        match self.entry() {
            Some(form) => form.intent(text),
            None => Ok(Intent::Log(LiveCommand::Note(text))),
        }
    }

    pub fn starts_in_first_field(&self) -> bool {
        self.entry().is_some_and(EntryForm::starts_in_first_field)
    }
}

/// The dose or rate running now, as the hint of a "New dose" field.
fn current_dose_hint(live: &LiveSession) -> String {
    let weight = live.weight_kg();
    let now = match live.current_dose() {
        CurrentDose::Infusing { rate, .. } => rate.describe(weight),
        CurrentDose::Given(dose) => dose.describe(weight),
        CurrentDose::NotStarted => live.session().planned_dose.describe(weight),
        CurrentDose::InfusionComplete { .. } => "infusion complete".to_owned(),
        CurrentDose::Stopped => "stopped".to_owned(),
    };
    format!("now {now}")
}

/// The lower dose the clinic proposes now, typed into "New dose" so Enter records it.
fn proposed_lower_text(live: &LiveSession) -> String {
    live.proposed_lower()
        .map(|dose| dose.to_string())
        .unwrap_or_default()
}
