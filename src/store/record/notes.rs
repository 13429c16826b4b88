//! The two notes written about a session after it: the progress note, part of the clinical record,
//! and the private psychotherapy note, kept in a table of its own that no list, search or summary
//! reads unless it is asked for by name.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms};
use super::Record;
use crate::domain::{ProgressNote, SessionId, SessionStatus};
use crate::store::record::session_text::SessionText;

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
    /// A signed session's record never changes (corrections are addenda).
    fn require_unsigned(&self, session: SessionId) -> Result<(), StoreError> {
        if self.record().session(session)?.status == SessionStatus::Signed {
            return Err(StoreError::Signed);
        }
        self.refuse_practice_copy(session)
    }
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The progress note of a session, if one was written.
    pub fn progress_note(&self, session: SessionId) -> Result<Option<ProgressNote>, StoreError> {
        let stored = self
            .0
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

    /// The private psychotherapy note of a session. Call it only when the clinician opens the note
    /// on purpose, or asks for it in an export.
    pub fn private_note(&self, session: SessionId) -> Result<Option<PrivateNote>, StoreError> {
        let row = self
            .0
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
            .0
            .conn
            .prepare_cached("SELECT 1 FROM private_notes WHERE session_id = ?1")?
            .exists([session.0])?)
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Saves the progress note of a session; a blank note removes it.
    pub fn save_progress_note(
        &mut self,
        session: SessionId,
        note: &ProgressNote,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.0.require_unsigned(session)?;
        let json = progress_json(note)?;
        self.0
            .write(|tx| PROGRESS.write(tx, session, json.as_deref(), now))
    }

    /// Saves the private psychotherapy note of a session; blank text removes it.
    pub fn save_private_note(
        &mut self,
        session: SessionId,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.session(session)?;
        self.0.refuse_practice_copy(session)?;
        let text = Some(text).filter(|text| !text.trim().is_empty());
        self.0.write(|tx| PRIVATE.write(tx, session, text, now))
    }
}

/// Writes the notes of an imported session inside the import's transaction.
pub(in crate::store) fn insert_notes(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    progress: Option<&ProgressNote>,
    private: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(note) = progress {
        PROGRESS.write(tx, session, progress_json(note)?.as_deref(), now)?;
    }
    if let Some(text) = private.filter(|text| !text.trim().is_empty()) {
        PRIVATE.write(tx, session, Some(text), now)?;
    }
    Ok(())
}

const PROGRESS: SessionText = SessionText {
    table: "progress_notes",
    column: "note",
};

const PRIVATE: SessionText = SessionText {
    table: "private_notes",
    column: "text",
};

/// The note as stored; `None` for a blank note, which is not kept.
fn progress_json(note: &ProgressNote) -> Result<Option<String>, StoreError> {
    if note.is_blank() {
        return Ok(None);
    }
    serde_json::to_string(note)
        .map(Some)
        .map_err(|_| StoreError::Damaged("a progress note"))
}
