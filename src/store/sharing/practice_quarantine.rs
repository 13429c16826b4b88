//! Colleagues' sessions a pull refused (migration 24): changed on the server, sealed by a key its
//! author never proved theirs, signed without a seal, or unreadable. Each is named once, at the sync
//! that first refused it (which then exits 1), reported to the practice for its admin, and kept
//! here so later syncs say how many stay refused without failing again: one bad row never stops
//! everyone's sync. A refused session is still looked at each sync, and copied once it passes.

use std::collections::HashSet;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::super::{Store, StoreError, to_ms};
use super::Sharing;

/// Migration 24: one row per refused session; a session copied later keeps its row (the record
/// that it was once refused).
pub(in crate::store) const CREATE_PRACTICE_QUARANTINE: &str = r"
    CREATE TABLE practice_quarantine (
        uuid      TEXT PRIMARY KEY,
        author    TEXT NOT NULL,
        why       TEXT NOT NULL,
        first_ms  INTEGER NOT NULL
    );
    CREATE TRIGGER practice_quarantine_no_update BEFORE UPDATE ON practice_quarantine
    BEGIN SELECT RAISE(ABORT, 'append-only: a refusal is kept as it was'); END;
    CREATE TRIGGER practice_quarantine_no_delete BEFORE DELETE ON practice_quarantine
    BEGIN SELECT RAISE(ABORT, 'append-only: a refusal is kept as it was'); END;
";

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The sessions a pull has refused before, by uuid.
    pub fn practice_quarantined(&self) -> Result<HashSet<uuid::Uuid>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT uuid FROM practice_quarantine")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        rows.map(|uuid| {
            uuid::Uuid::parse_str(&uuid?).map_err(|_| StoreError::Damaged("a refused session"))
        })
        .collect()
    }
}

/// Notes a refused session inside an import batch's transaction (kept from the first refusal).
pub(in crate::store) fn note(
    tx: &rusqlite::Transaction<'_>,
    uuid: uuid::Uuid,
    author: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO practice_quarantine (uuid, author, why, first_ms) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (uuid) DO NOTHING",
    )?
    .execute(params![uuid.to_string(), author, why, to_ms(now)])?;
    Ok(())
}
