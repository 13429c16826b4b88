//! The client history's charts across sessions: dose, decision points, questionnaire totals and how
//! "sit with it" deferrals ended, with the moves between models marked.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Line, Plot, PlotPoints, Points, VLine};

use super::ClientView;
use crate::domain::{Instrument, TreatmentModel};
use crate::store::SessionSummary;
use crate::ui::{theme, widgets};

impl ClientView {
    /// Three charts over the sessions in time order (x = the session's number), with a dashed line
    /// where the client moved from one model to the other.
    pub(super) fn charts(&self, ui: &mut Ui) {
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
