//! The home screen: live sessions to resume, and every session in two lists, KAP and Medical Model apart.

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::app::Nav;
use super::search_panel::SearchPanel;
use super::{format, theme, widgets};
use crate::domain::{SessionStatus, TreatmentModel};
use crate::live::{Clock, LiveSession};
use crate::store::{SessionFilter, SessionSummary, Store};

/// The session lists (loaded when the screen opens or is returned to) and the search.
pub struct HomeView {
    all: Vec<SessionSummary>,
    /// `all` after the model and client filters, split by model.
    kap: Vec<SessionSummary>,
    medical: Vec<SessionSummary>,
    live: Vec<SessionSummary>,
    /// The filters `kap` and `medical` were made with; a change splits `all` again.
    filtered_for: Option<(Option<TreatmentModel>, Option<String>)>,
    search: SearchPanel,
    error: Option<String>,
}

impl HomeView {
    pub fn empty() -> Self {
        Self {
            all: Vec::new(),
            kap: Vec::new(),
            medical: Vec::new(),
            live: Vec::new(),
            filtered_for: None,
            search: SearchPanel::default(),
            error: None,
        }
    }

    pub fn load(store: &Store) -> Self {
        let mut view = Self::empty();
        view.refresh(store);
        view
    }

    /// Reads the lists again (a session may have ended), keeping the search and filters.
    pub fn refresh(&mut self, store: &Store) {
        self.search.reload(store);
        self.filtered_for = None;
        match store.session_summaries(&SessionFilter::default()) {
            Ok(all) => {
                self.live = all
                    .iter()
                    .filter(|s| s.status == SessionStatus::Live)
                    .cloned()
                    .collect();
                self.all = all;
                self.error = None;
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    fn apply_filters(&mut self) {
        let filters = (self.search.model, self.search.client.clone());
        if self.filtered_for.as_ref() == Some(&filters) {
            return;
        }
        let keep = |summary: &&SessionSummary| {
            filters
                .1
                .as_ref()
                .is_none_or(|code| &summary.client_code == code)
        };
        let of_model = |model: TreatmentModel| -> Vec<SessionSummary> {
            if filters.0.is_some_and(|only| only != model) {
                return Vec::new();
            }
            self.all
                .iter()
                .filter(|s| s.model == model)
                .filter(keep)
                .cloned()
                .collect()
        };
        self.kap = of_model(TreatmentModel::Kap);
        self.medical = of_model(TreatmentModel::Medical);
        self.filtered_for = Some(filters);
    }

    pub fn ui(&mut self, ui: &mut Ui, store: &mut Store, clock: &Arc<dyn Clock>) -> Nav {
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            widgets::error_line(ui, self.error.as_deref());
            if !self.live.is_empty() {
                nav = self.live_banner(ui, store, clock);
                ui.add_space(theme::GAP);
            }
            if self.all.is_empty() {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.heading("No sessions yet");
                    ui.label("Start one with New session (Ctrl+N), or fill a practice journal with `kap-journal demo`.");
                });
                return;
            }
            let from_bar = self.search.bar(ui, store);
            if !matches!(from_bar, Nav::Stay) {
                nav = from_bar;
            }
            ui.add_space(theme::GAP);
            let mut open = None;
            if self.search.is_active() {
                open = self.search.results(ui);
            } else {
                self.apply_filters();
                let shown: Vec<_> = [(TreatmentModel::Kap, &self.kap), (TreatmentModel::Medical, &self.medical)]
                    .into_iter()
                    .filter(|(model, _)| self.search.model.is_none_or(|only| only == *model))
                    .collect();
                ui.columns(shown.len(), |columns| {
                    for (ui, (model, rows)) in columns.iter_mut().zip(shown) {
                        if let Some(id) = session_table(ui, model, rows) {
                            nav = Nav::OpenSession(id, None);
                        }
                    }
                });
            }
            if let Some((id, seq)) = open {
                nav = Nav::OpenSession(id, Some(seq));
            }
        });
        nav
    }

    fn live_banner(&self, ui: &mut Ui, store: &mut Store, clock: &Arc<dyn Clock>) -> Nav {
        let mut nav = Nav::Stay;
        for summary in &self.live {
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

/// One model's sessions as a virtualised table; returns the session clicked.
fn session_table(
    ui: &mut Ui,
    model: TreatmentModel,
    rows: &[SessionSummary],
) -> Option<crate::domain::SessionId> {
    ui.horizontal(|ui| {
        widgets::model_badge(ui, model);
        ui.heading(format!("{} sessions ({})", model.label(), rows.len()));
    });
    if rows.is_empty() {
        ui.label(RichText::new(format!("No {} sessions yet.", model.label())).color(theme::MUTED));
        return None;
    }
    let mut clicked = None;
    // Rows open on a click anywhere, so their text must not take the click for selection.
    ui.style_mut().interaction.selectable_labels = false;
    TableBuilder::new(ui)
        .id_salt(model.as_str())
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(128.0))
        .column(Column::exact(70.0))
        .column(Column::exact(150.0))
        .column(Column::exact(70.0))
        .column(Column::remainder().clip(true))
        .header(22.0, |mut header| {
            for (title, hover) in [
                ("Started", "Local time"),
                ("Client", "Pseudonymous code"),
                ("Route", "How ketamine was given"),
                ("Decisions", "Decision points logged"),
                ("Sit with it", "Deferrals: count, then worked through / dose lowered / ended early / session stopped"),
            ] {
                header.col(|ui| {
                    ui.strong(title).on_hover_text(hover);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, rows.len(), |mut row| {
                let summary = &rows[row.index()];
                row.col(|ui| {
                    ui.label(format::date_time(summary.started_at));
                });
                row.col(|ui| {
                    ui.label(&summary.client_code);
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(summary.route.label()).truncate());
                });
                row.col(|ui| {
                    ui.label(summary.decision_points.to_string());
                });
                row.col(|ui| {
                    let status = if summary.status == SessionStatus::Live { " · live" } else { "" };
                    ui.label(format!(
                        "{}: {} / {} / {} / {}{status}",
                        summary.deferrals, summary.worked_through, summary.dose_lowered, summary.ended_early, summary.session_stopped
                    ));
                });
                if row.response().clicked() {
                    clicked = Some(summary.id);
                }
            });
        });
    clicked
}
