//! Who signs sessions on this computer: the clinician's name and credentials, kept in the journal,
//! shown on every signature, addendum and summary header.

use egui::{RichText, Ui};

use super::super::saved_form::SavedForm;
use super::super::{theme, widgets};
use crate::changes::SaveClinician;
use crate::domain::Clinician;
use crate::store::Store;
use crate::worker::Journal;

/// The name and credentials being edited, and what the journal holds.
pub struct ClinicianSettings {
    form: SavedForm<Clinician, Clinician>,
}

impl ClinicianSettings {
    pub fn load(store: &Store) -> Self {
        Self {
            form: SavedForm::loaded(store.clinician().map(Option::unwrap_or_default)),
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
            let editing = &mut self.form.editing;
            widgets::labelled_field(ui, "Your name", &mut editing.name, "R. Example", 220.0);
            widgets::labelled_field(
                ui,
                "Credentials",
                &mut editing.credentials,
                "PsyD, LMFT",
                160.0,
            );
        });
        ui.add_space(theme::GAP);
        self.form.answer("Name saved.", Some);
        if ui
            .add_enabled(self.form.can_save(), egui::Button::new("Save name"))
            .clicked()
        {
            let typed = self.form.editing.clone();
            self.form.send(journal, typed.clone(), SaveClinician(typed));
        }
        self.form.status.show(ui);
    }
}
