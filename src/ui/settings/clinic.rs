//! The clinic in Settings: its name (the healthcare setting) and how it is reached (telephone,
//! email, address), which the esketamine REMS form prints.

use egui::{RichText, Ui};

use super::super::saved_form::SavedForm;
use super::super::status::Status;
use super::super::{theme, widgets};
use crate::changes::SaveClinic;
use crate::domain::{ClinicName, RemsContact};
use crate::store::Store;
use crate::worker::Journal;

/// The clinic's details as typed, and as the journal holds them.
#[derive(Clone, PartialEq, Default)]
struct ClinicDetails {
    name: String,
    contact: RemsContact,
}

/// The details being edited and what the journal holds (empty: not set).
pub struct ClinicSettingsPanel {
    form: SavedForm<ClinicDetails>,
}

impl ClinicSettingsPanel {
    pub fn load(store: &Store) -> Self {
        let read = || -> Result<ClinicDetails, crate::store::StoreError> {
            Ok(ClinicDetails {
                name: store.clinic_name()?.map(String::from).unwrap_or_default(),
                contact: store.registers().rems_contact()?,
            })
        };
        Self {
            form: SavedForm::loaded(read()),
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
        let editing = &mut self.form.editing;
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
        self.form.answer("Clinic details saved.", |()| None);
        if ui
            .add_enabled(
                self.form.can_save(),
                egui::Button::new("Save clinic details"),
            )
            .clicked()
        {
            // An emptied name clears it; anything else must be a name the form can print.
            let typed = &self.form.editing;
            let name = Some(typed.name.trim())
                .filter(|text| !text.is_empty())
                .map(ClinicName::parse)
                .transpose();
            match (name, typed.contact.checked()) {
                (Ok(name), Ok(contact)) => {
                    // Kept as the journal will hold them: trimmed and checked.
                    let kept = ClinicDetails {
                        name: name.clone().map(String::from).unwrap_or_default(),
                        contact: contact.clone(),
                    };
                    self.form.send(journal, kept, SaveClinic { name, contact });
                }
                (Err(error), _) => self.form.status = Status::problem(error),
                (_, Err(error)) => self.form.status = Status::problem(error),
            }
        }
        self.form.status.show(ui);
    }
}
