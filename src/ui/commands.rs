//! Every user action of the live view as one command, so the button, its shortcut and the text that
//! shows the shortcut can never disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::domain::{DeferralOutcome, TreatmentModel};

/// A user action with a keyboard shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiCommand {
    NewSession,
    LowerDose,
    SitWithIt,
    DecisionPoint,
    DoseChange,
    BeginDosing,
    Vitals,
    Measure,
    AdverseEvent,
    BringToIntegration,
    EndSession,
    Outcome(DeferralOutcome),
    /// One more minute agreed for the running "sit with it".
    LongerDeferral,
    /// One minute fewer agreed for the running "sit with it".
    ShorterDeferral,
    /// Leave the current form and go back to the plain note.
    Cancel,
    /// Hide everything behind the passphrase until the clinician is back.
    Lock,
}

impl UiCommand {
    /// Every command, once.
    pub const ALL: [Self; 19] = [
        Self::NewSession,
        Self::LowerDose,
        Self::SitWithIt,
        Self::DecisionPoint,
        Self::DoseChange,
        Self::BeginDosing,
        Self::Vitals,
        Self::Measure,
        Self::AdverseEvent,
        Self::BringToIntegration,
        Self::EndSession,
        Self::Outcome(DeferralOutcome::WorkedThrough),
        Self::Outcome(DeferralOutcome::DoseLowered),
        Self::Outcome(DeferralOutcome::EndedEarly),
        Self::Outcome(DeferralOutcome::SessionStopped),
        Self::LongerDeferral,
        Self::ShorterDeferral,
        Self::Cancel,
        Self::Lock,
    ];

    /// The live view's actions in the order a session's model puts them: Medical Model offers
    /// "lower dose" first, KAP offers "sit with it" first.
    pub fn live_actions(model: TreatmentModel) -> [Self; 10] {
        let (first, second) = match model {
            TreatmentModel::Medical => (Self::LowerDose, Self::SitWithIt),
            TreatmentModel::Kap => (Self::SitWithIt, Self::LowerDose),
        };
        [
            first,
            second,
            Self::DecisionPoint,
            Self::DoseChange,
            Self::BeginDosing,
            Self::Vitals,
            Self::Measure,
            Self::AdverseEvent,
            Self::BringToIntegration,
            Self::EndSession,
        ]
    }

    /// The words on the button.
    pub fn label(self) -> &'static str {
        match self {
            Self::NewSession => "New session",
            Self::LowerDose => "Lower dose",
            Self::SitWithIt => "Sit with it",
            Self::DecisionPoint => "Decision point",
            Self::DoseChange => "Dose change",
            Self::BeginDosing => "Begin dosing",
            Self::Vitals => "Vitals",
            Self::Measure => "Measure",
            Self::AdverseEvent => "Adverse event",
            Self::BringToIntegration => "Bring to integration",
            Self::EndSession => "End session",
            Self::Outcome(DeferralOutcome::WorkedThrough) => "Worked through",
            Self::Outcome(DeferralOutcome::DoseLowered) => "Dose lowered",
            Self::Outcome(DeferralOutcome::EndedEarly) => "Ended early",
            Self::Outcome(DeferralOutcome::SessionStopped) => "Session stopped",
            Self::LongerDeferral => "+1 min",
            Self::ShorterDeferral => "−1 min",
            Self::Cancel => "Cancel",
            Self::Lock => "Lock",
        }
    }

    /// One keystroke per action; Ctrl is Cmd on macOS.
    pub fn shortcut(self) -> KeyboardShortcut {
        let command = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        match self {
            Self::NewSession => command(Key::N),
            Self::LowerDose => command(Key::L),
            Self::SitWithIt => command(Key::S),
            Self::DecisionPoint => command(Key::P),
            Self::DoseChange => command(Key::D),
            Self::BeginDosing => command(Key::B),
            Self::Vitals => command(Key::T),
            Self::Measure => command(Key::M),
            Self::AdverseEvent => command(Key::R),
            Self::BringToIntegration => command(Key::I),
            Self::EndSession => command(Key::E),
            Self::Outcome(DeferralOutcome::WorkedThrough) => command(Key::Num1),
            Self::Outcome(DeferralOutcome::DoseLowered) => command(Key::Num2),
            Self::Outcome(DeferralOutcome::EndedEarly) => command(Key::Num3),
            Self::Outcome(DeferralOutcome::SessionStopped) => command(Key::Num4),
            // Alt, not Ctrl: Ctrl+Up and Ctrl+Down move the cursor in the note field.
            Self::LongerDeferral => KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp),
            Self::ShorterDeferral => KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown),
            Self::Cancel => KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
            // Shift keeps it apart from Ctrl+L (lower dose); the app reads it before any view does.
            Self::Lock => KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::L),
        }
    }

    /// A button for the command that shows its shortcut.
    pub fn button(self, ctx: &egui::Context) -> egui::Button<'static> {
        egui::Button::new(self.label()).shortcut_text(ctx.format_shortcut(&self.shortcut()))
    }

    /// Consumes the command's shortcut from this frame's input, if it was pressed.
    pub fn pressed(self, ctx: &egui::Context) -> bool {
        ctx.input_mut(|input| input.consume_shortcut(&self.shortcut()))
    }
}

/// The commands that change a running deferral's minutes, shown beside its countdown.
pub const DEFERRAL_COMMANDS: [UiCommand; 2] =
    [UiCommand::ShorterDeferral, UiCommand::LongerDeferral];

/// The outcome buttons' commands, in the order the strip shows them.
pub const OUTCOME_COMMANDS: [UiCommand; 4] = [
    UiCommand::Outcome(DeferralOutcome::WorkedThrough),
    UiCommand::Outcome(DeferralOutcome::DoseLowered),
    UiCommand::Outcome(DeferralOutcome::EndedEarly),
    UiCommand::Outcome(DeferralOutcome::SessionStopped),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut_or_a_label() {
        for (index, command) in UiCommand::ALL.iter().enumerate() {
            for other in &UiCommand::ALL[index + 1..] {
                assert_ne!(command, other, "listed twice");
                assert_ne!(
                    command.shortcut(),
                    other.shortcut(),
                    "{command:?} and {other:?} share a shortcut"
                );
                assert_ne!(command.label(), other.label());
            }
        }
    }
}
