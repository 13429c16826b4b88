//! The soft stops the engine holds an action at: the sentences it asks before beginning dosing,
//! sitting with it, or ending a session, and the action kept until the clinician goes ahead (each
//! sentence then becomes a "went ahead" entry, committed with the action) or goes back.

use super::LiveCommand;
use crate::domain::{Decision, Discharge, Guarded};

/// An action held back until the clinician says to go ahead.
pub(super) struct Held {
    pub(super) warnings: Vec<String>,
    pub(super) action: HeldAction,
}

/// What was held back.
pub(super) enum HeldAction {
    /// A command; `from_composer` when the note field's words are part of it.
    Log {
        command: LiveCommand,
        from_composer: bool,
    },
    /// The end of the session, with its closing note and discharge.
    End { note: String, discharge: Discharge },
}

impl HeldAction {
    /// Whether going ahead sends what the note field holds (so the window empties it).
    pub(super) fn sends_composer(&self) -> bool {
        match self {
            Self::Log { from_composer, .. } => *from_composer,
            Self::End { .. } => true,
        }
    }
}

/// Which soft stops a command passes, if any.
pub(super) fn guarded(command: &LiveCommand) -> Option<Guarded<'static>> {
    match command {
        LiveCommand::BeginDosing => Some(Guarded::BeginDosing),
        LiveCommand::DecisionPoint {
            decision: Decision::SitWithIt { .. },
            ..
        } => Some(Guarded::SitWithIt),
        _ => None,
    }
}
