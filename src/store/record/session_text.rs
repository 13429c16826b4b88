//! A text kept beside a session, one row per session (the draft, the progress note, the private
//! note): written over when saved again, removed when there is nothing in it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::super::{StoreError, to_ms};
use crate::domain::SessionId;

/// A table holding one text per session in `column`, with `saved_ms`.
#[derive(Clone, Copy)]
pub(in crate::store) struct SessionText {
    pub table: &'static str,
    pub column: &'static str,
}

impl SessionText {
    /// Saves `text` for `session`, or removes the row when it is `None`.
    pub fn write(
        self,
        conn: &Connection,
        session: SessionId,
        text: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Self { table, column } = self;
        match text {
            None => {
                conn.prepare_cached(&format!("DELETE FROM {table} WHERE session_id = ?1"))?
                    .execute([session.0])?;
            }
            Some(text) => {
                conn.prepare_cached(&format!(
                    "INSERT INTO {table} (session_id, {column}, saved_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT (session_id) DO UPDATE
                     SET {column} = excluded.{column}, saved_ms = excluded.saved_ms"
                ))?
                .execute(params![session.0, text, to_ms(now)])?;
            }
        }
        Ok(())
    }
}
