//! The live view: the header with timers and countdowns, the timeline, the comfort plan, and the
//! composer. Every entry is committed before it shows as saved; a half-typed one is kept as a draft.

mod actions;
mod committing;
mod composer;
mod decision_kinds;
mod forms;
pub mod glance;
mod header;
mod soft_stop;

use std::time::Duration;

use egui::{RichText, Ui};

use self::composer::Composer;
use super::commands::{Scope, UiCommand};
use super::live_share::{Arrived, LiveShare};
use super::view::{AppView, Nav, ViewContext};
use super::{format, theme, timeline};
use crate::domain::{ClinicSettings, Seq, TreatmentModel};
use crate::live::LiveSession;
use crate::store::Store;
use crate::worker::Journal;

/// The live session on screen.
pub struct LiveView {
    live: LiveSession,
    composer: Composer,
    selected: Option<Seq>,
    error: Option<String>,
    /// Said once after a restart: the session and its draft were picked up again.
    resumed_notice: Option<String>,
    /// The safety plan opened by itself for the entry that called for it (Escape leaves it for
    /// later; it opens again only after another such entry).
    safety_plan_offered: bool,
    /// The clinician in Settings as they sign: who monitored, unless the end form says otherwise.
    clinician: String,
    /// The client's suicide risk from an earlier session, kept in view all session.
    earlier_risk: Option<header::EarlierRisk>,
    /// The digit an Alt+digit choice may still send as text, kept out of the note.
    swallow_digit: Option<&'static str>,
    /// The session shown to its care team at the practice (`None` outside a practice).
    share: Option<LiveShare>,
}

impl AppView for LiveView {
    fn scope(&self) -> Scope {
        Scope::Live
    }

    fn run(&mut self, command: UiCommand, cx: &mut ViewContext<'_>) -> Nav {
        self.carry_out(command, cx.journal);
        Nav::Stay
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui, cx.journal)
    }

    fn save_typing(&mut self, cx: &ViewContext<'_>) {
        self.save_draft_now(cx.journal);
    }

    fn shown_entry(&self) -> Option<(crate::domain::SessionId, Option<Seq>)> {
        Some(self.shown_entry())
    }

    fn settings_changed(&mut self, settings: &ClinicSettings) {
        self.live.set_settings(*settings);
    }
}

impl LiveView {
    /// `resumed` is true when the session was picked up after the app closed or crashed. The
    /// session runs under `settings`, the clinic's (the defaults, when `unreadable` says why).
    pub fn new(
        store: &Store,
        mut live: LiveSession,
        resumed: bool,
        settings: ClinicSettings,
        unreadable: Option<&str>,
    ) -> Self {
        let saved = live.draft_found().cloned();
        let resumed_notice = resumed.then(|| match &saved {
            Some(draft) => format!(
                "Session resumed. Your unsaved note from {} is back in the note field.",
                format::clock_time(draft.saved_at)
            ),
            None => {
                "Session resumed after the app was closed; every saved entry is here.".to_owned()
            }
        });
        let text = saved.map(|draft| draft.text).unwrap_or_default();
        // Unreadable settings must not keep a session from being logged: the defaults are safe ones.
        let error = unreadable.map(|_| {
            "The clinic settings cannot be read; the default vitals schedule and thresholds are in use."
                .to_owned()
        });
        live.set_settings(settings);
        let earlier_risk = earlier_risk(store, &live);
        let share = LiveShare::of(store, live.session().uuid);
        Self {
            composer: Composer::new(text),
            live,
            safety_plan_offered: false,
            clinician: store.signs_as(),
            earlier_risk,
            swallow_digit: None,
            share,
            selected: None,
            error,
            resumed_notice,
        }
    }

    /// Whether the session is still live (not yet ended).
    pub fn is_live(&self) -> bool {
        self.live.session().status == crate::domain::SessionStatus::Live
    }

    /// The session being logged.
    pub fn live(&self) -> &LiveSession {
        &self.live
    }

    /// Gives the note field the focus again (after the window was unlocked), keeping what it holds.
    pub fn refocus(&mut self) {
        self.composer.refocus();
    }

    /// Adds words typed elsewhere (on the lock screen) to the note field, after what it holds.
    pub fn add_to_note(&mut self, words: &str) {
        let words = words.trim();
        if words.is_empty() {
            return;
        }
        let text = &mut self.composer.text;
        if !text.trim().is_empty() && !text.ends_with([' ', '\n']) {
            text.push(' ');
        }
        text.push_str(words);
    }

    /// The session and its selected entry (one of this journal's own).
    pub fn shown_entry(&self) -> (crate::domain::SessionId, Option<Seq>) {
        (
            self.live.session().id,
            self.selected.and_then(|shown| self.live.own_seq(shown)),
        )
    }

    /// Runs every frame, even with the window hidden: takes the worker's answers and keeps the draft
    /// saved.
    pub fn logic(&mut self, ctx: &egui::Context, mut journal: &Journal) {
        self.take_answers();
        // Shown to the care team entry by entry, beside the window.
        let confirmed = self.live.events().len() - self.live.pending().len();
        let ended = !self.is_live();
        let arrived = (self.share.as_mut()).and_then(|share| share.poll(ctx, confirmed, ended));
        if let Some(arrived) = arrived {
            self.take_arrived(arrived, journal);
        }
        if let Some(wait) = self.live.keep_draft(&mut journal, &self.composer.text) {
            ctx.request_repaint_after(wait);
        }
    }

    /// Takes what the care team wrote: shown at once, and kept in the journal (a keeping that
    /// fails is read again from the server at the next exchange). A joined clinician's part ends
    /// when its author ends the session.
    fn take_arrived(&mut self, arrived: Arrived, journal: &Journal) {
        if let Some(live) = self.live.live_uuid()
            && !arrived.merged.is_empty()
        {
            self.live.take_merged(&arrived.merged);
            drop(journal.send(crate::changes::KeepLiveMerged {
                live,
                entries: arrived.merged,
            }));
        }
        if arrived.ended_by_author && self.live.is_joined() && self.is_live() {
            self.end_joined_part(journal);
        }
    }

    /// Sends the draft at once (on lock and exit).
    pub fn save_draft_now(&mut self, mut journal: &Journal) {
        self.live.save_draft_now(&mut journal, &self.composer.text);
    }

    /// Opens the safety plan once after a positive suicide risk screen or PHQ-9 item 9 above zero,
    /// when the clinician is not in the middle of another entry.
    fn offer_safety_plan(&mut self) {
        let needed = self.live.state().needs_safety_plan;
        if !needed {
            self.safety_plan_offered = false;
            return;
        }
        let idle = self.composer.form.is_plain_note() && self.composer.text.trim().is_empty();
        if !self.safety_plan_offered && idle && self.is_live() {
            self.safety_plan_offered = true;
            self.composer.open(forms::SafetyPlanForm::opened_for(
                "A positive suicide risk screen or PHQ-9 item 9 above zero: make a safety plan with the client (Escape to come back to it with Ctrl+Shift+S)."
                    .to_owned(),
            ));
        }
    }

    /// Draws the view; the worker's answers were taken in [`logic`](Self::logic) this frame.
    fn draw(&mut self, ui: &mut Ui, journal: &Journal) -> Nav {
        self.answer_soft_stop(ui.ctx(), journal);
        self.offer_safety_plan();
        let model = self.live.session().model;
        let saved = header::save_status(&self.live.save_status(&self.composer.text));
        let header = egui::Panel::top("live_header")
            .frame(
                egui::Frame::side_top_panel(ui.style())
                    .fill(theme::model_tint(model))
                    .inner_margin(8),
            )
            .show(ui, |ui| {
                let discharging = self.composer.form.ends_session();
                header::show(
                    ui,
                    &self.live,
                    &saved,
                    self.share.as_ref().map(LiveShare::status),
                    discharging,
                    self.earlier_risk.as_ref(),
                )
            })
            .inner;
        match header {
            header::HeaderAction::Deferral(command, deferral) => {
                self.error = None;
                self.composer.refocus();
                self.deferral_command(command, deferral, journal);
            }
            header::HeaderAction::TakeVitals => self.open_vitals(),
            header::HeaderAction::TakeMeasure => self.open_measure(),
            header::HeaderAction::None => {}
        }
        let mut nav = Nav::Stay;
        self.composer_panel(ui, journal, model);
        egui::Panel::right("comfort")
            .default_size(280.0)
            // As wide in the Medical Model, whose panel has no integration list to widen it.
            .min_size(240.0)
            .show(ui, |ui| {
                // A short window scrolls the plan instead of cutting it off.
                egui::ScrollArea::vertical()
                    .id_salt("live_side")
                    .show(ui, |ui| self.side(ui));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("live_timeline", self.live.session().id.0))
                .stick_to_bottom(true)
                .auto_shrink(false)
                .show(ui, |ui| {
                    timeline::Rows {
                        events: &crate::domain::decision_detail::applied(self.live.shown_events()),
                        model,
                        marked: &self.live.shown_state().marked,
                        thresholds: &self.live.settings().thresholds,
                        saving_from: (self.live.pending().first())
                            .and_then(|event| self.live.shown_seq(event.seq)),
                        authors: self.live.team(),
                    }
                    .show(ui, &mut self.selected, &mut None);
                });
        });
        // The timers tick once a second, and only while this view is on screen.
        let into_second =
            u64::try_from(self.live.elapsed_ms().rem_euclid(1000)).unwrap_or_default();
        ui.ctx()
            .request_repaint_after(Duration::from_millis(1000 - into_second));
        if matches!(nav, Nav::Stay)
            && self.live.session().status != crate::domain::SessionStatus::Live
        {
            nav = Nav::OpenSession(self.live.session().id, None);
        }
        nav
    }

    /// The composer at the bottom: notices, the entry being made, the one-key kinds of a decision,
    /// and the actions.
    fn composer_panel(&mut self, ui: &mut Ui, journal: &Journal, model: TreatmentModel) {
        egui::Panel::bottom("composer")
            .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(8))
            .show(ui, |ui| {
                super::widgets::dismissable_notice(ui, &mut self.resumed_notice, theme::saved());
                super::widgets::error_line(ui, self.error.as_deref());
                if let Some(warnings) = self.live.asks() {
                    soft_stop::show(ui, warnings);
                }
                self.composer.form.renew(&self.live);
                // A decision recorded in one key: what came up and who asked, each in one key,
                // taken before the note field sees the keys (or the digit they may also type).
                if let Some(digit) = self.swallow_digit
                    && !decision_kinds::swallow(ui, digit)
                {
                    self.swallow_digit = None;
                }
                let unstated =
                    decision_kinds::Unstated::of(self.live.events()).map(|mut unstated| {
                        unstated.shown = self
                            .live
                            .shown_seq(unstated.decision)
                            .unwrap_or(unstated.decision);
                        unstated
                    });
                let mut kinds = None;
                if let Some((chosen, digit)) = unstated
                    .as_ref()
                    .and_then(|unstated| decision_kinds::keys(ui, unstated))
                {
                    kinds = Some(chosen);
                    self.swallow_digit = decision_kinds::swallow(ui, digit).then_some(digit);
                }
                if self.composer.ui(ui, model) {
                    self.submit(journal);
                }
                if let Some(unstated) = &unstated {
                    kinds = kinds.or_else(|| decision_kinds::show(ui, unstated));
                    if let Some((came_up, asked)) = kinds {
                        let command = crate::live::LiveCommand::DecisionDetail {
                            decision: unstated.decision,
                            came_up,
                            asked,
                        };
                        self.log(journal, command, false);
                    }
                }
                ui.horizontal_wrapped(|ui| {
                    let actions = UiCommand::live_actions(model);
                    for &command in &actions {
                        let first = command == actions[0];
                        let mut button = command.button(ui.ctx());
                        if first {
                            button = button.fill(theme::model_tint(model));
                        }
                        if ui.add(button).clicked() {
                            self.carry_out(command, journal);
                        }
                    }
                });
            });
    }

    fn side(&self, ui: &mut Ui) {
        let session = self.live.session();
        ui.add_space(theme::GAP);
        ui.label(RichText::new("Intention").strong());
        ui.label(if session.intention.is_empty() {
            "—"
        } else {
            &session.intention
        });
        ui.add_space(theme::GAP);
        ui.label(RichText::new("Comfort plan").strong());
        ui.label(if session.comfort_plan.is_empty() {
            "—"
        } else {
            &session.comfort_plan
        });
        let marked = &self.live.shown_state().marked;
        // The Medical Model has no integration session: the panel appears there only once used.
        if session.model == TreatmentModel::Medical && marked.is_empty() {
            return;
        }
        ui.add_space(theme::GAP);
        ui.separator();
        ui.label(
            RichText::new("Bring to integration")
                .strong()
                .color(theme::marker()),
        );
        if marked.is_empty() {
            ui.label(
                RichText::new("Nothing marked yet. Select an entry and press Ctrl+I.")
                    .color(theme::muted()),
            );
        }
        for event in self
            .live
            .shown_events()
            .iter()
            .filter(|event| marked.contains(&event.seq))
        {
            ui.label(format!(
                "{} {}",
                format::elapsed(event.elapsed_ms),
                event.kind.describe()
            ));
        }
    }

    /// Enter goes ahead past a soft stop wherever the focus is (Esc, like any other command, goes back).
    fn answer_soft_stop(&mut self, ctx: &egui::Context, journal: &Journal) {
        if self.live.asks().is_some()
            && ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
        {
            self.error = None;
            self.go_ahead(journal);
        }
    }
}

/// The client's newest suicide risk from a session before this one; a journal that cannot be read
/// here shows none (the start form showed it before the session began).
fn earlier_risk(store: &Store, live: &LiveSession) -> Option<header::EarlierRisk> {
    let filter = crate::store::SessionFilter {
        client_code: Some(live.client().code.clone()),
        ..crate::store::SessionFilter::default()
    };
    let mut sessions = store.record().session_summaries(&filter).ok()?;
    sessions.retain(|summary| summary.id != live.session().id);
    crate::review::SuicideRisk::of(store, live.client().id, &sessions)
        .ok()
        .flatten()
        .map(|risk| header::EarlierRisk::of(&risk))
}
