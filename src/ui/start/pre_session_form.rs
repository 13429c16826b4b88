//! The checklist part of the start form: today's weight, fasting, current medicines (flagged as they
//! are typed), consent, and the baseline vitals and questionnaires, prefilled from the client's last
//! session where that makes sense.

use egui::{RichText, Ui};

use super::super::{theme, widgets};
use super::consent_form::ConsentForm;
use crate::domain::{
    ASQ_QUESTIONS, AsqScreen, EventKind, Instrument, LotCode, Measure, PreSession, SessionError,
    Vitals, VitalsText, interaction, medicine_lines,
};
use crate::store::LastSession;

/// A baseline questionnaire's score as it is typed (the live form shows item by item; here one line
/// keeps the whole start form on one screen). PHQ-9 item 9 above zero stands out.
fn score_line(ui: &mut Ui, instrument: Instrument, answers: &str) {
    if answers.trim().is_empty() {
        return;
    }
    let text = match Measure::parse(instrument, answers) {
        Ok(measure) if measure.self_harm_flag() => RichText::new(measure.describe())
            .color(theme::warning())
            .strong(),
        Ok(measure) => RichText::new(measure.describe()).color(theme::ink()),
        Err(_) => RichText::new(format!(
            "{}: {} answers from 0 to {}",
            instrument.label(),
            instrument.items(),
            instrument.max_answer()
        ))
        .color(theme::muted()),
    };
    ui.label(text);
}

/// The checklist as typed.
#[derive(Default)]
pub struct PreSessionForm {
    pub weight: String,
    fasting: String,
    medicines: String,
    pub consent: ConsentForm,
    /// The lot on the vial or device, for the controlled-substance log.
    lot: String,
    blood_pressure: String,
    heart_rate: String,
    spo2: String,
    respiratory_rate: String,
    phq9: String,
    gad7: String,
    /// The ASQ suicide risk screen's answers, y/n (r declined), question 5 after a positive.
    asq: String,
}

impl PreSessionForm {
    /// Offers the returning client's weight and medicines again. Consent, fasting and the baseline
    /// readings belong to today and start empty.
    pub fn prefill(&mut self, last: &LastSession, client_weight: Option<f64>) {
        let checklist = last.checklist.as_ref();
        // In the unit it was last typed in: a clinic that weighs in pounds sees pounds again.
        let unit = checklist
            .map(|checklist| checklist.weighed_in)
            .unwrap_or_default();
        self.weight = checklist
            .and_then(|checklist| checklist.weight_kg)
            .or(client_weight)
            .map(|weight| unit.as_typed(weight))
            .unwrap_or_default();
        self.medicines = checklist
            .map(|checklist| checklist.medicines.join("\n"))
            .unwrap_or_default();
        // Often the same stock as last time; shown to be checked against the vial in hand.
        self.lot = checklist
            .and_then(|checklist| checklist.lot.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default();
    }

    pub fn ui(&mut self, ui: &mut Ui) {
        ui.label(RichText::new("Before the session").strong().size(16.0));
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "Weight", &mut self.weight, "70 kg or 154 lb", 130.0);
            // A weight typed in pounds is kept in kilograms: said beside it as it is typed.
            if crate::domain::typed_in_pounds(&self.weight)
                && let Ok(kg) = crate::domain::parse_weight(&self.weight)
            {
                ui.label(
                    RichText::new(format!("= {} kg", crate::format::trimmed(kg, 1)))
                        .color(theme::saved()),
                );
            }
            widgets::labelled_field(ui, "Hours since food", &mut self.fasting, "6", 90.0);
            widgets::labelled_field(ui, "Lot", &mut self.lot, "on the vial or device", 150.0)
                .on_hover_text("Recorded with every administration; the controlled-substance log takes what the session gave from it.");
        });
        self.consent.ui(ui);
        widgets::labelled_multiline(
            ui,
            "Current medicines",
            &mut self.medicines,
            "One per line, e.g. sertraline 50 mg",
            2,
        );
        for medicine in medicine_lines(&self.medicines) {
            if let Some(class) = interaction(&medicine) {
                ui.label(
                    RichText::new(format!("{medicine}: {}", class.concern()))
                        .color(theme::warning()),
                );
            }
        }
        ui.horizontal(|ui| {
            ui.label(RichText::new("Baseline").strong().color(theme::vitals()));
            widgets::labelled_field(
                ui,
                "Blood pressure",
                &mut self.blood_pressure,
                "128/82",
                90.0,
            );
            widgets::labelled_field(ui, "Heart rate", &mut self.heart_rate, "bpm", 60.0);
            widgets::labelled_field(ui, "SpO2", &mut self.spo2, "%", 50.0);
            widgets::labelled_field(ui, "Resp. rate", &mut self.respiratory_rate, "/min", 50.0);
            widgets::labelled_field(ui, "PHQ-9 answers", &mut self.phq9, "9 digits 0–3", 140.0);
            widgets::labelled_field(ui, "GAD-7 answers", &mut self.gad7, "7 digits 0–3", 120.0);
        });
        ui.horizontal_wrapped(|ui| {
            score_line(ui, Instrument::Phq9, &self.phq9);
            score_line(ui, Instrument::Gad7, &self.gad7);
        });
        ui.horizontal(|ui| {
            widgets::labelled_field(
                ui,
                "ASQ answers",
                &mut self.asq,
                "e.g. nnnn, or ynnn n",
                240.0,
            )
            .on_hover_text(ASQ_QUESTIONS.iter().enumerate().fold(
                "Ask Suicide-Screening Questions (NIMH):".to_owned(),
                |text, (index, question)| format!("{text}\n{}. {question}", index + 1),
            ));
            asq_line(ui, &self.asq);
        });
    }

    /// The session's first entries: the checklist, then the baseline vitals and questionnaires that
    /// were filled in. Nothing is returned unless all of it reads.
    pub fn entries(&self) -> Result<Vec<EventKind>, SessionError> {
        let mut checklist = PreSession::parse(
            &self.weight,
            &self.fasting,
            &self.medicines,
            self.consent.confirmed(),
        )?;
        if !self.lot.trim().is_empty() {
            checklist.lot = Some(LotCode::parse(&self.lot)?);
        }
        let mut entries = vec![EventKind::PreSession(checklist)];
        let text = VitalsText {
            blood_pressure: &self.blood_pressure,
            heart_rate: &self.heart_rate,
            spo2: &self.spo2,
            respiratory_rate: &self.respiratory_rate,
            oxygen: "",
        };
        if let Some(vitals) = Vitals::read_if_any(&text)? {
            entries.push(EventKind::Vitals {
                vitals,
                note: "baseline".to_owned(),
            });
        }
        for (instrument, answers) in [
            (Instrument::Phq9, &self.phq9),
            (Instrument::Gad7, &self.gad7),
        ] {
            if answers.trim().is_empty() {
                continue;
            }
            let measure = Measure::parse(instrument, answers)?;
            entries.push(EventKind::Measure {
                measure,
                note: "baseline".to_owned(),
            });
        }
        if !self.asq.trim().is_empty() {
            entries.push(EventKind::SuicideScreen {
                screen: AsqScreen::parse(&self.asq)?,
                note: String::new(),
            });
        }
        Ok(entries)
    }
}

/// The ASQ's result as it is typed: positive ones in the warning colour with what to do next.
fn asq_line(ui: &mut Ui, answers: &str) {
    if answers.trim().is_empty() {
        return;
    }
    let text = match AsqScreen::parse(answers) {
        Ok(screen) if screen.is_positive() => RichText::new(format!(
            "ASQ {}: {}",
            screen.result().label(),
            screen.result().next_step()
        ))
        .color(theme::warning())
        .strong(),
        Ok(screen) => RichText::new(format!("ASQ {}", screen.result().label())).color(theme::ink()),
        Err(error) => RichText::new(error.to_string()).color(theme::muted()),
    };
    ui.label(text);
}
