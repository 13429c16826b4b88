//! The window with its journal open: the view on screen, a live session kept aside, the lock, the
//! start-up check, and the clinic settings as last read (pushed to the views when they change).

use std::sync::Arc;
use std::time::Duration;

use super::Shared;
use super::start_up_check::StartUpChecking;
use super::view::View;
use crate::domain::{ClinicSettings, Seq, SessionId};
use crate::live::LiveSession;
use crate::store::StoreError;
use crate::ui::commands::{self, UiCommand};
use crate::ui::home::HomeView;
use crate::ui::live::LiveView;
use crate::ui::practice_sync::PracticeSync;
use crate::ui::unlock::lock_screen::LockScreen;
use crate::ui::view::{AppView, Nav, Place, ViewContext};
use crate::worker::Journal;

pub(super) struct OpenJournal {
    /// A reader for drawing, the worker for writing.
    pub(super) journal: Journal,
    pub(super) view: View,
    /// The home screen while another view is shown, so its search and filters are there on return.
    pub(super) kept_home: Option<Box<HomeView>>,
    /// The live session while the clinician reads other sessions: its timers, draft and alerts go
    /// on, and the top bar always offers the way back.
    pub(super) aside: Option<Box<LiveView>>,
    /// Shown instead of everything else while the window is locked.
    lock: Option<LockScreen>,
    /// The start-up check reading every page beside the window (seconds on a large journal), or the
    /// full check of idle time.
    start_up_check: Option<StartUpChecking>,
    /// The window was locked: a full check may run while it stays so.
    idle_check_wanted: bool,
    /// The clinic's settings, read when the journal opened and again when the settings view saves
    /// them. Unreadable settings are the defaults, with the sentence saying why.
    pub(super) settings: ClinicSettings,
    pub(super) settings_problem: Option<String>,
    /// A practice sync asked for in Settings or the Practice list, going on beside every view.
    pub(super) practice: PracticeSync,
    /// The journal was made for synthetic data: the top bar says so on every screen. Read when
    /// the journal opens and on every change of screen (an import can make a new journal so).
    pub(super) synthetic: bool,
}

impl OpenJournal {
    /// Opens the first view: the newest live session when one was left open (e.g. by a crash), else
    /// the session list; and starts the start-up check.
    pub(super) fn new(mut journal: Journal, shared: &mut Shared) -> Self {
        let (settings, settings_problem) = match journal.read().clinic_settings() {
            Ok(settings) => (settings, None),
            // Unreadable settings keep the defaults: the lock must not fail open, and a session
            // must still be loggable.
            Err(error) => (ClinicSettings::default(), Some(error.to_string())),
        };
        // A damaged journal is said under the top bar (Backups::damaged_ui), with the backup to restore.
        let mut start_up_check = None;
        if journal.read().damage().is_empty() {
            match journal.start_up_check() {
                Ok(Some(check)) => start_up_check = Some(StartUpChecking::new(check)),
                Ok(None) => {}
                Err(error) => shared.notice = Some(error.to_string()),
            }
        }
        shared.backups.follow(&settings);
        // Lists and the live timeline show the clinic's times of day (until it is set, this
        // computer's zone is the clinic's).
        crate::format::show_times_in(journal.read().clinic_zone().ok());
        // ... and write dates and times of day as the clinic does.
        crate::format::write_dates_as(crate::system_clock::style(
            journal.read().date_time_settings().unwrap_or_default(),
        ));
        let synthetic = journal.read().record().is_synthetic().unwrap_or(false);
        let mut open = Self {
            synthetic,
            journal,
            view: View::Home(Box::default()),
            kept_home: None,
            aside: None,
            lock: None,
            start_up_check,
            idle_check_wanted: false,
            settings,
            settings_problem,
            practice: PracticeSync::default(),
        };
        open.view = open.first_view(shared);
        open
    }

    fn first_view(&self, shared: &mut Shared) -> View {
        let store = self.journal.read();
        match store.record().live_sessions() {
            Ok(live) if !live.is_empty() => {
                // The newest live session is the one being logged; older ones stay listed on the home screen.
                match LiveSession::resume(store, Arc::clone(&shared.clock), live[0].id) {
                    Ok(session) => View::Live(Box::new(self.live_view(session, true))),
                    Err(error) => {
                        shared.notice = Some(error.to_string());
                        View::Home(Box::new(HomeView::load(store)))
                    }
                }
            }
            Ok(_) => View::Home(Box::new(HomeView::load(store))),
            Err(error) => {
                shared.notice = Some(error.to_string());
                View::Home(Box::default())
            }
        }
    }

    /// The live view of `session`, under the clinic's settings.
    pub(super) fn live_view(&self, session: LiveSession, resumed: bool) -> LiveView {
        LiveView::new(
            self.journal.read(),
            session,
            resumed,
            self.settings,
            self.settings_problem.as_deref(),
        )
    }

    pub(super) fn journal(&self) -> &Journal {
        &self.journal
    }

    pub(super) fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    pub(super) fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        self.view.shown_entry()
    }

    /// The live session on screen or kept aside.
    pub(super) fn live_session(&self) -> Option<&crate::live::LiveSession> {
        match (&self.view, &self.aside) {
            (View::Live(live), _) | (_, Some(live)) => Some(live.live()),
            _ => None,
        }
    }

    /// The live session, on screen or kept aside.
    fn live_mut(&mut self) -> Option<&mut LiveView> {
        match (&mut self.view, &mut self.aside) {
            (View::Live(live), _) | (_, Some(live)) => Some(live),
            _ => None,
        }
    }

    /// How long the window may stay untouched (the clinic setting `lock-after`).
    fn lock_after(&self) -> Duration {
        Duration::from_secs(60 * u64::from(self.settings.lock_after_minutes))
    }

    /// Runs every frame, even with the window hidden: the live session takes the worker's answers,
    /// keeps its draft saved and sounds its alerts.
    pub(super) fn logic(&mut self, ctx: &egui::Context, shared: &mut Shared) {
        let Self {
            journal,
            view,
            aside,
            ..
        } = self;
        let ((View::Live(live), _) | (_, Some(live))) = (view, aside) else {
            return;
        };
        live.logic(ctx, journal);
        shared
            .alerts
            .check(ctx, live.live(), shared.prefs.alert_sound);
    }

    /// Sends what is being typed to the journal: the live note's draft, the notes of a session.
    pub(super) fn save_typing(&mut self, shared: &mut Shared) {
        if let Some(live) = &mut self.aside {
            live.save_draft_now(&self.journal);
        }
        let cx = context(&self.journal, &mut self.practice, shared);
        self.view.as_view().save_typing(&cx);
    }

    /// Locks the window: what is being typed is saved first, then nothing of the journal is drawn
    /// until the passphrase is typed again.
    pub(super) fn lock_now(&mut self, shared: &mut Shared) {
        self.save_typing(shared);
        self.lock = Some(LockScreen::new());
        self.idle_check_wanted = true;
    }

    /// Locks after the idle time; otherwise asks to be woken when it would run out.
    fn lock_if_idle(&mut self, ctx: &egui::Context, shared: &mut Shared) -> bool {
        if ctx.input(had_activity) {
            shared.idle.touch(shared.clock.as_ref());
        }
        let remaining = shared
            .idle
            .remaining(shared.clock.as_ref(), self.lock_after());
        if remaining.is_zero() {
            self.lock_now(shared);
            ctx.request_repaint();
            return true;
        }
        ctx.request_repaint_after(remaining);
        false
    }

    /// The window with the journal open; returns a backup to restore over it, once confirmed.
    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        shared: &mut Shared,
    ) -> Option<std::path::PathBuf> {
        if let Some(lock) = &mut self.lock {
            let running = match (&self.view, &self.aside) {
                (View::Live(view), _) | (_, Some(view)) => Some(view.live()),
                _ => None,
            };
            if lock.ui(ui, self.journal.read(), running) {
                let held = lock.take_held_note();
                self.lock = None;
                shared.idle.touch(shared.clock.as_ref());
                // A running session comes back to its note, whatever was on screen before, with
                // the words typed while locked added to it and the caret after them.
                let back_to_live = self.aside.is_some() && !matches!(self.view, View::Live(_));
                if back_to_live {
                    let _ = self.navigate(Nav::BackToLive, shared);
                }
                if let View::Live(view) = &mut self.view {
                    view.add_to_note(&held);
                    view.refocus();
                }
                ui.ctx().request_repaint();
            }
            // What the window's threads found is taken while locked too, and the check of idle
            // time starts here.
            self.background_work(ui.ctx(), shared);
            return None;
        }
        if self.lock_if_idle(ui.ctx(), shared) {
            return None;
        }
        let mut nav = self.dispatch(ui.ctx(), shared);
        if self.lock.is_none() {
            nav = nav.or(self.top_bar(ui, shared));
        }
        if self.lock.is_some() {
            // Locked by its shortcut or from the top bar: the view is not drawn again behind the lock.
            ui.ctx().request_repaint();
            return None;
        }
        if let Some(backup) = self.navigate(nav, shared) {
            return Some(backup);
        }
        self.background_work(ui.ctx(), shared);
        let mut cx = context(&self.journal, &mut self.practice, shared);
        let nav = self.view.as_view().ui(ui, &mut cx);
        if let Some(settings) = cx.saved_settings.take() {
            self.settings_saved(settings, shared);
        }
        self.navigate(nav, shared)
    }

    /// Takes this frame's pressed commands once, before anything draws: the global ones are the
    /// window's, the others go to the view on screen, as a click on their button would.
    fn dispatch(&mut self, ctx: &egui::Context, shared: &mut Shared) -> Nav {
        let mut nav = Nav::Stay;
        let scope = self.view.as_view().scope();
        for command in commands::take_pressed(ctx, scope) {
            let asked = match command {
                UiCommand::Lock => {
                    self.lock_now(shared);
                    return Nav::Stay;
                }
                // While a session is live there is no second one.
                UiCommand::NewSession if self.live_mut().is_none() => Nav::To(Place::NewSession),
                UiCommand::NewSession => Nav::Stay,
                command => {
                    let mut cx = context(&self.journal, &mut self.practice, shared);
                    self.view.as_view().run(command, &mut cx)
                }
            };
            nav = nav.or(asked);
        }
        nav
    }

    /// New clinic settings are in the journal: every view and the lock follow them from now on.
    fn settings_saved(&mut self, settings: ClinicSettings, shared: &mut Shared) {
        self.settings = settings;
        self.settings_problem = None;
        shared.backups.follow(&settings);
        self.view.as_view().settings_changed(&settings);
        if let Some(live) = &mut self.aside {
            AppView::settings_changed(live.as_mut(), &settings);
        }
    }

    /// What the window's threads have found since the last frame: the start-up check, a backup;
    /// and today's backup, once the check has passed (a damaged journal is never backed up).
    fn background_work(&mut self, ctx: &egui::Context, shared: &mut Shared) {
        let view_ready = !self.view.is_reading();
        if let Some(check) = &mut self.start_up_check {
            check.start_when(ctx, view_ready);
        }
        if let Some(found) = self.start_up_check.as_ref().and_then(StartUpChecking::take) {
            self.start_up_check = None;
            match found {
                Ok(found) => {
                    if let Some(mark) = found.covered {
                        self.journal.record_full_check(mark);
                    }
                    if !found.problems.is_empty() {
                        self.journal.mark_damaged(found.problems);
                    }
                }
                Err(error) => shared.notice = Some(error.to_string()),
            }
        }
        self.check_in_idle_time(ctx, shared);
        if let Some(problem) = shared.backups.poll() {
            shared.notice = Some(problem);
        }
        self.practice.poll(ctx, &self.journal, shared.clock.wall());
        if self.start_up_check.is_none() {
            shared
                .backups
                .start_if_due(ctx, self.journal.read(), shared.clock.wall());
        }
    }

    /// While the window is locked and no session runs, a full check of every page when the last one
    /// is more than a day old (asked once per lock).
    fn check_in_idle_time(&mut self, ctx: &egui::Context, shared: &mut Shared) {
        if self.lock.is_none()
            || !std::mem::take(&mut self.idle_check_wanted)
            || self.start_up_check.is_some()
            || self.live_session().is_some()
            || !self.journal.read().damage().is_empty()
        {
            return;
        }
        let due = match self.journal.read().last_full_check() {
            Ok(Some(mark)) => {
                shared.clock.wall() - mark.at
                    > chrono::Duration::hours(crate::store::FULL_CHECK_IN_IDLE_AFTER_HOURS)
            }
            Ok(None) => true,
            Err(_) => false,
        };
        if !due {
            return;
        }
        match self.journal.full_check() {
            Ok(check) => {
                let mut checking = StartUpChecking::new(check);
                checking.start_when(ctx, true);
                self.start_up_check = Some(checking);
            }
            Err(error) => shared.notice = Some(error.to_string()),
        }
    }

    /// Every write already sent lands, and the writer is given back (a restore replaces it). The
    /// jobs reading the journal about to be replaced (the start-up check, a search, an export) are
    /// stopped first, with the views that hold them, so no reader outlives it.
    pub(super) fn close(mut self, shared: &mut Shared) -> Result<crate::store::Store, StoreError> {
        self.save_typing(shared);
        let Self {
            journal,
            view,
            kept_home,
            aside,
            start_up_check,
            ..
        } = self;
        if let Some(check) = start_up_check {
            check.stop();
        }
        drop((view, kept_home, aside));
        journal.close()
    }
}

/// What the app lends a view for a frame.
pub(super) fn context<'a>(
    journal: &'a Journal,
    practice: &'a mut PracticeSync,
    shared: &'a mut Shared,
) -> ViewContext<'a> {
    ViewContext {
        journal,
        practice,
        clock: &shared.clock,
        backups: &mut shared.backups,
        prefs: &mut shared.prefs,
        saved_settings: None,
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
