//! A client's place in the practice, on their history page: whether this journal shares the
//! client's sessions with the practice, and a button to link the client to the practice client of
//! the code typed beside it (the client's own code unless the practice knows them by another; the
//! server checks that this clinician is on its care team). Until then, nothing of the client is
//! sent or received. The same as `kap-journal practice link`.

use super::super::status::Status;
use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::background::Job;
use super::super::theme;
use crate::changes::LinkPracticeClient;
use crate::domain::{Client, PracticeMembership};
use crate::practice::PracticeError;
use crate::store::{Store, StoreError};
use crate::worker::Journal;

pub struct ClientPracticeLink {
    client: Client,
    membership: Option<PracticeMembership>,
    /// The practice code the client is linked to.
    linked: Option<String>,
    /// The practice's code for the client, as typed (the client's own until changed).
    practice_code: String,
    /// The server being asked whether the client may be linked.
    asking: Option<Job<Result<(), PracticeError>>>,
    saving: Awaiting<()>,
    status: Status,
}

impl ClientPracticeLink {
    pub fn load(store: &Store, client: &Client) -> Self {
        let (membership, linked, status) = match (
            store.sharing().practice_membership(),
            store.sharing().practice_link(client.id),
        ) {
            (Ok(membership), Ok(linked)) => (membership, linked, Status::Quiet),
            (Err(error), _) | (_, Err(error)) => (None, None, Status::problem(error)),
        };
        Self {
            client: client.clone(),
            membership,
            linked,
            practice_code: client.code.clone(),
            asking: None,
            saving: Awaiting::default(),
            status,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal, now: DateTime<Utc>) {
        self.poll(journal, now);
        let Some(membership) = &self.membership else {
            return;
        };
        if !membership.role.records_sessions() {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.strong("Practice");
            if let Some(code) = &self.linked {
                ui.label(
                    RichText::new(format!(
                        "shared as the practice's client {code}: its sessions go to the practice, and its care team's come here."
                    ))
                    .color(theme::muted()),
                );
            } else {
                ui.label(
                    RichText::new(
                        "not shared: its sessions stay in this journal until it is linked to a practice client (you must be on its care team).",
                    )
                    .color(theme::muted()),
                );
            }
        });
        if self.linked.is_none() {
            ui.horizontal(|ui| {
                let label = ui.label("The practice's code for this client");
                ui.add(
                    egui::TextEdit::singleline(&mut self.practice_code)
                        .desired_width(110.0)
                        .char_limit(64),
                )
                .labelled_by(label.id);
                let busy = self.asking.is_some() || self.saving.is_waiting();
                let ready = !self.practice_code.trim().is_empty();
                if ui
                    .add_enabled(!busy && ready, egui::Button::new("Share with the practice"))
                    .clicked()
                {
                    self.ask(ui.ctx(), journal);
                }
                if busy {
                    ui.label(RichText::new("Asking the practice server…").color(theme::muted()));
                }
            });
        }
        self.status.show(ui);
        ui.add_space(theme::GAP);
    }

    /// Asks the server (on a thread) whether this journal may link the client.
    fn ask(&mut self, ctx: &egui::Context, journal: &Journal) {
        let reader = match journal.read().reader() {
            Ok(reader) => reader,
            Err(error) => {
                self.status = Status::problem(error);
                return;
            }
        };
        let code = self.client.code.clone();
        let practice_code = self.practice_code.trim().to_owned();
        self.status = Status::Quiet;
        self.asking = Some(Job::start(ctx, "practice link", move |_| {
            crate::practice::may_link(&reader, &code, &practice_code)
        }));
    }

    fn poll(&mut self, journal: &Journal, now: DateTime<Utc>) {
        if let Some(answer) = self
            .asking
            .as_ref()
            .and_then(|job| job.take(|| Err(StoreError::BackgroundStopped.into())))
        {
            self.asking = None;
            match answer {
                Ok(()) => self.saving.send(
                    journal,
                    LinkPracticeClient {
                        local_code: self.client.code.clone(),
                        practice_code: self.practice_code.trim().to_owned(),
                        at: now,
                    },
                ),
                Err(error) => self.status = Status::problem(error),
            }
        }
        match self.saving.answer() {
            Some(Ok(())) => {
                self.linked = Some(self.practice_code.trim().to_owned());
                self.status = Status::done(
                    "Linked: the next sync sends this client's sessions and receives its care team's.",
                );
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
    }
}
