//! Who signs sessions on this computer: the clinician's name and credentials, kept in the journal,
//! shown on every signature, addendum and summary header.

use super::status::Status;
use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::Clinician;
use crate::store::Store;
use crate::worker::{Journal, Write, Written};

/// The name and credentials being edited, and what the journal holds.
pub struct ClinicianSettings {
    editing: Clinician,
    saved: Clinician,
    status: Status,
    saving: Awaiting,
}

impl ClinicianSettings {
    pub fn load(store: &Store) -> Self {
        let (saved, status) = match store.clinician() {
            Ok(clinician) => (clinician.unwrap_or_default(), Status::Quiet),
            Err(error) => (Clinician::default(), Status::problem(error)),
        };
        Self {
            editing: saved.clone(),
            saved,
            status,
            saving: Awaiting::default(),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.heading("Clinician");
        ui.label(
            RichText::new(
                "Your name and credentials sign sessions and addenda and head every summary.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "Your name", &mut self.editing.name, "R. Example", 220.0);
            widgets::labelled_field(
                ui,
                "Credentials",
                &mut self.editing.credentials,
                "PsyD, LMFT",
                160.0,
            );
        });
        ui.add_space(theme::GAP);
        match self.saving.answer() {
            Some(Ok(Written::Clinician(saved))) => {
                self.editing = saved.clone();
                self.saved = saved;
                self.status = Status::done("Name saved.");
            }
            Some(Ok(_)) => self.status = Status::done("Name saved."),
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        let unsaved = self.editing != self.saved && !self.saving.is_waiting();
        if ui
            .add_enabled(unsaved, egui::Button::new("Save name"))
            .clicked()
        {
            self.saving
                .send(journal, Write::SaveClinician(self.editing.clone()));
        }
        self.status.show(ui);
    }
}
