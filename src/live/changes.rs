//! The changes of a live session: its start, its entries, its end and the half-typed note. The
//! engine sends them through its [`Sender`](super::Sender); `crate::changes` lists them with the rest.

use chrono::{DateTime, Utc};

use crate::domain::{Client, Event, NewClient, NewConsent, NewSession, Seq, Session, SessionId};
use crate::store::{NewEvent, Store, StoreError};
use crate::worker::Change;

/// A live session with its first entries (the checklist and baseline readings), for the client
/// `client` names first when it is a new one.
pub struct StartSession {
    pub client: Option<NewClient>,
    pub session: NewSession,
    pub at: DateTime<Utc>,
    pub first: Vec<NewEvent>,
    /// A consent given on the start form, recorded just before the session starts.
    pub consent: Option<NewConsent>,
}

/// A session started.
#[derive(Debug)]
pub struct Started {
    /// The client made for the session, when it was a new one.
    pub client: Option<Client>,
    pub session: Session,
    pub events: Vec<Event>,
}

impl Change for StartSession {
    type Answer = Started;

    /// Makes the new client (if any), records a consent given on the start form, then starts the
    /// session with its first entries.
    fn apply(mut self, store: &mut Store) -> Result<Started, StoreError> {
        // The client stays made if the session then fails; the start form finds it again.
        let client = self
            .client
            .map(|new| store.record_mut().create_client(&new, self.at))
            .transpose()?;
        if let Some(client) = &client {
            self.session.client_id = client.id;
        }
        // A consent given today stays recorded even if the start then fails.
        if let Some(mut consent) = self.consent {
            consent.client_id = self.session.client_id;
            store.registers_mut().record_consent(&consent, self.at)?;
        }
        let (session, events) =
            store
                .record_mut()
                .start_session_with(&self.session, self.at, &self.first)?;
        Ok(Started {
            client,
            session,
            events,
        })
    }
}

/// Entries of a live session; `clear_draft` when they are what the draft became.
pub struct AppendEvents {
    pub session: SessionId,
    pub expected_next: Seq,
    pub events: Vec<NewEvent>,
    pub clear_draft: bool,
}

impl Change for AppendEvents {
    /// The entries as committed.
    type Answer = Vec<Event>;

    fn apply(self, store: &mut Store) -> Result<Vec<Event>, StoreError> {
        if self.clear_draft {
            store.record_mut().append_events_clearing_draft(
                self.session,
                self.expected_next,
                &self.events,
            )
        } else {
            store
                .record_mut()
                .append_events(self.session, self.expected_next, &self.events)
        }
    }
}

/// The closing entry of a live session.
pub struct EndSession {
    pub session: SessionId,
    pub expected_next: Seq,
    pub closing: Vec<NewEvent>,
}

impl Change for EndSession {
    /// The closing entries as committed.
    type Answer = Vec<Event>;

    fn apply(self, store: &mut Store) -> Result<Vec<Event>, StoreError> {
        store.end_session(self.session, self.expected_next, &self.closing)
    }
}

/// The half-typed live note (empty clears it).
pub struct SaveDraft {
    pub session: SessionId,
    pub text: String,
    pub at: DateTime<Utc>,
}

impl Change for SaveDraft {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .record_mut()
            .save_draft(self.session, &self.text, self.at)
    }
}
