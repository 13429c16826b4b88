//! Who signs sessions on this computer: the clinician's name and credentials, kept in the journal,
//! shown on every signature, addendum and summary header.

use egui::{RichText, Ui};

use super::{theme, widgets};
use crate::domain::Clinician;
use crate::store::Store;
use crate::worker::{Journal, Write, Written};

/// The name and credentials being edited, and what the journal holds.
pub struct ClinicianSettings {
    editing: Clinician,
    saved: Clinician,
    status: Option<(String, bool)>,
}

impl ClinicianSettings {
    pub fn load(store: &Store) -> Self {
        let (saved, status) = match store.clinician() {
            Ok(clinician) => (clinician.unwrap_or_default(), None),
            Err(error) => (Clinician::default(), Some((error.to_string(), true))),
        };
        Self {
            editing: saved.clone(),
            saved,
            status,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.heading("Clinician");
        ui.label(
            RichText::new(
                "Your name and credentials sign sessions and addenda and head every summary.",
            )
            .color(theme::MUTED),
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
        let unsaved = self.editing != self.saved;
        if ui
            .add_enabled(unsaved, egui::Button::new("Save name"))
            .clicked()
        {
            self.status = Some(
                match journal.write(Write::SaveClinician(self.editing.clone())) {
                    Ok(Written::Clinician(saved)) => {
                        self.editing = saved.clone();
                        self.saved = saved;
                        ("Name saved.".to_owned(), false)
                    }
                    Ok(_) => ("Name saved.".to_owned(), false),
                    Err(error) => (error.to_string(), true),
                },
            );
        }
        widgets::status_line(ui, self.status.as_ref());
    }
}
