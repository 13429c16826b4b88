//! What the live view's commands do, from a button or its shortcut: one keystroke records a
//! decision or an outcome with the typed words, or opens the form that entry needs.

use super::LiveView;
use super::forms::{
    AdverseForm, DecisionChoice, DecisionForm, DoseChangeForm, EndForm, Form, MeasureForm,
    OutcomeForm, SafetyPlanForm, VitalsForm,
};
use crate::domain::{
    Asked, CameUp, DEFAULT_SIT_WITH_IT_MINUTES, Decision, DeferralOutcome, Dose, EventKind, Seq,
    TreatmentModel,
};
use crate::live::LiveCommand;
use crate::ui::commands::UiCommand;
use crate::worker::Journal;

impl LiveView {
    /// Carries out a command from a button or its shortcut.
    pub(super) fn carry_out(&mut self, command: UiCommand, journal: &Journal) {
        self.error = None;
        // Any other action answers a soft stop with "go back".
        self.live.go_back();
        // The note field keeps the focus whatever was clicked, so the next words are never lost.
        self.composer.refocus();
        match command {
            // One keystroke records: the typed words are what came up, the clinic's proposed lower
            // rate is the new one. Without a rate to lower, the form asks for the new dose.
            UiCommand::LowerDose => match self.live.proposed_lower() {
                Some(dose) => self.quick_decision(Decision::LowerNow, Some(dose), journal),
                None => self.open_decision(DecisionChoice::LowerNow),
            },
            UiCommand::SitWithIt => self.quick_decision(
                Decision::SitWithIt {
                    minutes: DEFAULT_SIT_WITH_IT_MINUTES,
                },
                None,
                journal,
            ),
            UiCommand::DecisionPoint => {
                let first = if self.live.session().model == TreatmentModel::Medical {
                    DecisionChoice::LowerNow
                } else {
                    DecisionChoice::SitWithIt
                };
                self.open_decision(first);
            }
            UiCommand::DoseChange => {
                let form = DoseChangeForm::new(&self.live);
                self.composer.open(form);
            }
            UiCommand::BeginDosing => self.log(journal, LiveCommand::BeginDosing, false),
            UiCommand::Vitals => self.open_vitals(),
            UiCommand::Measure => self.open_measure(),
            UiCommand::AdverseEvent => self.composer.open(AdverseForm::default()),
            UiCommand::SafetyPlan => self.composer.open(SafetyPlanForm::default()),
            UiCommand::BringToIntegration => match self.marker_target() {
                Ok(target) => self.log(journal, LiveCommand::ToggleMarker { target }, false),
                Err(why) => self.error = Some(why),
            },
            UiCommand::EndSession => match self.live.state().open_deferrals.first() {
                Some(open) => {
                    let deferral = open.seq;
                    self.error = Some(crate::domain::SessionError::OpenDeferral.to_string());
                    self.open_outcome(deferral, DeferralOutcome::WorkedThrough);
                }
                None => self.composer.open(EndForm::new(
                    self.live.session().route,
                    &self.clinician,
                    self.live.state().asq,
                )),
            },
            UiCommand::Outcome(_) | UiCommand::LongerDeferral | UiCommand::ShorterDeferral => {
                match self.live.state().open_deferrals.first() {
                    Some(open) => {
                        let deferral = open.seq;
                        self.deferral_command(command, deferral, journal);
                    }
                    None => {
                        self.error = Some("No \"sit with it\" deferral is running.".to_owned());
                    }
                }
            }
            UiCommand::Cancel => self.composer.open(Form::note()),
            // The app handles the global ones itself; the others never answer here.
            UiCommand::NewSession
            | UiCommand::Lock
            | UiCommand::FocusSearch
            | UiCommand::StartSession
            | UiCommand::Back => {}
        }
    }

    /// A decision point recorded at once from a shortcut: the typed words are what came up, in
    /// the clinician's own words; what kind it was and who asked are not stated, since nobody said.
    fn quick_decision(&mut self, decision: Decision, new_dose: Option<Dose>, journal: &Journal) {
        let command = LiveCommand::DecisionPoint {
            came_up: CameUp::NotStated,
            detail: self.composer.text.clone(),
            asked: Asked::NotStated,
            decision,
            new_dose,
            rationale: String::new(),
        };
        self.log(journal, command, true);
    }

    /// An outcome for the deferral started at `deferral`, recorded at once with the typed words as
    /// its note (a lowering takes the clinic's proposed lower rate, or asks for one), or a minute
    /// more or fewer agreed.
    pub(super) fn deferral_command(
        &mut self,
        command: UiCommand,
        deferral: Seq,
        journal: &Journal,
    ) {
        let by_minutes = match command {
            UiCommand::LongerDeferral => 1,
            UiCommand::ShorterDeferral => -1,
            UiCommand::Outcome(outcome) => {
                let new_dose = match outcome {
                    DeferralOutcome::DoseLowered => match self.live.proposed_lower() {
                        Some(dose) => Some(dose),
                        None => return self.open_outcome(deferral, outcome),
                    },
                    _ => None,
                };
                let command = LiveCommand::DeferralOutcome {
                    deferral,
                    outcome,
                    new_dose,
                    note: self.composer.text.clone(),
                };
                return self.log(journal, command, true);
            }
            _ => return,
        };
        let command = LiveCommand::AdjustDeferral {
            deferral,
            by_minutes,
        };
        self.log(journal, command, false);
    }

    fn open_decision(&mut self, choice: DecisionChoice) {
        let form = DecisionForm::new(choice, &self.live);
        self.composer.open(form);
    }

    fn open_outcome(&mut self, deferral: Seq, outcome: DeferralOutcome) {
        let form = OutcomeForm::new(deferral, outcome, &self.live);
        self.composer.open(form);
    }

    pub(super) fn open_vitals(&mut self) {
        self.composer.open(VitalsForm::default());
    }

    pub(super) fn open_measure(&mut self) {
        self.composer.open(MeasureForm::default());
    }

    /// The selected entry, or else this clinician's newest one that is not itself a marker; a
    /// colleague's entry is theirs to mark.
    fn marker_target(&self) -> Result<Seq, String> {
        if let Some(shown) = self.selected {
            return self.live.own_seq(shown).ok_or_else(|| {
                let by = self
                    .live
                    .author_of(shown)
                    .map_or("a colleague", |who| who.name.as_str());
                format!("That entry is {by}'s to mark; select one of yours.")
            });
        }
        self.live
            .events()
            .iter()
            .rev()
            .find(|event| !matches!(event.kind, EventKind::Marker { .. }))
            .map(|event| event.seq)
            .ok_or_else(|| "There is no entry to mark yet.".to_owned())
    }
}
