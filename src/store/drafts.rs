use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, from_ms, to_ms};
use crate::domain::SessionId;

/// A half-typed note, kept so that a crash or restart loses no words.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub text: String,
    pub saved_at: DateTime<Utc>,
}

impl Store {
    /// Saves (or, for empty text, clears) the draft of a session.
    pub fn save_draft(
        &mut self,
        session: SessionId,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.require_writer()?;
        if text.is_empty() {
            self.conn
                .execute("DELETE FROM drafts WHERE session_id = ?1", [session.0])?;
        } else {
            self.conn.execute(
                "INSERT INTO drafts (session_id, text, saved_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (session_id) DO UPDATE SET text = excluded.text, saved_ms = excluded.saved_ms",
                params![session.0, text, to_ms(now)],
            )?;
        }
        Ok(())
    }

    /// The saved draft of a session, if any.
    pub fn draft(&self, session: SessionId) -> Result<Option<Draft>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT text, saved_ms FROM drafts WHERE session_id = ?1")?
            .query_row([session.0], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .optional()?;
        row.map(|(text, saved_ms)| {
            Ok(Draft {
                text,
                saved_at: from_ms(saved_ms)?,
            })
        })
        .transpose()
    }
}
