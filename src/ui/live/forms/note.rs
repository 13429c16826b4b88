//! The plain note: the main field alone.

use egui::Ui;

use super::{EntryForm, Intent};
use crate::domain::{SessionError, TreatmentModel};
use crate::live::LiveCommand;

/// A note has no fields of its own; Enter logs what is typed.
#[derive(Clone)]
pub struct NoteForm;

impl EntryForm for NoteForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Note", "Save note")
    }

    fn fields(&mut self, _ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        Vec::new()
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        Ok(Intent::Log(LiveCommand::Note(text)))
    }

    fn is_plain_note(&self) -> bool {
        true
    }
}
