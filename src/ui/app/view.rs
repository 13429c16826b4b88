//! The view on screen, as the app holds it: one of the journal's views, each answering to
//! [`AppView`].

use crate::domain::{Seq, SessionId};
use crate::ui::client::ClientView;
use crate::ui::client::prep::PrepView;
use crate::ui::home::HomeView;
use crate::ui::live::LiveView;
use crate::ui::lots::LotsView;
use crate::ui::practice::PracticeView;
use crate::ui::session::SessionView;
use crate::ui::settings::SettingsView;
use crate::ui::start::StartView;
use crate::ui::view::AppView;

/// The view on screen.
pub(super) enum View {
    Home(Box<HomeView>),
    Start(Box<StartView>),
    Live(Box<LiveView>),
    Session(Box<SessionView>),
    Prep(Box<PrepView>),
    Client(Box<ClientView>),
    Settings(Box<SettingsView>),
    Lots(Box<LotsView>),
    Practice(Box<PracticeView>),
}

impl View {
    pub(super) fn as_view(&mut self) -> &mut dyn AppView {
        match self {
            Self::Home(view) => view.as_mut(),
            Self::Start(view) => view.as_mut(),
            Self::Live(view) => view.as_mut(),
            Self::Session(view) => view.as_mut(),
            Self::Prep(view) => view.as_mut(),
            Self::Client(view) => view.as_mut(),
            Self::Settings(view) => view.as_mut(),
            Self::Lots(view) => view.as_mut(),
            Self::Practice(view) => view.as_mut(),
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
            | Self::Settings(_)
            | Self::Lots(_)
            | Self::Practice(_) => None,
        }
    }
}
