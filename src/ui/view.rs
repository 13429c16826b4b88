//! What every view of an open journal shares with the app: the one small trait it answers to, what
//! the app lends it for a frame, and the [`Nav`] it answers with. The views depend on this file and
//! the app on the views, never the other way round.

use std::sync::Arc;

use egui::Ui;

use crate::domain::{ClientId, ClinicSettings, Seq, SessionId};
use crate::live::{Clock, LiveSession};
use crate::ui::backups::Backups;
use crate::ui::commands::{Scope, UiCommand};
use crate::ui::prefs::Prefs;
use crate::worker::Journal;

/// What a view may use while it draws or runs a command: the journal (a reader, and the worker to
/// send writes to), the clock, the backups and the preferences of this computer. The clinic
/// settings reach a view when it is made and through [`AppView::settings_changed`].
pub struct ViewContext<'a> {
    pub journal: &'a Journal,
    /// The practice sync, which goes on beside every view.
    pub practice: &'a mut crate::ui::practice_sync::PracticeSync,
    pub clock: &'a Arc<dyn Clock>,
    pub backups: &'a mut Backups,
    pub prefs: &'a mut Prefs,
    /// Clinic settings a view saved this frame; the app pushes them to every view.
    pub(crate) saved_settings: Option<ClinicSettings>,
}

impl ViewContext<'_> {
    pub fn wall(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.wall()
    }

    /// Says the journal now holds `settings` (its write was answered), so the app hands them on.
    pub fn settings_saved(&mut self, settings: ClinicSettings) {
        self.saved_settings = Some(settings);
    }
}

/// A view of the open journal: the session list, the start form, the live session, a session, a
/// prep sheet, a client history, the settings.
pub trait AppView {
    /// Which commands answer while this view is on screen (beside the global ones).
    fn scope(&self) -> Scope;

    /// Carries out a command from its shortcut, taken by the app before the view draws.
    fn run(&mut self, command: UiCommand, cx: &mut ViewContext<'_>) -> Nav;

    /// Draws the view; returns where to go next.
    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav;

    /// Sends what is being typed to the journal: the view is left, the window locks or closes.
    fn save_typing(&mut self, _cx: &ViewContext<'_>) {}

    /// The session on screen and its selected entry, if the view shows one.
    fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        None
    }

    /// The clinic settings changed (saved in the settings view).
    fn settings_changed(&mut self, _settings: &ClinicSettings) {}
}

/// What a reading view does with a command: Back is the only one it answers.
pub fn back_on(command: UiCommand) -> Nav {
    if command == UiCommand::Back {
        Nav::Home
    } else {
        Nav::Stay
    }
}

/// Where a view asks the app to go next.
#[must_use]
pub enum Nav {
    Stay,
    /// The session list.
    Home,
    /// One of the places of the top bar.
    To(Place),
    Live(Box<LiveSession>),
    /// A session's timeline, with the entry to select and scroll to.
    OpenSession(SessionId, Option<Seq>),
    /// The prep sheet of a client.
    Prep(ClientId),
    /// Every session of a client, with charts.
    ClientHistory(ClientId),
    /// Replace the journal with this backup (already confirmed).
    Restore(std::path::PathBuf),
    /// Back to the live session kept aside while other sessions are read.
    BackToLive,
}

/// A screen of the top bar, which any view may also send the clinician to. Its button and what it
/// opens are its row in the app's places table (`ui/app/places.rs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    /// The start form of a new session.
    NewSession,
    /// The clinic's monitoring settings.
    Settings,
    /// The controlled-substance log.
    Lots,
    /// Every session this clinician may read through the practice.
    Practice,
}

impl Nav {
    /// This, or `other` when this stays.
    pub fn or(self, other: Self) -> Self {
        match self {
            Self::Stay => other,
            asked => asked,
        }
    }
}
