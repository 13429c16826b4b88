//! What a filled composer form becomes: the command to log, or the plain sentence saying what is
//! missing. Kept apart from drawing the forms (composer.rs); one arm per form, in the same order.

use super::composer::{Composer, DecisionChoice, DoseAction, Intent, Mode};
use crate::domain::{
    AdverseEvent, Decision, DeferralOutcome, Discharge, Dose, Measure, Sedation, SessionError,
    Vitals,
};
use crate::live::LiveCommand;

impl Composer {
    /// The entry the form describes, or the plain sentence saying what is missing.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per entry form, in the same order as mode_fields"
    )]
    pub fn intent(&self) -> Result<Intent, SessionError> {
        let text = self.text.clone();
        Ok(match &self.mode {
            Mode::Note => Intent::Log(LiveCommand::Note(text)),
            Mode::Decision {
                came_up,
                asked,
                choice,
                minutes,
                new_dose,
                rationale,
            } => {
                let (decision, new_dose) = match choice {
                    DecisionChoice::LowerNow => (Decision::LowerNow, Some(Dose::parse(new_dose)?)),
                    DecisionChoice::Hold => (Decision::Hold, None),
                    DecisionChoice::Stop => (Decision::Stop, None),
                    DecisionChoice::SitWithIt => {
                        let minutes = minutes
                            .trim()
                            .parse()
                            .map_err(|_| SessionError::DeferralMinutes)?;
                        (Decision::SitWithIt { minutes }, None)
                    }
                };
                Intent::Log(LiveCommand::DecisionPoint {
                    came_up: *came_up,
                    detail: text,
                    asked: *asked,
                    decision,
                    new_dose,
                    rationale: rationale.clone(),
                })
            }
            Mode::DoseChange {
                action,
                new_dose,
                extend_minutes,
            } => Intent::Log(match action {
                DoseAction::NewDose => LiveCommand::ChangeDose {
                    dose: Some(Dose::parse(new_dose)?),
                    reason: text,
                },
                DoseAction::Stop => LiveCommand::ChangeDose {
                    dose: None,
                    reason: text,
                },
                DoseAction::Extend => LiveCommand::ExtendInfusion {
                    minutes: extend_minutes
                        .trim()
                        .parse()
                        .map_err(|_| SessionError::ExtensionMinutes)?,
                    reason: text,
                },
            }),
            Mode::Outcome {
                deferral,
                outcome,
                new_dose,
            } => {
                let new_dose = if *outcome == DeferralOutcome::DoseLowered {
                    Some(Dose::parse(new_dose)?)
                } else {
                    None
                };
                Intent::Log(LiveCommand::DeferralOutcome {
                    deferral: *deferral,
                    outcome: *outcome,
                    new_dose,
                    note: text,
                })
            }
            Mode::Vitals {
                blood_pressure,
                heart_rate,
                spo2,
                sedation,
            } => {
                let sedation = Sedation::parse(sedation)?;
                let any_vitals = [blood_pressure, heart_rate, spo2]
                    .iter()
                    .any(|field| !field.trim().is_empty());
                let vitals = if any_vitals {
                    Some(Vitals::parse(blood_pressure, heart_rate, spo2)?)
                } else {
                    None
                };
                Intent::Log(LiveCommand::Reading {
                    vitals,
                    sedation,
                    note: text,
                })
            }
            Mode::Measure {
                instrument,
                answers,
            } => {
                let answers = instrument.parse_answers(answers)?;
                Intent::Log(LiveCommand::Measure {
                    measure: Measure::new(*instrument, answers)?,
                    note: text,
                })
            }
            Mode::Adverse {
                category,
                severity,
                action,
            } => Intent::Log(LiveCommand::AdverseEvent(AdverseEvent {
                category: *category,
                severity: *severity,
                detail: text,
                action: action.clone(),
            })),
            Mode::End {
                criteria_met,
                ride_home,
                follow_up,
            } => Intent::End(
                text,
                Discharge {
                    criteria_met: *criteria_met,
                    ride_home: *ride_home,
                    follow_up: follow_up.clone(),
                },
            ),
        })
    }
}
