//! The practice in Settings: join the practice's server as a clinician's login (its password is
//! kept inside the encrypted journal), see where this journal stands, and sync now. The same
//! checks as `kap-journal practice connect` and `kap-journal sync`.

use super::super::status::Status;
use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::background::Job;
use super::super::saved_form::SavedForm;
use super::super::theme;
use crate::changes::SavePracticeMembership;
use crate::domain::PracticeMembership;
use crate::practice::{PracticeAddress, PracticeError};
use crate::store::{Store, StoreError};
use crate::ui::practice_sync::PracticeSync;
use crate::worker::Journal;

#[derive(Default)]
pub struct PracticeSettings {
    address: String,
    password: String,
    /// The membership the journal holds, a new one on its way to it, and what became of the last.
    membership: SavedForm<Option<PracticeMembership>>,
    /// The server being asked whether the login may join.
    joining: Option<Job<Result<PracticeMembership, PracticeError>>>,
    /// The syncs ended when the membership was read (a sync updates its last time).
    syncs_seen: u64,
    admin: super::admin::PracticeAdmin,
}

impl PracticeSettings {
    pub fn load(store: &Store) -> Self {
        let membership = store.sharing().practice_membership().ok().flatten();
        Self {
            address: membership
                .as_ref()
                .map(|membership| membership.url.clone())
                .unwrap_or_default(),
            membership: SavedForm::new(membership, Status::Quiet),
            ..Self::default()
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        sync: &mut PracticeSync,
        now: DateTime<Utc>,
    ) {
        self.poll(journal);
        if sync.ended() != self.syncs_seen {
            self.syncs_seen = sync.ended();
            if let Ok(Some(membership)) = journal.read().sharing().practice_membership() {
                self.membership.reload(Some(membership));
            }
        }
        ui.heading("Practice");
        ui.label(
            RichText::new(
                "Share this journal's ended sessions with the practice's PostgreSQL server, and read \
                 the colleagues' sessions your role allows, as read-only copies. The private note, \
                 drafts and clients' names never leave this computer.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        if let Some(membership) = self.membership.saved() {
            standing(ui, membership);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        membership.role.records_sessions() && !sync.is_running(),
                        egui::Button::new("Sync now"),
                    )
                    .clicked()
                {
                    sync.start(ui.ctx(), journal, now);
                }
            });
            sync_outcome(ui, sync);
            ui.add_space(theme::GAP);
        }
        self.connect_form(ui, journal, now);
        ui.add_space(theme::GAP);
        self.admin.ui(ui);
    }

    fn connect_form(&mut self, ui: &mut Ui, journal: &Journal, now: DateTime<Utc>) {
        super::admin::address_and_password(
            ui,
            ("Server address", "postgres://login@server:5432/practice"),
            "Password",
            (&mut self.address, &mut self.password),
        );
        let busy = self.joining.is_some() || self.membership.is_waiting();
        let ready = !self.address.trim().is_empty() && !self.password.is_empty() && !busy;
        let title = if self.membership.saved().is_some() {
            "Connect again"
        } else {
            "Connect"
        };
        if ui.add_enabled(ready, egui::Button::new(title)).clicked() {
            self.join(ui.ctx(), journal, now);
        }
        if busy {
            ui.label(RichText::new("Asking the practice server…").color(theme::muted()));
        }
        self.membership.status.show(ui);
    }

    /// Asks the server (on a thread) whether the address's login may join.
    fn join(&mut self, ctx: &egui::Context, journal: &Journal, now: DateTime<Utc>) {
        let address = match PracticeAddress::parse(&self.address) {
            Ok(address) => address,
            Err(error) => {
                self.membership.status = Status::problem(error);
                return;
            }
        };
        let reader = match journal.read().reader() {
            Ok(reader) => reader,
            Err(error) => {
                self.membership.status = Status::problem(error);
                return;
            }
        };
        let password = std::mem::take(&mut self.password);
        self.membership.status = Status::Quiet;
        self.joining = Some(Job::start(ctx, "practice connect", move |_| {
            crate::practice::join(&reader, &address, &password, now)
        }));
    }

    fn poll(&mut self, journal: &Journal) {
        if let Some(joined) = self
            .joining
            .as_ref()
            .and_then(|job| job.take(|| Err(StoreError::BackgroundStopped.into())))
        {
            self.joining = None;
            match joined {
                Ok(membership) => {
                    let change = SavePracticeMembership(membership.clone());
                    self.membership.send(journal, Some(membership), change);
                }
                Err(error) => self.membership.status = Status::problem(error),
            }
        }
        if let Some(Some(membership)) = self.membership.answer("Connected.", |()| None) {
            self.membership.status = Status::done(format!(
                "Connected as {}; as {}, you read {}.",
                membership.describe(),
                membership.role.as_str(),
                membership.role.reads()
            ));
        }
    }
}

/// Where this journal stands in its practice.
fn standing(ui: &mut Ui, membership: &PracticeMembership) {
    egui::Grid::new("practice_standing")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label("Server");
            ui.label(&membership.url);
            ui.end_row();
            ui.label("Syncs as");
            ui.label(format!("{} — {}", membership.login, membership.describe()));
            ui.end_row();
            ui.label("Reads");
            ui.label(membership.role.reads());
            ui.end_row();
            ui.label("Last sync");
            ui.label(
                membership
                    .last_sync
                    .map_or_else(|| "never".to_owned(), super::super::format::date_time),
            );
            ui.end_row();
        });
}

/// The running sync's progress, or how the last one ended.
pub fn sync_outcome(ui: &mut Ui, sync: &PracticeSync) {
    if let Some(progress) = sync.progress() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(progress);
        });
        return;
    }
    match sync.last() {
        Some(Ok(report)) => {
            let problem = !report.refused.is_empty() || !report.held_by_others.is_empty();
            Status::of(report.describe(), problem).show(ui);
        }
        Some(Err(error)) => Status::problem(error).show(ui),
        None => {}
    }
}
