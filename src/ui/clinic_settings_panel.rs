//! The clinic in Settings: its name (the healthcare setting) and how it is reached (telephone,
//! email, address), which the esketamine REMS form prints.

use super::status::Status;
use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::{ClinicName, RemsContact};
use crate::store::Store;
use crate::worker::{Journal, Write};

/// The clinic's details as typed, and as the journal holds them.
#[derive(Clone, PartialEq, Default)]
struct ClinicDetails {
    name: String,
    contact: RemsContact,
}

/// The details being edited and what the journal holds (empty: not set).
pub struct ClinicSettingsPanel {
    editing: ClinicDetails,
    saved: ClinicDetails,
    status: Status,
    saving: Awaiting,
}

impl ClinicSettingsPanel {
    pub fn load(store: &Store) -> Self {
        let read = || -> Result<ClinicDetails, crate::store::StoreError> {
            Ok(ClinicDetails {
                name: store.clinic_name()?.map(String::from).unwrap_or_default(),
                contact: store.rems_contact()?,
            })
        };
        let (saved, status) = match read() {
            Ok(details) => (details, Status::Quiet),
            Err(error) => (ClinicDetails::default(), Status::problem(error)),
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
                "The REMS monitoring form prints these as the healthcare setting and how to reach it.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        let editing = &mut self.editing;
        widgets::labelled_field(
            ui,
            "Clinic name",
            &mut editing.name,
            "Riverside Ketamine Clinic",
            360.0,
        );
        widgets::labelled_field(
            ui,
            "Address",
            &mut editing.contact.address,
            "12 Example Street, Springfield",
            360.0,
        );
        widgets::labelled_field(
            ui,
            "Telephone",
            &mut editing.contact.telephone,
            "+1 555 010 0199",
            200.0,
        );
        widgets::labelled_field(
            ui,
            "Email",
            &mut editing.contact.email,
            "front.desk@clinic.example",
            280.0,
        );
        ui.add_space(theme::GAP);
        match self.saving.answer() {
            Some(Ok(_)) => {
                self.editing.name = self.editing.name.trim().to_owned();
                if let Ok(contact) = self.editing.contact.checked() {
                    self.editing.contact = contact;
                }
                self.saved = self.editing.clone();
                self.status = Status::done("Clinic details saved.");
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        let unsaved = self.editing != self.saved && !self.saving.is_waiting();
        if ui
            .add_enabled(unsaved, egui::Button::new("Save clinic details"))
            .clicked()
        {
            // An emptied name clears it; anything else must be a name the form can print.
            let name = Some(self.editing.name.trim())
                .filter(|text| !text.is_empty())
                .map(ClinicName::parse)
                .transpose();
            match (name, self.editing.contact.checked()) {
                (Ok(name), Ok(contact)) => self
                    .saving
                    .send(journal, Write::SaveClinic { name, contact }),
                (Err(error), _) => self.status = Status::problem(error),
                (_, Err(error)) => self.status = Status::problem(error),
            }
        }
        self.status.show(ui);
    }
}
