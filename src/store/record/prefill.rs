//! What the start form is prefilled with for a returning client: the model, route and checklist of
//! their last session, and the comfort plan of their last session in each model (a plan made for
//! a Medical Model infusion is not a KAP session's). Consent and fasting are never carried over;
//! they are asked every time.

use rusqlite::OptionalExtension;
use std::ops::Deref;

use super::super::{Store, StoreError};
use super::Record;
use crate::domain::{ClientId, EventKind, PreSession, Route, TreatmentModel};

/// The parts of a client's last session worth offering again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LastSession {
    /// The newest checklist the client has, if any session recorded one.
    pub checklist: Option<PreSession>,
    /// The comfort plan of the client's last session in each model, for the models they had.
    pub comfort_plans: Vec<(TreatmentModel, String)>,
    /// The model and route of the client's last session: the same client may move from one
    /// model to the other, and the form follows the client, not the last session of anyone.
    pub model_and_route: Option<(TreatmentModel, Route)>,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The client's last checklist and comfort plans, or nothing for a first session.
    pub fn last_session_of(&self, client: ClientId) -> Result<LastSession, StoreError> {
        let damaged = || StoreError::Damaged("a session");
        let last: Option<(String, String)> = self
            .0
            .conn
            .prepare_cached(
                "SELECT model, route FROM sessions WHERE client_id = ?1
                 ORDER BY started_ms DESC LIMIT 1",
            )?
            .query_row([client.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let model_and_route = match last {
            None => None,
            Some((model, route)) => Some((
                TreatmentModel::parse(&model).ok_or_else(damaged)?,
                Route::parse(&route).ok_or_else(damaged)?,
            )),
        };
        let mut comfort_plans = Vec::new();
        for model in TreatmentModel::ALL {
            let plan: Option<String> = self
                .0
                .conn
                .prepare_cached(
                    "SELECT comfort_plan FROM sessions WHERE client_id = ?1 AND model = ?2
                     ORDER BY started_ms DESC LIMIT 1",
                )?
                .query_row(rusqlite::params![client.0, model.as_str()], |row| {
                    row.get(0)
                })
                .optional()?;
            if let Some(plan) = plan {
                comfort_plans.push((model, plan));
            }
        }
        let payload = self
            .0
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
            comfort_plans,
            model_and_route,
        })
    }
}

impl LastSession {
    /// The comfort plan of the client's last session in `model` (empty when they had none there).
    pub fn comfort_plan_for(&self, model: TreatmentModel) -> &str {
        self.comfort_plans
            .iter()
            .find(|(of, _)| *of == model)
            .map_or("", |(_, plan)| plan.as_str())
    }
}
