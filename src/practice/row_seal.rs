//! Every row a journal pushes proves its author: the session (its header and every entry of its
//! timeline, in one seal), each addendum and each check-in carry an Ed25519 seal by a key the
//! author proved theirs, over the row's canonical bytes. The bytes are built from the same typed
//! values on both sides (the author's record, the reader's fetched copy), so anything changed on
//! the server, in any column of any of these rows, makes the seal fail on pull. The signature has
//! its own seal (`store::signing_key`).

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use serde::Serialize;

use crate::domain::{Addendum, CheckIn};
use crate::export::ArchivedSession;

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

/// The session as pushed, header and timeline, written by `author` (its login).
pub(super) fn session_message(author: &str, session: &ArchivedSession) -> Result<Vec<u8>, ()> {
    let mut message = Message::new("kap-journal practice session v1", session.uuid, author);
    message.text(&session.client.code);
    message.text(session.model.as_str());
    message.text(session.route.as_str());
    message.json(&session.planned_dose)?;
    message.text(&session.intention);
    message.text(&session.comfort_plan);
    message.time(session.started_at);
    message.time(session.ended_at.ok_or(())?);
    match session.client.weight_kg {
        Some(kg) => message.number(i64::from_be_bytes(kg.to_bits().to_be_bytes())),
        None => message.text(""),
    }
    message.text(
        &session
            .zone
            .map(|zone| zone.to_string())
            .unwrap_or_default(),
    );
    message.number(session.events.len() as i64);
    for event in &session.events {
        message.number(i64::from(event.seq));
        message.time(event.wall_time);
        message.number(event.elapsed_ms);
        message.json(&event.entry)?;
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
