//! A client's details for the esketamine REMS form (names, birthdate, sex, enrolment), edited in
//! their history. The form alone prints them, and the panel says so.

use super::status::Status;
use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::{ClientId, RemsPatient, RemsSex};
use crate::store::Store;
use crate::worker::{Journal, Write};

/// The details as typed (the birthdate as text until saved) and as the journal holds them.
pub struct ClientRemsDetails {
    client: ClientId,
    first_name: String,
    last_name: String,
    birth_date: String,
    sex: Option<RemsSex>,
    enrolled: Option<bool>,
    saved: RemsPatient,
    status: Status,
    saving: Awaiting,
}

impl ClientRemsDetails {
    pub fn load(store: &Store, client: ClientId) -> Self {
        let (saved, status) = match store.rems_patient(client) {
            Ok(details) => (details.unwrap_or_default(), Status::Quiet),
            Err(error) => (RemsPatient::default(), Status::problem(error)),
        };
        let mut panel = Self {
            client,
            first_name: String::new(),
            last_name: String::new(),
            birth_date: String::new(),
            sex: None,
            enrolled: None,
            saved: RemsPatient::default(),
            status,
            saving: Awaiting::default(),
        };
        panel.show_saved(saved);
        panel
    }

    fn show_saved(&mut self, saved: RemsPatient) {
        self.first_name.clone_from(&saved.first_name);
        self.last_name.clone_from(&saved.last_name);
        self.birth_date = saved
            .birth_date
            .map(crate::format::date)
            .unwrap_or_default();
        self.sex = saved.sex;
        self.enrolled = saved.enrolled;
        self.saved = saved;
    }

    /// The details as typed, or the sentence saying what does not read.
    fn typed(&self) -> Result<RemsPatient, String> {
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
                ui.horizontal(|ui| {
                    widgets::labelled_field(ui, "First name", &mut self.first_name, "", 160.0);
                    widgets::labelled_field(ui, "Last name", &mut self.last_name, "", 160.0);
                });
                widgets::labelled_field(
                    ui,
                    "Birthdate",
                    &mut self.birth_date,
                    crate::format::date_style().date_hint(),
                    120.0,
                );
                widgets::chips(
                    ui,
                    "Sex",
                    &mut self.sex,
                    &[
                        (Some(RemsSex::Female), "Female"),
                        (Some(RemsSex::Male), "Male"),
                    ],
                );
                widgets::chips(
                    ui,
                    "Enrolled in the REMS",
                    &mut self.enrolled,
                    &[(Some(true), "Yes"), (Some(false), "No")],
                );
                match self.saving.answer() {
                    Some(Ok(_)) => {
                        if let Ok(typed) = self.typed() {
                            self.show_saved(typed);
                        }
                        self.status = Status::done("REMS details saved.");
                    }
                    Some(Err(error)) => self.status = Status::problem(error),
                    None => {}
                }
                let typed = self.typed();
                let unsaved = typed.as_ref().map_or(true, |typed| *typed != self.saved);
                if ui
                    .add_enabled(
                        unsaved && !self.saving.is_waiting(),
                        egui::Button::new("Save REMS details"),
                    )
                    .clicked()
                {
                    match typed {
                        Ok(details) => self.saving.send(
                            journal,
                            Write::SaveRemsPatient {
                                client: self.client,
                                details,
                            },
                        ),
                        Err(sentence) => self.status = Status::problem(sentence),
                    }
                }
                self.status.show(ui);
            });
    }
}
