//! A client's history: every session, KAP and Medical Model side by side, and charts across sessions
//! of dose, decision points and how "sit with it" deferrals ended, with the moves between models marked.

use std::fmt::Write as _;

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints, Points, VLine};

use super::client_consent::ClientConsent;
use super::client_disclosures::ClientDisclosures;
use super::client_practice_link::ClientPracticeLink;
use super::client_rems_details::ClientRemsDetails;
use super::commands::{Scope, UiCommand};
use super::prep_view::outcome_line;
use super::view::{AppView, Nav, ViewContext, back_on};
use super::{format, theme, widgets};
use crate::domain::{Client, ClientId, Instrument, TreatmentModel};
use crate::review::{Breakthrough, HistoryWords, MeasureTrend, Statistics};
use crate::store::{SessionFilter, SessionSummary, Store, StoreError};

/// One client's sessions, oldest first (the order of the charts).
pub struct ClientView {
    client: Client,
    sessions: Vec<SessionSummary>,
    statistics: Statistics,
    /// PHQ-9, GAD-7 and CADSS-6 across the sessions; instruments never given are left out.
    trends: Vec<MeasureTrend>,
    consent: ClientConsent,
    /// Each session's "sit with it" outcomes beside the check-ins that followed.
    breakthrough: Breakthrough,
    /// The client's REMS details, for a client given esketamine.
    rems: Option<ClientRemsDetails>,
    /// Whether the client's sessions are shared with the practice.
    practice: ClientPracticeLink,
    /// Who received what of the client's record.
    disclosures: ClientDisclosures,
    /// The charts in words, for a screen reader.
    words: HistoryWords,
}

impl AppView for ClientView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        let now = cx.wall();
        self.draw(ui, cx.journal, now)
    }
}

impl ClientView {
    pub fn load(
        store: &Store,
        client: ClientId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Self, StoreError> {
        let client = store.client(client)?;
        let mut sessions = store.session_summaries(&SessionFilter {
            client_code: Some(client.code.clone()),
            ..SessionFilter::default()
        })?;
        sessions.reverse();
        let statistics = Statistics::of(&sessions);
        let measures = store.measures_of(client.id)?;
        let number_of = |id| {
            sessions
                .iter()
                .position(|session| session.id == id)
                .map(|index| index + 1)
        };
        let breakthrough = Breakthrough::of(&sessions, &measures, &store.follow_ups_of(client.id)?);
        let trends = Instrument::ALL
            .into_iter()
            .map(|instrument| MeasureTrend::of(instrument, &measures, number_of))
            .filter(|trend| !trend.points.is_empty())
            .collect::<Vec<_>>();
        let esketamine = sessions
            .iter()
            .any(|session| session.route == crate::domain::Route::IntranasalEsketamine);
        Ok(Self {
            rems: esketamine.then(|| ClientRemsDetails::load(store, client.id)),
            practice: ClientPracticeLink::load(store, &client),
            disclosures: ClientDisclosures::load(store, client.id),
            consent: ClientConsent::load(store, client.id, now),
            breakthrough,
            words: HistoryWords::of(&sessions, &trends),
            client,
            sessions,
            statistics,
            trends,
        })
    }

    fn draw(
        &mut self,
        ui: &mut Ui,
        journal: &crate::worker::Journal,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Nav {
        let mut nav = Nav::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
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
                    self.practice.ui(ui, journal, now);
                    if self.consent.ui(ui, journal, now) {
                        self.disclosures = ClientDisclosures::load(journal.read(), self.client.id);
                    }
                    if let Some(rems) = &mut self.rems {
                        rems.ui(ui, journal);
                    }
                    self.disclosures.ui(ui, journal.read());
                    ui.add_space(theme::GAP);
                    self.charts(ui);
                    ui.add_space(theme::GAP);
                    if self.sits_with_it() {
                        super::breakthrough_chart::show(ui, &self.breakthrough, self.client.id.0);
                        ui.add_space(theme::GAP);
                    }
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
            let mut text = format!(
                "{}. {} · {} · decision points {}",
                number + 1,
                format::date_time(summary.started_at),
                summary.route.label(),
                summary.decision_points,
            );
            if summary.deferrals > 0 {
                let _ = write!(
                    text,
                    " · sit with it {}: {} worked through",
                    summary.deferrals, summary.worked_through
                );
            }
            // One line per session, cut with an ellipsis (the whole line on hover): a wrapped link
            // reads as two sessions.
            let link = egui::Label::new(
                egui::RichText::new(text.as_str()).color(ui.visuals().hyperlink_color),
            )
            .truncate()
            .sense(egui::Sense::click());
            if ui.add(link).on_hover_text(text).clicked() {
                open = Some(summary.id);
            }
        }
        open
    }

    /// Whether "sit with it" belongs in this client's history: a KAP session, or a deferral in
    /// any. A Medical Model client's history has no empty sit-with-it charts.
    fn sits_with_it(&self) -> bool {
        self.sessions
            .iter()
            .any(|session| session.model == TreatmentModel::Kap || session.deferrals > 0)
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
        let models: Vec<(&str, egui::Color32)> = TreatmentModel::ALL
            .iter()
            .map(|model| (model.label(), theme::model_color(*model)))
            .collect();
        let model_changed = [("Model changed (dashed)", theme::muted())];
        // The legend is a row above the chart, never over the data; the x axis counts whole sessions.
        let chart = |ui: &mut Ui,
                     title: &str,
                     (id, y_label): (&str, &str),
                     keys: &[(&str, egui::Color32)],
                     alt: &str,
                     add: &dyn Fn(&mut egui_plot::PlotUi<'_>)| {
            ui.label(RichText::new(title).strong());
            widgets::legend_row(
                ui,
                keys.iter().chain(if switches.is_empty() {
                    &[][..]
                } else {
                    &model_changed[..]
                }),
            );
            let plot = Plot::new((id, self.client.id.0))
                .height(150.0)
                .x_axis_label("session")
                .y_axis_label(y_label)
                .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
                .x_axis_formatter(|mark, _| whole_session(mark.value))
                .allow_scroll(false)
                .show(ui, |plot| {
                    add(plot);
                    for x in &switches {
                        plot.vline(
                            VLine::new("Model changed", *x)
                                .color(theme::muted())
                                .style(egui_plot::LineStyle::dashed_loose()),
                        );
                    }
                });
            let named = format!("Chart of {}", title.to_lowercase());
            widgets::describe_chart(ui, &plot.response, &format!("{named}: {alt}"));
        };
        chart(
            ui,
            "Dose delivered per session",
            ("dose", "mg/kg"),
            &models,
            &self.words.dose,
            &|plot| self.dose_series(plot),
        );
        chart(
            ui,
            "Decision points per session",
            ("decisions", "decision points"),
            &models,
            &self.words.decisions,
            &|plot| self.decision_series(plot),
        );
        if self.sits_with_it() {
            chart(
                ui,
                "How \"sit with it\" ended, per session",
                ("outcomes", "deferrals"),
                &outcome_keys(),
                &self.words.outcomes,
                &|plot| self.outcome_series(plot),
            );
        }
        if !self.trends.is_empty() {
            let mut keys: Vec<(&str, egui::Color32)> = self
                .trends
                .iter()
                .map(|trend| (trend.instrument.label(), instrument_color(trend.instrument)))
                .collect();
            if self
                .trends
                .iter()
                .any(|trend| trend.points.iter().any(|p| p.self_harm))
            {
                keys.push(("PHQ-9 item 9 above zero (ringed)", theme::warning()));
            }
            chart(
                ui,
                "Questionnaire scores per session",
                ("measures", "total score"),
                &keys,
                &self.words.measures,
                &|plot| self.measure_series(plot),
            );
            self.trend_sentences(ui);
        }
    }

    /// Decision points per session, a bar series per model.
    fn decision_series(&self, plot: &mut egui_plot::PlotUi<'_>) {
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
    }

    /// A line per questionnaire; PHQ-9 answers with item 9 above zero are ringed in the warning colour.
    fn measure_series(&self, plot: &mut egui_plot::PlotUi<'_>) {
        for trend in &self.trends {
            let points: Vec<[f64; 2]> = trend
                .points
                .iter()
                .map(|point| [point.x, f64::from(point.total)])
                .collect();
            let color = instrument_color(trend.instrument);
            plot.line(
                Line::new(trend.instrument.label(), PlotPoints::from(points.clone()))
                    .color(color)
                    .allow_band(false),
            );
            plot.points(
                Points::new(trend.instrument.label(), PlotPoints::from(points))
                    .color(color)
                    .radius(3.0),
            );
            let flagged: Vec<[f64; 2]> = trend
                .points
                .iter()
                .filter(|point| point.self_harm)
                .map(|point| [point.x, f64::from(point.total)])
                .collect();
            if !flagged.is_empty() {
                plot.points(
                    Points::new("PHQ-9 item 9 above zero", PlotPoints::from(flagged))
                        .color(theme::warning())
                        .filled(false)
                        .radius(7.0),
                );
            }
        }
    }

    fn dose_series(&self, plot: &mut egui_plot::PlotUi<'_>) {
        for model in TreatmentModel::ALL {
            let points: Vec<[f64; 2]> = self
                .numbered(model)
                .filter_map(|(x, s)| s.delivered_mg_per_kg.map(|dose| [x, dose]))
                .collect();
            // One line per model: the two are never joined into one series.
            plot.line(
                Line::new(model.label(), PlotPoints::from(points.clone()))
                    .color(theme::model_color(model).gamma_multiply(0.6))
                    .allow_band(false),
            );
            plot.points(
                Points::new(model.label(), PlotPoints::from(points))
                    .color(theme::model_color(model))
                    .radius(4.0),
            );
        }
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
        let [worked, lowered, early, stopped] = outcome_keys();
        let worked = series(worked.0, worked.1, |s| s.worked_through);
        let lowered = series(lowered.0, lowered.1, |s| s.dose_lowered).stack_on(&[&worked]);
        let early = series(early.0, early.1, |s| s.ended_early).stack_on(&[&worked, &lowered]);
        let stopped = series(stopped.0, stopped.1, |s| s.session_stopped)
            .stack_on(&[&worked, &lowered, &early]);
        for chart in [worked, lowered, early, stopped] {
            plot.bar_chart(chart);
        }
    }

    /// Each questionnaire's first and newest score, in words, under its chart; the newest with
    /// PHQ-9 item 9 above zero in the warning colour.
    fn trend_sentences(&self, ui: &mut Ui) {
        for trend in &self.trends {
            if let Some(sentence) = trend.sentence() {
                let color = if trend.newest_self_harm() {
                    theme::warning()
                } else {
                    theme::muted()
                };
                ui.label(RichText::new(sentence).color(color));
            }
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

/// The deferral outcomes, bottom of the stack first, with their colours.
fn outcome_keys() -> [(&'static str, egui::Color32); 4] {
    [
        ("Worked through", theme::saved()),
        ("Dose lowered", theme::model_color(TreatmentModel::Medical)),
        ("Ended early", theme::muted()),
        ("Session stopped", theme::warning()),
    ]
}

/// Session numbers on the x axis, whole ones only.
fn whole_session(value: f64) -> String {
    if value >= 1.0 && (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        String::new()
    }
}

/// Each questionnaire keeps one colour on every chart.
fn instrument_color(instrument: Instrument) -> egui::Color32 {
    match instrument {
        Instrument::Phq9 => egui::Color32::from_rgb(0x5b, 0x3f, 0x9e),
        Instrument::Gad7 => egui::Color32::from_rgb(0x1f, 0x7a, 0x8c),
        Instrument::Cadss6 => egui::Color32::from_rgb(0x8a, 0x6d, 0x1f),
    }
}
