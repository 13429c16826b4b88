//! Which REMS monitoring forms were submitted (migration 11): one row per esketamine session, never
//! changed, watched by the audit log. An ended intranasal esketamine session without a row is a form
//! still to submit, due 7 days after its treatment.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError, from_ms, to_ms};
use crate::domain::{ClinicZone, REMS_SUBMIT_WITHIN_DAYS, SessionId};

/// Migration 11: the submissions and the triggers that keep them as written.
pub(super) const CREATE_REMS_SUBMISSIONS: &str = r"
    CREATE TABLE rems_submissions (
        session_id    INTEGER PRIMARY KEY REFERENCES sessions(id),
        submitted_ms  INTEGER NOT NULL,
        recorded_by   TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER rems_submissions_no_update BEFORE UPDATE ON rems_submissions
    BEGIN SELECT RAISE(ABORT, 'append-only: a REMS submission is never changed'); END;
    CREATE TRIGGER rems_submissions_no_delete BEFORE DELETE ON rems_submissions
    BEGIN SELECT RAISE(ABORT, 'append-only: a REMS submission is never changed'); END;
";

/// A REMS form still to submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemsDue {
    pub session_id: SessionId,
    pub client_code: String,
    pub treated_at: DateTime<Utc>,
    /// The last day to submit it.
    pub due: NaiveDate,
    /// `now` is past the due day.
    pub overdue: bool,
}

impl Store {
    /// Every ended intranasal esketamine session of this journal whose form is not marked
    /// submitted, the most urgent first, judged at `now`. A colleague's session copied from the
    /// practice is theirs to report.
    pub fn rems_due(&self, now: DateTime<Utc>) -> Result<Vec<RemsDue>, StoreError> {
        let clinic_zone = self.clinic_zone()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT s.id, c.code, s.started_ms, s.zone FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE s.route = 'intranasal_esketamine' AND s.ended_ms IS NOT NULL
               AND s.id NOT IN (SELECT session_id FROM rems_submissions)
               AND s.id NOT IN (SELECT session_id FROM practice_copies)
             ORDER BY s.started_ms",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, client_code, started_ms, zone) = row?;
            let treated_at = from_ms(started_ms)?;
            // The treatment date is the clinic's calendar day, not UTC's: a 17:30 session in Los
            // Angeles and a 09:00 one in Sydney each have their own day, and 7 days from it.
            let zone = zone
                .and_then(|name| ClinicZone::parse(&name).ok())
                .unwrap_or(clinic_zone);
            let due =
                zone.date(treated_at) + chrono::Days::new(REMS_SUBMIT_WITHIN_DAYS.unsigned_abs());
            Ok(RemsDue {
                session_id: SessionId(id),
                client_code,
                treated_at,
                due,
                overdue: zone.date(now) > due,
            })
        })
        .collect()
    }

    /// Marks a session's REMS form submitted at `at`; once, and only for an ended intranasal
    /// esketamine session.
    pub fn mark_rems_submitted(
        &mut self,
        session: SessionId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_rems_submitted_all(&[(session, at)])
    }

    /// Marks many forms submitted in one transaction: all of them, or none (the demo's paperwork).
    pub fn mark_rems_submitted_all(
        &mut self,
        submissions: &[(SessionId, DateTime<Utc>)],
    ) -> Result<(), StoreError> {
        self.require_writer()?;
        let recorded_by = self
            .clinician()?
            .map(|clinician| clinician.signed_as())
            .unwrap_or_default();
        let tx = self.conn.transaction()?;
        for (session, at) in submissions {
            submit(&tx, *session, *at, &recorded_by)?;
        }
        tx.commit()?;
        self.anchor_commit();
        Ok(())
    }
}

/// One submission inside the caller's transaction.
fn submit(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    at: DateTime<Utc>,
    recorded_by: &str,
) -> Result<(), StoreError> {
    let exists: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ?1)")?
        .query_row([session.0], |row| row.get(0))?;
    if !exists {
        return Err(StoreError::NoSuchSession(session.0));
    }
    let due: bool = tx
        .prepare_cached(
            "SELECT count(*) FROM sessions WHERE id = ?1 AND route = 'intranasal_esketamine'
               AND ended_ms IS NOT NULL
               AND id NOT IN (SELECT session_id FROM practice_copies)",
        )?
        .query_row([session.0], |row| row.get::<_, i64>(0))?
        == 1;
    if !due {
        return Err(StoreError::RemsNotDue);
    }
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO rems_submissions (session_id, submitted_ms, recorded_by)
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![session.0, to_ms(at), recorded_by])?;
    if inserted == 0 {
        return Err(StoreError::RemsAlreadySubmitted);
    }
    Ok(())
}
