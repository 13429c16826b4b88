//! The client history's chart of what followed sitting with it: each session's share of deferrals
//! worked through against the next-day EBI and the PHQ-9 change a week on, KAP and Medical Model in
//! their own colours, with the means that compare them.

use egui::{RichText, Ui};
use egui_plot::{Plot, PlotPoints, Points};

use super::super::{theme, widgets};
use crate::domain::TreatmentModel;
use crate::review::{Breakthrough, Followed, SessionFollowed};

pub fn show(ui: &mut Ui, breakthrough: &Breakthrough, client: i64) {
    ui.label(RichText::new("What followed sitting with it").strong());
    if !breakthrough.has_follow_ups() {
        ui.label(
            RichText::new(
                "No check-ins recorded yet: the next-day EBI and the PHQ-9 a week on appear here.",
            )
            .color(theme::muted()),
        );
        return;
    }
    for model in TreatmentModel::ALL {
        let line = [
            (
                "worked something through",
                breakthrough.worked_through(model),
            ),
            (
                "sat with it, not worked through",
                breakthrough.not_worked_through(model),
            ),
            ("no deferral", breakthrough.without_deferral(model)),
        ]
        .into_iter()
        .filter(|(_, followed)| followed.sessions > 0)
        .map(|(what, followed)| format!("{what}: {}", means(&followed)))
        .collect::<Vec<_>>()
        .join(" · ");
        if !line.is_empty() {
            ui.label(
                RichText::new(format!("{}: {line}", model.label()))
                    .color(theme::model_color(model)),
            );
        }
    }
    let models: Vec<(&str, egui::Color32)> = TreatmentModel::ALL
        .iter()
        .map(|model| (model.label(), theme::model_color(*model)))
        .collect();
    widgets::legend_row(ui, models.iter());
    ui.columns(2, |columns| {
        scatter(
            &mut columns[0],
            ("ebi", client),
            "next-day EBI (0–100)",
            breakthrough,
            |session| session.ebi,
        );
        scatter(
            &mut columns[1],
            ("phq9_change", client),
            "PHQ-9 change a week on",
            breakthrough,
            |session| session.phq9_change.map(f64::from),
        );
    });
}

/// "EBI 64 (5 sessions), PHQ-9 −3.2 (4)".
fn means(followed: &Followed) -> String {
    let ebi = followed.mean_ebi.map_or_else(
        || "no EBI".to_owned(),
        |mean| format!("EBI {mean:.0} ({})", followed.with_ebi),
    );
    let phq9 = followed.mean_phq9_change.map_or_else(
        || "no PHQ-9 change".to_owned(),
        |mean| format!("PHQ-9 {mean:+.1} ({})", followed.with_phq9),
    );
    format!("{ebi}, {phq9} of {} sessions", followed.sessions)
}

/// Sessions with deferrals: the share worked through across (each a few points to the side so that
/// equal values stay apart), `value` up.
fn scatter(
    ui: &mut Ui,
    id: (&str, i64),
    y_label: &str,
    breakthrough: &Breakthrough,
    value: impl Fn(&SessionFollowed) -> Option<f64>,
) {
    let plot = Plot::new(id)
        .height(160.0)
        .x_axis_label("deferrals worked through (%)")
        .y_axis_label(y_label)
        .include_x(0.0)
        .include_x(100.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            for model in TreatmentModel::ALL {
                let points: Vec<[f64; 2]> = breakthrough
                    .sessions
                    .iter()
                    .filter(|session| session.model == model)
                    .filter_map(|session| {
                        // Shares are mostly 0 or 100 %: each session is set a little to the side,
                        // by its number, so that equal values do not hide one another.
                        let beside = (session.number % 7) as f64 - 3.0;
                        Some([
                            session.worked_through_share()? * 100.0 + beside,
                            value(session)?,
                        ])
                    })
                    .collect();
                plot.points(
                    Points::new(model.label(), PlotPoints::from(points))
                        .radius(4.0)
                        .color(theme::model_color(model)),
                );
            }
        });
    let shown = breakthrough
        .sessions
        .iter()
        .filter(|session| session.worked_through_share().is_some() && value(session).is_some())
        .count();
    widgets::describe_chart(
        ui,
        &plot.response,
        &format!(
            "{y_label} against the share of \"sit with it\" worked through, {} (the means are above)",
            crate::format::count(shown, "session", "sessions")
        ),
    );
}
