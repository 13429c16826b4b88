//! Which REMS monitoring forms were submitted: a log of marks (migration 20; migration 11's one row
//! per session became its first marks), never changed, watched by the audit log. A mark made in
//! error is withdrawn by a later mark with its reason. An ended intranasal esketamine session whose
//! newest mark is not "submitted" is a form still to submit, due 7 days after its treatment date.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms, to_ms};
use super::Registers;
use crate::domain::{ClinicZone, REMS_SUBMIT_WITHIN_DAYS, SessionId};

/// Migration 11: the submissions and the triggers that keep them as written.
pub(in crate::store) const CREATE_REMS_SUBMISSIONS: &str = r"
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

/// Migration 20: the marks as a log, each one in force until a later one: "submitted", or
/// "withdrawn" with the reason a mark made in error was taken back. Append-only and audited like
/// the submissions of migration 11, which become the log's first marks.
pub(in crate::store) const CREATE_REMS_MARKS: &str = r"
    CREATE TABLE rems_marks (
        id           INTEGER PRIMARY KEY,
        session_id   INTEGER NOT NULL REFERENCES sessions(id),
        submitted    INTEGER NOT NULL CHECK (submitted IN (0, 1)),
        at_ms        INTEGER NOT NULL,
        reason       TEXT NOT NULL DEFAULT '',
        recorded_by  TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX rems_marks_by_session ON rems_marks (session_id, id);
    CREATE TRIGGER rems_marks_no_update BEFORE UPDATE ON rems_marks
    BEGIN SELECT RAISE(ABORT, 'append-only: a REMS mark is never changed'); END;
    CREATE TRIGGER rems_marks_no_delete BEFORE DELETE ON rems_marks
    BEGIN SELECT RAISE(ABORT, 'append-only: a REMS mark is never changed'); END;
    INSERT INTO rems_marks (session_id, submitted, at_ms, recorded_by)
        SELECT session_id, 1, submitted_ms, recorded_by FROM rems_submissions ORDER BY session_id;
";

/// Whether the newest mark of session `?1` says submitted (SQL, 1 or 0).
const SUBMITTED_NOW: &str = "coalesce((SELECT submitted FROM rems_marks WHERE session_id = ?1 ORDER BY id DESC LIMIT 1), 0)";

/// The longest reason a withdrawal keeps, in characters.
pub const MAX_WITHDRAWAL_REASON_CHARS: usize = 500;

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

impl<S: Deref<Target = Store>> Registers<S> {
    /// Every ended intranasal esketamine session of this journal whose form is not marked
    /// submitted, the most urgent first, judged at `now`. A colleague's session copied from the
    /// practice is theirs to report.
    pub fn rems_due(&self, now: DateTime<Utc>) -> Result<Vec<RemsDue>, StoreError> {
        let clinic_zone = self.0.clinic_zone()?;
        let mut statement = self.0.conn.prepare_cached(
            "SELECT s.id, c.code, s.started_ms, s.zone FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE s.route = 'intranasal_esketamine' AND s.ended_ms IS NOT NULL
               AND coalesce((SELECT m.submitted FROM rems_marks m WHERE m.session_id = s.id
                             ORDER BY m.id DESC LIMIT 1), 0) = 0
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
}

impl<S: DerefMut<Target = Store>> Registers<S> {
    /// Marks a session's REMS form submitted at `at`; once, and only for an ended intranasal
    /// esketamine session.
    pub fn mark_rems_submitted(
        &mut self,
        session: SessionId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.mark_rems_submitted_all(&[(session, at)])
    }

    /// Takes back a "submitted" mark made in error, with why, as a later mark of its own (the first
    /// stays in the log, and both are in the audit log); the form is due again.
    pub fn withdraw_rems_submission(
        &mut self,
        session: SessionId,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let reason = reason.trim();
        if reason.is_empty()
            || reason.chars().count() > MAX_WITHDRAWAL_REASON_CHARS
            || reason.chars().any(crate::domain::hides_or_moves_text)
        {
            return Err(StoreError::RemsWithdrawalReason);
        }
        let recorded_by = self.0.signs_as();
        self.0.write(|tx| {
            if !submitted_now(tx, session)? {
                return Err(StoreError::RemsNotSubmitted);
            }
            tx.prepare_cached(
                "INSERT INTO rems_marks (session_id, submitted, at_ms, reason, recorded_by)
                 VALUES (?1, 0, ?2, ?3, ?4)",
            )?
            .execute(params![session.0, to_ms(at), reason, recorded_by])?;
            Ok(())
        })
    }

    /// Marks many forms submitted in one transaction: all of them, or none (the demo's paperwork).
    pub fn mark_rems_submitted_all(
        &mut self,
        submissions: &[(SessionId, DateTime<Utc>)],
    ) -> Result<(), StoreError> {
        let recorded_by = self
            .0
            .clinician()?
            .map(|clinician| clinician.signed_as())
            .unwrap_or_default();
        self.0.write(|tx| {
            for (session, at) in submissions {
                submit(tx, *session, *at, &recorded_by)?;
            }
            Ok(())
        })
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
    if submitted_now(tx, session)? {
        return Err(StoreError::RemsAlreadySubmitted);
    }
    tx.prepare_cached(
        "INSERT INTO rems_marks (session_id, submitted, at_ms, recorded_by) VALUES (?1, 1, ?2, ?3)",
    )?
    .execute(params![session.0, to_ms(at), recorded_by])?;
    Ok(())
}

/// Whether the newest mark of `session` says its form was submitted.
fn submitted_now(tx: &rusqlite::Transaction<'_>, session: SessionId) -> Result<bool, StoreError> {
    let submitted: i64 = tx
        .prepare_cached(&format!("SELECT {SUBMITTED_NOW}"))?
        .query_row([session.0], |row| row.get(0))?;
    Ok(submitted == 1)
}
