use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms};
use super::Record;
use crate::domain::SessionId;
use crate::store::record::session_text::SessionText;

/// A half-typed note, kept so that a crash or restart loses no words.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub text: String,
    pub saved_at: DateTime<Utc>,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The saved draft of a session, if any.
    pub fn draft(&self, session: SessionId) -> Result<Option<Draft>, StoreError> {
        let row = self
            .0
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

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Saves (or, for empty text, clears) the draft of a session.
    pub fn save_draft(
        &mut self,
        session: SessionId,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let drafts = SessionText {
            table: "drafts",
            column: "text",
        };
        self.0.write_unrecorded(|tx| {
            drafts.write(tx, session, Some(text).filter(|t| !t.is_empty()), now)
        })
    }
}
