//! What the journal records about suicide risk and integration follow-up, as FHIR: the ASQ
//! screen, the safety plan, and the check-ins done after the session.

use serde_json::{Value, json};

use super::Entry;
use super::codes::{self, category, journal, quantity};
use super::questionnaire::questionnaire;
use super::scope::{SessionScope, answers, instant, observation, with_note};
use crate::domain::{ASQ_QUESTIONS, AsqScreen, EBI_ITEMS, SafetyPlan};

/// The integration check-ins done after the session: the next-day EBI (its item answers as a
/// `QuestionnaireResponse`, its score an Observation derived from them), the PHQ-9 a week on, and
/// the check-in's note.
pub(super) fn check_ins(scope: &SessionScope) -> Vec<Entry> {
    let mut entries = Vec::new();
    for follow_up in &scope.record.follow_ups {
        let Some(done) = &follow_up.done else {
            continue;
        };
        let at = instant(done.at);
        let name = |part: &str| format!("check-in-{}-{part}", follow_up.kind.as_str());
        let mut check_in = observation(scope, journal("integration-check-in"), &at);
        check_in["component"] = json!([{
            "code": journal("check-in-kind"),
            "valueCodeableConcept": {"text": follow_up.kind.label()},
        }]);
        if !done.note.is_empty() {
            check_in["valueString"] = json!(done.note);
        }
        entries.push(scope.entry(&name("note"), check_in));
        if let Some(ebi) = &done.ebi {
            let items: Vec<Value> = ebi
                .ratings()
                .iter()
                .zip(EBI_ITEMS)
                .enumerate()
                .map(|(index, (rating, item))| {
                    json!({
                        "linkId": format!("ebi-{}", index + 1),
                        "text": item,
                        "answer": [{"valueInteger": rating}],
                    })
                })
                .collect();
            let response = answers(scope, &name("ebi-answers"), &at, items);
            let mut ebi_score = observation(scope, journal("ebi-score"), &at);
            ebi_score["category"] = category("survey");
            ebi_score["valueQuantity"] = quantity(ebi.score(), "{score}");
            ebi_score["derivedFrom"] = json!([response.reference()]);
            entries.push(scope.entry(&name("ebi"), ebi_score));
            entries.push(response);
        }
        if let Some(phq9) = &done.phq9 {
            entries.extend(questionnaire(scope, phq9, "", &at, &name));
        }
    }
    entries
}

/// The ASQ answers as a `QuestionnaireResponse` and its result as an Observation derived from it.
pub(super) fn suicide_screen(
    scope: &SessionScope,
    screen: AsqScreen,
    note: &str,
    at: &str,
    name: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let items = screen
        .answers()
        .into_iter()
        .map(Some)
        .chain([screen.right_now()])
        .zip(ASQ_QUESTIONS)
        .enumerate()
        .filter_map(|(index, (answer, question))| {
            let answer = answer?;
            Some(json!({
                "linkId": format!("asq-{}", index + 1),
                "text": question,
                "answer": [{"valueString": answer.label()}],
            }))
        })
        .collect::<Vec<_>>();
    let response = answers(scope, &name("asq-answers"), at, items);
    let mut result = observation(scope, journal("asq-screen"), at);
    result["category"] = category("survey");
    result["valueCodeableConcept"] = journal(codes::asq_code(screen.result()));
    result["derivedFrom"] = json!([response.reference()]);
    vec![scope.entry(&name("asq"), with_note(result, note)), response]
}

/// A safety plan as a `CarePlan`, one activity per part written.
pub(super) fn safety_plan(scope: &SessionScope, plan: &SafetyPlan, at: &str) -> Value {
    let notes: Vec<Value> = plan
        .sections()
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(heading, text)| json!({"text": format!("{heading}: {}", text.trim())}))
        .collect();
    json!({
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "category": [journal("safety-plan")],
        "title": "Safety plan",
        "subject": scope.patient,
        "encounter": scope.encounter,
        "created": at,
        "note": notes,
    })
}
