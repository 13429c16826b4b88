//! The application root: what the window shows, as one [`Screen`] at a time, and what every screen
//! shares (the clock, this computer's preferences, the backups, the alerts).

use std::sync::Arc;

mod navigation;
mod open_journal;
mod opening;
mod places;
mod restoring;
mod start_up_check;
mod view;

pub use opening::Opening;
pub use places::labels as top_bar_places;

use open_journal::OpenJournal;
use opening::WriteMode;

use super::alerts::{Alerts, Speaker, Tone};
use super::prefs::Prefs;
use super::theme;
use crate::domain::{Seq, SessionId};
use crate::live::{Clock, IdleTimer};
use crate::store::StoreError;
use crate::ui::backups::Backups;
use crate::ui::unlock::restore::Restoring;
use crate::ui::unlock::{UnlockView, Unlocked};
use crate::worker::Journal;

/// What the window shows: exactly one of these at a time, so no two can be on screen together.
enum Screen {
    /// The journal cannot be opened; one sentence says why, and nothing is written.
    CannotOpen(StoreError),
    /// The passphrase screen (or the way to a backup from it).
    Unlocking(Box<UnlockView>),
    /// A backup replacing the journal, with its progress; the journal is closed meanwhile.
    Restoring(Restoring),
    /// The journal is open (and perhaps locked behind the passphrase again).
    Open(Box<OpenJournal>),
}

impl Screen {
    /// What stands in for a moment while one screen is turned into the next (never drawn).
    fn closed() -> Self {
        Self::CannotOpen(StoreError::WriterStopped)
    }
}

/// What every screen shares.
struct Shared {
    /// Where the journal worker carries out the window's writes.
    writes: WriteMode,
    clock: Arc<dyn Clock>,
    prefs: Prefs,
    /// A sentence under the top bar, e.g. what a restore did; it outlives a change of screen.
    notice: Option<String>,
    /// Since the last keystroke, click or pointer movement.
    idle: IdleTimer,
    backups: Backups,
    /// For threads that wake the window when they finish.
    ctx: egui::Context,
    /// Attention and a tone when a countdown ends or a safety flag rises.
    alerts: Alerts,
}

/// The KAP Journal window.
pub struct KapJournalApp {
    screen: Screen,
    shared: Shared,
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
        let mut shared = Shared {
            writes: WriteMode::Thread,
            idle: IdleTimer::new(clock.as_ref()),
            clock,
            prefs,
            notice: None,
            backups: Backups::default(),
            ctx: cc.egui_ctx.clone(),
            alerts: Alerts::new(Arc::new(Speaker)),
        };
        let screen = match opening.into() {
            Opening::Locked(journal) => Screen::Unlocking(Box::new(UnlockView::new(journal))),
            Opening::Open(store) => shared.open(store),
            Opening::Refused(error) => Screen::CannotOpen(error),
        };
        Self { screen, shared }
    }

    /// Turns the automatic backups (on session end and daily) off or on; they are on by default.
    /// Tests that drive the window frame by frame turn them off, so no thread of their own wakes the
    /// window at an unknown moment.
    #[must_use]
    pub fn automatic_backups(mut self, on: bool) -> Self {
        self.shared.backups.set_automatic(on);
        self
    }

    /// Sounds alerts through `tone` instead of the speaker (tests count them).
    #[must_use]
    pub fn alert_tone(mut self, tone: Arc<dyn Tone>) -> Self {
        self.shared.alerts = Alerts::new(tone);
        self
    }

    /// Turns the alert tone off or on for this computer (on by default; also in Settings).
    #[must_use]
    pub fn alert_sound(mut self, on: bool) -> Self {
        self.shared.prefs.alert_sound = on;
        self
    }

    /// The open journal, for tests that reach below the window (a full disk).
    #[doc(hidden)]
    pub fn journal(&self) -> Option<&Journal> {
        match &self.screen {
            Screen::Open(open) => Some(open.journal()),
            _ => None,
        }
    }

    /// Whether the window is locked (and so shows nothing of the journal).
    pub fn is_locked(&self) -> bool {
        match &self.screen {
            Screen::Open(open) => open.is_locked(),
            Screen::Unlocking(_) => true,
            Screen::CannotOpen(_) | Screen::Restoring(_) => false,
        }
    }

    /// The session on screen and its selected entry, if a session is shown.
    pub fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        match &self.screen {
            Screen::Open(open) => open.shown_entry(),
            _ => None,
        }
    }

    /// The live session being logged, on screen or kept aside (tests look at what it adds up to).
    #[doc(hidden)]
    pub fn live_session(&self) -> Option<&crate::live::LiveSession> {
        match &self.screen {
            Screen::Open(open) => open.live_session(),
            _ => None,
        }
    }

    /// The passphrase screen's answer: the journal it opened, or the backup to restore instead.
    fn unlocking_ui(&mut self, ui: &mut egui::Ui) -> Option<Screen> {
        let Screen::Unlocking(unlock) = &mut self.screen else {
            return None;
        };
        match unlock.ui(ui)? {
            Unlocked::Open(store) => {
                self.shared.idle.touch(self.shared.clock.as_ref());
                ui.ctx().request_repaint();
                Some(self.shared.open(*store))
            }
            Unlocked::RestoreBackup => {
                let (journal, key, backup) = self.take_unlock()?.into_rescue()?;
                Some(Screen::Restoring(Restoring::start_claimed(
                    ui.ctx(),
                    journal,
                    key,
                    backup,
                )))
            }
            Unlocked::RestoreElsewhere => {
                let (journal, backup, passphrase) = self.take_unlock()?.into_restore_elsewhere()?;
                Some(Screen::Restoring(Restoring::start_elsewhere(
                    ui.ctx(),
                    journal,
                    backup,
                    passphrase,
                )))
            }
        }
    }

    fn take_unlock(&mut self) -> Option<Box<UnlockView>> {
        match std::mem::replace(&mut self.screen, Screen::closed()) {
            Screen::Unlocking(unlock) => Some(unlock),
            other => {
                self.screen = other;
                None
            }
        }
    }
}

impl eframe::App for KapJournalApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Screen::Open(open) = &mut self.screen {
            open.logic(ctx, &mut self.shared);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        theme::follow(ui.ctx());
        let next = match &mut self.screen {
            Screen::CannotOpen(problem) => {
                cannot_open(ui, &problem.to_string());
                None
            }
            Screen::Unlocking(_) => self.unlocking_ui(ui),
            Screen::Restoring(restoring) => restoring
                .ui(ui)
                .map(|outcome| self.shared.after_restore(outcome)),
            Screen::Open(open) => open
                .ui(ui, &mut self.shared)
                .map(|backup| self.restore(backup, ui.ctx())),
        };
        if let Some(next) = next {
            self.screen = next;
            ui.ctx().request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.shared.prefs.follow(&self.shared.ctx);
        eframe::set_value(storage, eframe::APP_KEY, &self.shared.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Screen::Open(open) = &mut self.screen {
            open.save_typing(&mut self.shared);
        }
    }
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
