//! The prep view: what to bring to the next integration appointment, readable in five minutes.

use egui::{RichText, Ui};

use super::super::commands::{Scope, UiCommand};
use super::super::view::{AppView, Nav, ViewContext, back_on};
use super::super::{format, theme, widgets};
use crate::domain::{ClientId, TreatmentModel};
use crate::review::{DecisionSummary, PrepSheet, Statistics};
use crate::store::{Store, StoreError};

/// The prep sheet of one client.
pub struct PrepView {
    sheet: PrepSheet,
}

impl AppView for PrepView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, _cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui)
    }
}

impl PrepView {
    pub fn load(store: &Store, client: ClientId) -> Result<Self, StoreError> {
        Ok(Self {
            sheet: PrepSheet::load(store, client)?,
        })
    }

    fn draw(&self, ui: &mut Ui) -> Nav {
        let mut nav = Nav::Stay;
        let sheet = &self.sheet;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
                    nav = Nav::Home;
                }
                ui.heading(format!("{} · {}", title(sheet), sheet.client.title()));
                if ui.button("Client history").clicked() {
                    nav = Nav::ClientHistory(sheet.client.id);
                }
            });
            outcome_line(ui, &sheet.statistics);
            if let Some(risk) = &sheet.suicide_risk {
                super::super::suicide_risk_panel::show(ui, risk);
            }
            ui.add_space(theme::GAP);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Still open").strong());
                if sheet.open_themes.is_empty() {
                    ui.label(
                        RichText::new("nothing: every deferral was worked through")
                            .color(theme::muted()),
                    );
                }
                for theme_text in &sheet.open_themes {
                    egui::Frame::new()
                        .fill(theme::model_tint(TreatmentModel::Medical))
                        .corner_radius(4)
                        .inner_margin(egui::Margin::symmetric(6, 2))
                        .show(ui, |ui| ui.label(theme_text));
                }
            });
            ui.separator();
            if sheet.sessions.is_empty() {
                ui.label("No sessions yet.");
            }
            egui::ScrollArea::vertical()
                .id_salt(("prep", sheet.client.id.0))
                .auto_shrink(false)
                .show(ui, |ui| {
                    for session in &sheet.sessions {
                        let summary = &session.summary;
                        ui.horizontal(|ui| {
                            widgets::model_badge(ui, summary.model);
                            ui.label(
                                RichText::new(format!(
                                    "{} · {} · session #{}",
                                    format::date_time(summary.started_at),
                                    summary.route.label(),
                                    summary.id
                                ))
                                .strong(),
                            );
                            if ui.small_button("Open").clicked() {
                                nav = Nav::OpenSession(summary.id, None);
                            }
                        });
                        ui.indent(("prep", summary.id.0), |ui| {
                            let intention = if session.intention.is_empty() {
                                "—"
                            } else {
                                &session.intention
                            };
                            ui.label(format!("Intention: {intention}"));
                            if !session.marked.is_empty() {
                                ui.label(
                                    RichText::new("Bring to integration")
                                        .strong()
                                        .color(theme::marker()),
                                );
                                for marked in &session.marked {
                                    ui.label(format!(
                                        "{}  {}",
                                        format::elapsed(marked.entry.elapsed_ms),
                                        marked.entry.kind.describe()
                                    ));
                                    if let Some(context) = &marked.context {
                                        ui.label(
                                            RichText::new(format!(
                                                "      came after: {}",
                                                context.kind.describe()
                                            ))
                                            .color(theme::muted()),
                                        );
                                    }
                                }
                            }
                            if !session.decisions.is_empty() {
                                ui.label(RichText::new("Decision points").strong());
                                for decision in &session.decisions {
                                    decision_line(ui, decision);
                                }
                            }
                        });
                        ui.add_space(theme::GAP);
                    }
                });
        });
        nav
    }
}

fn decision_line(ui: &mut Ui, decision: &DecisionSummary) {
    let point = &decision.point;
    let ending = match &decision.outcome {
        Some((outcome, note)) if note.is_empty() => format!(", then {}", outcome.label()),
        Some((outcome, note)) => format!(", then {}: {note}", outcome.label()),
        None => String::new(),
    };
    let text = format!(
        "{}  {}: {} — {}{ending}",
        format::elapsed(decision.elapsed_ms),
        point.came_up.label(),
        point.detail,
        point.decision.label()
    );
    let color = if decision.is_open_theme() {
        theme::warning()
    } else {
        ui.visuals().text_color()
    };
    ui.label(RichText::new(text).color(color));
}

/// "Sit with it" outcomes so far, one line per model.
pub fn outcome_line(ui: &mut Ui, statistics: &Statistics) {
    for (model, totals) in &statistics.by_model {
        let outcomes = totals.outcomes;
        let share = outcomes
            .worked_through_share()
            .map_or_else(String::new, |share| format!(" ({:.0} %)", share * 100.0));
        // Medical Model sessions read in their own words: no "sit with it 0" unless one was used.
        let sat_with_it = if outcomes.deferrals == 0 {
            String::new()
        } else {
            format!(
                " · sit with it {}: worked through {}{share}, lowered {}, ended early {}, stopped {}",
                outcomes.deferrals,
                outcomes.worked_through,
                outcomes.dose_lowered,
                outcomes.ended_early,
                outcomes.session_stopped
            )
        };
        ui.horizontal(|ui| {
            widgets::model_badge(ui, *model);
            ui.label(format!(
                "{} sessions · {} decision points{sat_with_it}",
                totals.sessions, totals.decision_points
            ));
        });
    }
}

/// What the sheet prepares: integration, unless the client was seen only in the Medical Model,
/// which has no integration session.
fn title(sheet: &crate::review::PrepSheet) -> &'static str {
    let kap = sheet
        .sessions
        .iter()
        .any(|session| session.summary.model == crate::domain::TreatmentModel::Kap);
    if kap {
        "Prep for integration"
    } else {
        "Prep for the next session"
    }
}
