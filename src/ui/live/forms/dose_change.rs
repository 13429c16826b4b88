//! A dose change: a new dose or rate, a longer infusion, or dosing stopped.

use egui::{RichText, Ui};

use super::super::super::widgets;
use super::{EntryForm, Intent, current_dose_hint};
use crate::domain::{
    Asked, CameUp, DEFAULT_EXTENSION_MINUTES, Decision, Dose, SessionError, TreatmentModel,
};
use crate::live::{LiveCommand, LiveSession};

/// What the dose-change form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseAction {
    /// A new dose; while an infusion runs, a new rate.
    NewDose,
    /// The running infusion's planned end moves later.
    Extend,
    Stop,
}

/// Why the dose changes. One the client asked for is a decision point (the Medical Model's own
/// moment: the client is uncomfortable, the dose is lowered), counted as every decision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    ClientAsked,
    Vitals,
    Judgement,
    Plan,
}

impl Why {
    /// The words a dose change's reason starts with (the client's ask is a decision point instead).
    fn reason(self, words: &str) -> String {
        let why = match self {
            Self::ClientAsked => "The client asked",
            Self::Vitals => "Vitals",
            Self::Judgement => "Clinician's judgement",
            Self::Plan => "The plan",
        };
        if words.trim().is_empty() {
            why.to_owned()
        } else {
            format!("{why}: {}", words.trim())
        }
    }
}

#[derive(Clone)]
pub struct DoseChangeForm {
    action: DoseAction,
    /// Chosen on purpose each time: nothing is stated that nobody chose.
    why: Option<Why>,
    /// Starts empty, so a new dose is typed on purpose.
    new_dose: String,
    extend_minutes: String,
    dose_hint: String,
}

impl DoseChangeForm {
    pub fn new(live: &LiveSession) -> Self {
        Self {
            action: DoseAction::NewDose,
            why: None,
            new_dose: String::new(),
            extend_minutes: DEFAULT_EXTENSION_MINUTES.to_string(),
            dose_hint: current_dose_hint(live),
        }
    }
}

impl EntryForm for DoseChangeForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Reason", "Record dose change")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(RichText::new(format!("Dose change · {}", self.dose_hint)).strong());
        widgets::chips(
            ui,
            "Change",
            &mut self.action,
            &[
                (DoseAction::NewDose, "New dose or rate"),
                (DoseAction::Extend, "Extend infusion"),
                (DoseAction::Stop, "Stop dosing"),
            ],
        );
        if self.action != DoseAction::Extend {
            widgets::chips(
                ui,
                "Why",
                &mut self.why,
                &[
                    (Some(Why::ClientAsked), "The client asked"),
                    (Some(Why::Vitals), "The vitals"),
                    (Some(Why::Judgement), "My judgement"),
                    (Some(Why::Plan), "The plan"),
                ],
            );
        }
        ui.horizontal(|ui| match self.action {
            DoseAction::NewDose => vec![widgets::labelled_field(
                ui,
                "New dose",
                &mut self.new_dose,
                "0.35 mg/kg over 40 min, 0.5 mg/kg/h or 35 mg/h",
                300.0,
            )],
            DoseAction::Extend => vec![widgets::labelled_field(
                ui,
                "Extend by (min)",
                &mut self.extend_minutes,
                "10",
                50.0,
            )],
            DoseAction::Stop => Vec::new(),
        })
        .inner
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let why = || self.why.ok_or(SessionError::DoseChangeWhy);
        Ok(Intent::Log(match self.action {
            DoseAction::NewDose => {
                let dose = Dose::parse(&self.new_dose)?;
                match why()? {
                    Why::ClientAsked => asked_by_the_client(Decision::LowerNow, Some(dose), text),
                    other => LiveCommand::ChangeDose {
                        dose: Some(dose),
                        reason: other.reason(&text),
                    },
                }
            }
            DoseAction::Stop => match why()? {
                Why::ClientAsked => asked_by_the_client(Decision::Stop, None, text),
                other => LiveCommand::ChangeDose {
                    dose: None,
                    reason: other.reason(&text),
                },
            },
            DoseAction::Extend => LiveCommand::ExtendInfusion {
                minutes: self
                    .extend_minutes
                    .trim()
                    .parse()
                    .map_err(|_| SessionError::ExtensionMinutes)?,
                reason: text,
            },
        }))
    }

    fn starts_in_first_field(&self) -> bool {
        true
    }
}

/// A change the client asked for: a decision point that lowers (or stops) at once, with the typed
/// words as what came up (its kind not stated, since nobody chose one).
fn asked_by_the_client(decision: Decision, new_dose: Option<Dose>, words: String) -> LiveCommand {
    LiveCommand::DecisionPoint {
        came_up: CameUp::NotStated,
        detail: words,
        asked: if decision == Decision::Stop {
            Asked::ClientAsksToStop
        } else {
            Asked::ClientAsksToLower
        },
        decision,
        new_dose,
        rationale: String::new(),
    }
}
