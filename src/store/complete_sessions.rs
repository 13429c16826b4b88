//! Whole sessions written in one go, with their timelines (the demo, imports, a colleague's copy):
//! the session, its entries and its delivered total, and, for a session recorded at this clinic,
//! its administration in the controlled-substance log.

use super::{Store, StoreError};
use crate::domain::{Seq, SessionId, SessionStatus};
use crate::store::record::events::insert_events_unindexed;
use crate::store::record::sessions::{CompleteSession, insert_session};

impl Store {
    /// Writes many complete sessions in one transaction: all of them or none.
    pub fn insert_complete_sessions(
        &mut self,
        sessions: &[CompleteSession],
    ) -> Result<Vec<SessionId>, StoreError> {
        self.write(|tx| {
            let mut ids = Vec::with_capacity(sessions.len());
            for session in sessions {
                ids.push(insert_complete_session(tx, session, Origin::ThisClinic)?);
            }
            super::search::index_waiting(tx)?;
            Ok(ids)
        })
    }
}

/// Where a complete session comes from, which decides whether it gave from this clinic's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// Recorded here (the demo writes whole sessions): its administration is entered in the
    /// controlled-substance log.
    ThisClinic,
    /// Imported or copied from another journal: its vial was another clinic's stock, so the log
    /// is left alone.
    Elsewhere,
}

/// Writes one complete session inside the caller's transaction; its words wait for the index until
/// the caller runs [`super::search::index_waiting`].
pub(super) fn insert_complete_session(
    tx: &rusqlite::Transaction<'_>,
    session: &CompleteSession,
    origin: Origin,
) -> Result<SessionId, StoreError> {
    // A signed session goes in as ended: its timeline and notes are written first, then the
    // signature (see ImportBatch::insert_signature), after which nothing of it can change.
    let status = match session.status {
        SessionStatus::Signed => SessionStatus::Ended,
        other => other,
    };
    insert_session(
        tx,
        &session.new,
        session.uuid,
        status,
        (session.started_at, session.ended_at),
        (session.weight_kg, session.zone),
    )?;
    let id = SessionId(tx.last_insert_rowid());
    insert_events_unindexed(tx, id, Seq(1), &session.events)?;
    crate::store::record::delivered_total::record_delivered(tx, id)?;
    // The checklist is at hand: its lot is taken from it rather than read back.
    let lot = session.events.iter().find_map(|event| match &event.kind {
        crate::domain::EventKind::PreSession(checklist) => checklist.lot.clone(),
        _ => None,
    });
    if origin == Origin::ThisClinic {
        crate::store::registers::substance_log::record_administered_from(tx, id, lot)?;
    }
    Ok(id)
}
