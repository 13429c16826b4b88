//! The delivered total kept on each ended session, so that a list of 20,000 sessions shows it without
//! reading 20,000 timelines. Written once, when the session ends (or arrives ended by import or demo).

use rusqlite::{Connection, params};

/// A session's start, end and the weight it was dosed by: what its delivered total is computed
/// from. (A session from before the weight was kept with it has its client's.)
const SESSION_STARTED_AND_ENDED: &str =
    "SELECT s.started_ms, s.ended_ms, coalesce(s.weight_kg, c.weight_kg), s.route
     FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1";

use super::super::StoreError;
use crate::domain::{Route, SessionId, delivered, session_weight};
use crate::store::record::event_rows::read_events;

/// Computes what the session's timeline delivered up to its end and stores it beside the session.
/// A live session has no total yet; both columns stay NULL.
pub(in crate::store) fn record_delivered(
    conn: &Connection,
    session: SessionId,
) -> Result<(), StoreError> {
    let (started_ms, ended_ms, weight_kg, route): (i64, Option<i64>, Option<f64>, String) = conn
        .prepare_cached(SESSION_STARTED_AND_ENDED)?
        .query_row([session.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
    let route = Route::parse(&route).ok_or(StoreError::Damaged("a session's route"))?;
    let Some(ended_ms) = ended_ms else {
        return Ok(());
    };
    let events = read_events(conn, session)?;
    let weight_kg = session_weight(&events, weight_kg);
    let total = delivered(&events, route, weight_kg, ended_ms - started_ms);
    conn.prepare_cached(
        "UPDATE sessions SET delivered_mg = ?2, delivered_mg_per_kg = ?3 WHERE id = ?1",
    )?
    .execute(params![session.0, total.mg, total.mg_per_kg])?;
    Ok(())
}

/// Migration 21: the total of every ended session given by `route`, worked out again (its rules
/// changed: esketamine's devices add up).
pub(in crate::store) fn backfill_route(
    tx: &rusqlite::Transaction<'_>,
    route: Route,
) -> Result<(), StoreError> {
    let ended: Vec<i64> = tx
        .prepare("SELECT id FROM sessions WHERE ended_ms IS NOT NULL AND route = ?1")?
        .query_map([route.as_str()], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ended {
        record_delivered(tx, SessionId(id))?;
    }
    Ok(())
}

/// Migration 8: the total of every ended session, worked out from its timeline again.
pub(in crate::store) fn backfill(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let ended: Vec<i64> = tx
        .prepare("SELECT id FROM sessions WHERE ended_ms IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ended {
        record_delivered(tx, SessionId(id))?;
    }
    Ok(())
}
