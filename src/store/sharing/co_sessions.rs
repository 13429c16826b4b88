//! Live sessions logged with a colleague (migration 29). A clinician who joins a colleague's live
//! session keeps their part of it here as a session of their own (`live_parts`: its entries are the
//! ones they write), and every journal in a live session keeps the merged timeline as the practice
//! server ordered it (`live_merged`), so the session's figures are there after a restart and while
//! the server is away. Both tables are append-only: the merged timeline is the server's, copied.

use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::super::{Store, StoreError, from_ms, to_ms};
use super::Sharing;
use crate::domain::{
    ClientId, ClinicZone, Colleague, Dose, LiveEntry, NewSession, Route, Session, SessionId,
    SessionStatus, TreatmentModel,
};

/// Migration 29: a journal's parts of colleagues' live sessions, and the merged timelines.
pub(in crate::store) const CREATE_CO_SESSIONS: &str = r"
    CREATE TABLE live_parts (
        session_id    INTEGER PRIMARY KEY REFERENCES sessions(id),
        live_uuid     TEXT NOT NULL UNIQUE,
        author_login  TEXT NOT NULL,
        author_name   TEXT NOT NULL,
        joined_ms     INTEGER NOT NULL
    );
    CREATE TRIGGER live_parts_no_update BEFORE UPDATE ON live_parts
    BEGIN SELECT RAISE(ABORT, 'append-only: a joined session stays joined'); END;
    CREATE TRIGGER live_parts_no_delete BEFORE DELETE ON live_parts
    BEGIN SELECT RAISE(ABORT, 'append-only: a joined session stays joined'); END;
    CREATE TABLE live_merged (
        live_uuid     TEXT NOT NULL,
        position      INTEGER NOT NULL CHECK (position > 0),
        author_login  TEXT NOT NULL,
        author_name   TEXT NOT NULL,
        author_seq    INTEGER NOT NULL CHECK (author_seq > 0),
        wall_ms       INTEGER NOT NULL,
        elapsed_ms    INTEGER NOT NULL,
        kind          TEXT NOT NULL,
        entry         TEXT NOT NULL,
        PRIMARY KEY (live_uuid, position)
    ) WITHOUT ROWID;
    CREATE TRIGGER live_merged_no_update BEFORE UPDATE ON live_merged
    BEGIN SELECT RAISE(ABORT, 'append-only: the merged timeline is the server''s'); END;
    CREATE TRIGGER live_merged_no_delete BEFORE DELETE ON live_merged
    BEGIN SELECT RAISE(ABORT, 'append-only: the merged timeline is the server''s'); END;
";

/// A colleague's live session this journal joined, as the practice announced it.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedLive {
    pub uuid: uuid::Uuid,
    /// The client in this journal the session is for (linked to the practice's code).
    pub client_id: ClientId,
    /// Who started it.
    pub author: Colleague,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: Dose,
    pub weight_kg: Option<f64>,
    pub intention: String,
    pub comfort_plan: String,
    /// When its author started it: the part's time counts from there too, so both journals'
    /// entries stand on one time line.
    pub started_at: DateTime<Utc>,
    pub zone: Option<ClinicZone>,
}

/// This journal's part of a colleague's live session.
#[derive(Debug, Clone, PartialEq)]
pub struct LivePart {
    /// The live session joined.
    pub live_uuid: uuid::Uuid,
    /// Who started it.
    pub author: Colleague,
}

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The colleague's live session `session` is this journal's part of, if it is one.
    pub fn live_part(&self, session: SessionId) -> Result<Option<LivePart>, StoreError> {
        self.0
            .conn
            .prepare_cached(
                "SELECT live_uuid, author_login, author_name FROM live_parts WHERE session_id = ?1",
            )?
            .query_row([session.0], |row| {
                Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?
            .map(|(uuid, login, name)| {
                Ok(LivePart {
                    live_uuid: parse_uuid(&uuid)?,
                    author: Colleague { login, name },
                })
            })
            .transpose()
    }

    /// This journal's part of the live session `live`, if it joined it.
    pub fn live_part_of(&self, live: uuid::Uuid) -> Result<Option<SessionId>, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached("SELECT session_id FROM live_parts WHERE live_uuid = ?1")?
            .query_row([live.to_string()], |row| row.get(0))
            .optional()?
            .map(SessionId))
    }

    /// The merged timeline of the live session `live` as far as this journal holds it, in the
    /// server's order.
    pub fn live_merged(&self, live: uuid::Uuid) -> Result<Vec<LiveEntry>, StoreError> {
        merged(&self.0.conn, live)
    }

    /// The last position of `live`'s merged timeline this journal holds (0 for none).
    pub fn live_merged_last(&self, live: uuid::Uuid) -> Result<i32, StoreError> {
        last(&self.0.conn, live)
    }
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Keeps the entries of `live`'s merged timeline that follow the last one held, in one
    /// transaction: those already held are passed over, and nothing after a gap is kept (the next
    /// read from the server starts at the gap). How many were new.
    pub fn keep_live_merged(
        &mut self,
        live: uuid::Uuid,
        entries: &[LiveEntry],
    ) -> Result<usize, StoreError> {
        if entries.is_empty() {
            return Ok(0);
        }
        self.0.write(|tx| keep(tx, live, entries))
    }

    /// Starts this journal's part of the colleague's live session `joined`, or gives the part it
    /// has already (joining twice is joining once). The part is a live session of this journal's
    /// own, under the client it is for, counted from when its author started: its entries are the
    /// ones this clinician writes. The consent it goes ahead under is its author's to check.
    pub fn join_live(
        &mut self,
        joined: &JoinedLive,
        now: DateTime<Utc>,
    ) -> Result<Session, StoreError> {
        if let Some(part) = self.live_part_of(joined.uuid)? {
            return self.0.record().session(part);
        }
        let new = NewSession {
            client_id: joined.client_id,
            model: joined.model,
            route: joined.route,
            planned_dose: joined.planned_dose,
            intention: joined.intention.clone(),
            comfort_plan: joined.comfort_plan.clone(),
        };
        let zone = match joined.zone {
            Some(zone) => zone,
            None => self.0.clinic_zone()?,
        };
        let id = self.0.write(|tx| {
            crate::store::record::sessions::insert_session(
                tx,
                &new,
                uuid::Uuid::new_v4(),
                SessionStatus::Live,
                (joined.started_at, None),
                (joined.weight_kg, Some(zone)),
            )?;
            let id = tx.last_insert_rowid();
            tx.prepare_cached(
                "INSERT INTO live_parts (session_id, live_uuid, author_login, author_name, joined_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                id,
                joined.uuid.to_string(),
                joined.author.login,
                joined.author.name,
                to_ms(now)
            ])?;
            Ok(SessionId(id))
        })?;
        self.0.record().session(id)
    }
}

fn parse_uuid(text: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::parse_str(text).map_err(|_| StoreError::Damaged("a joined live session"))
}

/// `live`'s merged timeline as `conn` holds it, in the server's order.
pub(in crate::store) fn merged(
    conn: &rusqlite::Connection,
    live: uuid::Uuid,
) -> Result<Vec<LiveEntry>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT position, author_login, author_name, author_seq, wall_ms, elapsed_ms, kind, entry
         FROM live_merged WHERE live_uuid = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([live.to_string()], |row| {
        Ok((
            row.get::<_, i32>(0)?,
            Colleague {
                login: row.get(1)?,
                name: row.get(2)?,
            },
            row.get::<_, i32>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, i64>(5)?,
            row.get::<_, String>(6)?,
            row.get::<_, String>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (position, author, author_seq, wall_ms, elapsed_ms, kind, entry) = row?;
        Ok(LiveEntry {
            position,
            author,
            author_seq,
            wall_time: from_ms(wall_ms)?,
            elapsed_ms,
            kind,
            entry: serde_json::from_str(&entry)
                .map_err(|_| StoreError::Damaged("a live session's entry"))?,
        })
    })
    .collect()
}

fn last(conn: &rusqlite::Connection, live: uuid::Uuid) -> Result<i32, StoreError> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(max(position), 0) FROM live_merged WHERE live_uuid = ?1")?
        .query_row([live.to_string()], |row| row.get(0))?)
}

/// Keeps, through `conn`, the entries that follow the last one held (see
/// [`Sharing::keep_live_merged`]); how many were new.
pub(in crate::store) fn keep(
    conn: &rusqlite::Connection,
    live: uuid::Uuid,
    entries: &[LiveEntry],
) -> Result<usize, StoreError> {
    let mut next = last(conn, live)? + 1;
    let mut insert = conn.prepare_cached(
        "INSERT INTO live_merged (live_uuid, position, author_login, author_name,
                                  author_seq, wall_ms, elapsed_ms, kind, entry)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut kept = 0;
    for entry in entries {
        if entry.position < next {
            continue;
        }
        if entry.position > next {
            break;
        }
        let text = serde_json::to_string(&entry.entry)
            .map_err(|_| StoreError::Damaged("a live session's entry"))?;
        insert.execute(params![
            live.to_string(),
            entry.position,
            entry.author.login,
            entry.author.name,
            entry.author_seq,
            to_ms(entry.wall_time),
            entry.elapsed_ms,
            entry.kind,
            text,
        ])?;
        next += 1;
        kept += 1;
    }
    Ok(kept)
}
