//! One session with everything an export shows: the session, its client and its timeline.

use super::ExportOptions;
use crate::domain::{Client, Delivered, Event, Session, SessionId, delivered};
use crate::store::{Store, StoreError};

/// A session as every export format reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub session: Session,
    pub client: Client,
    /// The whole timeline, in sequence order.
    pub events: Vec<Event>,
}

impl SessionRecord {
    /// What the timeline delivered by the end of the session (or by its last entry while live).
    pub fn delivered(&self) -> Delivered {
        let until_ms = match self.session.ended_at {
            Some(ended) => (ended - self.session.started_at).num_milliseconds(),
            None => self.events.last().map_or(0, |event| event.elapsed_ms),
        };
        delivered(&self.events, self.client.weight_kg, until_ms)
    }

    /// Reads one session from the journal. Content marked private stays out unless `options` asks
    /// for it; today a session holds none (the psychotherapy note will be the first).
    pub fn load(store: &Store, id: SessionId, options: ExportOptions) -> Result<Self, StoreError> {
        let ExportOptions { include_private: _ } = options;
        let session = store.session(id)?;
        let client = store.client(session.client_id)?;
        let events = store.events(id)?;
        Ok(Self {
            session,
            client,
            events,
        })
    }
}
