//! The command table: every action with a shortcut, in one place, with its label, its key and the
//! scope it answers in, so a button, its shortcut and the text that shows the shortcut can never
//! disagree. The app takes this frame's pressed commands once ([`take_pressed`]) and hands each to
//! the view on screen, the same way a click on its button does.

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
    /// Open the safety plan (it also opens by itself after a positive screen).
    SafetyPlan,
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
    /// Put the cursor in the search field of the session list.
    FocusSearch,
    /// Start the session the start form describes, from any of its fields.
    StartSession,
    /// Leave a session, a prep sheet, a client history or the settings for the session list.
    Back,
}

/// Where a command answers. Global commands answer everywhere the journal is open; the others only
/// while their view is on screen, so one key may mean one thing in one view and another elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// The live session.
    Live,
    /// The session list and search.
    Home,
    /// The start form.
    Start,
    /// A session read afterwards, a prep sheet, a client history, the settings.
    Reading,
}

/// One command's row of the table: the words on its button, its keys and where it answers.
struct Spec {
    command: UiCommand,
    label: &'static str,
    keys: KeyboardShortcut,
    scope: Scope,
}

const fn spec(
    command: UiCommand,
    label: &'static str,
    (modifiers, key): (Modifiers, Key),
    scope: Scope,
) -> Spec {
    Spec {
        command,
        label,
        keys: KeyboardShortcut::new(modifiers, key),
        scope,
    }
}

/// Ctrl, which is Cmd on macOS.
const CTRL: Modifiers = Modifiers::COMMAND;
/// Ctrl+Shift (Cmd+Shift on macOS).
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Every command, once: one keystroke per action. A new command is a new row here (and a variant
/// of [`UiCommand`]); the tests below fail on a command without a row or a clash of keys.
#[rustfmt::skip] // one row per command reads as a table
const TABLE: [Spec; 23] = {
    use DeferralOutcome::{DoseLowered, EndedEarly, SessionStopped, WorkedThrough};
    use Scope::{Global, Home, Live, Reading, Start};
    use UiCommand as C;
    [
        spec(C::NewSession, "New session", (CTRL, Key::N), Global),
        // Shift keeps it apart from Ctrl+L (lower dose); the app reads it before any view does.
        spec(C::Lock, "Lock", (CTRL_SHIFT, Key::L), Global),
        spec(C::LowerDose, "Lower dose", (CTRL, Key::L), Live),
        spec(C::SitWithIt, "Sit with it", (CTRL, Key::S), Live),
        spec(C::DecisionPoint, "Decision point", (CTRL, Key::P), Live),
        spec(C::DoseChange, "Dose change", (CTRL, Key::D), Live),
        spec(C::BeginDosing, "Begin dosing", (CTRL, Key::B), Live),
        spec(C::Vitals, "Vitals", (CTRL, Key::T), Live),
        spec(C::Measure, "Measure", (CTRL, Key::M), Live),
        spec(C::AdverseEvent, "Adverse event", (CTRL, Key::R), Live),
        // Shift keeps it apart from Ctrl+S (sit with it), as Lock is kept from Ctrl+L.
        spec(C::SafetyPlan, "Safety plan", (CTRL_SHIFT, Key::S), Live),
        spec(C::BringToIntegration, "Bring to integration", (CTRL, Key::I), Live),
        spec(C::EndSession, "End session", (CTRL, Key::E), Live),
        spec(C::Outcome(WorkedThrough), "Worked through", (CTRL, Key::Num1), Live),
        spec(C::Outcome(DoseLowered), "Dose lowered", (CTRL, Key::Num2), Live),
        spec(C::Outcome(EndedEarly), "Ended early", (CTRL, Key::Num3), Live),
        spec(C::Outcome(SessionStopped), "Session stopped", (CTRL, Key::Num4), Live),
        // Alt, not Ctrl: Ctrl+Up and Ctrl+Down move the cursor in the note field.
        spec(C::LongerDeferral, "+1 min", (Modifiers::ALT, Key::ArrowUp), Live),
        spec(C::ShorterDeferral, "−1 min", (Modifiers::ALT, Key::ArrowDown), Live),
        // Escape leaves: the form for the plain note here, the view for the list elsewhere.
        spec(C::Cancel, "Cancel", (Modifiers::NONE, Key::Escape), Live),
        spec(C::Back, "Back to sessions", (Modifiers::NONE, Key::Escape), Reading),
        spec(C::FocusSearch, "Search", (CTRL, Key::F), Home),
        // Taken before any field draws: a multi-line field with the focus would take Ctrl+Enter
        // as a new line.
        spec(C::StartSession, "Start session", (CTRL, Key::Enter), Start),
    ]
};

impl UiCommand {
    /// Every command, once, in the table's order.
    pub const ALL: [Self; TABLE.len()] = {
        let mut all = [Self::NewSession; TABLE.len()];
        let mut index = 0;
        while index < TABLE.len() {
            all[index] = TABLE[index].command;
            index += 1;
        }
        all
    };

    /// The command's row of the table (every command has one: tested).
    fn spec(self) -> &'static Spec {
        TABLE
            .iter()
            .find(|spec| spec.command == self)
            .unwrap_or(&TABLE[0])
    }

    /// Where the command answers.
    pub fn scope(self) -> Scope {
        self.spec().scope
    }

    /// Whether the command answers while a view of `scope` is on screen.
    pub fn answers_in(self, scope: Scope) -> bool {
        let own = self.scope();
        own == Scope::Global || own == scope
    }

    /// The live view's buttons for a session's model: KAP offers "sit with it" first; the Medical
    /// Model offers "lower dose" first and neither "sit with it" nor "bring to integration", which
    /// belong to KAP (their keys still answer, for a clinician who works that way).
    pub fn live_actions(model: TreatmentModel) -> Vec<Self> {
        let (lead, integration): (&[Self], &[Self]) = match model {
            TreatmentModel::Medical => (&[Self::LowerDose], &[]),
            TreatmentModel::Kap => (
                &[Self::SitWithIt, Self::LowerDose],
                &[Self::BringToIntegration],
            ),
        };
        let middle = [
            Self::DecisionPoint,
            Self::DoseChange,
            Self::BeginDosing,
            Self::Vitals,
            Self::Measure,
            Self::AdverseEvent,
            Self::SafetyPlan,
        ];
        lead.iter()
            .chain(&middle)
            .chain(integration)
            .chain(&[Self::EndSession])
            .copied()
            .collect()
    }

    /// The words on the button.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// Its keys; Ctrl is Cmd on macOS.
    pub fn shortcut(self) -> KeyboardShortcut {
        self.spec().keys
    }

    /// A button for the command that shows its shortcut.
    pub fn button(self, ctx: &egui::Context) -> egui::Button<'static> {
        egui::Button::new(self.label()).shortcut_text(ctx.format_shortcut(&self.shortcut()))
    }
}

/// The commands whose shortcuts were pressed this frame and answer in `scope`, taken out of the
/// frame's input so no widget sees them as well. Called once per frame, by the app, before any
/// view draws.
///
/// A shortcut with more modifiers is taken first: egui matches Ctrl+L on Ctrl+Shift+L as well, and
/// the lock must not also lower the dose.
pub fn take_pressed(ctx: &egui::Context, scope: Scope) -> Vec<UiCommand> {
    let mut answering: Vec<UiCommand> = UiCommand::ALL
        .into_iter()
        .filter(|command| command.answers_in(scope))
        .collect();
    answering.sort_by_key(|command| std::cmp::Reverse(modifier_count(command.shortcut())));
    ctx.input_mut(|input| {
        answering
            .into_iter()
            .filter(|command| input.consume_shortcut(&command.shortcut()))
            .collect()
    })
}

fn modifier_count(shortcut: KeyboardShortcut) -> u8 {
    let Modifiers {
        alt,
        ctrl,
        shift,
        mac_cmd,
        command,
    } = shortcut.modifiers;
    u8::from(alt) + u8::from(ctrl || command || mac_cmd) + u8::from(shift)
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
mod tests;
