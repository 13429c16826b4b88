//! The composer's entry forms, one file each behind [`EntryForm`]: the few fields an entry needs
//! beside the main text field, and what the filled form asks the live session for.

mod adverse;
mod decision;
mod dose_change;
mod end;
mod measure;
mod note;
mod outcome;
mod safety_plan;
mod vitals;

use egui::Ui;

pub use adverse::AdverseForm;
pub use decision::{DecisionChoice, DecisionForm};
pub use dose_change::DoseChangeForm;
pub use end::EndForm;
pub use measure::MeasureForm;
use note::NoteForm;
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

/// One kind of entry the composer can make. A new kind is a file beside this one implementing it,
/// opened by its command in `actions.rs`; nothing else lists the forms.
pub trait EntryForm: CopyForm {
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

    /// Brings what the form shows of the session up to date, each frame before it is drawn (the
    /// end form's time monitored).
    fn renew(&mut self, _live: &LiveSession) {}

    /// Whether submitting the form ends the session (the header says so while it is open).
    fn ends_session(&self) -> bool {
        false
    }

    /// Whether this is the plain note, which has no fields of its own.
    fn is_plain_note(&self) -> bool {
        false
    }
}

/// A copy of a form as it stands, kept with an entry on its way so a refused one comes back.
pub trait CopyForm {
    fn copy_form(&self) -> Box<dyn EntryForm>;
}

impl<T: EntryForm + Clone + 'static> CopyForm for T {
    fn copy_form(&self) -> Box<dyn EntryForm> {
        Box::new(self.clone())
    }
}

/// The entry being made: one of the forms beside this file.
pub struct Form(Box<dyn EntryForm>);

impl Form {
    /// A plain note, where the composer starts and comes back to.
    pub fn note() -> Self {
        Self(Box::new(NoteForm))
    }
}

impl<T: EntryForm + Clone + 'static> From<T> for Form {
    fn from(form: T) -> Self {
        Self(Box::new(form))
    }
}

impl Clone for Form {
    fn clone(&self) -> Self {
        Self(self.0.copy_form())
    }
}

impl std::ops::Deref for Form {
    type Target = dyn EntryForm;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

impl std::ops::DerefMut for Form {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.as_mut()
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
