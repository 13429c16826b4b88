//! A past (or live, read-only) session: its plan, its intention and comfort plan, its timeline, and
//! the notes written after it (the progress note, and the private note when opened on purpose).

pub(super) mod co_signing;
pub(super) mod dose_chart;
pub(super) mod export;
pub(super) mod notes;
pub(super) mod signing;

use egui::{RichText, Ui};

use self::export::ExportPanel;
use self::notes::SessionNotes;
use self::signing::SigningPanel;
use super::commands::{Scope, UiCommand};
use super::view::{AppView, Nav, ViewContext, back_on};
use super::{format, theme, timeline, widgets};
use crate::domain::{Seq, SessionFacts, SessionId, Thresholds, TimelineState};
use crate::export::{ExportOptions, SessionRecord};
use crate::review::DoseCurve;
use crate::store::{Store, StoreError};
use crate::worker::Journal;

/// A session read back from the journal.
pub struct SessionView {
    record: SessionRecord,
    export: ExportPanel,
    state: TimelineState,
    selected: Option<Seq>,
    /// The entry to bring into view on the next frame (a search hit).
    scroll_to: Option<Seq>,
    curve: DoseCurve,
    /// The delivered total, described once when the session is read.
    delivered: String,
    /// The clinic's thresholds when the session was opened: what readings are flagged against.
    thresholds: Thresholds,
    notes: SessionNotes,
    signing: SigningPanel,
    tab: Tab,
    /// A session logged with colleagues: the merged timeline, each entry with its author.
    team: Option<crate::domain::TeamTimeline>,
    /// Its signatures (`None` outside a practice); made at the first frame.
    co_signing: Option<co_signing::CoSigningPanel>,
    co_signing_opened: bool,
}

/// What the centre of the view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Timeline,
    ProgressNote,
    PrivateNote,
}

impl AppView for SessionView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui, cx.journal, cx.wall())
    }

    /// Sends any unsaved note at once.
    fn save_typing(&mut self, cx: &ViewContext<'_>) {
        self.notes.save_now(cx.journal, cx.wall());
    }

    fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        Some(self.shown_entry())
    }
}

impl SessionView {
    /// Loads a session; `focus` is selected and scrolled into view. Readings are flagged against
    /// `thresholds`, the clinic's now.
    pub fn load(
        store: &Store,
        id: SessionId,
        focus: Option<Seq>,
        thresholds: Thresholds,
    ) -> Result<Self, StoreError> {
        let record = SessionRecord::load(store, id, ExportOptions::default())?;
        // A session logged together adds up over everyone's entries: those the server gave back,
        // then this journal's own it has not yet (a colleague's copy has none of this journal's).
        let me = store.sharing().practice_membership()?.map_or_else(
            || crate::domain::Colleague {
                login: String::new(),
                name: String::new(),
            },
            |membership| membership.colleague(),
        );
        let own: &[crate::domain::Event] = if record.copied_from.is_some() {
            &[]
        } else {
            &record.events
        };
        let team = record
            .co_session
            .as_ref()
            .map(|co| crate::domain::TeamTimeline::fold(&co.entries, &me, own, id));
        let shown = team.as_ref().map_or(
            record.events.as_slice(),
            crate::domain::TeamTimeline::events,
        );
        let state = TimelineState::from_events(record.session.route, shown);
        let curve = DoseCurve::of(shown, record.session.route, record.weight_kg());
        let delivered = match &team {
            Some(_) => {
                let until = record.session.ended_at.map_or_else(
                    || shown.last().map_or(0, |event| event.elapsed_ms),
                    |ended| (ended - record.session.started_at).num_milliseconds(),
                );
                crate::domain::delivered(shown, record.session.route, record.weight_kg(), until)
                    .describe()
            }
            None => record.delivered().describe(),
        };
        let facts = SessionFacts::gather(
            &record.session,
            &record.events,
            record.weight_kg(),
            &thresholds,
        );
        // A colleague's copy is read as if signed: nothing in it is this journal's to change.
        let signed_or_copied = (record.signature.is_some(), record.copied_from.is_some());
        Ok(Self {
            notes: SessionNotes::load(store, id, facts, signed_or_copied)?,
            signing: SigningPanel::default(),
            tab: Tab::Timeline,
            team,
            co_signing: None,
            co_signing_opened: false,
            thresholds,
            delivered,
            record,
            export: ExportPanel::new(store.dir()),
            state,
            selected: focus,
            scroll_to: focus,
            curve,
        })
    }

    /// The session and its selected entry.
    pub fn shown_entry(&self) -> (SessionId, Option<Seq>) {
        (self.record.session.id, self.selected)
    }

    fn draw(&mut self, ui: &mut Ui, journal: &Journal, wall: chrono::DateTime<chrono::Utc>) -> Nav {
        let mut nav = Nav::Stay;
        let mut changed = false;
        let model = self.record.session.model;
        changed |= self.header(ui, journal, wall, &mut nav);
        self.side_panel(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            self.tabs(ui, journal, wall);
            match self.tab {
                Tab::Timeline => {}
                Tab::ProgressNote => {
                    egui::ScrollArea::vertical()
                        .id_salt("progress_note")
                        .show(ui, |ui| self.notes.progress_ui(ui, journal, wall));
                    return;
                }
                Tab::PrivateNote => {
                    egui::ScrollArea::vertical()
                        .id_salt("private_note")
                        .show(ui, |ui| self.notes.private_ui(ui, journal, wall));
                    return;
                }
            }
            if !self.curve.steps.is_empty() {
                dose_chart::show(ui, self.record.session.id.0, &self.curve, model, 170.0);
                ui.separator();
            }
            egui::ScrollArea::vertical()
                .id_salt(("session_timeline", self.record.session.id.0))
                .auto_shrink(false)
                .show(ui, |ui| {
                    let events = (self.team.as_ref()).map_or(
                        self.record.events.as_slice(),
                        crate::domain::TeamTimeline::events,
                    );
                    timeline::Rows {
                        events: &crate::domain::decision_detail::applied(events),
                        model,
                        marked: &self.state.marked,
                        thresholds: &self.thresholds,
                        saving_from: None,
                        authors: self.team.as_ref(),
                    }
                    .show(ui, &mut self.selected, &mut self.scroll_to);
                    changed |= self.signing.addenda_ui(ui, &self.record, journal, wall);
                });
        });
        if changed {
            self.reread(journal, wall);
        }
        nav
    }

    /// Reads the session again after it was signed or given an addendum, keeping the view's place.
    fn reread(&mut self, journal: &Journal, wall: chrono::DateTime<chrono::Utc>) {
        self.notes.save_now(journal, wall);
        let (id, selected) = self.shown_entry();
        match Self::load(journal.read(), id, selected, self.thresholds) {
            Ok(fresh) => {
                let tab = self.tab;
                let signing = std::mem::take(&mut self.signing);
                let co_signing = self.co_signing.take();
                *self = Self {
                    tab,
                    signing,
                    co_signing,
                    co_signing_opened: true,
                    scroll_to: None,
                    ..fresh
                };
            }
            Err(error) => self.signing.report(error.to_string()),
        }
    }

    /// The header: navigation, the session's facts, signing and export. Returns true when the
    /// session was signed and must be read again.
    fn header(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        wall: chrono::DateTime<chrono::Utc>,
        nav: &mut Nav,
    ) -> bool {
        let mut signed = false;
        let model = self.record.session.model;
        egui::Panel::top("session_header")
            .frame(
                egui::Frame::side_top_panel(ui.style())
                    .fill(theme::model_tint(model))
                    .inner_margin(8),
            )
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
                        *nav = Nav::Home;
                    }
                    widgets::model_badge(ui, model);
                    ui.heading(format!(
                        "Session #{} · {}",
                        self.record.session.id,
                        self.record.client.title()
                    ));
                    if ui.button("Prep view").clicked() {
                        *nav = Nav::Prep(self.record.client.id);
                    }
                    if ui.button("Client history").clicked() {
                        *nav = Nav::ClientHistory(self.record.client.id);
                    }
                });
                let ended = self
                    .record
                    .session
                    .ended_at
                    .map_or_else(|| "still live".to_owned(), format::date_time);
                ui.label(format!(
                    "{} · planned {} · delivered {} · started {} · ended {} · status {}",
                    self.record.session.route.label(),
                    self.record
                        .session
                        .planned_dose
                        .describe(self.record.weight_kg()),
                    self.delivered,
                    format::date_time(self.record.session.started_at),
                    ended,
                    self.record.session.status.as_str()
                ));
                if let Some(author) = &self.record.copied_from {
                    ui.label(
                        RichText::new(format!(
                            "Recorded by {} ({}) · copied from the practice · read-only",
                            author.name, author.login
                        ))
                        .strong(),
                    );
                }
                signed = self.signing.header_ui(ui, &self.record, journal, wall);
                if !self.co_signing_opened {
                    self.co_signing_opened = true;
                    self.co_signing =
                        co_signing::CoSigningPanel::open(journal.read(), &self.record, ui.ctx());
                }
                if let Some(panel) = &mut self.co_signing {
                    signed |= panel.ui(ui, &self.record, journal, wall);
                }
                self.export.ui(
                    ui,
                    &self.record,
                    self.notes.saved_progress(),
                    self.thresholds,
                    journal,
                );
                if !self.state.open_deferrals.is_empty() {
                    ui.colored_label(
                        theme::warning(),
                        "A \"sit with it\" deferral in this session has no outcome.",
                    );
                }
            });
        signed
    }

    /// The plan agreed before the session, beside the timeline.
    fn side_panel(&self, ui: &mut Ui) {
        egui::Panel::right("session_side")
            .default_size(280.0)
            .show(ui, |ui| {
                ui.label(RichText::new("Intention").strong());
                ui.label(&self.record.session.intention);
                ui.add_space(theme::GAP);
                ui.label(RichText::new("Comfort plan").strong());
                ui.label(&self.record.session.comfort_plan);
                ui.add_space(theme::GAP);
                ui.label(
                    RichText::new(format!(
                        "Decision points: {} · Entries: {}",
                        self.state.decision_points,
                        self.team
                            .as_ref()
                            .map_or(self.record.events.len(), |team| team.rows.len())
                    ))
                    .color(theme::muted()),
                );
            });
    }

    /// The tab row; leaving the private note closes it.
    fn tabs(&mut self, ui: &mut Ui, journal: &Journal, wall: chrono::DateTime<chrono::Utc>) {
        let before = self.tab;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Timeline, "Timeline");
            ui.selectable_value(&mut self.tab, Tab::ProgressNote, "Progress note");
            if self.record.copied_from.is_some() {
                // A colleague's private note never leaves their laptop.
                return;
            }
            let private = if self.notes.has_private() {
                "Private note (written)"
            } else {
                "Private note"
            };
            ui.selectable_value(&mut self.tab, Tab::PrivateNote, private);
        });
        if before == Tab::PrivateNote && self.tab != Tab::PrivateNote {
            self.notes.close_private(journal, wall);
        }
        if let Some(error) = self.notes.unsaved_error() {
            ui.colored_label(theme::warning(), error);
        }
        ui.separator();
    }
}
