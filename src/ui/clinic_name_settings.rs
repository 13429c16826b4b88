//! The clinic's name: the healthcare setting the esketamine REMS form names.

use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::ClinicName;
use crate::store::Store;
use crate::worker::{Journal, Write};

/// The name being edited and what the journal holds (empty: not set).
pub struct ClinicNameSettings {
    editing: String,
    saved: String,
    status: Option<(String, bool)>,
    saving: Awaiting,
}

impl ClinicNameSettings {
    pub fn load(store: &Store) -> Self {
        let (saved, status) = match store.clinic_name() {
            Ok(name) => (name.map(String::from).unwrap_or_default(), None),
            Err(error) => (String::new(), Some((error.to_string(), true))),
        };
        Self {
            editing: saved.clone(),
            saved,
            status,
            saving: Awaiting::default(),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.heading("Clinic");
        ui.label(
            RichText::new(
                "The clinic's name is the healthcare setting on the REMS monitoring form.",
            )
            .color(theme::MUTED),
        );
        ui.add_space(theme::GAP);
        widgets::labelled_field(
            ui,
            "Clinic name",
            &mut self.editing,
            "Riverside Ketamine Clinic",
            360.0,
        );
        ui.add_space(theme::GAP);
        match self.saving.answer() {
            Some(Ok(_)) => {
                self.editing = self.editing.trim().to_owned();
                self.saved = self.editing.clone();
                self.status = Some(("Clinic name saved.".to_owned(), false));
            }
            Some(Err(error)) => self.status = Some((error.to_string(), true)),
            None => {}
        }
        let unsaved = self.editing.trim() != self.saved && !self.saving.is_waiting();
        if ui
            .add_enabled(unsaved, egui::Button::new("Save clinic name"))
            .clicked()
        {
            // An emptied field clears the name; anything else must be a name the form can print.
            let name = Some(self.editing.trim())
                .filter(|text| !text.is_empty())
                .map(ClinicName::parse)
                .transpose();
            match name {
                Ok(name) => self.saving.send(journal, Write::SaveClinicName(name)),
                Err(error) => self.status = Some((error.to_string(), true)),
            }
        }
        widgets::status_line(ui, self.status.as_ref());
    }
}
