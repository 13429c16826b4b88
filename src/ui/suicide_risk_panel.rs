//! A returning client's suicide risk, shown where the clinician prepares: the prep view before an
//! integration appointment and the start form before the next session.

use egui::{RichText, Ui};

use super::{format, theme};

/// The client's suicide risk in a warning frame: the session that raised it, what it recorded, and
/// the newest safety plan since (or that none was made).
pub fn show(ui: &mut Ui, risk: &crate::review::SuicideRisk) {
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.5, theme::warning()))
        .corner_radius(4)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            let times = if risk.sessions == 1 {
                String::new()
            } else {
                format!(" ({} sessions in all)", risk.sessions)
            };
            ui.label(
                RichText::new(format!(
                    "Suicide risk · session #{} of {}{times}",
                    risk.session,
                    format::date_time(risk.started_at)
                ))
                .strong()
                .color(theme::warning()),
            );
            for signal in &risk.signals {
                ui.label(signal);
            }
            match &risk.plan {
                Some((at, plan)) => {
                    ui.label(
                        RichText::new(format!("Safety plan of {}", format::date_time(*at)))
                            .strong(),
                    );
                    for (heading, text) in plan.sections() {
                        if !text.trim().is_empty() {
                            ui.label(format!("{heading}: {}", text.trim()));
                        }
                    }
                }
                None => {
                    ui.label(
                        RichText::new(
                            "No safety plan was recorded since; make one with the client.",
                        )
                        .color(theme::warning()),
                    );
                }
            }
        });
}
