//! A client's history: every session, KAP and Medical Model side by side, and charts across sessions
//! of dose, decision points and how "sit with it" deferrals ended, with the moves between models marked.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points, VLine};

use super::app::Nav;
use super::prep_view::outcome_line;
use super::{format, theme, widgets};
use crate::domain::{Client, ClientId, TreatmentModel};
use crate::review::Statistics;
use crate::store::{SessionFilter, SessionSummary, Store, StoreError};

/// One client's sessions, oldest first (the order of the charts).
pub struct ClientView {
    client: Client,
    sessions: Vec<SessionSummary>,
    statistics: Statistics,
}

impl ClientView {
    pub fn load(store: &Store, client: ClientId) -> Result<Self, StoreError> {
        let client = store.client(client)?;
        let mut sessions = store.session_summaries(&SessionFilter {
            client_code: Some(client.code.clone()),
            model: None,
        })?;
        sessions.reverse();
        let statistics = Statistics::of(&sessions);
        Ok(Self {
            client,
            sessions,
            statistics,
        })
    }

    pub fn ui(&self, ui: &mut Ui) -> Nav {
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Back to sessions").clicked()
                    || ui.input(|input| input.key_pressed(egui::Key::Escape))
                {
                    nav = Nav::Home;
                }
                ui.heading(format!("Client history · {}", self.client.title()));
                if ui.button("Prep view").clicked() {
                    nav = Nav::Prep(self.client.id);
                }
            });
            outcome_line(ui, &self.statistics);
            ui.add_space(theme::GAP);
            egui::ScrollArea::vertical()
                .id_salt(("client_history", self.client.id.0))
                .auto_shrink(false)
                .show(ui, |ui| {
                    self.charts(ui);
                    ui.add_space(theme::GAP);
                    ui.columns(2, |columns| {
                        for (ui, model) in columns.iter_mut().zip(TreatmentModel::ALL) {
                            if let Some(id) = self.session_list(ui, model) {
                                nav = Nav::OpenSession(id, None);
                            }
                        }
                    });
                });
        });
        nav
    }

    fn session_list(&self, ui: &mut Ui, model: TreatmentModel) -> Option<crate::domain::SessionId> {
        let mut open = None;
        ui.horizontal(|ui| {
            widgets::model_badge(ui, model);
            ui.strong(format!("{} sessions", model.label()));
        });
        for (number, summary) in self
            .sessions
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, s)| s.model == model)
        {
            let text = format!(
                "{}. {} · {} · decision points {} · sit with it {}: {} worked through",
                number + 1,
                format::date_time(summary.started_at),
                summary.route.label(),
                summary.decision_points,
                summary.deferrals,
                summary.worked_through
            );
            if ui.link(text).clicked() {
                open = Some(summary.id);
            }
        }
        open
    }

    /// Three charts over the sessions in time order (x = the session's number), with a dashed line
    /// where the client moved from one model to the other.
    fn charts(&self, ui: &mut Ui) {
        let switches: Vec<f64> = self
            .sessions
            .windows(2)
            .enumerate()
            .filter(|(_, pair)| pair[0].model != pair[1].model)
            .map(|(index, _)| index as f64 + 1.5)
            .collect();
        let chart =
            |ui: &mut Ui, title: &str, id: &str, add: &dyn Fn(&mut egui_plot::PlotUi<'_>)| {
                ui.label(RichText::new(title).strong());
                Plot::new((id, self.client.id.0))
                    .height(150.0)
                    .legend(Legend::default())
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        add(plot);
                        for x in &switches {
                            plot.vline(
                                VLine::new("Model changed", *x)
                                    .color(theme::MUTED)
                                    .style(egui_plot::LineStyle::dashed_loose()),
                            );
                        }
                    });
            };
        chart(ui, "Dose delivered per session (mg/kg)", "dose", &|plot| {
            self.dose_series(plot);
        });
        chart(ui, "Decision points per session", "decisions", &|plot| {
            for model in TreatmentModel::ALL {
                let bars = self
                    .numbered(model)
                    .map(|(x, s)| Bar::new(x, f64::from(s.decision_points)))
                    .collect();
                plot.bar_chart(
                    BarChart::new(model.label(), bars)
                        .color(theme::model_color(model))
                        .width(0.6),
                );
            }
        });
        chart(
            ui,
            "How \"sit with it\" ended, per session",
            "outcomes",
            &|plot| self.outcome_series(plot),
        );
    }

    fn dose_series(&self, plot: &mut egui_plot::PlotUi<'_>) {
        for model in TreatmentModel::ALL {
            let points: Vec<[f64; 2]> = self
                .numbered(model)
                .filter_map(|(x, s)| s.delivered_mg_per_kg.map(|dose| [x, dose]))
                .collect();
            plot.points(
                Points::new(model.label(), PlotPoints::from(points))
                    .color(theme::model_color(model))
                    .radius(4.0),
            );
        }
        let all: Vec<[f64; 2]> = self
            .sessions
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.delivered_mg_per_kg.map(|dose| [i as f64 + 1.0, dose]))
            .collect();
        plot.line(
            Line::new("Dose", PlotPoints::from(all))
                .color(theme::MUTED)
                .allow_band(false),
        );
    }

    /// Stacked bars: worked through at the bottom, then lowered, ended early, stopped.
    fn outcome_series(&self, plot: &mut egui_plot::PlotUi<'_>) {
        let series = |name: &str, color, count: fn(&SessionSummary) -> u32| {
            let bars = self
                .sessions
                .iter()
                .enumerate()
                .map(|(i, s)| Bar::new(i as f64 + 1.0, f64::from(count(s))))
                .collect();
            BarChart::new(name, bars).color(color).width(0.6)
        };
        let worked = series("Worked through", theme::SAVED, |s| s.worked_through);
        let lowered = series(
            "Dose lowered",
            theme::model_color(TreatmentModel::Medical),
            |s| s.dose_lowered,
        )
        .stack_on(&[&worked]);
        let early =
            series("Ended early", theme::MUTED, |s| s.ended_early).stack_on(&[&worked, &lowered]);
        let stopped = series("Session stopped", theme::WARNING, |s| s.session_stopped)
            .stack_on(&[&worked, &lowered, &early]);
        for chart in [worked, lowered, early, stopped] {
            plot.bar_chart(chart);
        }
    }

    /// The sessions of one model with their number in the client's whole history.
    fn numbered(&self, model: TreatmentModel) -> impl Iterator<Item = (f64, &SessionSummary)> {
        self.sessions
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.model == model)
            .map(|(i, s)| (i as f64 + 1.0, s))
    }
}
