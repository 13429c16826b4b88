//! What every resource of one session is made in: its scope (the record, and the Patient, Encounter
//! and Medication each resource refers to), how an instant is written, and the shapes the session's
//! observations and answers share.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::{Entry, stable_urn};
use crate::export::SessionRecord;

/// What every resource of a session refers to.
pub(super) struct SessionScope<'a> {
    pub record: &'a SessionRecord,
    pub patient: Value,
    pub encounter: Value,
    pub medication: Value,
}

impl SessionScope<'_> {
    /// A stable full URL for this session's resource `name`.
    pub fn urn(&self, name: &str) -> String {
        stable_urn(self.record.session.uuid.as_bytes(), name)
    }

    /// `ms` after the session started, as a FHIR dateTime.
    pub fn at_ms(&self, ms: i64) -> String {
        instant(self.record.session.started_at + Duration::milliseconds(ms))
    }

    /// A resource of this session with its id taken from its full URL.
    pub fn entry(&self, name: &str, mut resource: Value) -> Entry {
        let full_url = self.urn(name);
        resource["id"] = json!(full_url.trim_start_matches("urn:uuid:"));
        Entry { full_url, resource }
    }
}

/// A time as FHIR writes it (an `instant`, valid wherever a `dateTime` is).
pub(super) fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A completed `QuestionnaireResponse` of this session's client with `items` answered.
pub(super) fn answers(scope: &SessionScope, name: &str, at: &str, items: Vec<Value>) -> Entry {
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "subject": scope.patient,
        "encounter": scope.encounter,
        "authored": at,
    });
    response["item"] = Value::Array(items);
    scope.entry(name, response)
}

/// A final Observation of this session's client and encounter.
pub(super) fn observation(scope: &SessionScope, code: Value, at: &str) -> Value {
    let mut resource = json!({
        "resourceType": "Observation",
        "status": "final",
        "subject": scope.patient,
        "encounter": scope.encounter,
        "effectiveDateTime": at,
    });
    resource["code"] = code;
    resource
}

/// Adds the clinician's remark, when there is one.
pub(super) fn with_note(mut resource: Value, note: &str) -> Value {
    if !note.trim().is_empty() {
        resource["note"] = json!([{"text": note.trim()}]);
    }
    resource
}
