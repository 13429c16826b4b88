//! Joining a colleague's live session, and keeping up with it. A clinician on the care team joins
//! on the server (`LiveConnection::join`), then their journal starts its part of the session
//! (`join_here`, a short local write the window hands to its journal worker): a live session of its
//! own under the client it is for, whose entries are the ones this clinician writes. From then on
//! each exchange pushes this journal's new entries and brings back the merged timeline after what
//! it holds (`exchange`), for both the session's author and those who joined.

use chrono::{DateTime, Utc};
use postgres::fallible_iterator::FallibleIterator as _;

use super::live::{LiveFailure, Shared};
use super::{LiveConnection, LiveInPractice, PracticeError};
use crate::domain::{ClinicZone, Dose, LiveEntry, Route, Session, TreatmentModel};
use crate::store::{JoinedLive, Store, StoreError};

/// What one exchange with the server did for a live session of this journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchanged {
    /// Where the session stands with the practice.
    pub shared: Shared,
    /// Entries of the merged timeline after the last one the journal holds, in the server's
    /// order (for the journal to keep, then the live view to fold).
    pub merged: Vec<LiveEntry>,
    /// Its author has said the end: a joined clinician's part takes no more entries there.
    pub ended: bool,
}

impl LiveConnection {
    /// Pushes this journal's new entries of its session `uuid` (its own, or its part of a
    /// colleague's) and reads the merged timeline after what the journal holds.
    pub fn exchange(
        &mut self,
        reader: &Store,
        uuid: uuid::Uuid,
    ) -> Result<Exchanged, PracticeError> {
        let Some(session) = reader.record().session_of_uuid(uuid)? else {
            return Ok(Exchanged {
                shared: Shared::NotShown,
                merged: Vec::new(),
                ended: false,
            });
        };
        let shared = self
            .shared_session(reader, &session)
            .map_err(|failure| failure.at(&self.address))?;
        let live = live_uuid_of(reader, &session)?;
        let after = reader.sharing().live_merged_last(live)?;
        let (merged, ended) = self.catch_up(live, after)?;
        Ok(Exchanged {
            shared,
            merged,
            ended,
        })
    }

    /// Waits until the server signals that something changed in a live session this login sees,
    /// `stop` says to stop waiting (looked at every tenth of a second), or `up_to` has passed. A
    /// signal says only when to read: the read after it says what is there.
    pub fn wait_for_entry(
        &mut self,
        up_to: std::time::Duration,
        stop: &dyn Fn() -> bool,
    ) -> Result<(), PracticeError> {
        const SLICE: std::time::Duration = std::time::Duration::from_millis(100);
        let waited = (|| {
            if !self.listening {
                self.client.batch_execute("LISTEN kap_live")?;
                self.listening = true;
            }
            let until = std::time::Instant::now() + up_to;
            while !stop() && std::time::Instant::now() < until {
                let mut notifications = self.client.notifications();
                if notifications.timeout_iter(SLICE).next()?.is_some() {
                    break;
                }
            }
            Ok(())
        })();
        waited.map_err(|error: postgres::Error| self.address.error(&error))
    }

    /// The merged timeline of the live session `live` after `position`, and whether its end is
    /// said; nothing for a session this login does not see.
    pub fn catch_up(
        &mut self,
        live: uuid::Uuid,
        position: i32,
    ) -> Result<(Vec<LiveEntry>, bool), PracticeError> {
        let read = (|| {
            let Some(ended) = super::live_timeline::standing(&mut self.client, live)? else {
                return Ok((Vec::new(), false));
            };
            let entries = super::live_timeline::entries_after(&mut self.client, live, position)?;
            Ok((entries, ended))
        })();
        read.map_err(|error: postgres::Error| self.address.error(&error))
    }
}

/// The live session on the server `session` is logged in: its own, or the colleague's it is this
/// journal's part of.
pub(super) fn live_uuid_of(reader: &Store, session: &Session) -> Result<uuid::Uuid, StoreError> {
    Ok(reader
        .sharing()
        .live_part(session.id)?
        .map_or(session.uuid, |part| part.live_uuid))
}

/// Starts this journal's part of the colleague's live session `live` (joined on the server
/// already), under the client linked to its practice code; a client new to the journal is added,
/// known by that code. Joining twice gives the same part.
pub fn join_here(
    store: &mut Store,
    live: &LiveInPractice,
    now: DateTime<Utc>,
) -> Result<Session, StoreError> {
    let linked = store
        .sharing()
        .practice_links()?
        .into_iter()
        .find_map(|(client, code)| (code == live.client_code).then_some(client));
    let client_id = if let Some(client) = linked {
        client
    } else {
        // A client of this journal under the same code is not the practice's until its
        // clinician says so: linking is theirs to do, not a join's.
        if store.record().client_by_code(&live.client_code)?.is_some() {
            return Err(StoreError::NotLinkedYet);
        }
        match store
            .sharing_mut()
            .link_practice_client(&live.client_code, &live.client_code, now)?
        {
            crate::store::Linked::Now(client) | crate::store::Linked::Already(client) => client.id,
        }
    };
    let joined = JoinedLive {
        uuid: live.uuid,
        client_id,
        author: live.author.clone(),
        model: TreatmentModel::parse(&live.model).ok_or(StoreError::Damaged("a live session"))?,
        route: Route::parse(&live.route).ok_or(StoreError::Damaged("a live session"))?,
        planned_dose: serde_json::from_value::<Dose>(live.planned_dose.clone())
            .map_err(|_| StoreError::Damaged("a live session"))?,
        weight_kg: live.weight_kg,
        intention: live.intention.clone(),
        comfort_plan: live.comfort_plan.clone(),
        started_at: live.started_at,
        zone: live
            .zone
            .as_deref()
            .and_then(|zone| ClinicZone::parse(zone).ok()),
    };
    store.sharing_mut().join_live(&joined, now)
}

/// Pushes a joined part's new entries into the colleague's session, unless its end is said (what
/// is written after stays in this journal), and brings back who joined.
pub(super) fn share_part(
    connection: &mut LiveConnection,
    reader: &Store,
    session: &Session,
    live: uuid::Uuid,
) -> Result<Shared, LiveFailure> {
    let client = &mut connection.client;
    let Some(ended) = super::live_timeline::standing(client, live)? else {
        return Ok(Shared::NotShown);
    };
    if ended {
        return Ok(Shared::Ended);
    }
    super::live_timeline::push_own_entries(client, reader, session, live)?;
    Ok(Shared::Shown {
        joined: super::live::joined_names(client, live)?,
    })
}
