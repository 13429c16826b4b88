//! A client's consent on their history page: where it stands, every consent and withdrawal given,
//! and recording a renewal or a withdrawal outside a session start.

use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::{ClientId, ConsentItem, ConsentRecord, ConsentStanding, NewConsent};
use crate::store::Store;
use crate::worker::{Journal, Write, Written};

pub struct ClientConsent {
    client: ClientId,
    standing: ConsentStanding,
    /// Newest first.
    history: Vec<ConsentRecord>,
    /// The clinic's newest text version, when it has one.
    version: Option<u32>,
    agreed: [bool; 4],
    status: Option<(String, bool)>,
    recording: Awaiting,
}

impl ClientConsent {
    pub fn load(store: &Store, client: ClientId, now: chrono::DateTime<chrono::Utc>) -> Self {
        let mut status = None;
        let mut problem = |error: crate::store::StoreError| {
            status = Some((error.to_string(), true));
        };
        let standing = store.consent_standing(client, now).unwrap_or_else(|error| {
            problem(error);
            ConsentStanding::NoClinicText
        });
        let history = store.consents(client).unwrap_or_else(|error| {
            problem(error);
            Vec::new()
        });
        let version = store.consent_text().ok().flatten().map(|text| text.version);
        Self {
            client,
            standing,
            history,
            version,
            agreed: [false; 4],
            status,
            recording: Awaiting::default(),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal, now: chrono::DateTime<chrono::Utc>) {
        if let Some(answer) = self.recording.answer() {
            match answer {
                Ok(Written::Consent(record)) => {
                    let said = if record.withdrawn {
                        "Withdrawal recorded."
                    } else {
                        "Consent recorded."
                    };
                    self.status = Some((said.to_owned(), false));
                    self.history.insert(0, record);
                    // The record is committed: the journal's reader sees it.
                    if let Ok(standing) = journal.read().consent_standing(self.client, now) {
                        self.standing = standing;
                    }
                    self.agreed = [false; 4];
                }
                Ok(_) => {}
                Err(error) => self.status = Some((error.to_string(), true)),
            }
        }
        ui.strong("Consent");
        let color = if self.standing.allows_a_session() {
            theme::saved()
        } else {
            theme::warning()
        };
        ui.label(RichText::new(self.standing.describe()).color(color));
        for record in &self.history {
            let by = if record.recorded_by.is_empty() {
                String::new()
            } else {
                format!(" · taken by {}", record.recorded_by)
            };
            ui.label(RichText::new(format!("{}{by}", record.describe())).color(theme::muted()));
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
            });
        }
        widgets::status_line(ui, self.status.as_ref());
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
            self.status = Some((
                crate::domain::ConsentError::OffLabelRequired.to_string(),
                true,
            ));
            return;
        }
        self.recording
            .send(journal, Write::RecordConsent { consent, at: now });
    }
}
