//! The application root: which view is on screen, and the store and clock every view shares.

use std::sync::Arc;
use std::time::Duration;

mod navigation;
mod opening;
mod restoring;

pub use navigation::Nav;
pub use opening::Opening;
use opening::WriteMode;

use super::UiCommand;
use super::alerts::{Alerts, Speaker, Tone};
use super::backups::Backups;
use super::client_view::ClientView;
use super::home::HomeView;
use super::live::LiveView;
use super::lock_screen::LockScreen;
use super::prefs::Prefs;
use super::prep_view::PrepView;
use super::restore::{RestoreOutcome, Restoring};
use super::session_view::SessionView;
use super::settings_view::SettingsView;
use super::start::StartView;
use super::theme;
use super::unlock_view::{UnlockView, Unlocked};
use crate::domain::{ClinicSettings, Seq, SessionId};
use crate::live::{Clock, IdleTimer, LiveSession};
use crate::store::StartUpCheck;
use crate::worker::Journal;

enum View {
    Home(Box<HomeView>),
    Start(Box<StartView>),
    Live(Box<LiveView>),
    Session(Box<SessionView>),
    Prep(PrepView),
    Client(ClientView),
    Settings(Box<SettingsView>),
}

/// The KAP Journal window.
pub struct KapJournalApp {
    /// The open journal (a reader for drawing, the worker for writing), or the sentence saying why it
    /// could not be opened.
    journal: Result<Journal, String>,
    writes: WriteMode,
    /// The passphrase screen while the journal is not yet open.
    unlock: Option<Box<UnlockView>>,
    clock: Arc<dyn Clock>,
    view: View,
    prefs: Prefs,
    notice: Option<String>,
    /// The home screen while another view is shown, so its search and filters are there on return.
    kept_home: Option<Box<HomeView>>,
    /// The live session while the clinician reads other sessions: its timers, draft and alerts go
    /// on, and the top bar always offers the way back.
    aside: Option<Box<LiveView>>,
    /// Since the last keystroke, click or pointer movement.
    idle: IdleTimer,
    /// How long the window may stay untouched (the clinic setting `lock-after`).
    lock_after: Duration,
    /// Shown instead of everything else while the window is locked.
    lock: Option<LockScreen>,
    backups: Backups,
    /// A backup being restored; the journal is closed meanwhile. On failure the old journal is
    /// opened again, when it can be.
    restoring: Option<Restoring>,
    /// The start-up check reading every page beside the window (seconds on a large journal).
    start_up_check: Option<StartUpCheck>,
    /// For threads that wake the window when they finish.
    ctx: egui::Context,
    /// Attention and a tone when a countdown ends or a safety flag rises.
    alerts: Alerts,
}

impl KapJournalApp {
    /// Builds the app on a journal waiting for its passphrase, or an opened (or refused) one. Once open,
    /// a live session left open, e.g. by a crash, is resumed at once with its draft.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        opening: impl Into<Opening>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        theme::apply(&cc.egui_ctx);
        let prefs: Prefs = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        prefs.apply(&cc.egui_ctx);
        let (store, unlock) = match opening.into() {
            Opening::Locked(journal) => (
                Err("The journal is locked.".to_owned()),
                Some(Box::new(UnlockView::new(journal))),
            ),
            Opening::Open(store) => (Ok(store), None),
            Opening::Refused(error) => (Err(error.to_string()), None),
        };
        let mut app = Self {
            journal: Err("The journal is locked.".to_owned()),
            writes: WriteMode::Thread,
            unlock,
            idle: IdleTimer::new(clock.as_ref()),
            lock_after: Duration::from_secs(
                60 * u64::from(ClinicSettings::default().lock_after_minutes),
            ),
            lock: None,
            clock,
            view: View::Home(Box::default()),
            prefs,
            notice: None,
            kept_home: None,
            aside: None,
            backups: Backups::default(),
            restoring: None,
            start_up_check: None,
            ctx: cc.egui_ctx.clone(),
            alerts: Alerts::new(Arc::new(Speaker)),
        };
        app.journal = store.and_then(|store| app.take_up(store));
        app.view = app.first_view();
        app.read_lock_after();
        app
    }

    /// Turns the automatic backups (on session end and daily) off or on; they are on by default.
    /// Tests that drive the window frame by frame turn them off, so no thread of their own wakes the
    /// window at an unknown moment.
    #[must_use]
    pub fn automatic_backups(mut self, on: bool) -> Self {
        self.backups.set_automatic(on);
        self
    }

    /// Sounds alerts through `tone` instead of the speaker (tests count them).
    #[must_use]
    pub fn alert_tone(mut self, tone: Arc<dyn Tone>) -> Self {
        self.alerts = Alerts::new(tone);
        self
    }

    /// Turns the alert tone off or on for this computer (on by default; also in Settings).
    #[must_use]
    pub fn alert_sound(mut self, on: bool) -> Self {
        self.prefs.alert_sound = on;
        self
    }

    /// The open journal, for tests that reach below the window (a full disk).
    #[doc(hidden)]
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref().ok()
    }

    /// Whether the window is locked (and so shows nothing of the journal).
    pub fn is_locked(&self) -> bool {
        self.lock.is_some() || self.unlock.is_some()
    }

    fn read_lock_after(&mut self) {
        if let Ok(settings) = self
            .journal
            .as_ref()
            .map(|journal| journal.read().clinic_settings())
        {
            // Unreadable settings keep the default: the lock must not fail open.
            let minutes = settings
                .map_or(ClinicSettings::default().lock_after_minutes, |settings| {
                    settings.lock_after_minutes
                });
            self.lock_after = Duration::from_secs(60 * u64::from(minutes));
        }
    }

    /// Saves what is being typed (the live note's draft, the notes of a session) to the journal.
    fn save_typing(&mut self) {
        let Ok(journal) = &self.journal else { return };
        if let Some(live) = &mut self.aside {
            live.save_draft_now(journal);
        }
        match &mut self.view {
            View::Live(live) => live.save_draft_now(journal),
            View::Session(view) => view.save_now(journal, self.clock.wall()),
            _ => {}
        }
    }

    /// Locks the window: what is being typed is saved first, then nothing of the journal is drawn
    /// until the passphrase is typed again.
    fn lock_now(&mut self) {
        self.save_typing();
        self.lock = Some(LockScreen::new(self.writes.is_inline()));
    }

    /// Locks on the shortcut or after the idle time; otherwise asks to be woken when it would run out.
    fn lock_if_due(&mut self, ctx: &egui::Context) -> bool {
        if ctx.input(had_activity) {
            self.idle.touch(self.clock.as_ref());
        }
        let remaining = self.idle.remaining(self.clock.as_ref(), self.lock_after);
        if UiCommand::Lock.pressed(ctx) || remaining.is_zero() {
            self.lock_now();
            ctx.request_repaint();
            return true;
        }
        ctx.request_repaint_after(remaining);
        false
    }

    /// The session on screen and its selected entry, if a session is shown.
    pub fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        match &self.view {
            View::Session(view) => Some(view.shown_entry()),
            View::Live(view) => Some(view.shown_entry()),
            View::Home(_)
            | View::Start(_)
            | View::Prep(_)
            | View::Client(_)
            | View::Settings(_) => None,
        }
    }

    fn first_view(&mut self) -> View {
        let Ok(journal) = &mut self.journal else {
            return View::Home(Box::default());
        };
        // A damaged journal is said under the top bar (Backups::damaged_ui), with the backup to restore.
        if journal.read().damage().is_empty() {
            let ctx = self.ctx.clone();
            match journal.start_up_check(move || ctx.request_repaint()) {
                Ok(check) => self.start_up_check = check,
                Err(error) => self.notice = Some(error.to_string()),
            }
        }
        let store = journal.read();
        match store.live_sessions() {
            Ok(live) if !live.is_empty() => {
                // The newest live session is the one being logged; older ones stay listed on the home screen.
                match LiveSession::resume(store, Arc::clone(&self.clock), live[0].id) {
                    Ok(session) => View::Live(Box::new(LiveView::new(store, session, true))),
                    Err(error) => {
                        self.notice = Some(error.to_string());
                        View::Home(Box::new(HomeView::load(store)))
                    }
                }
            }
            Ok(_) => View::Home(Box::new(HomeView::load(store))),
            Err(error) => {
                self.notice = Some(error.to_string());
                View::Home(Box::default())
            }
        }
    }

    /// What the window's threads have found since the last frame: the start-up check, a backup;
    /// and today's backup, once the check has passed (a damaged journal is never backed up).
    fn background_work(&mut self, ctx: &egui::Context) {
        let Ok(journal) = &mut self.journal else {
            return;
        };
        if let Some(found) = self.start_up_check.as_ref().and_then(StartUpCheck::poll) {
            self.start_up_check = None;
            match found {
                Ok(problems) if problems.is_empty() => {}
                Ok(problems) => journal.mark_damaged(problems),
                Err(error) => self.notice = Some(error.to_string()),
            }
        }
        if let Some(problem) = self.backups.poll() {
            self.notice = Some(problem);
        }
        if self.start_up_check.is_none() {
            self.backups
                .start_if_due(ctx, journal.read(), self.clock.wall());
        }
    }
}

impl eframe::App for KapJournalApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let Ok(journal) = &self.journal else { return };
        let ((View::Live(live), _) | (_, Some(live))) = (&mut self.view, &mut self.aside) else {
            return;
        };
        live.logic(ctx, journal);
        self.alerts.check(ctx, live.live(), self.prefs.alert_sound);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        theme::follow(ui.ctx());
        if self.restoring.is_some() {
            return self.restoring_ui(ui);
        }
        if let Some(unlock) = &mut self.unlock {
            match unlock.ui(ui) {
                Some(Unlocked::Open(store)) => {
                    self.journal = self.take_up(*store);
                    self.unlock = None;
                    self.view = self.first_view();
                    self.read_lock_after();
                    self.idle.touch(self.clock.as_ref());
                    ui.ctx().request_repaint();
                }
                Some(Unlocked::RestoreBackup) => {
                    if let Some((journal, key, backup)) =
                        self.unlock.take().and_then(|unlock| unlock.into_rescue())
                    {
                        self.restoring =
                            Some(Restoring::start_claimed(ui.ctx(), journal, key, backup));
                    }
                }
                Some(Unlocked::RestoreElsewhere) => {
                    if let Some((journal, backup, passphrase)) = self
                        .unlock
                        .take()
                        .and_then(|unlock| unlock.into_restore_elsewhere())
                    {
                        self.restoring = Some(Restoring::start_elsewhere(
                            ui.ctx(),
                            journal,
                            backup,
                            passphrase,
                        ));
                    }
                }
                None => {}
            }
            return;
        }
        let store = match &self.journal {
            Ok(journal) => journal.read(),
            Err(message) => return cannot_open(ui, message),
        };
        if let Some(lock) = &mut self.lock {
            let running = match (&self.view, &self.aside) {
                (View::Live(view), _) | (_, Some(view)) => Some(view.live()),
                _ => None,
            };
            if lock.ui(ui, store, running) {
                self.lock = None;
                self.idle.touch(self.clock.as_ref());
                // Back to the note field with what was typed, so the next words land there.
                if let View::Live(view) = &mut self.view {
                    view.refocus();
                }
                ui.ctx().request_repaint();
            }
            return;
        }
        if self.lock_if_due(ui.ctx()) {
            return;
        }
        let nav = self.top_bar(ui);
        if self.lock.is_some() {
            // Locked from the top bar: the view is not drawn again behind the lock.
            ui.ctx().request_repaint();
            return;
        }
        self.navigate(nav, ui.ctx());
        self.background_work(ui.ctx());
        let Ok(journal) = &self.journal else {
            return;
        };
        let nav = match &mut self.view {
            View::Home(view) => view.ui(ui, journal, &self.clock),
            View::Start(view) => view.ui(ui, journal, &self.clock),
            View::Live(view) => view.ui(ui, journal),
            View::Session(view) => view.ui(ui, journal, self.clock.wall()),
            View::Prep(view) => view.ui(ui),
            View::Client(view) => view.ui(ui),
            View::Settings(view) => view.ui(
                ui,
                journal,
                &mut self.backups,
                &mut self.prefs,
                self.clock.wall(),
            ),
        };
        self.navigate(nav, ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.prefs.follow(&self.ctx);
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_typing();
    }
}

/// Whether this frame's input shows someone at the keyboard or the pointer.
fn had_activity(input: &egui::InputState) -> bool {
    input.events.iter().any(|event| {
        matches!(
            event,
            egui::Event::Key { .. }
                | egui::Event::Text(_)
                | egui::Event::Paste(_)
                | egui::Event::PointerMoved(_)
                | egui::Event::PointerButton { .. }
                | egui::Event::MouseWheel { .. }
                | egui::Event::Touch { .. }
        )
    })
}

/// The whole window when the journal cannot be opened: one sentence, and nothing written.
fn cannot_open(ui: &mut egui::Ui, message: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("KAP Journal cannot open the journal");
            ui.add_space(12.0);
            ui.label(message);
        });
    });
}
