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

impl UiCommand {
    /// Every command, once.
    pub const ALL: [Self; 23] = [
        Self::NewSession,
        Self::LowerDose,
        Self::SitWithIt,
        Self::DecisionPoint,
        Self::DoseChange,
        Self::BeginDosing,
        Self::Vitals,
        Self::Measure,
        Self::AdverseEvent,
        Self::SafetyPlan,
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
        Self::FocusSearch,
        Self::StartSession,
        Self::Back,
    ];

    /// Where the command answers.
    pub fn scope(self) -> Scope {
        match self {
            Self::NewSession | Self::Lock => Scope::Global,
            Self::FocusSearch => Scope::Home,
            Self::StartSession => Scope::Start,
            Self::Back => Scope::Reading,
            Self::LowerDose
            | Self::SitWithIt
            | Self::DecisionPoint
            | Self::DoseChange
            | Self::BeginDosing
            | Self::Vitals
            | Self::Measure
            | Self::AdverseEvent
            | Self::SafetyPlan
            | Self::BringToIntegration
            | Self::EndSession
            | Self::Outcome(_)
            | Self::LongerDeferral
            | Self::ShorterDeferral
            | Self::Cancel => Scope::Live,
        }
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
            Self::SafetyPlan => "Safety plan",
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
            Self::FocusSearch => "Search",
            Self::StartSession => "Start session",
            Self::Back => "Back to sessions",
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
            // Shift keeps it apart from Ctrl+S (sit with it), as Lock is kept from Ctrl+L.
            Self::SafetyPlan => {
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)
            }
            Self::BringToIntegration => command(Key::I),
            Self::EndSession => command(Key::E),
            Self::Outcome(DeferralOutcome::WorkedThrough) => command(Key::Num1),
            Self::Outcome(DeferralOutcome::DoseLowered) => command(Key::Num2),
            Self::Outcome(DeferralOutcome::EndedEarly) => command(Key::Num3),
            Self::Outcome(DeferralOutcome::SessionStopped) => command(Key::Num4),
            // Alt, not Ctrl: Ctrl+Up and Ctrl+Down move the cursor in the note field.
            Self::LongerDeferral => KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp),
            Self::ShorterDeferral => KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown),
            // Escape leaves: the form for the plain note here, the view for the list elsewhere.
            Self::Cancel | Self::Back => KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
            // Shift keeps it apart from Ctrl+L (lower dose); the app reads it before any view does.
            Self::Lock => KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::L),
            Self::FocusSearch => command(Key::F),
            // Taken before any field draws: a multi-line field with the focus would take
            // Ctrl+Enter as a new line.
            Self::StartSession => command(Key::Enter),
        }
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
mod tests {
    use super::*;

    const SCOPES: [Scope; 5] = [
        Scope::Global,
        Scope::Live,
        Scope::Home,
        Scope::Start,
        Scope::Reading,
    ];

    #[test]
    fn no_two_commands_answering_in_one_scope_share_a_shortcut_or_a_label() {
        for scope in SCOPES {
            let answering: Vec<_> = UiCommand::ALL
                .into_iter()
                .filter(|command| command.answers_in(scope))
                .collect();
            for (index, command) in answering.iter().enumerate() {
                for other in &answering[index + 1..] {
                    assert_ne!(command, other, "listed twice");
                    assert_ne!(
                        command.shortcut(),
                        other.shortcut(),
                        "{command:?} and {other:?} share a shortcut in {scope:?}"
                    );
                    assert_ne!(command.label(), other.label());
                }
            }
        }
    }

    #[test]
    fn a_key_may_mean_one_thing_in_one_scope_and_another_elsewhere_but_never_beside_a_global_one() {
        // Escape goes back to the note in the live view and back to the list elsewhere.
        assert_eq!(
            UiCommand::Cancel.shortcut(),
            UiCommand::Back.shortcut(),
            "the table this test reads changed"
        );
        assert!(!UiCommand::Cancel.answers_in(Scope::Reading));
        assert!(!UiCommand::Back.answers_in(Scope::Live));
        for command in UiCommand::ALL {
            assert!(command.answers_in(command.scope()));
            assert!(UiCommand::Lock.answers_in(command.scope()));
        }
    }

    fn press(ctx: &egui::Context, modifiers: Modifiers, key: Key) -> Vec<UiCommand> {
        let mut input = egui::RawInput::default();
        input.events.push(egui::Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        });
        let mut taken = Vec::new();
        let mut output = ctx.run_ui(input, |ui| taken = take_pressed(ui.ctx(), Scope::Live));
        output.textures_delta.clear();
        taken
    }

    #[test]
    fn the_dispatcher_takes_the_lock_and_not_also_lower_dose_from_ctrl_shift_l() {
        let ctx = egui::Context::default();
        let lock = press(&ctx, Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
        assert_eq!(lock, vec![UiCommand::Lock]);
        let lower = press(&ctx, Modifiers::COMMAND, Key::L);
        assert_eq!(lower, vec![UiCommand::LowerDose]);
        // A reading view's key is not taken in the live view: Escape there is Cancel.
        assert_eq!(
            press(&ctx, Modifiers::NONE, Key::Escape),
            vec![UiCommand::Cancel]
        );
    }
}
