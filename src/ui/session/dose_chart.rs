//! The dose-over-time chart of one session: the dose as steps, decision points as markers on it, and
//! "sit with it" deferrals as shaded spans coloured by how they ended.

use egui::Ui;
use egui_plot::{Line, Plot, PlotPoints, Points, Span};

use super::super::theme;
use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::review::DoseCurve;

fn outcome_name(outcome: Option<DeferralOutcome>) -> &'static str {
    match outcome {
        Some(DeferralOutcome::WorkedThrough) => "Sit with it: worked through",
        Some(DeferralOutcome::DoseLowered) => "Sit with it: lowered after all",
        Some(DeferralOutcome::EndedEarly) => "Sit with it: ended early",
        Some(DeferralOutcome::SessionStopped) => "Sit with it: session stopped",
        None => "Sit with it: no outcome yet",
    }
}

/// Shows the chart with its key above it; `id` keeps each session's zoom apart.
pub fn show(ui: &mut Ui, id: i64, curve: &DoseCurve, model: TreatmentModel, height: f32) {
    let dose_name = if curve.unit.ends_with("/h") {
        "Infusion rate"
    } else {
        "Dose"
    };
    let mut keys = vec![
        (dose_name, theme::dose()),
        ("Decision point", theme::model_color(model)),
    ];
    let mut outcomes: Vec<Option<DeferralOutcome>> =
        curve.deferrals.iter().map(|span| span.outcome).collect();
    outcomes.dedup();
    for outcome in DeferralOutcome::ALL.map(Some).into_iter().chain([None]) {
        if outcomes.contains(&outcome) {
            keys.push((outcome_name(outcome), theme::outcome_color(outcome)));
        }
    }
    super::super::widgets::legend_row(ui, keys.iter());
    let plot = Plot::new(("dose_curve", id))
        .height(height)
        .allow_scroll(false)
        .x_axis_label("minutes since start")
        .y_axis_label(curve.unit)
        .show(ui, |plot| {
            for span in &curve.deferrals {
                let color = theme::outcome_color(span.outcome);
                // Unnamed: the key above says what each colour is, and no label crowds the span.
                plot.span(
                    Span::new("", span.start_min..=span.end_min)
                        .fill(color.gamma_multiply(0.25))
                        .border_color(color),
                );
            }
            plot.line(
                Line::new(dose_name, PlotPoints::from(curve.steps.clone()))
                    .color(theme::dose())
                    .width(2.0)
                    .allow_band(false),
            );
            plot.points(
                Points::new("Decision points", PlotPoints::from(curve.decisions.clone()))
                    .color(theme::model_color(model))
                    .radius(5.0),
            );
        });
    super::super::widgets::describe_chart(ui, &plot.response, &curve.describe());
}
