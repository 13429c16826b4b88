//! The suicide risk that follows a client into the prep sheet: the newest session with a positive
//! screen or PHQ-9 item 9 above zero, what it recorded, and the newest safety plan made since.

use chrono::{DateTime, Utc};

use crate::domain::{ClientId, SafetyPlan, SessionId, calls_for_safety_plan};
use crate::store::{SessionSummary, Store, StoreError};

/// What the therapist should know before the appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct SuicideRisk {
    pub session: SessionId,
    pub started_at: DateTime<Utc>,
    /// The entries that raised it, described ("ASQ suicide risk screen: non-acute positive …").
    pub signals: Vec<String>,
    /// How many of the client's sessions raised it.
    pub sessions: usize,
    /// The newest safety plan from that session on, with when it was made.
    pub plan: Option<(DateTime<Utc>, SafetyPlan)>,
}

impl SuicideRisk {
    /// From `client`'s sessions, newest first (as lists give them); `None` when none raised it.
    pub fn of(
        store: &Store,
        client: ClientId,
        sessions: &[SessionSummary],
    ) -> Result<Option<Self>, StoreError> {
        let flagged: Vec<&SessionSummary> = sessions
            .iter()
            .filter(|summary| summary.suicide_risk > 0)
            .collect();
        let Some(newest) = flagged.first() else {
            return Ok(None);
        };
        let events = store.record().events(newest.id)?;
        let signals = events
            .iter()
            .filter(|event| calls_for_safety_plan(&event.kind))
            .map(|event| event.kind.describe())
            .collect();
        let plan = store
            .record()
            .newest_safety_plan(client, newest.started_at)?;
        Ok(Some(Self {
            session: newest.id,
            started_at: newest.started_at,
            signals,
            sessions: flagged.len(),
            plan,
        }))
    }
}
