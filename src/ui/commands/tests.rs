//! The tests of the command table.

use super::*;

const SCOPES: [Scope; 5] = [
    Scope::Global,
    Scope::Live,
    Scope::Home,
    Scope::Start,
    Scope::Reading,
];

/// Every two commands that answer together, with the scope they share.
fn answering_pairs() -> Vec<(Scope, UiCommand, UiCommand)> {
    let mut pairs = Vec::new();
    for scope in SCOPES {
        let answering: Vec<_> = UiCommand::ALL
            .into_iter()
            .filter(|command| command.answers_in(scope))
            .collect();
        for (index, command) in answering.iter().enumerate() {
            for other in &answering[index + 1..] {
                pairs.push((scope, *command, *other));
            }
        }
    }
    pairs
}

/// Every command there is, named by an exhaustive match: a new variant stops the build here
/// until it is listed, and then the test below fails until it has a row in the table.
fn every_command() -> Vec<UiCommand> {
    let listed = |command: UiCommand| match command {
        UiCommand::NewSession
        | UiCommand::LowerDose
        | UiCommand::SitWithIt
        | UiCommand::DecisionPoint
        | UiCommand::DoseChange
        | UiCommand::BeginDosing
        | UiCommand::Vitals
        | UiCommand::Measure
        | UiCommand::AdverseEvent
        | UiCommand::SafetyPlan
        | UiCommand::BringToIntegration
        | UiCommand::EndSession
        | UiCommand::Outcome(_)
        | UiCommand::LongerDeferral
        | UiCommand::ShorterDeferral
        | UiCommand::Cancel
        | UiCommand::Lock
        | UiCommand::FocusSearch
        | UiCommand::StartSession
        | UiCommand::Back => command,
    };
    let outcomes = [
        DeferralOutcome::WorkedThrough,
        DeferralOutcome::DoseLowered,
        DeferralOutcome::EndedEarly,
        DeferralOutcome::SessionStopped,
    ];
    [
        UiCommand::NewSession,
        UiCommand::LowerDose,
        UiCommand::SitWithIt,
        UiCommand::DecisionPoint,
        UiCommand::DoseChange,
        UiCommand::BeginDosing,
        UiCommand::Vitals,
        UiCommand::Measure,
        UiCommand::AdverseEvent,
        UiCommand::SafetyPlan,
        UiCommand::BringToIntegration,
        UiCommand::EndSession,
        UiCommand::LongerDeferral,
        UiCommand::ShorterDeferral,
        UiCommand::Cancel,
        UiCommand::Lock,
        UiCommand::FocusSearch,
        UiCommand::StartSession,
        UiCommand::Back,
    ]
    .into_iter()
    .chain(outcomes.map(UiCommand::Outcome))
    .map(listed)
    .collect()
}

#[test]
fn every_command_has_one_row_in_the_table() {
    let every = every_command();
    for command in &every {
        let rows = TABLE.iter().filter(|spec| spec.command == *command).count();
        assert_eq!(rows, 1, "{command:?} has {rows} rows in the table");
    }
    assert_eq!(
        every.len(),
        TABLE.len(),
        "a row for a command that is not one"
    );
}

#[test]
fn keys_that_egui_would_take_for_each_other_are_told_apart() {
    // egui takes Ctrl+L for Ctrl+Shift+L as well: two commands answering together whose keys
    // overlap so must differ in how many modifiers they hold, so the dispatcher tries the one
    // with more first.
    for (scope, command, other) in answering_pairs() {
        let (mine, theirs) = (command.shortcut(), other.shortcut());
        let overlap = mine.logical_key == theirs.logical_key
            && (mine.modifiers.matches_logically(theirs.modifiers)
                || theirs.modifiers.matches_logically(mine.modifiers));
        assert!(
            !overlap || modifier_count(mine) != modifier_count(theirs),
            "{command:?} and {other:?} cannot be told apart in {scope:?}"
        );
    }
}

#[test]
fn no_two_commands_answering_in_one_scope_share_a_shortcut_or_a_label() {
    for (scope, command, other) in answering_pairs() {
        assert_ne!(command, other, "listed twice");
        assert_ne!(
            command.shortcut(),
            other.shortcut(),
            "{command:?} and {other:?} share a shortcut in {scope:?}"
        );
        assert_ne!(command.label(), other.label());
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
