//! Ending the session: the main field is the closing note, the form the after-session record.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use super::super::super::{format, theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{
    AsqResult, DISCHARGE_CRITERIA, Discharge, ESKETAMINE_MONITORING_MS, MAX_READY_AFTER_MINUTES,
    Route, SessionError, TreatmentModel, suicide_safety_assessment,
};
use crate::live::LiveSession;

/// Every item starts unticked: each is confirmed on purpose.
#[derive(Clone, Default)]
pub struct EndForm {
    criteria_met: bool,
    ride_home: bool,
    follow_up: String,
    /// Who monitored the client: the clinician in Settings, which the one ending may change.
    monitored_by: String,
    /// Intranasal esketamine: the REMS form's own questions are asked too.
    esketamine: bool,
    /// Minutes after the administration the client would have been ready to leave, as typed.
    ready_after: String,
    /// Whether a serious adverse event occurred: unanswered until chosen.
    serious_adverse_event: Option<bool>,
    /// A positive ASQ screen in the session: the assessment it asks for, by name.
    assessment_asked: Option<&'static str>,
    /// Whether that assessment was done: unanswered until chosen.
    assessment_done: Option<bool>,
    /// How long the client has been monitored, and whether that is too short; renewed every frame.
    monitoring: Option<(String, bool)>,
}

impl EndForm {
    /// The form for a session given by `route`, naming `monitored_by` (the clinician in Settings);
    /// `asq` is the session's gravest ASQ screen.
    pub fn new(route: Route, monitored_by: &str, asq: Option<AsqResult>) -> Self {
        Self {
            esketamine: route == Route::IntranasalEsketamine,
            monitored_by: monitored_by.to_owned(),
            assessment_asked: asq
                .filter(|asq| *asq != AsqResult::Negative)
                .map(suicide_safety_assessment),
            ..Self::default()
        }
    }
}

impl EntryForm for EndForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Closing note", "End session now")
    }

    fn renew(&mut self, live: &LiveSession) {
        self.monitoring = monitoring_hint(live);
    }

    fn ends_session(&self) -> bool {
        true
    }

    fn fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(
            RichText::new("End the session? Enter ends it; Esc goes back.")
                .strong()
                .color(theme::warning()),
        );
        if let Some((text, short)) = &self.monitoring {
            let color = if *short {
                theme::warning()
            } else {
                theme::muted()
            };
            ui.label(RichText::new(text).color(color));
        }
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.criteria_met, "Discharge criteria met")
                .on_hover_text(DISCHARGE_CRITERIA);
            ui.checkbox(&mut self.ride_home, "Ride home arranged");
            // A positive ASQ asks for an assessment before the client leaves: answered on purpose.
            if let Some(assessment) = self.assessment_asked {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "{} done (positive ASQ)",
                        crate::format::capitalised(assessment)
                    ))
                    .color(theme::warning()),
                );
                for (answer, text) in [(Some(true), "Done"), (Some(false), "Not done")] {
                    ui.selectable_value(&mut self.assessment_done, answer, text);
                }
            }
        });
        // The Medical Model has no integration session: its plan is the next treatment.
        let (label, hint) = match model {
            TreatmentModel::Kap => (
                "Follow-up and integration plan",
                "e.g. integration session Thursday 10:00",
            ),
            TreatmentModel::Medical => ("Follow-up plan", "e.g. next infusion Thursday 10:00"),
        };
        let mut fields = vec![widgets::labelled_field(
            ui,
            label,
            &mut self.follow_up,
            hint,
            480.0,
        )];
        ui.horizontal(|ui| {
            fields.push(widgets::labelled_field(
                ui,
                "Monitored by",
                &mut self.monitored_by,
                "your name as you sign",
                240.0,
            ));
            if self.esketamine {
                // The REMS monitoring form's questions that only the clinician can answer: how
                // soon the client would have been ready without the 2-hour rule, and whether a
                // serious adverse event occurred.
                fields.push(widgets::labelled_field(
                    ui,
                    "Ready to leave after (min)",
                    &mut self.ready_after,
                    "e.g. 90",
                    150.0,
                ));
                ui.vertical(|ui| {
                    ui.label("Serious adverse event");
                    ui.horizontal(|ui| {
                        for (answer, text) in [(Some(false), "No"), (Some(true), "Yes")] {
                            ui.selectable_value(&mut self.serious_adverse_event, answer, text);
                        }
                    });
                });
            }
        });
        fields
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let ready_after = self.ready_after.trim();
        let ready_after_minutes = if self.esketamine && !ready_after.is_empty() {
            match ready_after.parse::<u32>() {
                Ok(minutes) if (1..=MAX_READY_AFTER_MINUTES).contains(&minutes) => Some(minutes),
                _ => return Err(SessionError::ReadyAfterMinutes),
            }
        } else {
            None
        };
        let monitored_by = self.monitored_by.trim();
        Ok(Intent::End(
            text,
            Discharge {
                criteria_met: self.criteria_met,
                ride_home: self.ride_home,
                follow_up: self.follow_up.clone(),
                monitored_by: (!monitored_by.is_empty()).then(|| monitored_by.to_owned()),
                ready_after_minutes,
                serious_adverse_event: self.serious_adverse_event.filter(|_| self.esketamine),
                suicide_safety_assessment: self
                    .assessment_done
                    .filter(|_| self.assessment_asked.is_some()),
            },
        ))
    }
}

/// How long the client has been watched since the first dose; short while intranasal esketamine's
/// two hours are not yet up.
fn monitoring_hint(live: &LiveSession) -> Option<(String, bool)> {
    let since = live.since_dosing_ms()?;
    let mut text = format!("Monitored {} since the first dose.", format::elapsed(since));
    let short =
        live.session().route == Route::IntranasalEsketamine && since < ESKETAMINE_MONITORING_MS;
    if short {
        let _ = write!(
            text,
            " Esketamine needs 2 hours before discharge: {} to go.",
            format::countdown(ESKETAMINE_MONITORING_MS - since)
        );
    }
    Some((text, short))
}
