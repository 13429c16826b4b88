//! The two notes written about a session after it: the progress note, part of the clinical record,
//! and the private psychotherapy note, kept in a table of its own that no list, search or summary
//! reads unless it is asked for by name.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, from_ms, to_ms};
use crate::domain::{ProgressNote, SessionId, SessionStatus};

/// A private psychotherapy note and when it was last saved.
#[derive(Clone, PartialEq)]
pub struct PrivateNote {
    pub text: String,
    pub saved_at: DateTime<Utc>,
}

/// The text stays out of `Debug`, so a stray `{:?}` can never print it into a log.
impl std::fmt::Debug for PrivateNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateNote")
            .field("chars", &self.text.chars().count())
            .field("saved_at", &self.saved_at)
            .finish()
    }
}

impl Store {
    /// The progress note of a session, if one was written.
    pub fn progress_note(&self, session: SessionId) -> Result<Option<ProgressNote>, StoreError> {
        let stored = self
            .conn
            .prepare_cached("SELECT note FROM progress_notes WHERE session_id = ?1")?
            .query_row([session.0], |row| row.get::<_, String>(0))
            .optional()?;
        stored
            .map(|json| {
                serde_json::from_str(&json).map_err(|_| StoreError::Damaged("a progress note"))
            })
            .transpose()
    }

    /// Saves the progress note of a session; a blank note removes it.
    pub fn save_progress_note(
        &mut self,
        session: SessionId,
        note: &ProgressNote,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.require_unsigned(session)?;
        if note.is_blank() {
            self.conn.execute(
                "DELETE FROM progress_notes WHERE session_id = ?1",
                [session.0],
            )?;
            return Ok(());
        }
        let json =
            serde_json::to_string(note).map_err(|_| StoreError::Damaged("a progress note"))?;
        self.conn.execute(
            "INSERT INTO progress_notes (session_id, note, saved_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (session_id) DO UPDATE SET note = excluded.note, saved_ms = excluded.saved_ms",
            params![session.0, json, to_ms(now)],
        )?;
        Ok(())
    }

    /// The private psychotherapy note of a session. Call it only when the clinician opens the note
    /// on purpose, or asks for it in an export.
    pub fn private_note(&self, session: SessionId) -> Result<Option<PrivateNote>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT text, saved_ms FROM private_notes WHERE session_id = ?1")?
            .query_row([session.0], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .optional()?;
        row.map(|(text, saved_ms)| {
            Ok(PrivateNote {
                text,
                saved_at: from_ms(saved_ms)?,
            })
        })
        .transpose()
    }

    /// Whether a session has a private note, without reading it (for a discreet marker).
    pub fn has_private_note(&self, session: SessionId) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM private_notes WHERE session_id = ?1")?
            .exists([session.0])?)
    }

    /// Saves the private psychotherapy note of a session; blank text removes it.
    pub fn save_private_note(
        &mut self,
        session: SessionId,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.require_writer()?;
        self.session(session)?;
        if text.trim().is_empty() {
            self.conn.execute(
                "DELETE FROM private_notes WHERE session_id = ?1",
                [session.0],
            )?;
            return Ok(());
        }
        self.conn.execute(
            "INSERT INTO private_notes (session_id, text, saved_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (session_id) DO UPDATE SET text = excluded.text, saved_ms = excluded.saved_ms",
            params![session.0, text, to_ms(now)],
        )?;
        Ok(())
    }

    /// A signed session's record never changes (corrections are addenda).
    fn require_unsigned(&self, session: SessionId) -> Result<(), StoreError> {
        self.require_writer()?;
        if self.session(session)?.status == SessionStatus::Signed {
            return Err(StoreError::Signed);
        }
        Ok(())
    }
}

/// Writes the notes of an imported session inside the import's transaction.
pub(super) fn insert_notes(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    progress: Option<&ProgressNote>,
    private: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(note) = progress.filter(|note| !note.is_blank()) {
        let json =
            serde_json::to_string(note).map_err(|_| StoreError::Damaged("a progress note"))?;
        tx.prepare_cached(
            "INSERT INTO progress_notes (session_id, note, saved_ms) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![session.0, json, to_ms(now)])?;
    }
    if let Some(text) = private.filter(|text| !text.trim().is_empty()) {
        tx.prepare_cached(
            "INSERT INTO private_notes (session_id, text, saved_ms) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![session.0, text, to_ms(now)])?;
    }
    Ok(())
}
