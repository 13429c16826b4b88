//! A session's timeline read back from its rows, on any connection or transaction: what the
//! store's readers and the writes that look at a whole timeline (the delivered total, link repair)
//! share.

use rusqlite::Connection;

use super::super::{StoreError, from_ms};
use crate::domain::{Event, Seq, SessionId};

/// The whole timeline of a session, in sequence order, on any connection or transaction.
pub(in crate::store) fn read_events(
    conn: &Connection,
    session: SessionId,
) -> Result<Vec<Event>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, wall_ms, elapsed_ms, payload FROM events WHERE session_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([session.0], |row| {
        Ok((
            row.get::<_, u32>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (seq, wall_ms, elapsed_ms, payload) = row?;
        let kind = serde_json::from_str(&payload).map_err(|_| StoreError::Damaged("an entry"))?;
        Ok(Event {
            session_id: session,
            seq: Seq(seq),
            wall_time: from_ms(wall_ms)?,
            elapsed_ms,
            kind,
        })
    })
    .collect()
}
