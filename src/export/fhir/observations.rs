//! What the timeline recorded, as Observations (vital signs, weight, questionnaire totals, sedation,
//! decision points, deferrals, notes), `QuestionnaireResponses`, `MedicationStatements` for the
//! medicines on the checklist, and `AdverseEvents`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Entry;
use super::codes::{self, category, journal, loinc, quantity};
use super::deferrals::Deferrals;
use super::questionnaire::questionnaire;
use super::scope::{SessionScope, instant, observation, with_note};
use crate::domain::{AdverseEvent, DecisionPoint, Event, EventKind, PreSession, Seq, Vitals};

/// Every resource the timeline gives, in timeline order.
pub(super) fn of_session(scope: &SessionScope) -> Vec<Entry> {
    let session = &scope.record.session;
    let mut entries = Vec::new();
    let started = instant(session.started_at);
    for (name, text) in [
        ("intention", &session.intention),
        ("comfort-plan", &session.comfort_plan),
    ] {
        if !text.trim().is_empty() {
            let mut resource = observation(scope, journal(name), &started);
            resource["valueString"] = json!(text.trim());
            entries.push(scope.entry(name, resource));
        }
    }
    let deferrals = Deferrals::of(&scope.record.events);
    // Where each entry went, for the markers that point at it.
    let mut by_seq: HashMap<Seq, String> = HashMap::new();
    // A decision's kinds as last set (a `decision_detail` set afterwards).
    let events = crate::domain::decision_detail::applied(&scope.record.events);
    for event in events.iter() {
        let made = of_event(scope, event, &deferrals, &by_seq);
        if let Some(first) = made.first() {
            by_seq.insert(event.seq, first.full_url.clone());
        }
        entries.extend(made);
    }
    entries.extend(markers(scope, &by_seq));
    for (index, addendum) in scope.record.addenda.iter().enumerate() {
        let mut resource = observation(scope, journal("addendum"), &instant(addendum.written_at));
        resource["valueString"] = json!(addendum.text);
        resource["note"] = json!([{
            "authorString": addendum.author.signed_as(),
            "time": instant(addendum.written_at),
            "text": format!("Reason: {}", addendum.reason),
        }]);
        entries.push(scope.entry(&format!("addendum-{index}"), resource));
    }
    entries
}

fn of_event(
    scope: &SessionScope,
    event: &Event,
    deferrals: &Deferrals,
    by_seq: &HashMap<Seq, String>,
) -> Vec<Entry> {
    let at = instant(event.wall_time);
    let name = |part: &str| format!("event-{}-{part}", event.seq.0);
    match &event.kind {
        EventKind::Note { text } => {
            let mut resource = observation(scope, journal("note"), &at);
            resource["valueString"] = json!(text);
            vec![scope.entry(&name("note"), resource)]
        }
        EventKind::PreSession(checklist) => pre_session(scope, checklist, &at, &name),
        EventKind::Vitals { vitals, note } => vital_signs(scope, vitals, note, &at, &name),
        EventKind::Sedation { rating, note } => {
            let mut resource = observation(scope, json!({"text": "Sedation (MOAA/S)"}), &at);
            resource["category"] = category("exam");
            resource["valueInteger"] = json!(rating.score());
            resource["interpretation"] = json!([{"text": rating.label()}]);
            vec![scope.entry(&name("sedation"), with_note(resource, note))]
        }
        EventKind::Measure { measure, note } => questionnaire(scope, measure, note, &at, &name),
        EventKind::SuicideScreen { screen, note } => {
            super::risk_and_follow_up::suicide_screen(scope, *screen, note, &at, &name)
        }
        EventKind::SafetyPlan(plan) => {
            vec![scope.entry(
                &name("safety-plan"),
                super::risk_and_follow_up::safety_plan(scope, plan, &at),
            )]
        }
        EventKind::DecisionPoint(point) => {
            vec![scope.entry(&name("decision"), decision_point(scope, point, &at))]
        }
        EventKind::DeferralStart {
            decision_seq,
            minutes,
        } => {
            let deferral = deferrals.get(event.seq, *minutes);
            let mut resource = observation(scope, journal("sit-with-it"), &at);
            resource
                .as_object_mut()
                .map(|object| object.remove("effectiveDateTime"));
            let mut period = json!({"start": at});
            if let Some((ended, _, _)) = &deferral.outcome {
                period["end"] = json!(instant(*ended));
            }
            resource["effectivePeriod"] = period;
            resource["component"] = json!([{
                "code": journal("agreed-minutes"),
                "valueQuantity": quantity(f64::from(deferral.minutes), "min"),
            }]);
            if let Some((_, outcome, note)) = &deferral.outcome {
                resource["valueCodeableConcept"] = journal(codes::outcome_code(*outcome));
                resource = with_note(resource, note);
            } else {
                resource["status"] = json!("preliminary");
            }
            let decision_seq = deferrals.decision_of(event.seq, *decision_seq);
            if let Some(decision) = by_seq.get(&decision_seq) {
                resource["derivedFrom"] = json!([{"reference": decision}]);
            }
            vec![scope.entry(&name("sit-with-it"), resource)]
        }
        EventKind::WentAhead { warning } => {
            let mut resource = observation(scope, journal("went-ahead"), &at);
            resource["valueString"] = json!(warning);
            vec![scope.entry(&name("went-ahead"), resource)]
        }
        EventKind::AdverseEvent(adverse) => {
            vec![scope.entry(&name("adverse"), adverse_event(scope, adverse, &at))]
        }
        EventKind::SessionEnded { note, discharge } => {
            if discharge.is_none() && note.trim().is_empty() {
                return Vec::new();
            }
            let mut resource = observation(scope, journal("after-session"), &at);
            let mut notes = Vec::new();
            if let Some(discharge) = discharge {
                resource["valueString"] = json!(discharge.describe());
                if !discharge.follow_up.trim().is_empty() {
                    notes.push(
                        json!({"text": format!("Follow-up: {}", discharge.follow_up.trim())}),
                    );
                }
            }
            if !note.trim().is_empty() {
                notes.push(json!({"text": note.trim()}));
            }
            if !notes.is_empty() {
                resource["note"] = json!(notes);
            }
            vec![scope.entry(&name("ended"), resource)]
        }
        // Dose entries are the MedicationAdministrations; a deferral's later minutes and outcome
        // are part of its own Observation; markers follow once the timeline is read.
        EventKind::DosingBegan { .. }
        | EventKind::DoseChange { .. }
        | EventKind::InfusionExtended { .. }
        | EventKind::DeferralMinutes { .. }
        | EventKind::DeferralOutcome { .. }
        | EventKind::DecisionDetail { .. }
        | EventKind::Marker { .. } => Vec::new(),
    }
}

/// Weight, fasting, the medicines the client takes (as `MedicationStatements`).
fn pre_session(
    scope: &SessionScope,
    checklist: &PreSession,
    at: &str,
    name: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    if let Some(weight) = checklist.weight_kg {
        let mut resource = observation(scope, loinc(codes::loinc::BODY_WEIGHT), at);
        resource["category"] = category("vital-signs");
        resource["valueQuantity"] = quantity(weight, "kg");
        entries.push(scope.entry(&name("weight"), resource));
    }
    if let Some(hours) = checklist.fasting_hours {
        let mut resource = observation(scope, json!({"text": "Hours since last food"}), at);
        resource["valueQuantity"] = quantity(hours, "h");
        entries.push(scope.entry(&name("fasting"), resource));
    }
    for (index, medicine) in checklist.medicines.iter().enumerate() {
        entries.push(scope.entry(
            &name(&format!("medicine-{index}")),
            json!({
                "resourceType": "MedicationStatement",
                "status": "active",
                "medicationCodeableConcept": {"text": medicine},
                "subject": scope.patient,
                "context": scope.encounter,
                "dateAsserted": at,
            }),
        ));
    }
    entries
}

/// One Observation per sign: the blood pressure as the LOINC panel with its two components.
fn vital_signs(
    scope: &SessionScope,
    vitals: &Vitals,
    note: &str,
    at: &str,
    name: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let sign = |code: Value, value: Value| {
        let mut resource = observation(scope, code, at);
        resource["category"] = category("vital-signs");
        resource["valueQuantity"] = value;
        with_note(resource, note)
    };
    let mut entries = Vec::new();
    if let Some((systolic, diastolic)) = vitals.blood_pressure() {
        let mut resource = observation(scope, loinc(codes::loinc::BLOOD_PRESSURE_PANEL), at);
        resource["category"] = category("vital-signs");
        resource["component"] = json!([
            {"code": loinc(codes::loinc::SYSTOLIC), "valueQuantity": quantity(f64::from(systolic), "mm[Hg]")},
            {"code": loinc(codes::loinc::DIASTOLIC), "valueQuantity": quantity(f64::from(diastolic), "mm[Hg]")},
        ]);
        entries.push(scope.entry(&name("blood-pressure"), with_note(resource, note)));
    }
    if let Some(rate) = vitals.heart_rate() {
        let resource = sign(
            loinc(codes::loinc::HEART_RATE),
            quantity(f64::from(rate), "/min"),
        );
        entries.push(scope.entry(&name("heart-rate"), resource));
    }
    if let Some(rate) = vitals.respiratory_rate() {
        let resource = sign(
            loinc(codes::loinc::RESPIRATORY_RATE),
            quantity(f64::from(rate), "/min"),
        );
        entries.push(scope.entry(&name("respiratory-rate"), resource));
    }
    if let Some(spo2) = vitals.spo2() {
        let resource = sign(
            loinc(codes::loinc::OXYGEN_SATURATION),
            quantity(f64::from(spo2), "%"),
        );
        entries.push(scope.entry(&name("spo2"), resource));
    }
    if let Some(litres) = vitals.oxygen_l_min() {
        let resource = sign(
            json!({"text": "Supplemental oxygen flow"}),
            quantity(litres, "L/min"),
        );
        entries.push(scope.entry(&name("oxygen"), resource));
    }
    entries
}

fn decision_point(scope: &SessionScope, point: &DecisionPoint, at: &str) -> Value {
    let mut resource = observation(scope, journal("decision-point"), at);
    let mut components = vec![
        json!({"code": journal("what-came-up"), "valueCodeableConcept": journal(codes::came_up_code(point.came_up))}),
        json!({"code": journal("who-asked"), "valueCodeableConcept": journal(codes::asked_code(point.asked))}),
        json!({"code": journal("decision"), "valueCodeableConcept": journal(codes::decision_code(point.decision))}),
    ];
    if let crate::domain::Decision::SitWithIt { minutes } = point.decision {
        components.push(json!({
            "code": journal("agreed-minutes"),
            "valueQuantity": quantity(f64::from(minutes), "min"),
        }));
    }
    resource["component"] = json!(components);
    if !point.detail.trim().is_empty() {
        resource["valueString"] = json!(point.detail.trim());
    }
    with_note(resource, &point.rationale)
}

fn adverse_event(scope: &SessionScope, adverse: &AdverseEvent, at: &str) -> Value {
    // R4's AdverseEvent has no note: what happened and what was done go in the event's text.
    let mut text = adverse.category.label().to_owned();
    if !adverse.detail.trim().is_empty() {
        text = format!("{text}: {}", adverse.detail.trim());
    }
    if !adverse.action.trim().is_empty() {
        text = format!("{text}. Action: {}", adverse.action.trim());
    }
    let severity = adverse.severity.label();
    json!({
        "resourceType": "AdverseEvent",
        "actuality": "actual",
        "event": {"text": text},
        "subject": scope.patient,
        "encounter": scope.encounter,
        "date": at,
        "severity": {"coding": [{"system": codes::ADVERSE_EVENT_SEVERITY, "code": severity, "display": crate::format::capitalised(severity)}]},
        "suspectEntity": [{"instance": scope.medication}],
    })
}

/// Entries marked to bring to integration (the last marker on each decides).
fn markers(scope: &SessionScope, by_seq: &HashMap<Seq, String>) -> Vec<Entry> {
    let mut marked: Vec<(Seq, &Event)> = Vec::new();
    for event in &scope.record.events {
        if let EventKind::Marker { target_seq, on } = &event.kind {
            marked.retain(|(seq, _)| seq != target_seq);
            if *on {
                marked.push((*target_seq, event));
            }
        }
    }
    marked
        .into_iter()
        .filter_map(|(target, event)| {
            let focus = by_seq.get(&target)?;
            let mut resource = observation(
                scope,
                journal("bring-to-integration"),
                &instant(event.wall_time),
            );
            resource["focus"] = json!([{"reference": focus}]);
            Some(scope.entry(&format!("marker-{}", target.0), resource))
        })
        .collect()
}
