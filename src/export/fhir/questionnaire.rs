//! A questionnaire answered item by item (PHQ-9, GAD-7, CADSS-6): its answers as a
//! `QuestionnaireResponse`, its total as an Observation derived from them.

use serde_json::{Value, json};

use super::Entry;
use super::codes::{self, category, loinc};
use super::scope::{SessionScope, answers, observation, with_note};
use crate::domain::{Instrument, Measure};

/// The item answers as a `QuestionnaireResponse` and the total as an Observation derived from it.
pub(super) fn questionnaire(
    scope: &SessionScope,
    measure: &Measure,
    note: &str,
    at: &str,
    name: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let instrument = measure.instrument();
    let prefix = match instrument {
        Instrument::Phq9 => "phq9",
        Instrument::Gad7 => "gad7",
        Instrument::Cadss6 => "cadss6",
    };
    let items: Vec<Value> = measure
        .answers()
        .iter()
        .zip(instrument.item_labels())
        .enumerate()
        .map(|(index, (answer, label))| {
            json!({
                "linkId": format!("{prefix}-{}", index + 1),
                "text": label,
                "answer": [{"valueInteger": answer}],
            })
        })
        .collect();
    let response = answers(scope, &name("answers"), at, items);
    let code = match instrument {
        Instrument::Phq9 => loinc(codes::loinc::PHQ9_TOTAL),
        Instrument::Gad7 => loinc(codes::loinc::GAD7_TOTAL),
        Instrument::Cadss6 => json!({"text": "CADSS-6 total score"}),
    };
    let mut total = observation(scope, code, at);
    total["category"] = category("survey");
    total["valueInteger"] = json!(measure.total());
    if let Some(severity) = measure.severity() {
        total["interpretation"] = json!([{"text": severity.label()}]);
    }
    total["derivedFrom"] = json!([response.reference()]);
    // The total comes first: a marker on the entry points at what a reader looks for.
    vec![
        scope.entry(&name("total"), with_note(total, note)),
        response,
    ]
}
