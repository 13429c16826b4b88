//! The dose-over-time chart of one session: the dose as steps, decision points as markers on it, and
//! "sit with it" deferrals as shaded spans coloured by how they ended.

use egui::{Color32, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points, Span};

use super::theme;
use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::review::DoseCurve;

fn outcome_color(outcome: Option<DeferralOutcome>) -> Color32 {
    match outcome {
        Some(DeferralOutcome::WorkedThrough) => theme::SAVED,
        Some(DeferralOutcome::DoseLowered) => theme::model_color(TreatmentModel::Medical),
        Some(DeferralOutcome::EndedEarly) => theme::MUTED,
        Some(DeferralOutcome::SessionStopped) | None => theme::WARNING,
    }
}

fn outcome_name(outcome: Option<DeferralOutcome>) -> &'static str {
    match outcome {
        Some(DeferralOutcome::WorkedThrough) => "Sit with it: worked through",
        Some(DeferralOutcome::DoseLowered) => "Sit with it: lowered after all",
        Some(DeferralOutcome::EndedEarly) => "Sit with it: ended early",
        Some(DeferralOutcome::SessionStopped) => "Sit with it: session stopped",
        None => "Sit with it: no outcome yet",
    }
}

/// Shows the chart; `id` keeps each session's zoom apart.
pub fn show(ui: &mut Ui, id: i64, curve: &DoseCurve, model: TreatmentModel, height: f32) {
    Plot::new(("dose_curve", id))
        .height(height)
        .legend(Legend::default())
        .allow_scroll(false)
        .x_axis_label("minutes since start")
        .y_axis_label(curve.unit)
        .show(ui, |plot| {
            for span in &curve.deferrals {
                let color = outcome_color(span.outcome);
                plot.span(
                    Span::new(outcome_name(span.outcome), span.start_min..=span.end_min)
                        .fill(color.gamma_multiply(0.25))
                        .border_color(color),
                );
            }
            plot.line(
                Line::new("Dose", PlotPoints::from(curve.steps.clone()))
                    .color(Color32::from_rgb(40, 90, 180))
                    .width(2.0)
                    .allow_band(false),
            );
            plot.points(
                Points::new("Decision points", PlotPoints::from(curve.decisions.clone()))
                    .color(theme::model_color(model))
                    .radius(5.0),
            );
        });
}
