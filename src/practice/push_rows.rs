//! What one of this journal's sessions sends to the practice server, row by row, each row sealed
//! by this journal's key (`row_seal`): the session with its timeline (once), the signature with the
//! progress note it covers (once signed), every addendum and every recorded check-in.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use super::PracticeError;
use crate::domain::SessionId;
use crate::export::SessionRecord;
use crate::store::{KeyProof, PushDue, Pushed as PushedState, RowKey};

/// What the server lacks of one session, row by row.
pub(super) struct SessionRows {
    pub uuid: uuid::Uuid,
    pub session: Option<SessionRow>,
    pub entries: Vec<EntryRow>,
    pub signature: Option<SignatureRow>,
    pub addenda: Vec<AddendumRow>,
    pub check_ins: Vec<CheckInRow>,
    /// What the server holds of the session once these rows are in.
    pub mark: (SessionId, PushedState),
}

pub(super) struct SessionRow {
    pub client_code: String,
    pub model: &'static str,
    pub route: &'static str,
    pub planned_dose: Value,
    pub intention: String,
    pub comfort_plan: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub weight_kg: Option<f64>,
    /// The clinic's zone the session was held in, so a colleague's copy prints its times there.
    pub zone: Option<String>,
    /// The author's seal over the session and its timeline.
    pub seal: KeyProof,
}

pub(super) struct EntryRow {
    pub seq: i32,
    pub wall_time: DateTime<Utc>,
    pub elapsed_ms: i64,
    pub kind: &'static str,
    /// The entry as JSON text, as the seal covers it (the server reads it as jsonb).
    pub payload: String,
}

pub(super) struct SignatureRow {
    pub name: String,
    pub credentials: String,
    pub signed_at: DateTime<Utc>,
    pub content_sha256: String,
    pub public_key: Option<String>,
    pub signature: Option<String>,
    pub progress_note: Option<Value>,
    /// The client's code where it was signed, when it is not the practice's code.
    pub client_code: Option<String>,
}

pub(super) struct AddendumRow {
    /// Its place in the author's record, 1 first: how the server keys it.
    pub ordinal: i32,
    pub name: String,
    pub credentials: String,
    pub written_at: DateTime<Utc>,
    pub reason: String,
    pub text: String,
    pub seal: KeyProof,
}

pub(super) struct CheckInRow {
    pub kind: &'static str,
    pub due: NaiveDate,
    pub done: Value,
    pub seal: KeyProof,
}

fn json(value: &impl Serialize) -> Result<Value, PracticeError> {
    serde_json::to_value(value).map_err(|_| PracticeError::Unreadable("a session of this journal"))
}

impl SessionRows {
    /// What the server lacks of one ended session (`None` for a live one).
    pub(super) fn of(
        due: &PushDue,
        record: &SessionRecord,
        author: &str,
        key: &RowKey,
    ) -> Result<Option<Self>, PracticeError> {
        let unreadable = |()| PracticeError::Unreadable("a session of this journal");
        let session = &record.session;
        let Some(ended_at) = session.ended_at else {
            return Ok(None);
        };
        let mut rows = Self {
            uuid: session.uuid,
            session: None,
            entries: Vec::new(),
            signature: None,
            addenda: Vec::new(),
            check_ins: Vec::new(),
            mark: (due.id, PushedState::default()),
        };
        if !due.pushed.session {
            // Each entry written as JSON once, for the seal and the row alike.
            let texts: Vec<String> = record
                .events
                .iter()
                .map(|event| serde_json::to_string(&event.kind).map_err(|_| ()))
                .collect::<Result<_, _>>()
                .map_err(unreadable)?;
            let head = super::row_seal::SessionHead::of_record(record, &due.practice_code);
            let parts =
                record
                    .events
                    .iter()
                    .zip(&texts)
                    .map(|(event, json)| super::row_seal::EntryPart {
                        seq: event.seq.0,
                        wall_time: event.wall_time,
                        elapsed_ms: event.elapsed_ms,
                        json,
                    });
            let seal = key
                .seal(&super::row_seal::sealed_session(author, &head, parts).map_err(unreadable)?);
            rows.session = Some(SessionRow {
                seal,
                client_code: due.practice_code.clone(),
                model: session.model.as_str(),
                route: session.route.as_str(),
                planned_dose: json(&session.planned_dose)?,
                intention: session.intention.clone(),
                comfort_plan: session.comfort_plan.clone(),
                started_at: session.started_at,
                ended_at,
                // The weight the session was dosed by, as the archive keeps it.
                weight_kg: session.weight_kg.or(record.client.weight_kg),
                zone: session.zone.map(|zone| zone.to_string()),
            });
            for (event, payload) in record.events.iter().zip(texts) {
                rows.entries.push(EntryRow {
                    seq: i32::try_from(event.seq.0).unwrap_or(i32::MAX),
                    wall_time: event.wall_time,
                    elapsed_ms: event.elapsed_ms,
                    kind: event.kind.as_str(),
                    payload,
                });
            }
        }
        if let Some(signature) = &record.signature
            && !due.pushed.signed
        {
            rows.signature = Some(SignatureRow {
                name: signature.clinician.name.clone(),
                credentials: signature.clinician.credentials.clone(),
                signed_at: signature.signed_at,
                content_sha256: signature.content_sha256.clone(),
                public_key: signature.seal.as_ref().map(|seal| seal.public_key.clone()),
                signature: signature.seal.as_ref().map(|seal| seal.signature.clone()),
                progress_note: record.progress_note.as_ref().map(json).transpose()?,
                // Signed under this journal's code for the client (or the one it came with).
                client_code: Some(
                    signature
                        .client_code
                        .clone()
                        .unwrap_or_else(|| record.client.code.clone()),
                )
                .filter(|signed_under| *signed_under != due.practice_code),
            });
        }
        // Every addendum and every recorded check-in of a session due goes again: the server
        // keeps what it lacks (by the addendum's place, the check-in's kind) and ignores the rest,
        // so what is sent never depends on which the journal thinks went before.
        rows.addenda = addendum_rows(record, author, key);
        rows.check_ins = check_in_rows(record, author, key)?;
        rows.mark.1 = PushedState {
            session: true,
            signed: record.signature.is_some(),
            addenda: record.addenda.len() as u32,
            check_ins: rows.check_ins.len() as u32,
        };
        Ok(Some(rows))
    }
}

/// Every addendum of `record`, each sealed at its place.
fn addendum_rows(record: &SessionRecord, author: &str, key: &RowKey) -> Vec<AddendumRow> {
    let mut rows = Vec::with_capacity(record.addenda.len());
    for (index, addendum) in record.addenda.iter().enumerate() {
        let ordinal = i32::try_from(index + 1).unwrap_or(i32::MAX);
        rows.push(AddendumRow {
            seal: key.seal(&super::row_seal::addendum_message(
                author,
                record.session.uuid,
                ordinal,
                addendum,
            )),
            ordinal,
            name: addendum.author.name.clone(),
            credentials: addendum.author.credentials.clone(),
            written_at: addendum.written_at,
            reason: addendum.reason.clone(),
            text: addendum.text.clone(),
        });
    }
    rows
}

/// Every recorded check-in of `record`, each sealed.
fn check_in_rows(
    record: &SessionRecord,
    author: &str,
    key: &RowKey,
) -> Result<Vec<CheckInRow>, PracticeError> {
    let unreadable = |()| PracticeError::Unreadable("a session of this journal");
    let mut rows = Vec::new();
    for follow_up in &record.follow_ups {
        let Some(done) = &follow_up.done else {
            continue;
        };
        rows.push(CheckInRow {
            seal: key.seal(
                &super::row_seal::check_in_message(
                    author,
                    record.session.uuid,
                    follow_up.kind.as_str(),
                    follow_up.due,
                    done,
                )
                .map_err(unreadable)?,
            ),
            kind: follow_up.kind.as_str(),
            due: follow_up.due,
            done: json(done)?,
        });
    }
    Ok(rows)
}
