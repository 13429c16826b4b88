//! The journal's places, one row each: the top bar draws them in this order, and each says where it
//! goes. A new screen reachable from the top bar is one more row here and its arm in `next_view`.

use crate::ui::UiCommand;
use crate::ui::view::Nav;

/// A place in the top bar.
pub(super) struct Place {
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

pub(super) const PLACES: [Place; 5] = [
    Place {
        label: "Sessions",
        hover: None,
        command: None,
        nav: || Nav::Home,
        while_live: true,
    },
    Place {
        label: "New session",
        hover: None,
        command: Some(UiCommand::NewSession),
        nav: || Nav::Start,
        while_live: false,
    },
    Place {
        label: "Settings",
        hover: None,
        command: None,
        nav: || Nav::Settings,
        while_live: false,
    },
    Place {
        label: "Lots",
        hover: Some("The controlled-substance log"),
        command: None,
        nav: || Nav::Lots,
        while_live: true,
    },
    Place {
        label: "Practice",
        hover: Some("Every session you may read through the practice, with its clinician"),
        command: None,
        nav: || Nav::Practice,
        while_live: true,
    },
];

impl Place {
    /// The place's button, with its shortcut when it has one.
    pub(super) fn button(&self, ctx: &egui::Context) -> egui::Button<'static> {
        self.command.map_or_else(
            || egui::Button::new(self.label),
            |command| command.button(ctx),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
