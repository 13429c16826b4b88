//! A client's consent on their history page: where it stands, every consent and withdrawal given,
//! and recording a renewal or a withdrawal outside a session start.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::printing::{PrintRequest, Printing};
use super::super::theme;
use crate::changes::RecordConsent;
use crate::domain::{
    ClientId, ConsentItem, ConsentRecord, ConsentStanding, DisclosureScope, NewConsent,
};
use crate::export::{CONSENT_FORM, ConsentDocument, render_consent};
use crate::print::PrintError;
use crate::store::Store;
use crate::worker::Journal;

pub struct ClientConsent {
    client: ClientId,
    standing: ConsentStanding,
    /// Newest first.
    history: Vec<ConsentRecord>,
    /// The clinic's newest text version, when it has one.
    version: Option<u32>,
    agreed: [bool; 4],
    status: Status,
    recording: Awaiting<crate::domain::ConsentRecord>,
    printing: Printing,
}

impl ClientConsent {
    pub fn load(store: &Store, client: ClientId, now: chrono::DateTime<chrono::Utc>) -> Self {
        let mut status = Status::Quiet;
        let mut problem = |error: crate::store::StoreError| {
            status = Status::problem(error);
        };
        let standing = store
            .registers()
            .consent_standing(client, now)
            .unwrap_or_else(|error| {
                problem(error);
                ConsentStanding::NoClinicText
            });
        let history = store.registers().consents(client).unwrap_or_else(|error| {
            problem(error);
            Vec::new()
        });
        let version = store
            .registers()
            .consent_text()
            .ok()
            .flatten()
            .map(|text| text.version);
        Self {
            client,
            standing,
            history,
            version,
            agreed: [false; 4],
            status,
            recording: Awaiting::default(),
            printing: Printing::default(),
        }
    }

    /// The section; `true` in the frame a print ended (the accounting of disclosures may have a
    /// new line to show).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        if let Some(answer) = self.recording.answer() {
            match answer {
                Ok(record) => {
                    let said = if record.withdrawn {
                        "Withdrawal recorded."
                    } else {
                        "Consent recorded."
                    };
                    self.status = Status::done(said);
                    self.history.insert(0, record);
                    // The record is committed: the journal's reader sees it.
                    if let Ok(standing) = journal
                        .read()
                        .registers()
                        .consent_standing(self.client, now)
                    {
                        self.standing = standing;
                    }
                    self.agreed = [false; 4];
                }
                Err(error) => self.status = Status::problem(error),
            }
        }
        ui.strong("Consent");
        let color = if self.standing.allows_a_session() {
            theme::saved()
        } else {
            theme::warning()
        };
        ui.label(RichText::new(self.standing.describe(crate::format::clinic_days())).color(color));
        for record in &self.history {
            let by = if record.recorded_by.is_empty() {
                String::new()
            } else {
                format!(" · taken by {}", record.recorded_by)
            };
            ui.label(
                RichText::new(format!(
                    "{}{by}",
                    record.describe(crate::format::clinic_days())
                ))
                .color(theme::muted()),
            );
        }
        if let Some(version) = self.version {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("Consent to version {version}:"));
                for (item, agreed) in ConsentItem::ALL.into_iter().zip(&mut self.agreed) {
                    ui.checkbox(agreed, item.label());
                }
            });
            ui.horizontal(|ui| {
                let waiting = self.recording.is_waiting();
                if ui
                    .add_enabled(!waiting, egui::Button::new("Record consent"))
                    .clicked()
                {
                    self.send(journal, now, false);
                }
                if ui
                    .add_enabled(!waiting, egui::Button::new("Record withdrawal"))
                    .clicked()
                {
                    self.send(journal, now, true);
                }
                ui.separator();
                let hint = if self.history.is_empty() {
                    "A form of the newest consent text to fill in and sign on paper."
                } else {
                    "The newest consent as recorded, with lines to sign on paper."
                };
                let printing = self.printing.is_running();
                let label = if printing {
                    "Printing..."
                } else {
                    "Print consent..."
                };
                if ui
                    .add_enabled(!printing, egui::Button::new(label))
                    .on_hover_text(hint)
                    .clicked()
                {
                    self.print(ui.ctx(), journal);
                }
            });
        }
        let printed = self.printing.poll(ui.ctx(), journal);
        if let Some(status) = &printed {
            self.status = status.clone();
        }
        self.status.show(ui);
        printed.is_some()
    }

    /// Prints the newest consent recorded (or, with none, a form of the newest text to fill in).
    fn print(&mut self, ctx: &egui::Context, journal: &Journal) {
        let document = match ConsentDocument::load(journal.read(), self.client) {
            Ok(Some(document)) => document,
            Ok(None) => {
                self.status =
                    Status::problem("The clinic has no consent text to print.".to_owned());
                return;
            }
            Err(error) => {
                self.status = Status::problem(error);
                return;
            }
        };
        let request = PrintRequest {
            what: "consent",
            form: CONSENT_FORM,
            title: "KAP Journal consent".to_owned(),
            scope: DisclosureScope::Client {
                client: self.client,
                sessions: Vec::new(),
            },
        };
        self.status = Status::Quiet;
        self.printing.start(ctx, journal, request, move || {
            render_consent(&document).map_err(|error| PrintError::Render(error.to_string()))
        });
    }

    fn send(&mut self, journal: &Journal, now: chrono::DateTime<chrono::Utc>, withdrawn: bool) {
        let recorded_by = journal.read().signs_as();
        let consent = NewConsent {
            client_id: self.client,
            items: ConsentItem::ALL.into_iter().zip(self.agreed).collect(),
            recorded_by,
            withdrawn,
        };
        // Checked here too, so a refusal reads at once.
        if !withdrawn && !self.agreed[0] {
            self.status = Status::problem(crate::domain::ConsentError::OffLabelRequired);
            return;
        }
        self.recording
            .send(journal, RecordConsent { consent, at: now });
    }
}
