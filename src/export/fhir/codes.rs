//! Every code the FHIR export writes, with where it comes from.
//!
//! Three sources only, so nothing is guessed:
//! - **LOINC** codes for vital signs, weight and questionnaire totals, exactly the ones the FHIR R4
//!   vital-signs profile and the project's issue name;
//! - **FHIR R4's own code systems** for the elements bound to them (observation category, encounter
//!   class, consent scope, adverse-event severity, signature type);
//! - **the journal's own code system** ([`JOURNAL_SYSTEM`]) for what no standard names: the treatment
//!   model, decision points and "sit with it" deferrals. It is written into every bundle as a
//!   `CodeSystem` resource and documented in `docs/fhir.md`.
//!
//! Everything else (route, medication, CADSS-6, MOAA/S, oxygen flow) is carried as text.

use serde_json::{Value, json};

use crate::domain::{Asked, AsqResult, CameUp, Decision, DeferralOutcome, TreatmentModel};

pub const LOINC: &str = "http://loinc.org";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/// The bundle of a synthetic journal is tagged `HTEST` (test health data) in this system.
pub const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
pub const CONSENT_SCOPE: &str = "http://terminology.hl7.org/CodeSystem/consentscope";
pub const ADVERSE_EVENT_SEVERITY: &str =
    "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
pub const SIGNATURE_TYPE: &str = "urn:iso-astm:E1762-95:2013";
/// Identifies a bundle by a session's uuid (RFC 3986 URIs).
pub const URI_IDENTIFIER: &str = "urn:ietf:rfc:3986";
/// The journal's own code system; see `docs/fhir.md`.
pub const JOURNAL_SYSTEM: &str = "urn:kap-journal:fhir:codes";

/// Every code system a bundle may name. A test checks no other appears.
pub const KNOWN_SYSTEMS: [&str; 10] = [
    LOINC,
    UCUM,
    OBSERVATION_CATEGORY,
    ACT_CODE,
    ACT_REASON,
    CONSENT_SCOPE,
    ADVERSE_EVENT_SEVERITY,
    SIGNATURE_TYPE,
    URI_IDENTIFIER,
    JOURNAL_SYSTEM,
];

/// LOINC codes, each with its display.
pub mod loinc {
    pub const BLOOD_PRESSURE_PANEL: (&str, &str) = ("85354-9", "Blood pressure panel");
    pub const SYSTOLIC: (&str, &str) = ("8480-6", "Systolic blood pressure");
    pub const DIASTOLIC: (&str, &str) = ("8462-4", "Diastolic blood pressure");
    pub const HEART_RATE: (&str, &str) = ("8867-4", "Heart rate");
    pub const RESPIRATORY_RATE: (&str, &str) = ("9279-1", "Respiratory rate");
    pub const OXYGEN_SATURATION: (&str, &str) = ("2708-6", "Oxygen saturation in Arterial blood");
    pub const BODY_WEIGHT: (&str, &str) = ("29463-7", "Body weight");
    pub const PHQ9_TOTAL: (&str, &str) = ("44261-6", "PHQ-9 total score");
    pub const GAD7_TOTAL: (&str, &str) = ("70274-6", "GAD-7 total score");
}

/// A `CodeableConcept` of one LOINC code.
pub fn loinc(code: (&str, &str)) -> Value {
    json!({"coding": [{"system": LOINC, "code": code.0, "display": code.1}], "text": code.1})
}

/// A `CodeableConcept` of one of the journal's own codes.
pub fn journal(code: &str) -> Value {
    let display = JOURNAL_CODES
        .iter()
        .find(|(known, _, _)| *known == code)
        .map_or(code, |(_, display, _)| display);
    json!({"coding": [{"system": JOURNAL_SYSTEM, "code": code, "display": display}], "text": display})
}

/// An observation category from FHIR's own code system (`vital-signs`, `survey`).
pub fn category(code: &str) -> Value {
    let display = match code {
        "vital-signs" => "Vital Signs",
        "survey" => "Survey",
        _ => "Exam",
    };
    json!([{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}])
}

/// A UCUM quantity.
pub fn quantity(value: f64, unit: &str) -> Value {
    json!({"value": rounded(value), "unit": unit, "system": UCUM, "code": unit})
}

/// A value as FHIR's decimal: rounded to four places, so a rate computed by division does not
/// show fifteen digits of noise.
pub fn rounded(value: f64) -> Value {
    let rounded = (value * 10_000.0).round() / 10_000.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}

pub fn model_code(model: TreatmentModel) -> &'static str {
    match model {
        TreatmentModel::Medical => "medical-model",
        TreatmentModel::Kap => "kap",
    }
}

pub fn came_up_code(came_up: CameUp) -> &'static str {
    match came_up {
        CameUp::Emotion => "came-up-emotion",
        CameUp::Memory => "came-up-memory",
        CameUp::Thought => "came-up-thought",
        CameUp::BodySensation => "came-up-body-sensation",
        CameUp::NotStated => "came-up-not-stated",
    }
}

pub fn asked_code(asked: Asked) -> &'static str {
    match asked {
        Asked::ClientAsksToLower => "client-asks-to-lower",
        Asked::ClinicianConsidersLowering => "clinician-considers-lowering",
        Asked::ClientAsksToStop => "client-asks-to-stop",
        Asked::NotStated => "asked-not-stated",
    }
}

pub fn decision_code(decision: Decision) -> &'static str {
    match decision {
        Decision::LowerNow => "decided-lower-now",
        Decision::Hold => "decided-hold",
        Decision::SitWithIt { .. } => "decided-sit-with-it",
        Decision::Stop => "decided-stop",
    }
}

pub fn asq_code(result: AsqResult) -> &'static str {
    match result {
        AsqResult::Negative => "asq-negative",
        AsqResult::NonAcutePositive => "asq-non-acute-positive",
        AsqResult::AcutePositive => "asq-acute-positive",
    }
}

pub fn outcome_code(outcome: DeferralOutcome) -> &'static str {
    match outcome {
        DeferralOutcome::WorkedThrough => "worked-through",
        DeferralOutcome::DoseLowered => "dose-lowered",
        DeferralOutcome::EndedEarly => "ended-early",
        DeferralOutcome::SessionStopped => "session-stopped",
    }
}

/// The journal's codes: code, display, definition.
pub const JOURNAL_CODES: &[(&str, &str, &str)] = &[
    (
        "medical-model",
        "Medical Model",
        "Ketamine given for its effect on the brain; the dose is lowered when the client is uncomfortable.",
    ),
    (
        "kap",
        "Ketamine-assisted psychotherapy",
        "A therapist sits in; a request to lower the dose may first be met by an agreed time to sit with what came up.",
    ),
    (
        "decision-point",
        "Dose-adjustment decision point",
        "A moment when lowering or stopping the dose was asked for or considered: what came up, who asked, what was decided and why.",
    ),
    (
        "what-came-up",
        "What came up",
        "The kind of material that came up at a decision point.",
    ),
    (
        "who-asked",
        "Who asked",
        "Who asked for, or considered, a dose change at a decision point.",
    ),
    (
        "decision",
        "Decision",
        "What was decided at a decision point.",
    ),
    (
        "agreed-minutes",
        "Agreed minutes",
        "The minutes agreed to sit with what came up.",
    ),
    (
        "came-up-emotion",
        "An emotion came up",
        "What came up at a decision point.",
    ),
    (
        "came-up-memory",
        "A memory came up",
        "What came up at a decision point.",
    ),
    (
        "came-up-thought",
        "A thought came up",
        "What came up at a decision point.",
    ),
    (
        "came-up-body-sensation",
        "A body sensation came up",
        "What came up at a decision point.",
    ),
    (
        "came-up-not-stated",
        "What came up was not stated",
        "What came up at a decision point: recorded in one key with the clinician's words, no kind chosen.",
    ),
    (
        "client-asks-to-lower",
        "Client asks to lower the dose",
        "Who asked at a decision point.",
    ),
    (
        "clinician-considers-lowering",
        "Clinician considers lowering the dose",
        "Who asked at a decision point.",
    ),
    (
        "client-asks-to-stop",
        "Client asks to stop",
        "Who asked at a decision point.",
    ),
    (
        "asked-not-stated",
        "Who asked was not stated",
        "Who asked at a decision point: recorded in one key, nobody named.",
    ),
    (
        "decided-lower-now",
        "Decided: lower now",
        "The dose was lowered at once.",
    ),
    (
        "decided-hold",
        "Decided: hold",
        "The dose was kept as it was.",
    ),
    (
        "decided-sit-with-it",
        "Decided: sit with it",
        "The client agreed to stay with what came up for an agreed number of minutes before the dose is reconsidered.",
    ),
    (
        "decided-stop",
        "Decided: stop",
        "Administration was stopped.",
    ),
    (
        "sit-with-it",
        "Sit with it deferral",
        "An agreed time to stay with what came up, with its countdown and outcome.",
    ),
    (
        "worked-through",
        "Worked through",
        "The client worked through what came up; the dose was not changed.",
    ),
    (
        "dose-lowered",
        "Dose lowered",
        "The client still wanted a lower dose after the agreed time, and it was lowered.",
    ),
    (
        "ended-early",
        "Ended early",
        "The deferral was ended before its time, with no dose change.",
    ),
    (
        "session-stopped",
        "Session stopped",
        "The session was stopped during the deferral.",
    ),
    (
        "went-ahead",
        "Went ahead after a warning",
        "The clinician went ahead after the journal asked about a safety warning.",
    ),
    (
        "bring-to-integration",
        "Bring to integration",
        "An entry the clinician marked to bring to the integration session.",
    ),
    (
        "note",
        "Session note",
        "A timestamped free-text observation made during the session.",
    ),
    (
        "intention",
        "Intention",
        "What the client hopes to meet or understand in the session.",
    ),
    (
        "comfort-plan",
        "Comfort plan",
        "How the client wants to be supported when it gets hard.",
    ),
    (
        "asq-screen",
        "ASQ suicide risk screen",
        "The NIMH Ask Suicide-Screening Questions, asked before the session.",
    ),
    ("asq-negative", "ASQ negative", "No to questions 1-4."),
    (
        "asq-non-acute-positive",
        "ASQ non-acute positive",
        "Yes (or declined) to any of questions 1-4, no to question 5: a brief suicide safety assessment before the client leaves.",
    ),
    (
        "asq-acute-positive",
        "ASQ acute positive",
        "Yes (or declined) to question 5: imminent risk; a full safety evaluation before the client leaves.",
    ),
    (
        "integration-check-in",
        "Integration check-in",
        "A check-in with the client after the session: the next day, or a week on.",
    ),
    (
        "check-in-kind",
        "Which check-in",
        "The next-day check-in (with the EBI) or the one a week on (with the PHQ-9).",
    ),
    (
        "ebi-score",
        "Emotional Breakthrough Inventory score",
        "The mean of the six EBI ratings (0-100), asked the day after the session.",
    ),
    (
        "safety-plan",
        "Safety plan",
        "Warning signs, coping steps, people and services to contact, and making the means safer, written with the client.",
    ),
    (
        "addendum",
        "Addendum",
        "A correction or addition made after the session was signed, never replacing what was recorded.",
    ),
    (
        "after-session",
        "After the session",
        "The discharge record: criteria met, ride home, follow-up plan.",
    ),
];

/// The journal's code system as a resource, so a bundle explains its own codes.
pub fn journal_code_system() -> Value {
    let concepts: Vec<Value> = JOURNAL_CODES
        .iter()
        .map(|(code, display, definition)| {
            json!({"code": code, "display": display, "definition": definition})
        })
        .collect();
    json!({
        "resourceType": "CodeSystem",
        "url": JOURNAL_SYSTEM,
        "name": "KapJournalCodes",
        "title": "KAP Journal session codes",
        "status": "active",
        "description": "Codes for what a ketamine session journal records and no standard code system names: the treatment model, dose-adjustment decision points and \"sit with it\" deferrals.",
        "caseSensitive": true,
        "content": "complete",
        "concept": concepts,
    })
}
