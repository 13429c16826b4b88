//! A client's history: every session, KAP and Medical Model side by side, and charts across sessions
//! of dose, decision points and how "sit with it" deferrals ended, with the moves between models marked.

pub(super) mod breakthrough_chart;
mod charts;
pub(super) mod consent;
pub(super) mod disclosures;
pub(super) mod practice_link;
pub(super) mod prep;
pub(super) mod rems_details;

use std::fmt::Write as _;

use egui::Ui;

use self::consent::ClientConsent;
use self::disclosures::ClientDisclosures;
use self::practice_link::ClientPracticeLink;
use self::prep::outcome_line;
use self::rems_details::ClientRemsDetails;
use super::commands::{Scope, UiCommand};
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
        let client = store.record().client(client)?;
        let mut sessions = store.record().session_summaries(&SessionFilter {
            client_code: Some(client.code.clone()),
            ..SessionFilter::default()
        })?;
        sessions.reverse();
        let statistics = Statistics::of(&sessions);
        let measures = store.record().measures_of(client.id)?;
        let number_of = |id| {
            sessions
                .iter()
                .position(|session| session.id == id)
                .map(|index| index + 1)
        };
        let breakthrough = Breakthrough::of(
            &sessions,
            &measures,
            &store.registers().follow_ups_of(client.id)?,
        );
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
                        breakthrough_chart::show(ui, &self.breakthrough, self.client.id.0);
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
}
