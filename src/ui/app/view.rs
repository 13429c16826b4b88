//! The one small trait every view of an open journal answers to, and what the app lends a view
//! for a frame.

use std::sync::Arc;

use egui::Ui;

use super::Nav;
use crate::domain::{ClinicSettings, Seq, SessionId};
use crate::live::Clock;
use crate::ui::backups::Backups;
use crate::ui::client_view::ClientView;
use crate::ui::commands::{Scope, UiCommand};
use crate::ui::home::HomeView;
use crate::ui::live::LiveView;
use crate::ui::prefs::Prefs;
use crate::ui::prep_view::PrepView;
use crate::ui::session_view::SessionView;
use crate::ui::settings_view::SettingsView;
use crate::ui::start::StartView;
use crate::worker::Journal;

/// What a view may use while it draws or runs a command: the journal (a reader, and the worker to
/// send writes to), the clock, the backups and the preferences of this computer. The clinic
/// settings reach a view when it is made and through [`AppView::settings_changed`].
pub struct ViewContext<'a> {
    pub journal: &'a Journal,
    pub clock: &'a Arc<dyn Clock>,
    pub backups: &'a mut Backups,
    pub prefs: &'a mut Prefs,
    /// Clinic settings a view saved this frame; the app pushes them to every view.
    pub(super) saved_settings: Option<ClinicSettings>,
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

/// The view on screen.
pub(super) enum View {
    Home(Box<HomeView>),
    Start(Box<StartView>),
    Live(Box<LiveView>),
    Session(Box<SessionView>),
    Prep(PrepView),
    Client(ClientView),
    Settings(Box<SettingsView>),
}

impl View {
    pub(super) fn as_view(&mut self) -> &mut dyn AppView {
        match self {
            Self::Home(view) => view.as_mut(),
            Self::Start(view) => view.as_mut(),
            Self::Live(view) => view.as_mut(),
            Self::Session(view) => view.as_mut(),
            Self::Prep(view) => view,
            Self::Client(view) => view,
            Self::Settings(view) => view.as_mut(),
        }
    }

    pub(super) fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        match self {
            Self::Live(view) => AppView::shown_entry(view.as_ref()),
            Self::Session(view) => AppView::shown_entry(view.as_ref()),
            Self::Home(_)
            | Self::Start(_)
            | Self::Prep(_)
            | Self::Client(_)
            | Self::Settings(_) => None,
        }
    }
}

/// What a reading view does with a command: Back is the only one it answers.
pub fn back_on(command: UiCommand) -> Nav {
    if command == UiCommand::Back {
        Nav::Home
    } else {
        Nav::Stay
    }
}
