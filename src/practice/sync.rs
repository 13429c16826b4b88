//! One sync: connect as the journal's login, register its keys, push what it recorded, pull what
//! it may read. Logging never waits on this; it runs beside the journal, on demand.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::pull::{Refused, pull};
use super::push::{Moved, push};
use super::setup::{register_keys, who_am_i};
use super::{PracticeAddress, PracticeError};
use crate::store::Store;

/// What moved in one sync, in numbers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Rows this journal added to the server.
    pub pushed: Moved,
    /// Rows of colleagues' sessions copied into this journal.
    pub pulled: Moved,
    /// Colleagues' sessions not copied, each with why.
    pub refused: Vec<Refused>,
    /// Sessions of this journal not sent because the server holds them as another clinician's
    /// (the same session imported into two journals).
    pub held_by_others: Vec<uuid::Uuid>,
}

impl SyncReport {
    /// The sync in one or two sentences.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "Sent {} sessions ({} entries, {} signatures, {} addenda, {} check-ins); received {} sessions ({} entries, {} signatures, {} addenda, {} check-ins).",
            self.pushed.sessions,
            self.pushed.entries,
            self.pushed.signatures,
            self.pushed.addenda,
            self.pushed.check_ins,
            self.pulled.sessions,
            self.pulled.entries,
            self.pulled.signatures,
            self.pulled.addenda,
            self.pulled.check_ins,
        );
        for refused in &self.refused {
            text.push(' ');
            text.push_str(&refused.describe());
        }
        for uuid in &self.held_by_others {
            let _ = write!(
                text,
                " Session {uuid} was not sent: the practice holds it as another clinician's record."
            );
        }
        text
    }
}

/// Syncs `store` with its practice. `stop` is asked between batches; a stopped or failed sync
/// keeps what the server confirmed, and the next one goes on from there.
pub fn sync(
    store: &mut Store,
    now: DateTime<Utc>,
    stop: &dyn Fn() -> bool,
) -> Result<SyncReport, PracticeError> {
    let mut membership = store
        .practice_membership()?
        .ok_or(PracticeError::NotConnected)?;
    if !membership.role.records_sessions() {
        return Err(PracticeError::AdminDoesNotSync);
    }
    let address = PracticeAddress::parse(&membership.url)?;
    let mut client = address.connect(&membership.password)?;
    let (name, role) = who_am_i(&mut client, &address)?;
    register_keys(&mut client, store, &address)?;
    let pushed = push(&mut client, &address, store, stop)?;
    let pulled = pull(&mut client, &address, store, now, stop)?;
    membership.name = name;
    membership.role = role;
    membership.last_sync = Some(now);
    store.save_practice_membership(&membership)?;
    Ok(SyncReport {
        pushed: pushed.moved,
        pulled: pulled.moved,
        refused: pulled.refused,
        held_by_others: pushed.held_by_others,
    })
}
