//! A client's questionnaires across sessions, for the trends in the client history.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, from_ms};
use crate::domain::{ClientId, EventKind, Measure, SessionId};

/// One questionnaire as recorded in a session.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedMeasure {
    pub session: SessionId,
    pub taken_at: DateTime<Utc>,
    pub measure: Measure,
}

impl Store {
    /// Every questionnaire of the client, oldest session first and in timeline order within one.
    pub fn measures_of(&self, client: ClientId) -> Result<Vec<RecordedMeasure>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT s.id, e.wall_ms, e.payload FROM sessions s JOIN events e ON e.session_id = s.id
             WHERE s.client_id = ?1 AND e.kind = 'measure'
             ORDER BY s.started_ms, s.id, e.seq",
        )?;
        let rows = statement
            .query_map([client.0], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(session, wall_ms, payload)| {
                let Ok(EventKind::Measure { measure, .. }) = serde_json::from_str(&payload) else {
                    return Err(StoreError::Damaged("a questionnaire"));
                };
                Ok(RecordedMeasure {
                    session: SessionId(session),
                    taken_at: from_ms(wall_ms)?,
                    measure,
                })
            })
            .collect()
    }
}
