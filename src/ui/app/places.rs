//! The journal's places, one row each: the top bar draws them in this order, each says where it
//! goes, and [`OpenJournal::open_place`] makes the screen a place opens. A new screen of the top bar
//! is its folder, its [`Place`], its row here and its arm below (which the compiler asks for).

use super::Shared;
use super::open_journal::OpenJournal;
use crate::ui::UiCommand;
use crate::ui::lots::LotsView;
use crate::ui::practice::PracticeView;
use crate::ui::settings::SettingsView;
use crate::ui::start::StartView;
use crate::ui::view::{AppView, Nav, Place};

/// A place in the top bar.
pub(super) struct TopBarPlace {
    pub(super) label: &'static str,
    /// Said on hover, when the label alone does not say it.
    pub(super) hover: Option<&'static str>,
    /// The command whose shortcut also opens it (its button shows the shortcut).
    pub(super) command: Option<UiCommand>,
    /// Where it goes.
    pub(super) nav: fn() -> Nav,
    /// Whether it opens while a session is live: none starts a second session or changes the
    /// settings the live one runs under.
    pub(super) while_live: bool,
}

pub(super) const PLACES: [TopBarPlace; 5] = [
    TopBarPlace {
        label: "Sessions",
        hover: None,
        command: None,
        nav: || Nav::Home,
        while_live: true,
    },
    TopBarPlace {
        label: "New session",
        hover: None,
        command: Some(UiCommand::NewSession),
        nav: || Nav::To(Place::NewSession),
        while_live: false,
    },
    TopBarPlace {
        label: "Settings",
        hover: None,
        command: None,
        nav: || Nav::To(Place::Settings),
        while_live: false,
    },
    TopBarPlace {
        label: "Lots",
        hover: Some("The controlled-substance log"),
        command: None,
        nav: || Nav::To(Place::Lots),
        while_live: true,
    },
    TopBarPlace {
        label: "Practice",
        hover: Some("Every session you may read through the practice, with its clinician"),
        command: None,
        nav: || Nav::To(Place::Practice),
        while_live: true,
    },
];

impl OpenJournal {
    /// The screen `place` opens, made afresh from the journal each time it is opened.
    pub(super) fn open_place(&self, place: Place, shared: &mut Shared) -> Box<dyn AppView> {
        let store = self.journal.read();
        match place {
            Place::NewSession => Box::new(StartView::new(store, &shared.prefs)),
            Place::Settings => {
                shared.backups.relist();
                Box::new(SettingsView::load(
                    store,
                    self.settings,
                    self.settings_problem.as_deref(),
                ))
            }
            Place::Lots => Box::new(LotsView::load(store)),
            Place::Practice => Box::new(PracticeView::load(store, self.practice.ended())),
        }
    }
}

impl TopBarPlace {
    /// The place's button, with its shortcut when it has one.
    pub(super) fn button(&self, ctx: &egui::Context) -> egui::Button<'static> {
        self.command.map_or_else(
            || egui::Button::new(self.label),
            |command| command.button(ctx),
        )
    }
}

/// Whether `place` opens while a session is live, as its row says; the plain sentence why not.
pub(super) fn opens_while_live(place: Place) -> Result<(), String> {
    match PLACES
        .iter()
        .find(|row| matches!((row.nav)(), Nav::To(goes) if goes == place))
    {
        Some(row) if !row.while_live => Err(format!(
            "{} opens once the live session has ended.",
            row.label
        )),
        _ => Ok(()),
    }
}

/// The top bar's labels in order, for a walk through every place (the accessibility test's).
pub fn labels() -> impl Iterator<Item = &'static str> {
    PLACES.iter().map(|place| place.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_has_one_row_in_the_top_bar() {
        let every = [
            Place::NewSession,
            Place::Settings,
            Place::Lots,
            Place::Practice,
        ];
        // A new place stops this compiling until it is added to `every` above.
        for place in every {
            match place {
                Place::NewSession | Place::Settings | Place::Lots | Place::Practice => {}
            }
            let rows = PLACES
                .iter()
                .filter(|row| matches!((row.nav)(), Nav::To(goes) if goes == place))
                .count();
            assert_eq!(rows, 1, "{place:?} has one row");
        }
        assert_eq!(
            opens_while_live(Place::Settings),
            Err("Settings opens once the live session has ended.".to_owned())
        );
        assert_eq!(opens_while_live(Place::Lots), Ok(()));
        for place in every {
            let row = PLACES
                .iter()
                .find(|row| matches!((row.nav)(), Nav::To(goes) if goes == place));
            assert_eq!(
                opens_while_live(place).is_ok(),
                row.is_some_and(|row| row.while_live)
            );
        }
    }

    #[test]
    fn a_place_with_a_command_is_labelled_as_its_command() {
        for place in &PLACES {
            if let Some(command) = place.command {
                assert_eq!(command.label(), place.label);
            }
        }
        let labels: std::collections::HashSet<_> = PLACES.iter().map(|place| place.label).collect();
        assert_eq!(labels.len(), PLACES.len(), "each place once");
    }
}
