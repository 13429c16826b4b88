//! The fields of the clinical entries in the composer: vitals with sedation, a questionnaire with its
//! item-by-item preview, and an adverse event.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use super::super::{format, theme, widgets};
use crate::domain::{
    AdverseCategory, AdverseSeverity, DISCHARGE_CRITERIA, ESKETAMINE_MONITORING_MS, Instrument,
    Measure, MeasureError, Route,
};
use crate::live::LiveSession;

/// The after-session record: discharge criteria, ride home, the follow-up plan, and how long the
/// client has been monitored (in the warning colour while it is shorter than the route requires).
pub fn discharge_fields(
    ui: &mut Ui,
    criteria_met: &mut bool,
    ride_home: &mut bool,
    follow_up: &mut String,
    monitoring: Option<&(String, bool)>,
) -> egui::Response {
    ui.label(
        RichText::new("End the session? Enter ends it; Esc goes back.")
            .strong()
            .color(theme::WARNING),
    );
    if let Some((text, short)) = monitoring {
        let color = if *short { theme::WARNING } else { theme::MUTED };
        ui.label(RichText::new(text).color(color));
    }
    ui.horizontal(|ui| {
        ui.checkbox(criteria_met, "Discharge criteria met")
            .on_hover_text(DISCHARGE_CRITERIA);
        ui.checkbox(ride_home, "Ride home arranged");
    });
    widgets::labelled_field(
        ui,
        "Follow-up and integration plan",
        follow_up,
        "e.g. integration session Thursday 10:00",
        480.0,
    )
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

pub fn vitals_fields(
    ui: &mut Ui,
    blood_pressure: &mut String,
    heart_rate: &mut String,
    spo2: &mut String,
    sedation: &mut String,
) -> Vec<egui::Response> {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Vitals").strong().color(theme::VITALS));
        vec![
            widgets::labelled_field(ui, "Blood pressure", blood_pressure, "128/82", 90.0),
            widgets::labelled_field(ui, "Heart rate", heart_rate, "bpm", 60.0),
            widgets::labelled_field(ui, "SpO2", spo2, "%", 50.0),
            widgets::labelled_field(ui, "Sedation (MOAA/S)", sedation, "5 alert … 0", 90.0),
        ]
    })
    .inner
}

pub fn measure_fields(
    ui: &mut Ui,
    instrument: &mut Instrument,
    answers: &mut String,
) -> egui::Response {
    let options: Vec<_> = Instrument::ALL.iter().map(|i| (*i, i.label())).collect();
    widgets::chips(ui, "Measure", instrument, &options);
    let hint = format!(
        "{} digits 0–{}, e.g. {}",
        instrument.items(),
        instrument.max_answer(),
        "1".repeat(instrument.items())
    );
    let field = widgets::labelled_field(ui, "Answers", answers, &hint, 260.0);
    ui.label(
        RichText::new(instrument.answer_scale())
            .small()
            .color(theme::MUTED),
    );
    measure_preview(ui, *instrument, answers);
    field
}

pub fn adverse_fields(
    ui: &mut Ui,
    category: &mut AdverseCategory,
    severity: &mut AdverseSeverity,
    action: &mut String,
) -> egui::Response {
    ui.label(
        RichText::new("Adverse event")
            .strong()
            .color(theme::WARNING),
    );
    let categories: Vec<_> = AdverseCategory::ALL
        .iter()
        .map(|c| (*c, c.label()))
        .collect();
    widgets::chips(ui, "What", category, &categories);
    let severities: Vec<_> = AdverseSeverity::ALL
        .iter()
        .map(|s| (*s, s.label()))
        .collect();
    widgets::chips(ui, "Severity", severity, &severities);
    widgets::labelled_field(
        ui,
        "Action taken",
        action,
        "e.g. ondansetron 4 mg IV, infusion paused",
        360.0,
    )
}

/// The answers so far, item by item, with the running total; PHQ-9 item 9 above zero stands out.
fn measure_preview(ui: &mut Ui, instrument: Instrument, answers: &str) {
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
                RichText::new(text).strong().color(theme::WARNING)
            } else {
                RichText::new(text).small()
            });
        }
    });
    match (read, Measure::new(instrument, parsed)) {
        (_, Ok(measure)) => {
            let color = if measure.self_harm_flag() {
                theme::WARNING
            } else {
                theme::VITALS
            };
            ui.label(RichText::new(measure.describe()).strong().color(color));
        }
        (Err(error), _) | (Ok(_), Err(error)) if !still_typing(&error) => {
            ui.label(RichText::new(error.to_string()).color(theme::WARNING));
        }
        _ => {}
    }
}

/// Too few answers is what every questionnaire looks like while it is being typed.
fn still_typing(error: &MeasureError) -> bool {
    matches!(error, MeasureError::WrongCount { expected, given, .. } if given < expected)
}
