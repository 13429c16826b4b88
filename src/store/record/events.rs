//! Appending events to a session's timeline and reading them back in sequence order.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, to_ms};
use super::Record;
use crate::domain::{
    DeferralOutcome, Event, EventKind, MAX_SESSION_ENTRIES, Seq, SessionError, SessionId,
};
use crate::store::record::event_rows::read_events;

/// Places at the end of a session kept for the entries that end it: a stop of an infusion still
/// running, then the end.
const CLOSING_PLACES: usize = 2;

/// An event before it is committed: the store gives it its sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub wall_time: DateTime<Utc>,
    pub elapsed_ms: i64,
    pub kind: EventKind,
}

impl Store {
    fn append(
        &mut self,
        session: SessionId,
        expected_next: Seq,
        events: &[NewEvent],
        clear_draft: bool,
    ) -> Result<Vec<Event>, StoreError> {
        self.write(|tx| {
            let next = check_next(tx, session, expected_next)?;
            // The last places are kept for the entries that end the session (see `end_session`).
            if next.0 as usize - 1 + events.len() > MAX_SESSION_ENTRIES - CLOSING_PLACES {
                return Err(StoreError::SessionFull {
                    most: MAX_SESSION_ENTRIES,
                });
            }
            let committed = insert_events(tx, session, next, events)?;
            if clear_draft {
                tx.prepare_cached("DELETE FROM drafts WHERE session_id = ?1")?
                    .execute([session.0])?;
            }
            Ok(committed)
        })
    }
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The whole timeline of a session, in sequence order.
    pub fn events(&self, session: SessionId) -> Result<Vec<Event>, StoreError> {
        read_events(&self.0.conn, session)
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Appends events to a live session in one transaction and returns them as committed.
    ///
    /// `expected_next` is the sequence number the caller believes comes next; events in the batch may
    /// refer to each other by it (a deferral to its decision point). A mismatch is refused rather than
    /// letting such a reference point at the wrong entry.
    pub fn append_events(
        &mut self,
        session: SessionId,
        expected_next: Seq,
        events: &[NewEvent],
    ) -> Result<Vec<Event>, StoreError> {
        self.0.append(session, expected_next, events, false)
    }

    /// Appends the entry the clinician's draft became and clears that draft, in one transaction: one
    /// fsync per Enter, and a restart never offers a committed note again.
    pub fn append_events_clearing_draft(
        &mut self,
        session: SessionId,
        expected_next: Seq,
        events: &[NewEvent],
    ) -> Result<Vec<Event>, StoreError> {
        self.0.append(session, expected_next, events, true)
    }
}

/// Checks that the session takes entries and that `expected` is its next sequence number; events in a
/// batch may refer to each other by it (a deferral to its decision point), so a mismatch is refused
/// rather than letting such a reference point at the wrong entry.
pub(in crate::store) fn check_next(
    tx: &Transaction<'_>,
    session: SessionId,
    expected: Seq,
) -> Result<Seq, StoreError> {
    require_live(tx, session)?;
    let next = next_seq(tx, session)?;
    if next == expected {
        Ok(next)
    } else {
        Err(StoreError::Damaged(
            "a timeline out of step with this window",
        ))
    }
}

fn require_live(tx: &Transaction<'_>, session: SessionId) -> Result<(), StoreError> {
    let status: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT status FROM sessions WHERE id = ?1",
        [session.0],
        |row| row.get(0),
    ))?;
    match status.as_deref() {
        None => Err(StoreError::NotFound("session")),
        Some("live") => Ok(()),
        Some(_) => Err(SessionError::NotLive.into()),
    }
}

fn next_seq(tx: &Transaction<'_>, session: SessionId) -> Result<Seq, StoreError> {
    let last: u32 = tx.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?1",
        [session.0],
        |row| row.get(0),
    )?;
    Ok(Seq(last + 1))
}

/// Inserts events from `first` on and updates the session's counters, inside the caller's transaction.
pub(in crate::store) fn insert_events(
    tx: &Transaction<'_>,
    session: SessionId,
    first: Seq,
    events: &[NewEvent],
) -> Result<Vec<Event>, StoreError> {
    let committed = insert_events_unindexed(tx, session, first, events)?;
    super::super::search::index_waiting(tx)?;
    Ok(committed)
}

/// [`insert_events`] with the entries' words left waiting for the index: bulk writes insert many
/// sessions and index them all at once with [`super::super::search::index_waiting`] before they commit.
pub(in crate::store) fn insert_events_unindexed(
    tx: &Transaction<'_>,
    session: SessionId,
    first: Seq,
    events: &[NewEvent],
) -> Result<Vec<Event>, StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO events (session_id, seq, wall_ms, elapsed_ms, kind, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let (model, client) = super::super::search::session_labels(tx, session)?;
    let mut committed = Vec::with_capacity(events.len());
    let mut counters = Counters::default();
    for (offset, event) in events.iter().enumerate() {
        let seq = Seq(first.0 + offset as u32);
        let payload = serde_json::to_string(&event.kind)
            .map_err(|_| StoreError::Damaged("an entry to be written"))?;
        insert.execute(params![
            session.0,
            seq.0,
            to_ms(event.wall_time),
            event.elapsed_ms,
            event.kind.as_str(),
            payload
        ])?;
        super::super::search::set_aside(tx, session, seq, &event.kind, model, &client)?;
        counters.count(&event.kind);
        committed.push(Event {
            session_id: session,
            seq,
            wall_time: event.wall_time,
            elapsed_ms: event.elapsed_ms,
            kind: event.kind.clone(),
        });
    }
    counters.write(tx, session)?;
    Ok(committed)
}

/// The per-session tallies kept beside the events so that lists of 20,000 sessions need no scan.
#[derive(Default)]
struct Counters {
    events: i64,
    decision_points: i64,
    deferrals: i64,
    outcomes: [i64; 4],
    suicide_risk: i64,
}

impl Counters {
    fn count(&mut self, kind: &EventKind) {
        self.events += 1;
        if crate::domain::calls_for_safety_plan(kind) {
            self.suicide_risk += 1;
        }
        match kind {
            EventKind::DecisionPoint(_) => self.decision_points += 1,
            EventKind::DeferralStart { .. } => self.deferrals += 1,
            EventKind::DeferralOutcome { outcome, .. } => {
                let index = DeferralOutcome::ALL
                    .iter()
                    .position(|o| o == outcome)
                    .unwrap_or_default();
                self.outcomes[index] += 1;
            }
            // Kinds with no counter of their own, by name: a new kind is placed here or above.
            EventKind::Note { .. }
            | EventKind::PreSession(_)
            | EventKind::DosingBegan { .. }
            | EventKind::DoseChange { .. }
            | EventKind::InfusionExtended { .. }
            | EventKind::DecisionDetail { .. }
            | EventKind::DeferralMinutes { .. }
            | EventKind::WentAhead { .. }
            | EventKind::Marker { .. }
            | EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. }
            | EventKind::SafetyPlan(_)
            | EventKind::SessionEnded { .. } => {}
        }
    }

    fn write(&self, tx: &Transaction<'_>, session: SessionId) -> Result<(), StoreError> {
        tx.prepare_cached(
            "UPDATE sessions SET event_count = event_count + ?2, decision_points = decision_points + ?3,
                deferrals = deferrals + ?4, worked_through = worked_through + ?5, dose_lowered = dose_lowered + ?6,
                ended_early = ended_early + ?7, session_stopped = session_stopped + ?8,
                suicide_risk = suicide_risk + ?9
             WHERE id = ?1",
        )?
        .execute(params![
            session.0,
            self.events,
            self.decision_points,
            self.deferrals,
            self.outcomes[0],
            self.outcomes[1],
            self.outcomes[2],
            self.outcomes[3],
            self.suicide_risk
        ])?;
        Ok(())
    }
}
