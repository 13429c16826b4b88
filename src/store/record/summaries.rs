//! The one-line-per-session read model behind session lists and `kap-journal sessions`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::ops::Deref;

use super::super::{Store, StoreError, from_ms};
use super::Record;
use crate::domain::{Delivered, Dose, Route, SessionId, SessionStatus, TreatmentModel};

/// Which sessions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub client_code: Option<String>,
    pub model: Option<TreatmentModel>,
    /// Leave out colleagues' sessions copied from the practice (listed by default, marked).
    pub own_only: bool,
}

/// One session as a list shows it. Its JSON form is the documented output of `kap-journal sessions --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionSummary {
    pub id: SessionId,
    pub client_code: String,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: Dose,
    pub status: SessionStatus,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub events: u32,
    pub decision_points: u32,
    pub deferrals: u32,
    pub worked_through: u32,
    pub dose_lowered: u32,
    pub ended_early: u32,
    pub session_stopped: u32,
    /// How many entries call for a safety plan: a positive suicide risk screen or PHQ-9 item 9
    /// above zero. Above zero, lists mark the session.
    pub suicide_risk: u32,
    /// What the session delivered, in mg; `None` while live or when it cannot be known (mg/kg with no weight).
    pub delivered_mg: Option<f64>,
    /// The same in mg/kg; `None` while live or when the client's weight is unknown.
    pub delivered_mg_per_kg: Option<f64>,
    /// Who recorded it, for a colleague's session copied from the practice; `None` for this
    /// journal's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clinician: Option<String>,
    /// A signature that came without a seal: the list says "signed (unverified)".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub signature_unverified: bool,
}

impl SessionSummary {
    /// The delivered total as the domain describes it; all `None` while the session is live.
    pub fn delivered(&self) -> Delivered {
        Delivered {
            mg: self.delivered_mg,
            mg_per_kg: self.delivered_mg_per_kg,
        }
    }

    /// "live", "ended", "signed", or "signed (unverified)" for a signature that came without a seal.
    pub fn describe_status(&self) -> &'static str {
        if self.signature_unverified {
            "signed (unverified)"
        } else {
            self.status.as_str()
        }
    }

    /// "24.5 mg (0.35 mg/kg)", "–" when nothing was given, "live" while it runs.
    pub fn describe_delivered(&self) -> String {
        if self.status == SessionStatus::Live {
            "live".to_owned()
        } else {
            self.delivered().describe()
        }
    }
}

/// What a list shows of a session, and where it is read from (the filters come after).
const SUMMARY_SELECT: &str =
    "SELECT s.id, c.code, s.model, s.route, s.planned_dose, s.status, s.started_ms, s.ended_ms,
            s.event_count, s.decision_points, s.deferrals, s.worked_through, s.dose_lowered,
            s.ended_early, s.session_stopped, s.delivered_mg, s.delivered_mg_per_kg, s.suicide_risk,
            p.author_name, u.session_id IS NOT NULL
     FROM sessions s JOIN clients c ON c.id = s.client_id
          LEFT JOIN practice_copies p ON p.session_id = s.id
          LEFT JOIN unverified_signatures u ON u.session_id = s.id";

/// The summaries query for the filter's shape. A filter left out is written as its parameter being
/// NULL, never as `(?1 IS NULL OR c.code = ?1)`: no index serves that form, so one client's history
/// read every session of the journal (the demo's check-ins, a read per client, grew with the square
/// of the journal: 41 % of writing the 100,000-session demo). Each shape is a statement of its own,
/// planned once.
fn filtered_summaries_sql(filter: &SessionFilter) -> String {
    let client = if filter.client_code.is_some() {
        "c.code = ?1"
    } else {
        "?1 IS NULL"
    };
    let model = if filter.model.is_some() {
        "s.model = ?2"
    } else {
        "?2 IS NULL"
    };
    format!(
        "{SUMMARY_SELECT}
         WHERE {client} AND {model} AND (?3 = 0 OR p.session_id IS NULL)
         ORDER BY s.started_ms DESC, s.id DESC"
    )
}

/// How many sessions of each model the journal holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCounts {
    pub kap: usize,
    pub medical: usize,
}

impl SessionCounts {
    pub fn of(&self, model: TreatmentModel) -> usize {
        match model {
            TreatmentModel::Kap => self.kap,
            TreatmentModel::Medical => self.medical,
        }
    }

    pub fn total(&self) -> usize {
        self.kap + self.medical
    }
}

impl<S: Deref<Target = Store>> Record<S> {
    /// Sessions matching the filter, newest first. Medical Model and KAP rows carry their model so a
    /// caller can always keep them apart.
    pub fn session_summaries(
        &self,
        filter: &SessionFilter,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached(&filtered_summaries_sql(filter))?;
        let model = filter.model.map(TreatmentModel::as_str);
        let rows = statement.query_map(
            rusqlite::params![
                filter.client_code.as_deref().map(str::trim),
                model,
                filter.own_only
            ],
            |row| Ok(summary(row)),
        )?;
        rows.map(|row| row?).collect()
    }

    /// The newest `limit` sessions of one model, newest first: what a list shows first, read
    /// through an index in a millisecond however large the journal.
    pub fn newest_sessions(
        &self,
        model: TreatmentModel,
        limit: usize,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "{SUMMARY_SELECT}
             WHERE s.model = ?1
             ORDER BY s.model, s.started_ms DESC, s.id DESC LIMIT ?2"
        ))?;
        let rows = statement.query_map(
            rusqlite::params![model.as_str(), i64::try_from(limit).unwrap_or(i64::MAX)],
            |row| Ok(summary(row)),
        )?;
        rows.map(|row| row?).collect()
    }

    /// The sessions still live, newest first (through the index of live sessions).
    pub fn live_summaries(&self) -> Result<Vec<SessionSummary>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "{SUMMARY_SELECT}
             WHERE s.status = 'live'
             ORDER BY s.started_ms DESC, s.id DESC"
        ))?;
        let rows = statement.query_map([], |row| Ok(summary(row)))?;
        rows.map(|row| row?).collect()
    }

    /// How many sessions of each model there are (counted in the model's index).
    pub fn session_counts(&self) -> Result<SessionCounts, StoreError> {
        let mut counts = SessionCounts::default();
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT model, count(*) FROM sessions GROUP BY model")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (model, count) = row?;
            let count = usize::try_from(count).map_err(|_| StoreError::Damaged("a session"))?;
            match TreatmentModel::parse(&model) {
                Some(TreatmentModel::Kap) => counts.kap = count,
                Some(TreatmentModel::Medical) => counts.medical = count,
                None => return Err(StoreError::Damaged("a session")),
            }
        }
        Ok(counts)
    }
}

/// One row of [`SUMMARY_SELECT`] as the domain describes it; a value no build writes is damage.
/// Given inside SQLite's answer, as `query_map` asks (`|row| Ok(summary(row))`), and taken out by
/// the caller.
fn summary(row: &rusqlite::Row<'_>) -> Result<SessionSummary, StoreError> {
    let damaged = || StoreError::Damaged("a session");
    let text = |index| row.get::<_, String>(index);
    Ok(SessionSummary {
        id: SessionId(row.get(0)?),
        client_code: text(1)?,
        model: TreatmentModel::parse(&text(2)?).ok_or_else(damaged)?,
        route: Route::parse(&text(3)?).ok_or_else(damaged)?,
        planned_dose: serde_json::from_str(&text(4)?).map_err(|_| damaged())?,
        status: SessionStatus::parse(&text(5)?).ok_or_else(damaged)?,
        started_at: from_ms(row.get(6)?)?,
        ended_at: row.get::<_, Option<i64>>(7)?.map(from_ms).transpose()?,
        events: row.get(8)?,
        decision_points: row.get(9)?,
        deferrals: row.get(10)?,
        worked_through: row.get(11)?,
        dose_lowered: row.get(12)?,
        ended_early: row.get(13)?,
        session_stopped: row.get(14)?,
        delivered_mg: row.get(15)?,
        delivered_mg_per_kg: row.get(16)?,
        suicide_risk: row.get(17)?,
        clinician: row.get(18)?,
        signature_unverified: row.get(19)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One client's sessions are found through the client and the sessions-by-client index, not by
    /// reading every session.
    #[test]
    fn a_clients_history_is_read_through_the_client_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            dir.path(),
            &crate::store::Passphrase::new("a passphrase for the plan test".to_owned()),
        )
        .unwrap();
        let filter = SessionFilter {
            client_code: Some("D-0042".to_owned()),
            ..SessionFilter::default()
        };
        let plan: Vec<String> = store
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN {}",
                filtered_summaries_sql(&filter)
            ))
            .unwrap()
            .query_map(rusqlite::params!["D-0042", None::<String>, false], |row| {
                row.get(3)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("sessions_by_client")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN s")),
            "{plan:?}"
        );
    }
}
