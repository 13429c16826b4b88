//! A client's details for the esketamine REMS form (names, birthdate, sex, enrolment), edited in
//! their history. The form alone prints them, and the panel says so.

use egui::{RichText, Ui};

use super::super::saved_form::SavedForm;
use super::super::status::Status;
use super::super::{theme, widgets};
use crate::changes::SaveRemsPatient;
use crate::domain::{ClientId, RemsPatient, RemsSex};
use crate::store::Store;
use crate::worker::Journal;

/// The details as the fields hold them: the birthdate as text, in the clinic's date order.
#[derive(Clone, PartialEq, Default)]
struct Typed {
    first_name: String,
    last_name: String,
    birth_date: String,
    sex: Option<RemsSex>,
    enrolled: Option<bool>,
}

impl Typed {
    /// The fields showing `details`.
    fn of(details: &RemsPatient) -> Self {
        Self {
            first_name: details.first_name.clone(),
            last_name: details.last_name.clone(),
            birth_date: details
                .birth_date
                .map(crate::format::date)
                .unwrap_or_default(),
            sex: details.sex,
            enrolled: details.enrolled,
        }
    }

    /// The details as typed, or the sentence saying what does not read.
    fn read(&self) -> Result<RemsPatient, String> {
        let birth_date = match self.birth_date.trim() {
            "" => None,
            text => Some(
                crate::format::date_style()
                    .parse_date(text)
                    .map_err(|error| format!("The birthdate does not read. {error}"))?,
            ),
        };
        Ok(RemsPatient {
            first_name: self.first_name.trim().to_owned(),
            last_name: self.last_name.trim().to_owned(),
            birth_date,
            sex: self.sex,
            enrolled: self.enrolled,
        })
    }
}

/// The details being edited and what the journal holds.
pub struct ClientRemsDetails {
    client: ClientId,
    form: SavedForm<Typed>,
}

impl ClientRemsDetails {
    pub fn load(store: &Store, client: ClientId) -> Self {
        let saved = store
            .registers()
            .rems_patient(client)
            .map(|details| Typed::of(&details.unwrap_or_default()));
        Self {
            client,
            form: SavedForm::loaded(saved),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        egui::CollapsingHeader::new("REMS details")
            .id_salt(("rems_details", self.client.0))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(
                        "Asked by the esketamine REMS monitoring form and printed on it alone: \
                         no summary, archive or practice copy carries them.",
                    )
                    .color(theme::muted()),
                );
                let typed = &mut self.form.editing;
                ui.horizontal(|ui| {
                    widgets::labelled_field(ui, "First name", &mut typed.first_name, "", 160.0);
                    widgets::labelled_field(ui, "Last name", &mut typed.last_name, "", 160.0);
                });
                widgets::labelled_field(
                    ui,
                    "Birthdate",
                    &mut typed.birth_date,
                    crate::format::date_style().date_hint(),
                    120.0,
                );
                widgets::chips(
                    ui,
                    "Sex",
                    &mut typed.sex,
                    &[
                        (Some(RemsSex::Female), "Female"),
                        (Some(RemsSex::Male), "Male"),
                    ],
                );
                widgets::chips(
                    ui,
                    "Enrolled in the REMS",
                    &mut typed.enrolled,
                    &[(Some(true), "Yes"), (Some(false), "No")],
                );
                self.form.answer("REMS details saved.", |()| None);
                if ui
                    .add_enabled(self.form.can_save(), egui::Button::new("Save REMS details"))
                    .clicked()
                {
                    match self.form.editing.read() {
                        Ok(details) => {
                            // Kept as the journal will show them: trimmed, the date rewritten.
                            let kept = Typed::of(&details);
                            let write = SaveRemsPatient {
                                client: self.client,
                                details,
                            };
                            self.form.send(journal, kept, write);
                        }
                        Err(sentence) => self.form.status = Status::problem(sentence),
                    }
                }
                self.form.status.show(ui);
            });
    }
}
