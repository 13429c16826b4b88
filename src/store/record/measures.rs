//! A client's questionnaires across sessions, for the trends in the client history, and their
//! newest safety plan, for the prep sheet.

use chrono::{DateTime, Utc};
use std::ops::Deref;

use super::super::{Store, StoreError, from_ms};
use super::Record;
use rusqlite::OptionalExtension as _;

use crate::domain::{ClientId, EventKind, Measure, SafetyPlan, SessionId};

/// One questionnaire as recorded in a session.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedMeasure {
    pub session: SessionId,
    pub taken_at: DateTime<Utc>,
    pub measure: Measure,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The newest safety plan of a client's sessions started at or after `since`, with when it
    /// was made: read from the plans alone, not from every timeline.
    pub fn newest_safety_plan(
        &self,
        client: ClientId,
        since: DateTime<Utc>,
    ) -> Result<Option<(DateTime<Utc>, SafetyPlan)>, StoreError> {
        let found: Option<(i64, String)> = self
            .0
            .conn
            .prepare_cached(
                "SELECT e.wall_ms, e.payload FROM sessions s JOIN events e ON e.session_id = s.id
                 WHERE s.client_id = ?1 AND s.started_ms >= ?2 AND e.kind = 'safety_plan'
                 ORDER BY s.started_ms DESC, s.id DESC, e.seq DESC LIMIT 1",
            )?
            .query_row(
                rusqlite::params![client.0, super::super::to_ms(since)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        found
            .map(|(wall_ms, payload)| {
                let Ok(EventKind::SafetyPlan(plan)) = serde_json::from_str(&payload) else {
                    return Err(StoreError::Damaged("a safety plan"));
                };
                Ok((from_ms(wall_ms)?, plan))
            })
            .transpose()
    }

    /// Every questionnaire of the client, oldest session first and in timeline order within one.
    pub fn measures_of(&self, client: ClientId) -> Result<Vec<RecordedMeasure>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
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
