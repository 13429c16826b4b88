//! Integration check-ins (migration 14): planned when a session ends (the next day, a week on),
//! recorded once, never deleted, watched by the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms, to_ms};
use super::Registers;
use crate::domain::{
    CheckIn, CheckInKind, Ebi, FollowUp, FollowUpError, FollowUpId, Measure, SessionId,
};

/// Migration 14: the check-ins and the triggers that keep a recorded one as it was.
pub(in crate::store) const CREATE_FOLLOW_UPS: &str = r"
    CREATE TABLE follow_ups (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id),
        kind        TEXT NOT NULL,
        due_day     TEXT NOT NULL,
        done_ms     INTEGER,
        ebi         TEXT,
        phq9        TEXT,
        note        TEXT NOT NULL DEFAULT '',
        UNIQUE (session_id, kind)
    );
    CREATE INDEX follow_ups_open ON follow_ups (due_day) WHERE done_ms IS NULL;
    CREATE TRIGGER follow_ups_recorded_once BEFORE UPDATE ON follow_ups
    WHEN OLD.done_ms IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'append-only: a check-in is recorded once'); END;
    CREATE TRIGGER follow_ups_plan_kept BEFORE UPDATE OF id, session_id, kind, due_day ON follow_ups
    BEGIN SELECT RAISE(ABORT, 'append-only: a planned check-in is not moved'); END;
    CREATE TRIGGER follow_ups_no_delete BEFORE DELETE ON follow_ups
    BEGIN SELECT RAISE(ABORT, 'append-only: a check-in is never deleted'); END;
";

const COLUMNS: &str = "f.id, f.session_id, f.kind, f.due_day, f.done_ms, f.ebi, f.phq9, f.note";

/// A check-in with its client, as the due list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpDue {
    pub follow_up: FollowUp,
    pub client_code: String,
    /// Its due day is past.
    pub overdue: bool,
}

/// Plans a session's check-ins from its end (inside the transaction that ends it).
pub(in crate::store) fn plan_follow_ups(
    conn: &Connection,
    session: SessionId,
    ended: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO follow_ups (session_id, kind, due_day) VALUES (?1, ?2, ?3)",
    )?;
    for kind in CheckInKind::ALL {
        insert.execute(params![
            session.0,
            kind.as_str(),
            kind.due_after(ended).to_string()
        ])?;
    }
    Ok(())
}

impl<S: Deref<Target = Store>> Registers<S> {
    /// A session's check-ins, the next-day one first.
    pub fn follow_ups(&self, session: SessionId) -> Result<Vec<FollowUp>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM follow_ups f WHERE f.session_id = ?1 ORDER BY f.due_day, f.id"
        ))?;
        let rows = statement.query_map([session.0], read_row)?;
        rows.map(|row| row?).collect()
    }

    /// Every check-in of a client's sessions.
    pub fn follow_ups_of(
        &self,
        client: crate::domain::ClientId,
    ) -> Result<Vec<FollowUp>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM follow_ups f JOIN sessions s ON s.id = f.session_id
             WHERE s.client_id = ?1 ORDER BY s.started_ms, f.due_day, f.id"
        ))?;
        let rows = statement.query_map([client.0], read_row)?;
        rows.map(|row| row?).collect()
    }

    /// Check-ins not yet recorded and due on or before `now`'s day, the oldest first.
    pub fn follow_ups_due(&self, now: DateTime<Utc>) -> Result<Vec<FollowUpDue>, StoreError> {
        let today = now.date_naive();
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, c.code FROM follow_ups f
             JOIN sessions s ON s.id = f.session_id JOIN clients c ON c.id = s.client_id
             WHERE f.done_ms IS NULL AND f.due_day <= ?1
             ORDER BY f.due_day, f.id"
        ))?;
        let rows = statement.query_map([today.to_string()], |row| {
            Ok((read_row(row)?, row.get::<_, String>(8)?))
        })?;
        rows.map(|row| {
            let (follow_up, client_code) = row?;
            let follow_up = follow_up?;
            Ok(FollowUpDue {
                overdue: follow_up.due < today,
                follow_up,
                client_code,
            })
        })
        .collect()
    }

    pub fn follow_up(&self, id: FollowUpId) -> Result<FollowUp, StoreError> {
        self.0
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM follow_ups f WHERE f.id = ?1"
            ))?
            .query_row([id.0], read_row)
            .optional()?
            .ok_or(StoreError::from(FollowUpError::Unknown))?
    }
}

impl<S: DerefMut<Target = Store>> Registers<S> {
    /// Records what a check-in found; once.
    pub fn record_check_in(
        &mut self,
        id: FollowUpId,
        check_in: &CheckIn,
    ) -> Result<FollowUp, StoreError> {
        let check_in = check_in.checked()?;
        let ebi = check_in
            .ebi
            .map(|ebi| serde_json::to_string(&ebi))
            .transpose()
            .map_err(|_| StoreError::Damaged("a check-in to be written"))?;
        let phq9 = check_in
            .phq9
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|_| StoreError::Damaged("a check-in to be written"))?;
        // Whether it is still open is read in the transaction that records it: once.
        self.0.write(|tx| {
            let done: Option<Option<i64>> = tx
                .prepare_cached("SELECT done_ms FROM follow_ups WHERE id = ?1")?
                .query_row([id.0], |row| row.get(0))
                .optional()?;
            match done {
                None => return Err(FollowUpError::Unknown.into()),
                Some(Some(_)) => return Err(FollowUpError::AlreadyDone.into()),
                Some(None) => {}
            }
            tx.prepare_cached(
                "UPDATE follow_ups SET done_ms = ?2, ebi = ?3, phq9 = ?4, note = ?5 WHERE id = ?1",
            )?
            .execute(params![id.0, to_ms(check_in.at), ebi, phq9, check_in.note])?;
            Ok(())
        })?;
        self.follow_up(id)
    }

    /// Writes check-ins already made (a practice's history, as the demo fills it) in one
    /// transaction: planned with their due days and, when done, what they found.
    pub fn insert_follow_ups(&mut self, follow_ups: &[FollowUp]) -> Result<(), StoreError> {
        self.0.write(|tx| insert_rows(tx, follow_ups))
    }
}

/// Writes check-ins as they are, on any connection or transaction (the demo's, an import's).
pub(in crate::store) fn insert_rows(
    conn: &Connection,
    follow_ups: &[FollowUp],
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO follow_ups (session_id, kind, due_day, done_ms, ebi, phq9, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let written = |value: serde_json::Result<String>| {
        value.map_err(|_| StoreError::Damaged("a check-in to be written"))
    };
    for follow_up in follow_ups {
        let done = follow_up.done.as_ref();
        let ebi = done
            .and_then(|check_in| check_in.ebi)
            .map(|ebi| written(serde_json::to_string(&ebi)))
            .transpose()?;
        let phq9 = done
            .and_then(|check_in| check_in.phq9.as_ref())
            .map(|measure| written(serde_json::to_string(measure)))
            .transpose()?;
        insert.execute(params![
            follow_up.session_id.0,
            follow_up.kind.as_str(),
            follow_up.due.to_string(),
            done.map(|check_in| to_ms(check_in.at)),
            ebi,
            phq9,
            done.map_or("", |check_in| check_in.note.as_str()),
        ])?;
    }
    Ok(())
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<FollowUp, StoreError>> {
    let id: i64 = row.get(0)?;
    let session: i64 = row.get(1)?;
    let kind: String = row.get(2)?;
    let due: String = row.get(3)?;
    let done_ms: Option<i64> = row.get(4)?;
    let ebi: Option<String> = row.get(5)?;
    let phq9: Option<String> = row.get(6)?;
    let note: String = row.get(7)?;
    Ok((|| {
        let damaged = || StoreError::Damaged("a check-in");
        let done = done_ms
            .map(|ms| -> Result<CheckIn, StoreError> {
                Ok(CheckIn {
                    at: from_ms(ms)?,
                    ebi: ebi
                        .as_deref()
                        .map(serde_json::from_str::<Ebi>)
                        .transpose()
                        .map_err(|_| damaged())?,
                    phq9: phq9
                        .as_deref()
                        .map(serde_json::from_str::<Measure>)
                        .transpose()
                        .map_err(|_| damaged())?,
                    note: note.clone(),
                })
            })
            .transpose()?;
        Ok(FollowUp {
            id: FollowUpId(id),
            session_id: SessionId(session),
            kind: CheckInKind::parse(&kind).ok_or_else(damaged)?,
            due: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(|_| damaged())?,
            done,
        })
    })())
}
