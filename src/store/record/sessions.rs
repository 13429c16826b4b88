use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use std::ops::{Deref, DerefMut};

use super::super::{NewEvent, Store, StoreError, from_ms, to_ms};
use super::Record;
use crate::domain::{
    ClientId, ClinicZone, Dose, EventKind, NewSession, Route, Seq, Session, SessionId,
    SessionStatus, TreatmentModel,
};
use crate::store::record::events::insert_events;

const SESSION_COLUMNS: &str = "id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms, ended_ms, weight_kg, zone";

/// A whole session with its timeline, written in one go (synthetic data, and later imports).
#[derive(Debug, Clone)]
pub struct CompleteSession {
    pub new: NewSession,
    pub uuid: uuid::Uuid,
    pub status: SessionStatus,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The weight the session was dosed by, as its source recorded it (an archive's, not the
    /// journal's current weight for the client).
    pub weight_kg: Option<f64>,
    /// The clinic's time zone when it was held, as its source recorded it.
    pub zone: Option<ClinicZone>,
    pub events: Vec<NewEvent>,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// One session by id.
    pub fn session(&self, id: SessionId) -> Result<Session, StoreError> {
        let row = self
            .0
            .conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"
            ))?
            .query_row([id.0], raw_session)
            .optional()?
            .ok_or(StoreError::NotFound("session"))?;
        row.into_session()
    }

    /// The session known everywhere by `uuid`, if this journal holds it as its own.
    pub fn session_of_uuid(&self, uuid: uuid::Uuid) -> Result<Option<Session>, StoreError> {
        let row = self
            .0
            .conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE uuid = ?1"
            ))?
            .query_row([uuid.to_string()], raw_session)
            .optional()?;
        row.map(RawSession::into_session).transpose()
    }

    /// Every session's id, oldest first: what `export --all` walks.
    pub fn session_ids(&self) -> Result<Vec<SessionId>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT id FROM sessions ORDER BY id")?;
        let ids = statement
            .query_map([], |row| Ok(SessionId(row.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Sessions still live, newest first: after a crash these are the ones to resume.
    pub fn live_sessions(&self) -> Result<Vec<Session>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE status = 'live' ORDER BY started_ms DESC"
        ))?;
        let rows = statement
            .query_map([], raw_session)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(RawSession::into_session).collect()
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Starts a live session for a client.
    pub fn start_session(
        &mut self,
        new: &NewSession,
        started_at: DateTime<Utc>,
    ) -> Result<Session, StoreError> {
        self.start_session_with(new, started_at, &[])
            .map(|(session, _)| session)
    }

    /// Starts a live session with its first entries (the checklist, baseline readings) in one
    /// transaction. A checklist weight becomes the client's recorded weight.
    pub fn start_session_with(
        &mut self,
        new: &NewSession,
        started_at: DateTime<Utc>,
        first: &[NewEvent],
    ) -> Result<(Session, Vec<crate::domain::Event>), StoreError> {
        let client = self.client(new.client_id)?;
        let consent = self.0.require_current_consent(client.id, started_at)?;
        // The checklist keeps the consent the session went ahead under.
        let mut first = first.to_vec();
        for event in &mut first {
            if let EventKind::PreSession(checklist) = &mut event.kind {
                checklist.consent_given = consent.as_ref().map(crate::domain::ConsentGiven::of);
            }
        }
        let first = first.as_slice();
        let checklist_weight = first.iter().find_map(|event| match &event.kind {
            EventKind::PreSession(checklist) => checklist.weight_kg,
            _ => None,
        });
        new.planned_dose
            .check_for_weight(checklist_weight.or(client.weight_kg))
            .map_err(crate::domain::SessionError::from)?;
        let uuid = uuid::Uuid::new_v4();
        let zone = self.0.clinic_zone()?;
        let (id, committed) = self.0.write(|tx| {
            let weight = checklist_weight.or(client.weight_kg);
            insert_session(
                tx,
                new,
                uuid,
                SessionStatus::Live,
                (started_at, None),
                (weight, Some(zone)),
            )?;
            let id = SessionId(tx.last_insert_rowid());
            let committed = insert_events(tx, id, Seq(1), first)?;
            if let Some(weight) = checklist_weight {
                tx.prepare_cached("UPDATE clients SET weight_kg = ?2 WHERE id = ?1")?
                    .execute(params![client.id.0, weight])?;
            }
            Ok((id, committed))
        })?;
        Ok((self.session(id)?, committed))
    }
}

pub(in crate::store) fn insert_session(
    conn: &rusqlite::Connection,
    new: &NewSession,
    uuid: uuid::Uuid,
    status: SessionStatus,
    (started_at, ended_at): (DateTime<Utc>, Option<DateTime<Utc>>),
    (weight_kg, zone): (Option<f64>, Option<ClinicZone>),
) -> Result<(), StoreError> {
    let dose = serde_json::to_string(&new.planned_dose)
        .map_err(|_| StoreError::Damaged("a dose to be written"))?;
    conn.prepare_cached(
        "INSERT INTO sessions (uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms, ended_ms, weight_kg, zone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        uuid.to_string(),
        new.client_id.0,
        new.model.as_str(),
        new.route.as_str(),
        dose,
        new.intention,
        new.comfort_plan,
        status.as_str(),
        to_ms(started_at),
        ended_at.map(to_ms),
        weight_kg,
        zone.map(ClinicZone::name),
    ])?;
    Ok(())
}

/// A session row as stored, before its text columns are checked.
struct RawSession {
    id: i64,
    uuid: String,
    client_id: i64,
    model: String,
    route: String,
    planned_dose: String,
    intention: String,
    comfort_plan: String,
    status: String,
    started_ms: i64,
    ended_ms: Option<i64>,
    weight_kg: Option<f64>,
    zone: Option<String>,
}

fn raw_session(row: &Row<'_>) -> rusqlite::Result<RawSession> {
    Ok(RawSession {
        id: row.get(0)?,
        uuid: row.get(1)?,
        client_id: row.get(2)?,
        model: row.get(3)?,
        route: row.get(4)?,
        planned_dose: row.get(5)?,
        intention: row.get(6)?,
        comfort_plan: row.get(7)?,
        status: row.get(8)?,
        started_ms: row.get(9)?,
        ended_ms: row.get(10)?,
        weight_kg: row.get(11)?,
        zone: row.get(12)?,
    })
}

impl RawSession {
    fn into_session(self) -> Result<Session, StoreError> {
        let damaged = || StoreError::Damaged("a session");
        Ok(Session {
            id: SessionId(self.id),
            uuid: self.uuid.parse().map_err(|_| damaged())?,
            client_id: ClientId(self.client_id),
            model: TreatmentModel::parse(&self.model).ok_or_else(damaged)?,
            route: Route::parse(&self.route).ok_or_else(damaged)?,
            planned_dose: serde_json::from_str::<Dose>(&self.planned_dose)
                .map_err(|_| damaged())?,
            intention: self.intention,
            comfort_plan: self.comfort_plan,
            status: SessionStatus::parse(&self.status).ok_or_else(damaged)?,
            started_at: from_ms(self.started_ms)?,
            ended_at: self.ended_ms.map(from_ms).transpose()?,
            weight_kg: self.weight_kg,
            // A zone this build does not know (dropped from the time zone database) reads as none.
            zone: self.zone.and_then(|name| ClinicZone::parse(&name).ok()),
        })
    }
}
