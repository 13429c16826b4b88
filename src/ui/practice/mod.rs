//! The "Practice" list: every session this clinician may read, each with its clinician: this
//! journal's own and the colleagues' copies from the last sync, KAP and Medical Model apart. The
//! same as `kap-journal sessions --practice`.

pub(super) mod admin;
pub(super) mod live_list;
pub(super) mod registry;
pub(super) mod settings;

use egui::{RichText, Ui};

use self::settings::sync_outcome;
use super::commands::{Scope, UiCommand};
use super::session_table::{self, TableSort};
use super::theme;
use super::view::{AppView, Nav, Place, ViewContext, back_on};
use crate::domain::{PracticeMembership, TreatmentModel};
use crate::review::sort;
use crate::store::{SessionFilter, SessionSummary, Store};

pub struct PracticeView {
    membership: Option<PracticeMembership>,
    sessions: Vec<SessionSummary>,
    sort: TableSort,
    problem: Option<String>,
    /// The syncs ended when the list was read.
    syncs_seen: u64,
    /// The practice's clients and care teams, read from the server when opened.
    registry: registry::PracticeRegistry,
    /// The sessions running now that this clinician may join.
    live: live_list::LiveList,
}

impl PracticeView {
    pub fn load(store: &Store, syncs_seen: u64) -> Self {
        let mut view = Self {
            membership: None,
            sessions: Vec::new(),
            sort: TableSort::default(),
            problem: None,
            syncs_seen,
            registry: registry::PracticeRegistry::default(),
            live: live_list::LiveList::default(),
        };
        view.reload(store);
        view
    }

    fn reload(&mut self, store: &Store) {
        let read = store
            .sharing()
            .practice_membership()
            .and_then(|membership| {
                Ok((
                    membership,
                    store
                        .record()
                        .session_summaries(&SessionFilter::default())?,
                ))
            });
        match read {
            Ok((membership, mut sessions)) => {
                let own = membership
                    .as_ref()
                    .map_or_else(|| "this journal".to_owned(), |member| member.name.clone());
                for session in &mut sessions {
                    session.clinician.get_or_insert_with(|| own.clone());
                }
                sort(&mut sessions, self.sort.key, self.sort.descending);
                self.membership = membership;
                self.sessions = sessions;
                self.problem = None;
            }
            Err(error) => self.problem = Some(error.to_string()),
        }
    }
}

impl AppView for PracticeView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        if cx.practice.ended() != self.syncs_seen {
            self.syncs_seen = cx.practice.ended();
            self.reload(cx.journal.read());
        }
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
                    nav = Nav::Home;
                }
                ui.heading("Practice");
            });
            match &self.membership {
                None => {
                    ui.label(
                        RichText::new(
                            "This journal has not joined a practice; connect under Practice in Settings.",
                        )
                        .color(theme::muted()),
                    );
                    if ui.button("Open Settings").clicked() {
                        nav = Nav::To(Place::Settings);
                    }
                }
                Some(membership) => {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "Every session you may read as {}: {}.",
                            membership.describe(),
                            membership.role.reads()
                        ));
                        let idle = !cx.practice.is_running() && membership.role.records_sessions();
                        if ui.add_enabled(idle, egui::Button::new("Sync now")).clicked() {
                            let now = cx.wall();
                            cx.practice.start(ui.ctx(), cx.journal, now);
                        }
                    });
                    sync_outcome(ui, cx.practice);
                    if membership.role.records_sessions() {
                        nav = self.live.ui(ui, membership, cx);
                    }
                    self.registry.ui(ui, membership);
                }
            }
            if let Some(problem) = &self.problem {
                ui.colored_label(theme::warning(), problem);
            }
            ui.add_space(theme::GAP);
            let height = (ui.available_height() / 2.0 - 70.0).max(120.0);
            for model in TreatmentModel::ALL {
                let rows: Vec<SessionSummary> = self
                    .sessions
                    .iter()
                    .filter(|session| session.model == model)
                    .cloned()
                    .collect();
                let response = session_table::show(ui, model, &rows, session_table::Listed::All, &mut self.sort, height);
                if response.sort_changed {
                    sort(&mut self.sessions, self.sort.key, self.sort.descending);
                }
                if let Some(id) = response.open {
                    nav = Nav::OpenSession(id, None);
                }
                ui.add_space(theme::GAP);
            }
        });
        nav
    }
}
