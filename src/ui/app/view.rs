//! The view on screen, as the app holds it: the session list and the live session, which the app
//! keeps when they are left, or any other screen, each answering to [`AppView`].

use crate::domain::{Seq, SessionId};
use crate::ui::home::HomeView;
use crate::ui::live::LiveView;
use crate::ui::view::AppView;

/// The view on screen.
pub(super) enum View {
    /// Kept when left, so its filters and scroll are there on return.
    Home(Box<HomeView>),
    /// Kept aside while it runs and other sessions are read.
    Live(Box<LiveView>),
    /// Any other screen, made afresh each time it is opened.
    Screen(Box<dyn AppView>),
}

impl View {
    pub(super) fn as_view(&mut self) -> &mut dyn AppView {
        match self {
            Self::Home(view) => view.as_mut(),
            Self::Live(view) => view.as_mut(),
            Self::Screen(view) => view.as_mut(),
        }
    }

    pub(super) fn shown_entry(&self) -> Option<(SessionId, Option<Seq>)> {
        match self {
            Self::Home(view) => AppView::shown_entry(view.as_ref()),
            Self::Live(view) => AppView::shown_entry(view.as_ref()),
            Self::Screen(view) => view.shown_entry(),
        }
    }

    /// Whether the view is still reading what it shows beside the window (the home lists).
    pub(super) fn is_reading(&self) -> bool {
        match self {
            Self::Home(view) => view.is_reading(),
            Self::Live(_) | Self::Screen(_) => false,
        }
    }
}
