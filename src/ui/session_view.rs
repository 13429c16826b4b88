//! A past (or live, read-only) session: its plan, its intention and comfort plan, and its timeline.

use egui::{RichText, Ui};

use super::app::Nav;
use super::{dose_chart, format, theme, timeline, widgets};
use crate::domain::{Client, Event, Seq, Session, SessionId, TimelineState};
use crate::review::DoseCurve;
use crate::store::{Store, StoreError};

/// A session read back from the journal.
pub struct SessionView {
    session: Session,
    client: Client,
    events: Vec<Event>,
    state: TimelineState,
    selected: Option<Seq>,
    /// The entry to bring into view on the next frame (a search hit).
    scroll_to: Option<Seq>,
    curve: DoseCurve,
}

impl SessionView {
    /// Loads a session; `focus` is selected and scrolled into view.
    pub fn load(store: &Store, id: SessionId, focus: Option<Seq>) -> Result<Self, StoreError> {
        let session = store.session(id)?;
        let client = store.client(session.client_id)?;
        let events = store.events(id)?;
        let state = TimelineState::from_events(&events);
        let curve = DoseCurve::of(&events, client.weight_kg);
        Ok(Self {
            session,
            client,
            events,
            state,
            selected: focus,
            scroll_to: focus,
            curve,
        })
    }

    /// The session and its selected entry.
    pub fn shown_entry(&self) -> (SessionId, Option<Seq>) {
        (self.session.id, self.selected)
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Nav {
        let mut nav = Nav::Stay;
        let model = self.session.model;
        egui::Panel::top("session_header")
            .frame(
                egui::Frame::side_top_panel(ui.style())
                    .fill(theme::model_tint(model))
                    .inner_margin(8),
            )
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Back to sessions").clicked()
                        || ui.input(|input| input.key_pressed(egui::Key::Escape))
                    {
                        nav = Nav::Home;
                    }
                    widgets::model_badge(ui, model);
                    ui.heading(format!(
                        "Session #{} · {}",
                        self.session.id,
                        self.client.title()
                    ));
                    if ui.button("Prep view").clicked() {
                        nav = Nav::Prep(self.client.id);
                    }
                    if ui.button("Client history").clicked() {
                        nav = Nav::ClientHistory(self.client.id);
                    }
                });
                let ended = self
                    .session
                    .ended_at
                    .map_or_else(|| "still live".to_owned(), format::date_time);
                ui.label(format!(
                    "{} · planned {} · started {} · ended {} · status {}",
                    self.session.route.label(),
                    self.session.planned_dose.describe(self.client.weight_kg),
                    format::date_time(self.session.started_at),
                    ended,
                    self.session.status.as_str()
                ));
                if !self.state.open_deferrals.is_empty() {
                    ui.colored_label(
                        theme::WARNING,
                        "A \"sit with it\" deferral in this session has no outcome.",
                    );
                }
            });
        egui::Panel::right("session_side")
            .default_size(280.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Intention").strong());
                ui.label(&self.session.intention);
                ui.add_space(theme::GAP);
                ui.label(RichText::new("Comfort plan").strong());
                ui.label(&self.session.comfort_plan);
                ui.add_space(theme::GAP);
                ui.label(
                    RichText::new(format!(
                        "Decision points: {} · Entries: {}",
                        self.state.decision_points,
                        self.events.len()
                    ))
                    .color(theme::MUTED),
                );
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if !self.curve.steps.is_empty() {
                dose_chart::show(ui, self.session.id.0, &self.curve, model, 170.0);
                ui.separator();
            }
            egui::ScrollArea::vertical()
                .id_salt(("session_timeline", self.session.id.0))
                .auto_shrink(false)
                .show(ui, |ui| {
                    timeline::rows(
                        ui,
                        &self.events,
                        model,
                        &self.state.marked,
                        &mut self.selected,
                        &mut self.scroll_to,
                    );
                });
        });
        nav
    }
}
