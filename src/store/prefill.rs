//! What the start form is prefilled with for a returning client: the model, route, checklist and
//! comfort plan of their last session. Consent and fasting are never carried over; they are asked
//! every time.

use rusqlite::OptionalExtension;

use super::{Store, StoreError};
use crate::domain::{ClientId, EventKind, PreSession, Route, TreatmentModel};

/// The parts of a client's last session worth offering again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LastSession {
    /// The newest checklist the client has, if any session recorded one.
    pub checklist: Option<PreSession>,
    pub comfort_plan: String,
    /// The model and route of the client's last session: the same client may move from one
    /// model to the other, and the form follows the client, not the last session of anyone.
    pub model_and_route: Option<(TreatmentModel, Route)>,
}

impl Store {
    /// The client's last checklist and comfort plan, or nothing for a first session.
    pub fn last_session_of(&self, client: ClientId) -> Result<LastSession, StoreError> {
        let last: Option<(String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT comfort_plan, model, route FROM sessions WHERE client_id = ?1
                 ORDER BY started_ms DESC LIMIT 1",
            )?
            .query_row([client.0], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        let (comfort_plan, model_and_route) = match last {
            None => (String::new(), None),
            Some((plan, model, route)) => {
                let damaged = || StoreError::Damaged("a session");
                let model = TreatmentModel::parse(&model).ok_or_else(damaged)?;
                let route = Route::parse(&route).ok_or_else(damaged)?;
                (plan, Some((model, route)))
            }
        };
        let payload = self
            .conn
            .prepare_cached(
                "SELECT e.payload FROM sessions s JOIN events e ON e.session_id = s.id
                 WHERE s.client_id = ?1 AND e.kind = 'pre_session'
                 ORDER BY s.started_ms DESC, e.seq LIMIT 1",
            )?
            .query_row([client.0], |row| row.get::<_, String>(0))
            .optional()?;
        let checklist = match payload {
            None => None,
            Some(json) => match serde_json::from_str(&json) {
                Ok(EventKind::PreSession(checklist)) => Some(checklist),
                _ => return Err(StoreError::Damaged("a pre-session checklist")),
            },
        };
        Ok(LastSession {
            checklist,
            comfort_plan,
            model_and_route,
        })
    }
}
