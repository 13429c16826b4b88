//! Migration 16: sets right the entries a journal recorded one place off when a "sit with it" or a
//! lowering was decided past a soft stop (see `domain::deferral_link`).
//!
//! Only sessions this journal may still change are rewritten: a signed session keeps the bytes its
//! signature covers, and a colleague's copy stays as its author sent it; readers resolve their links
//! the same way. Each rewritten entry is logged by the audit triggers like any other change.

use rusqlite::{Transaction, params};

use super::super::StoreError;
use crate::domain::{SessionId, repaired_links};

/// Rewrites every shifted entry of the unsigned own sessions that went past a soft stop.
pub(in crate::store) fn repair_deferral_links(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let sessions: Vec<i64> = tx
        .prepare(
            "SELECT DISTINCT e.session_id FROM events e JOIN sessions s ON s.id = e.session_id
             WHERE e.kind = 'went_ahead' AND s.status <> 'signed'
               AND e.session_id NOT IN (SELECT session_id FROM practice_copies)",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut rewrite =
        tx.prepare("UPDATE events SET payload = ?3 WHERE session_id = ?1 AND seq = ?2")?;
    for id in sessions {
        let session = SessionId(id);
        let events = crate::store::record::event_rows::read_events(tx, session)?;
        let repaired = repaired_links(events.iter().map(|event| (event.seq, &event.kind)));
        if repaired.is_empty() {
            continue;
        }
        let (model, client) = super::super::search::session_labels(tx, session)?;
        for (seq, kind) in repaired {
            let payload = serde_json::to_string(&kind)
                .map_err(|_| StoreError::Damaged("an entry to be written"))?;
            rewrite.execute(params![session.0, seq.0, payload])?;
            // A lowering's reason is searchable: its words in the index change with it.
            super::super::search::forget(tx, session, seq, model)?;
            super::super::search::set_aside(tx, session, seq, &kind, model, &client)?;
        }
    }
    super::super::search::index_waiting(tx)
}
