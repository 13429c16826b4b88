//! One session's resources: the Patient, the Encounter, the medication and its administrations, the
//! consent, the signature's Provenance, and (from `observations.rs`) what the timeline recorded.

use base64::Engine as _;
use serde_json::{Value, json};

use super::codes::{self, journal, quantity};
use super::observations;
use super::scope::{SessionScope, instant};
use super::{Entry, stable_urn};
use crate::domain::{
    Administration, Client, ConsentItem, DoseUnit, Event, EventKind, RateSpan, SessionStatus,
    Substance,
};
use crate::export::SessionRecord;

/// What one session adds to a bundle; the Patient is kept apart so a bundle of many sessions
/// writes each client once.
pub(super) struct SessionResources {
    pub patient: Entry,
    pub entries: Vec<Entry>,
}

impl SessionResources {
    pub fn of(record: &SessionRecord) -> Self {
        let patient = patient(&record.client, &record.client_code_system);
        let encounter_url = stable_urn(record.session.uuid.as_bytes(), "encounter");
        let medication_url = stable_urn(record.session.uuid.as_bytes(), "medication");
        let scope = SessionScope {
            record,
            patient: patient.reference(),
            encounter: json!({"reference": encounter_url}),
            medication: json!({"reference": medication_url}),
        };
        let mut entries = vec![encounter(&scope), medication(&scope)];
        entries.extend(administrations(&scope));
        entries.extend(observations::of_session(&scope));
        entries.extend(super::risk_and_follow_up::check_ins(&scope));
        entries.extend(consent(&scope));
        entries.extend(provenance(&scope));
        Self { patient, entries }
    }
}

/// The client by pseudonymous code only: no name, no birth date, nothing that identifies. The code
/// is unique within `system` (the practice's, else this journal's), so the Patient's identifier and
/// uuid both carry it.
fn patient(client: &Client, system: &str) -> Entry {
    let scope = format!("{system}\0{}", client.code);
    let full_url = stable_urn(scope.as_bytes(), "patient");
    let resource = json!({
        "resourceType": "Patient",
        "id": full_url.trim_start_matches("urn:uuid:"),
        "identifier": [{"system": system, "value": client.code}],
    });
    Entry { full_url, resource }
}

fn encounter(scope: &SessionScope) -> Entry {
    let session = &scope.record.session;
    let mut period = json!({"start": instant(session.started_at)});
    if let Some(ended) = session.ended_at {
        period["end"] = json!(instant(ended));
    }
    scope.entry(
        "encounter",
        json!({
            "resourceType": "Encounter",
            "status": match session.status {
                SessionStatus::Live => "in-progress",
                SessionStatus::Ended | SessionStatus::Signed => "finished",
            },
            "class": {"system": codes::ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": [journal(codes::model_code(session.model))],
            "subject": scope.patient,
            "period": period,
        }),
    )
}

/// The medication given, with the lot recorded on the checklist.
fn medication(scope: &SessionScope) -> Entry {
    let substance = Substance::of_route(scope.record.session.route);
    let lot = scope
        .record
        .events
        .iter()
        .find_map(|event| match &event.kind {
            EventKind::PreSession(checklist) => checklist.lot.clone(),
            _ => None,
        });
    let mut resource = json!({
        "resourceType": "Medication",
        "code": {"text": substance.label()},
    });
    if let Some(lot) = lot {
        resource["batch"] = json!({"lotNumber": lot.as_str()});
    }
    scope.entry("medication", resource)
}

/// One `MedicationAdministration` per stretch at one rate, and one for the bolus amount given.
fn administrations(scope: &SessionScope) -> Vec<Entry> {
    let record = scope.record;
    let until_ms = match record.session.ended_at {
        Some(ended) => (ended - record.session.started_at).num_milliseconds(),
        None => record.events.last().map_or(0, |event| event.elapsed_ms),
    };
    let administration = Administration::of(&record.events, record.session.route);
    let weight = record.weight_kg();
    let live = record.session.status == SessionStatus::Live;
    let route = json!({"text": record.session.route.label()});
    let spans = administration.rate_spans(until_ms);
    let mut entries: Vec<Entry> = spans
        .iter()
        .enumerate()
        .map(|(index, span)| {
            let running = live && index + 1 == spans.len() && span.to_ms == until_ms;
            let mut resource =
                administered(scope, running, &dose_reasons(&record.events, span.from_ms));
            resource["effectivePeriod"] =
                json!({"start": scope.at_ms(span.from_ms), "end": scope.at_ms(span.to_ms)});
            resource["dosage"] = json!({
                "text": span.rate.describe(weight),
                "route": route,
                "rateQuantity": rate_quantity(span),
            });
            scope.entry(&format!("administration-{index}"), resource)
        })
        .collect();
    if let Some(dose) = administration.bolus_by(until_ms) {
        let set_at: Vec<i64> = administration
            .boluses()
            .iter()
            .map(|(at, _)| *at)
            .filter(|at| *at <= until_ms)
            .collect();
        let first = set_at.first().copied().unwrap_or_default();
        let last = set_at.last().copied().unwrap_or_default();
        let mut resource = administered(scope, false, &dose_reasons(&record.events, last));
        if first == last {
            resource["effectiveDateTime"] = json!(scope.at_ms(first));
        } else {
            resource["effectivePeriod"] =
                json!({"start": scope.at_ms(first), "end": scope.at_ms(last)});
        }
        resource["dosage"] = json!({
            "text": dose.describe(weight),
            "route": route,
            "dose": quantity(dose.amount(), dose.unit().as_str()),
        });
        entries.push(scope.entry("administration-bolus", resource));
    }
    entries
}

fn administered(scope: &SessionScope, running: bool, reasons: &[&str]) -> Value {
    let mut resource = json!({
        "resourceType": "MedicationAdministration",
        "status": if running { "in-progress" } else { "completed" },
        "medicationReference": scope.medication,
        "subject": scope.patient,
        "context": scope.encounter,
    });
    if !reasons.is_empty() {
        resource["note"] = json!(
            reasons
                .iter()
                .map(|reason| json!({"text": reason}))
                .collect::<Vec<_>>()
        );
    }
    resource
}

/// The reasons written on the dose entries made at `at_ms` (a change, a stop, an extension).
fn dose_reasons(events: &[Event], at_ms: i64) -> Vec<&str> {
    events
        .iter()
        .filter(|event| event.elapsed_ms == at_ms)
        .filter_map(|event| match &event.kind {
            EventKind::DoseChange { reason, .. } | EventKind::InfusionExtended { reason, .. } => {
                Some(reason.trim())
            }
            _ => None,
        })
        .filter(|reason| !reason.is_empty())
        .collect()
}

fn rate_quantity(span: &RateSpan) -> Value {
    let unit = match span.rate.unit {
        DoseUnit::Mg => "mg/h",
        DoseUnit::MgPerKg => "mg/kg/h",
    };
    quantity(span.rate.per_hour, unit)
}

/// The consent the session went ahead under: the clinic's text by version, with each item
/// permitted or denied, or (before the clinic had a text) the checklist's confirmation.
fn consent(scope: &SessionScope) -> Option<Entry> {
    let (confirmed, checklist) =
        scope
            .record
            .events
            .iter()
            .find_map(|event| match &event.kind {
                EventKind::PreSession(checklist) if checklist.consent => Some((event, checklist)),
                _ => None,
            })?;
    let mut resource = json!({
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": codes::CONSENT_SCOPE, "code": "treatment", "display": "Treatment"}]},
        "category": [{"text": "Consent to ketamine treatment"}],
        "patient": scope.patient,
        "dateTime": instant(confirmed.wall_time),
        "policyRule": {"text": "The clinic's consent to ketamine treatment, confirmed on the pre-session checklist"},
    });
    if let Some(given) = &checklist.consent_given {
        resource["dateTime"] = json!(instant(given.given_at));
        resource["policyRule"] = json!({
            "text": format!("The clinic's consent to ketamine treatment, version {}", given.version)
        });
        let items: Vec<Value> = ConsentItem::ALL
            .into_iter()
            .map(|item| {
                json!({
                    "type": if given.agreed.contains(&item) { "permit" } else { "deny" },
                    "code": [{"text": item.label()}],
                })
            })
            .collect();
        resource["provision"] = json!({
            "type": "permit",
            "period": {"start": instant(given.given_at), "end": given.renew_by.to_string()},
            "provision": items,
        });
    }
    Some(scope.entry("consent", resource))
}

/// Who signed the session, when, and the Ed25519 seal over what was signed.
fn provenance(scope: &SessionScope) -> Option<Entry> {
    let signature = scope.record.signature.as_ref()?;
    let who = json!({"display": signature.clinician.signed_as()});
    let mut signed = json!({
        "type": [{"system": codes::SIGNATURE_TYPE, "code": "1.2.840.10065.1.12.1.1", "display": "Author's Signature"}],
        "when": instant(signature.signed_at),
        "who": who,
    });
    if let Some(seal) = &signature.seal
        && let Some(bytes) = crate::store::parse_hex(&seal.signature)
    {
        signed["data"] = json!(base64::engine::general_purpose::STANDARD.encode(bytes));
    }
    Some(scope.entry(
        "provenance",
        json!({
            "resourceType": "Provenance",
            "target": [scope.encounter],
            "recorded": instant(signature.signed_at),
            "agent": [{"who": who}],
            "signature": [signed],
        }),
    ))
}
