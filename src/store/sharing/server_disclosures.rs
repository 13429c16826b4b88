//! What the practice server reports was disclosed of this journal's clients: colleagues' fetches
//! from its log and emergency openings, taken into the accounting of disclosures at each sync.
//! A report of no client of this journal is left out; one taken in twice is one.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension as _;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, to_ms};
use super::Sharing;
use crate::domain::DisclosureKind;
use crate::store::registers::disclosure_outbox::OutboxLine;
use crate::store::registers::disclosures::insert;

/// One fetch of a session by a colleague, as the practice server logged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColleagueFetch {
    /// The server's number for the fetch, rising.
    pub id: i64,
    pub session: uuid::Uuid,
    pub login: String,
    pub name: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Records what the practice server says was disclosed, each line for the client `Whose`
    /// names in this journal; a line of no client here is left out.
    fn record_from_server(
        &mut self,
        lines: impl Iterator<Item = (Whose, OutboxLine)>,
    ) -> Result<(), StoreError> {
        // Nothing of a client here leaves the commit empty, and the anchor as it was.
        self.write(|tx| {
            for (whose, line) in lines {
                let (sql, key) = match &whose {
                    Whose::Session(uuid) => (
                        "SELECT client_id FROM sessions WHERE uuid = ?1",
                        uuid.to_string(),
                    ),
                    Whose::PracticeClient(code) => (
                        "SELECT client_id FROM practice_links WHERE practice_code = ?1",
                        code.clone(),
                    ),
                };
                let client: Option<i64> = tx
                    .prepare_cached(sql)?
                    .query_row([key], |row| row.get(0))
                    .optional()?;
                if let Some(client) = client {
                    insert(
                        tx,
                        &OutboxLine {
                            client_id: Some(client),
                            ..line
                        },
                    )?;
                }
            }
            Ok(())
        })
    }
}

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The newest colleague's fetch taken in from the practice `practice`, by the server's number.
    pub fn last_colleague_fetch(&self, practice: uuid::Uuid) -> Result<i64, StoreError> {
        let prefix = format!("fetch:{practice}:");
        Ok(self
            .0
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(CAST(substr(origin, length(?1) + 1) AS INTEGER)), 0)
             FROM disclosures WHERE kind = 'colleague_fetch' AND origin LIKE ?1 || '%'",
            )?
            .query_row([&prefix], |row| row.get(0))?)
    }
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Records colleagues' fetches of sessions this journal holds (others are none of its
    /// clients' record here).
    pub fn record_colleague_fetches(
        &mut self,
        practice: uuid::Uuid,
        fetches: &[ColleagueFetch],
    ) -> Result<(), StoreError> {
        let lines = fetches.iter().map(|fetch| {
            let line = OutboxLine {
                origin: format!("fetch:{practice}:{}", fetch.id),
                at_ms: to_ms(fetch.at),
                kind: DisclosureKind::ColleagueFetch.as_str().to_owned(),
                form: "the session from the practice server".to_owned(),
                recipient: format!("{} ({})", fetch.name, fetch.login),
                client_id: None,
                sessions: vec![fetch.session],
                session_count: 1,
            };
            (Whose::Session(fetch.session), line)
        });
        self.0.record_from_server(lines)
    }
}

/// Which of this journal's clients a disclosure the server reports belongs to.
enum Whose {
    /// The client of this journal's session (its own or a copy).
    Session(uuid::Uuid),
    /// The client linked to this practice client.
    PracticeClient(String),
}

/// An opening of a practice client's record by a clinician outside its care team, as the practice
/// server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyOpening {
    /// The server's number for the opening.
    pub id: i64,
    /// The practice client's code.
    pub practice_code: String,
    pub login: String,
    pub name: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Records emergency openings of this journal's linked clients (an opening of a client this
    /// journal has not linked is none of its record here); one already recorded is not again.
    pub fn record_emergency_openings(
        &mut self,
        practice: uuid::Uuid,
        openings: &[EmergencyOpening],
    ) -> Result<(), StoreError> {
        let lines = openings.iter().map(|opening| {
            let line = OutboxLine {
                origin: format!("emergency:{practice}:{}", opening.id),
                at_ms: to_ms(opening.at),
                kind: DisclosureKind::EmergencyOpening.as_str().to_owned(),
                form: format!("reason given: {}", opening.reason.trim()),
                recipient: format!("{} ({})", opening.name, opening.login),
                client_id: None,
                sessions: Vec::new(),
                session_count: 0,
            };
            (Whose::PracticeClient(opening.practice_code.clone()), line)
        });
        self.0.record_from_server(lines)
    }
}
