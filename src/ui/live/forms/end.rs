//! Ending the session: the main field is the closing note, the form the after-session record.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use super::super::super::{format, theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{
    DISCHARGE_CRITERIA, Discharge, ESKETAMINE_MONITORING_MS, Route, SessionError, TreatmentModel,
};
use crate::live::LiveSession;

/// Every item starts unticked: each is confirmed on purpose.
#[derive(Clone, Default)]
pub struct EndForm {
    criteria_met: bool,
    ride_home: bool,
    follow_up: String,
    /// How long the client has been monitored, and whether that is too short; renewed every frame.
    pub monitoring: Option<(String, bool)>,
}

impl EntryForm for EndForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Closing note", "End session now")
    }

    fn fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> Vec<egui::Response> {
        ui.label(
            RichText::new("End the session? Enter ends it; Esc goes back.")
                .strong()
                .color(theme::WARNING),
        );
        if let Some((text, short)) = &self.monitoring {
            let color = if *short { theme::WARNING } else { theme::MUTED };
            ui.label(RichText::new(text).color(color));
        }
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.criteria_met, "Discharge criteria met")
                .on_hover_text(DISCHARGE_CRITERIA);
            ui.checkbox(&mut self.ride_home, "Ride home arranged");
        });
        // The Medical Model has no integration session: its plan is the next treatment.
        let (label, hint) = match model {
            TreatmentModel::Kap => (
                "Follow-up and integration plan",
                "e.g. integration session Thursday 10:00",
            ),
            TreatmentModel::Medical => ("Follow-up plan", "e.g. next infusion Thursday 10:00"),
        };
        vec![widgets::labelled_field(
            ui,
            label,
            &mut self.follow_up,
            hint,
            480.0,
        )]
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        Ok(Intent::End(
            text,
            Discharge {
                criteria_met: self.criteria_met,
                ride_home: self.ride_home,
                follow_up: self.follow_up.clone(),
            },
        ))
    }
}

/// How long the client has been watched since the first dose; short while intranasal esketamine's
/// two hours are not yet up.
pub fn monitoring_hint(live: &LiveSession) -> Option<(String, bool)> {
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
