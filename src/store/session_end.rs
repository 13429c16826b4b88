//! The end of a live session and what it sets going, in the transaction that ends it: the closing
//! entries, the delivered total kept with the session, the administration entered in the
//! controlled-substance log, and the integration follow-ups planned. The record and the registers
//! meet here, above both.

use rusqlite::params;

use super::{Store, StoreError, to_ms};
use crate::domain::{Event, MAX_SESSION_ENTRIES, Seq, SessionId};
use crate::store::record::events::{NewEvent, check_next, insert_events};

impl Store {
    /// Ends a live session: appends its closing entries (a stop of an infusion still running, then
    /// the end) and marks it ended, in one transaction; returns them as committed.
    pub fn end_session(
        &mut self,
        session: SessionId,
        expected_next: Seq,
        closing: &[NewEvent],
    ) -> Result<Vec<Event>, StoreError> {
        let Some(end) = closing.last() else {
            return Err(StoreError::Damaged("a session end"));
        };
        let committed = self.write(|tx| {
            let next = check_next(tx, session, expected_next)?;
            if next.0 as usize - 1 + closing.len() > MAX_SESSION_ENTRIES {
                return Err(StoreError::SessionFull {
                    most: MAX_SESSION_ENTRIES,
                });
            }
            let committed = insert_events(tx, session, next, closing)?;
            tx.execute(
                "UPDATE sessions SET status = 'ended', ended_ms = ?2 WHERE id = ?1",
                params![session.0, to_ms(end.wall_time)],
            )?;
            tx.execute("DELETE FROM drafts WHERE session_id = ?1", [session.0])?;
            crate::store::record::delivered_total::record_delivered(tx, session)?;
            crate::store::registers::substance_log::record_administered(tx, session)?;
            crate::store::registers::follow_ups::plan_follow_ups(tx, session, end.wall_time)?;
            Ok(committed)
        })?;
        self.checkpoint();
        self.witness_commit();
        Ok(committed)
    }
}
