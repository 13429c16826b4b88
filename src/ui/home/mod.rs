//! The home screen: live sessions to resume, the search, and every session in two lists, KAP and
//! Medical Model apart, sortable and filtered by model, client, route and date range.

pub(super) mod bulk_export;
pub(super) mod consents_due;
pub(super) mod follow_ups_due;
pub(super) mod lists;
pub(super) mod rems_due;
pub(super) mod search;
pub(super) mod search_runner;

use std::sync::Arc;

use egui::{RichText, Ui};

use self::bulk_export::BulkExport;
use self::consents_due::ConsentsDueList;
use self::follow_ups_due::FollowUpsDueList;
use self::lists::SessionLists;
use self::rems_due::RemsDueList;
use self::search::SearchPanel;
use super::commands::{Scope, UiCommand};
use super::session_table::{self, TableSort};
use super::view::{AppView, Nav, ViewContext};
use super::{format, theme, widgets};
use crate::domain::{Route, TreatmentModel};
use crate::live::{Clock, LiveSession};
use crate::review::{ListFilter, parse_day, sort};
use crate::store::{SessionSummary, Store};
use crate::worker::Journal;

/// The session lists (read when the screen opens or is returned to) and the search.
#[derive(Default)]
pub struct HomeView {
    lists: SessionLists,
    /// The lists' sessions after the filters, sorted, split by model.
    kap: Vec<SessionSummary>,
    medical: Vec<SessionSummary>,
    /// The filter and sort `kap` and `medical` were made with; a change makes them again.
    shown_for: Option<(ListFilter, TableSort)>,
    search: SearchPanel,
    route: Option<Route>,
    from: String,
    to: String,
    sort: TableSort,
    error: Option<String>,
    export: BulkExport,
    /// REMS forms still to submit, with their due dates, and consents to renew; both read again
    /// when the screen is returned to.
    rems: RemsDueList,
    consents: ConsentsDueList,
    follow_ups: FollowUpsDueList,
    /// The due lists were read since the last refresh (in the first frame after it, which has the
    /// time: they sit above the search and the lists, which must not move once drawn).
    due_read: bool,
}

impl AppView for HomeView {
    fn scope(&self) -> Scope {
        Scope::Home
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        if command == UiCommand::FocusSearch {
            self.search.focus();
        }
        Nav::Stay
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui, cx.journal, cx.clock)
    }
}

impl HomeView {
    pub fn load(store: &Store) -> Self {
        let mut view = Self::default();
        view.refresh(store);
        view
    }

    /// Reads the lists again (a session may have ended), keeping the search, filters and sort: the
    /// newest sessions now, everything else beside the window.
    pub fn refresh(&mut self, store: &Store) {
        self.search.reload(store);
        self.shown_for = None;
        self.error = self
            .lists
            .refresh(store)
            .err()
            .map(|error| error.to_string());
    }

    /// Whether every session is still being read beside the window.
    pub fn is_reading(&self) -> bool {
        self.lists.is_reading()
    }

    /// Takes every session once the job beside the window has read them.
    fn take_read(&mut self) {
        match self.lists.take_read() {
            None => {}
            Some(Ok(())) => self.shown_for = None,
            Some(Err(error)) => self.error = Some(error.to_string()),
        }
    }

    /// The filter as typed; a date that cannot be read is said once and ignored.
    fn filter(&mut self) -> ListFilter {
        let style = crate::format::date_style();
        let (from, to) = match (parse_day(&self.from, style), parse_day(&self.to, style)) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(message), _) | (_, Err(message)) => {
                self.error = Some(message);
                (None, None)
            }
        };
        ListFilter {
            model: self.search.model,
            client_code: self.search.client.clone(),
            route: self.route,
            from,
            to,
        }
    }

    fn apply_filters(&mut self) {
        let filter = self.filter();
        if self.shown_for.as_ref() == Some(&(filter.clone(), self.sort)) {
            return;
        }
        let of_model = |model: TreatmentModel| -> Vec<SessionSummary> {
            let mut rows: Vec<_> = self
                .lists
                .all
                .iter()
                .filter(|s| s.model == model && filter.keeps(s))
                .cloned()
                .collect();
            sort(&mut rows, self.sort.key, self.sort.descending);
            rows
        };
        self.kap = of_model(TreatmentModel::Kap);
        self.medical = of_model(TreatmentModel::Medical);
        self.shown_for = Some((filter, self.sort));
    }

    fn draw(&mut self, ui: &mut Ui, journal: &Journal, clock: &Arc<dyn Clock>) -> Nav {
        let store = journal.read();
        if !self.due_read {
            let now = clock.wall();
            self.rems.refresh(store, now);
            self.consents.refresh(store, now);
            self.follow_ups.refresh(store, now);
            self.due_read = true;
        }
        // Started after the due lists are read, so the two reads do not share the disk and cores.
        self.lists.start_reading(ui.ctx(), || store.reader_source());
        self.take_read();
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            if !self.lists.live.is_empty() {
                nav = self.live_banner(ui, store, clock);
                ui.add_space(theme::GAP);
            }
            let from_rems = self.rems.ui(ui, journal, clock.wall());
            if !matches!(from_rems, Nav::Stay) {
                nav = from_rems;
            }
            let from_consents = self.consents.ui(ui);
            if !matches!(from_consents, Nav::Stay) {
                nav = from_consents;
            }
            let from_follow_ups = self.follow_ups.ui(ui, journal, clock.wall());
            if !matches!(from_follow_ups, Nav::Stay) {
                nav = from_follow_ups;
            }
            if self.lists.all.is_empty() && !self.lists.is_reading() {
                widgets::error_line(ui, self.error.as_deref());
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.heading("No sessions yet");
                    ui.label("Start one with New session (Ctrl+N), or fill a practice journal with `kap-journal demo`.");
                });
                return;
            }
            let from_bar = self.search.bar(ui, journal);
            if !matches!(from_bar, Nav::Stay) {
                nav = from_bar;
            }
            if self.search.is_active() {
                ui.add_space(theme::GAP);
                if let Some((id, seq)) = self.search.results(ui) {
                    nav = Nav::OpenSession(id, Some(seq));
                }
                return;
            }
            self.list_filter_bar(ui, journal);
            widgets::error_line(ui, self.error.as_deref());
            self.apply_filters();
            let shown: Vec<_> = [(TreatmentModel::Kap, &self.kap), (TreatmentModel::Medical, &self.medical)]
                .into_iter()
                .filter(|(model, _)| self.search.model.is_none_or(|only| only == *model))
                .collect();
            // The two models are stacked, each with the full width, and never mixed in one list.
            // Each keeps its heading and at least two rows in view, however small the window.
            let height = (ui.available_height() / shown.len() as f32 - 70.0).max(48.0);
            let complete = self.lists.complete;
            for (model, rows) in shown {
                let listed = if complete {
                    session_table::Listed::All
                } else {
                    session_table::Listed::NewestOf(self.lists.counts.of(model))
                };
                let response = session_table::show(ui, model, rows, listed, &mut self.sort, height);
                if let Some(id) = response.open {
                    nav = Nav::OpenSession(id, None);
                }
                ui.add_space(theme::GAP);
            }
        });
        nav
    }

    /// Route and date filters, and the export of the sessions they leave shown.
    fn list_filter_bar(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.horizontal(|ui| {
            let label = ui.label("Route");
            egui::ComboBox::from_id_salt("route_filter")
                .selected_text(self.route.map_or("All routes", Route::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.route, None, "All routes");
                    for route in Route::ALL {
                        ui.selectable_value(&mut self.route, Some(route), route.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let before = (self.from.clone(), self.to.clone());
            for (name, text) in [("From", &mut self.from), ("To", &mut self.to)] {
                let label = ui.label(name);
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(crate::format::date_style().date_hint())
                        .desired_width(124.0),
                )
                .labelled_by(label.id);
            }
            if before != (self.from.clone(), self.to.clone()) {
                self.error = None;
            }
            if ui.button("Clear filters").clicked() {
                self.route = None;
                self.from.clear();
                self.to.clear();
                self.search.model = None;
                self.search.client = None;
                self.error = None;
            }
            ui.separator();
            let (kap, medical, only) = (&self.kap, &self.medical, self.search.model);
            // The sessions shown are exported only once every session has been read.
            ui.add_enabled_ui(self.lists.complete, |ui| {
                self.export.ui(ui, journal, || {
                    [
                        (TreatmentModel::Kap, kap),
                        (TreatmentModel::Medical, medical),
                    ]
                    .into_iter()
                    .filter(|(model, _)| only.is_none_or(|only| only == *model))
                    .flat_map(|(_, rows)| rows.iter().map(|row| row.id))
                    .collect()
                });
            });
        });
    }

    fn live_banner(&self, ui: &mut Ui, store: &Store, clock: &Arc<dyn Clock>) -> Nav {
        let mut nav = Nav::Stay;
        for summary in &self.lists.live {
            ui.horizontal(|ui| {
                widgets::model_badge(ui, summary.model);
                ui.label(
                    RichText::new(format!(
                        "Live session #{} with {} since {}",
                        summary.id,
                        summary.client_code,
                        format::date_time(summary.started_at)
                    ))
                    .strong(),
                );
                if ui.button("Resume").clicked() {
                    nav = match LiveSession::resume(store, Arc::clone(clock), summary.id) {
                        Ok(session) => Nav::Live(Box::new(session)),
                        Err(_) => Nav::OpenSession(summary.id, None),
                    };
                }
            });
        }
        nav
    }
}
