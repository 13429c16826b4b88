//! Every row a journal pushes proves its author: the session (its header and every entry of its
//! timeline, in one seal), each addendum and each check-in carry an Ed25519 seal by a key the
//! author proved theirs, over the row's canonical bytes. The bytes are built from the same typed
//! values on both sides (the author's record, the reader's fetched copy), so anything changed on
//! the server, in any column of any of these rows, makes the seal fail on pull. The signature has
//! its own seal (`store::signing_key`).

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use serde::Serialize;

use crate::domain::{Addendum, CheckIn, ClinicZone, Dose, Route, TreatmentModel};
use crate::export::{ArchivedSession, SessionRecord};

/// A row's seal: the public key that made it and the signature, both in hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RowSeal {
    pub public_key: String,
    pub seal: String,
}

/// Canonical bytes, each part told apart from the next by its length.
struct Message(Vec<u8>);

impl Message {
    fn new(purpose: &str, session: uuid::Uuid, author: &str) -> Self {
        let mut message = Self(Vec::with_capacity(256));
        message.text(purpose);
        message.0.extend_from_slice(session.as_bytes());
        message.text(author);
        message
    }

    fn text(&mut self, text: &str) {
        self.0.extend_from_slice(&(text.len() as u64).to_be_bytes());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn number(&mut self, number: i64) {
        self.0.extend_from_slice(&number.to_be_bytes());
    }

    fn time(&mut self, at: DateTime<Utc>) {
        self.number(at.timestamp_millis());
    }

    fn json(&mut self, value: &impl Serialize) -> Result<(), ()> {
        let text = serde_json::to_string(value).map_err(|_| ())?;
        self.text(&text);
        Ok(())
    }
}

/// The session's header as sealed: what a pushed session row holds besides its timeline.
pub(super) struct SessionHead<'a> {
    pub uuid: uuid::Uuid,
    /// The practice's code for the client.
    pub client_code: &'a str,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: &'a Dose,
    pub intention: &'a str,
    pub comfort_plan: &'a str,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The weight the session was dosed by.
    pub weight_kg: Option<f64>,
    pub zone: Option<ClinicZone>,
}

impl<'a> SessionHead<'a> {
    /// The header of this journal's `record` as it is pushed, under the practice's `client_code`.
    pub(super) fn of_record(record: &'a SessionRecord, client_code: &'a str) -> Self {
        let session = &record.session;
        Self {
            uuid: session.uuid,
            client_code,
            model: session.model,
            route: session.route,
            planned_dose: &session.planned_dose,
            intention: &session.intention,
            comfort_plan: &session.comfort_plan,
            started_at: session.started_at,
            ended_at: session.ended_at,
            // The weight the session was dosed by, as the archive keeps it.
            weight_kg: session.weight_kg.or(record.client.weight_kg),
            zone: session.zone,
        }
    }

    /// The header of `session` as it was fetched (or archived).
    pub(super) fn of(session: &'a ArchivedSession) -> Self {
        Self {
            uuid: session.uuid,
            client_code: &session.client.code,
            model: session.model,
            route: session.route,
            planned_dose: &session.planned_dose,
            intention: &session.intention,
            comfort_plan: &session.comfort_plan,
            started_at: session.started_at,
            ended_at: session.ended_at,
            weight_kg: session.client.weight_kg,
            zone: session.zone,
        }
    }
}

/// One entry of the timeline as sealed: its place, times and its JSON as `serde_json` writes
/// its `EventKind`.
pub(super) struct EntryPart<'a> {
    pub seq: u32,
    pub wall_time: DateTime<Utc>,
    pub elapsed_ms: i64,
    pub json: &'a str,
}

/// The session as pushed, header and timeline, written by `author` (its login): a fetched copy
/// (each entry written out as JSON here).
pub(super) fn session_message(author: &str, session: &ArchivedSession) -> Result<Vec<u8>, ()> {
    let texts: Vec<String> = session
        .events
        .iter()
        .map(|event| serde_json::to_string(&event.entry).map_err(|_| ()))
        .collect::<Result<_, _>>()?;
    let entries = session
        .events
        .iter()
        .zip(&texts)
        .map(|(event, json)| EntryPart {
            seq: event.seq,
            wall_time: event.wall_time,
            elapsed_ms: event.elapsed_ms,
            json,
        });
    sealed_session(author, &SessionHead::of(session), entries)
}

/// The bytes a session's seal covers, from its header and its entries already written as JSON
/// (the author writes each entry once, for the seal and the row alike).
pub(super) fn sealed_session<'a>(
    author: &str,
    head: &SessionHead<'_>,
    entries: impl ExactSizeIterator<Item = EntryPart<'a>>,
) -> Result<Vec<u8>, ()> {
    let mut message = Message::new("kap-journal practice session v1", head.uuid, author);
    message.text(head.client_code);
    message.text(head.model.as_str());
    message.text(head.route.as_str());
    message.json(head.planned_dose)?;
    message.text(head.intention);
    message.text(head.comfort_plan);
    message.time(head.started_at);
    message.time(head.ended_at.ok_or(())?);
    match head.weight_kg {
        Some(kg) => message.number(i64::from_be_bytes(kg.to_bits().to_be_bytes())),
        None => message.text(""),
    }
    message.text(&head.zone.map(|zone| zone.to_string()).unwrap_or_default());
    message.number(entries.len() as i64);
    for entry in entries {
        message.number(i64::from(entry.seq));
        message.time(entry.wall_time);
        message.number(entry.elapsed_ms);
        message.text(entry.json);
    }
    Ok(message.0)
}

/// An addendum, at its place (1 first) among its session's addenda.
pub(super) fn addendum_message(
    author: &str,
    session: uuid::Uuid,
    ordinal: i32,
    addendum: &Addendum,
) -> Vec<u8> {
    let mut message = Message::new("kap-journal practice addendum v1", session, author);
    message.number(i64::from(ordinal));
    message.text(&addendum.author.name);
    message.text(&addendum.author.credentials);
    message.time(addendum.written_at);
    message.text(&addendum.reason);
    message.text(&addendum.text);
    message.0
}

/// A recorded check-in.
pub(super) fn check_in_message(
    author: &str,
    session: uuid::Uuid,
    kind: &str,
    due: NaiveDate,
    done: &CheckIn,
) -> Result<Vec<u8>, ()> {
    let mut message = Message::new("kap-journal practice check-in v1", session, author);
    message.text(kind);
    message.text(&due.to_string());
    message.json(done)?;
    Ok(message.0)
}

/// Whether `seal` is a good signature of `message` by its key.
pub(super) fn verifies(seal: &RowSeal, message: &[u8]) -> bool {
    let bytes = |hex: &str| crate::store::parse_hex(hex);
    let (Some(Ok(key)), Some(Ok(signature))) = (
        bytes(&seal.public_key).map(<[u8; 32]>::try_from),
        bytes(&seal.seal).map(<[u8; 64]>::try_from),
    ) else {
        return false;
    };
    VerifyingKey::from_bytes(&key).is_ok_and(|key| {
        key.verify(message, &Signature::from_bytes(&signature))
            .is_ok()
    })
}
