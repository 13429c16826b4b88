//! The home screen: live sessions to resume, and every session in two lists, KAP and Medical Model apart.

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::app::Nav;
use super::{format, theme, widgets};
use crate::domain::{SessionStatus, TreatmentModel};
use crate::live::{Clock, LiveSession};
use crate::store::{SessionFilter, SessionSummary, Store};

/// The session lists, loaded once when the screen opens.
pub struct HomeView {
    kap: Vec<SessionSummary>,
    medical: Vec<SessionSummary>,
    live: Vec<SessionSummary>,
    error: Option<String>,
}

impl HomeView {
    pub fn empty() -> Self {
        Self {
            kap: Vec::new(),
            medical: Vec::new(),
            live: Vec::new(),
            error: None,
        }
    }

    pub fn load(store: &Store) -> Self {
        match store.session_summaries(&SessionFilter::default()) {
            Ok(all) => {
                let live = all
                    .iter()
                    .filter(|s| s.status == SessionStatus::Live)
                    .cloned()
                    .collect();
                let (kap, medical) = all
                    .into_iter()
                    .partition(|s| s.model == TreatmentModel::Kap);
                Self {
                    kap,
                    medical,
                    live,
                    error: None,
                }
            }
            Err(error) => Self {
                error: Some(error.to_string()),
                ..Self::empty()
            },
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, store: &mut Store, clock: &Arc<dyn Clock>) -> Nav {
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            widgets::error_line(ui, self.error.as_deref());
            if !self.live.is_empty() {
                nav = self.live_banner(ui, store, clock);
                ui.add_space(theme::GAP);
            }
            if self.kap.is_empty() && self.medical.is_empty() {
                ui.add_space(40.0);
                ui.vertical_centered(|ui| {
                    ui.heading("No sessions yet");
                    ui.label("Start one with New session (Ctrl+N), or fill a practice journal with `kap-journal demo`.");
                });
                return;
            }
            ui.columns(2, |columns| {
                for (ui, (model, rows)) in columns.iter_mut().zip([(TreatmentModel::Kap, &self.kap), (TreatmentModel::Medical, &self.medical)]) {
                    if let Some(id) = session_table(ui, model, rows) {
                        nav = Nav::OpenSession(id);
                    }
                }
            });
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
                        Err(_) => Nav::OpenSession(summary.id),
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
