//! A questionnaire typed one digit per item, with its item-by-item preview and running total.

use egui::{RichText, Ui};

use super::super::super::{theme, widgets};
use super::{EntryForm, Intent};
use crate::domain::{Instrument, Measure, MeasureError, SessionError, TreatmentModel};
use crate::live::LiveCommand;

#[derive(Clone)]
pub struct MeasureForm {
    instrument: Instrument,
    answers: String,
}

impl Default for MeasureForm {
    /// In a session CADSS-6 is the usual questionnaire.
    fn default() -> Self {
        Self {
            instrument: Instrument::Cadss6,
            answers: String::new(),
        }
    }
}

impl EntryForm for MeasureForm {
    fn labels(&self) -> (&'static str, &'static str) {
        ("Measure note", "Record measure")
    }

    fn fields(&mut self, ui: &mut Ui, _model: TreatmentModel) -> Vec<egui::Response> {
        let options: Vec<_> = Instrument::ALL.iter().map(|i| (*i, i.label())).collect();
        widgets::chips(ui, "Measure", &mut self.instrument, &options);
        let instrument = self.instrument;
        let hint = format!(
            "{} digits 0–{}, e.g. {}",
            instrument.items(),
            instrument.max_answer(),
            "1".repeat(instrument.items())
        );
        let field = widgets::labelled_field(ui, "Answers", &mut self.answers, &hint, 260.0);
        ui.label(
            RichText::new(instrument.answer_scale())
                .small()
                .color(theme::muted()),
        );
        preview(ui, instrument, &self.answers);
        vec![field]
    }

    fn intent(&self, text: String) -> Result<Intent, SessionError> {
        let answers = self.instrument.parse_answers(&self.answers)?;
        Ok(Intent::Log(LiveCommand::Measure {
            measure: Measure::new(self.instrument, answers)?,
            note: text,
        }))
    }

    fn starts_in_first_field(&self) -> bool {
        true
    }
}

/// The answers so far, item by item, with the running total; PHQ-9 item 9 above zero stands out.
fn preview(ui: &mut Ui, instrument: Instrument, answers: &str) {
    let read = instrument.parse_answers(answers);
    let parsed = read.clone().unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        for (index, label) in instrument.item_labels().iter().enumerate() {
            let answer = parsed.get(index);
            let text = format!(
                "{}. {label}: {}",
                index + 1,
                answer.map_or_else(|| "–".to_owned(), u8::to_string)
            );
            let self_harm = instrument == Instrument::Phq9 && index == 8 && answer > Some(&0);
            ui.label(if self_harm {
                RichText::new(text).strong().color(theme::warning())
            } else {
                RichText::new(text).small()
            });
        }
    });
    match (read, Measure::new(instrument, parsed)) {
        (_, Ok(measure)) => {
            let color = if measure.self_harm_flag() {
                theme::warning()
            } else {
                theme::vitals()
            };
            ui.label(RichText::new(measure.describe()).strong().color(color));
        }
        (Err(error), _) | (Ok(_), Err(error)) if !still_typing(&error) => {
            ui.label(RichText::new(error.to_string()).color(theme::warning()));
        }
        _ => {}
    }
}

/// Too few answers is what every questionnaire looks like while it is being typed.
fn still_typing(error: &MeasureError) -> bool {
    matches!(error, MeasureError::WrongCount { expected, given, .. } if given < expected)
}
