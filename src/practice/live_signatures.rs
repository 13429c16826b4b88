//! Signatures of live co-sessions at the practice (`live_signatures.sql`). A journal signs over the
//! merged timeline it holds (`Sharing::sign_co_session`), pushes its signatures, and brings back
//! the whole timeline and everyone's signatures, keeping those that verify over it: so a
//! psychiatrist's journal, which was never in the session, holds and checks it all the same.

use chrono::{DateTime, Utc};

use super::{LiveConnection, PracticeError};
use crate::domain::{Clinician, CoSignature, CoSignedPart, KeyedSeal, LiveEntry};
use crate::store::Store;

/// What bringing a live session's signatures did in this journal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoSessionBrought {
    /// Entries of the merged timeline new to the journal.
    pub entries: usize,
    /// Signatures new to the journal, each verified over the timeline it holds.
    pub signatures: usize,
    /// Signatures on the server that do not verify over it: left out, and counted here.
    pub broken: usize,
    /// This journal's own signatures newly on the server.
    pub pushed: usize,
}

impl LiveConnection {
    /// Pushes this journal's signatures of `live` (those made by this login) the server lacks.
    pub fn share_co_signatures(
        &mut self,
        reader: &Store,
        live: uuid::Uuid,
    ) -> Result<usize, PracticeError> {
        let me: String = self
            .client
            .query_one("SELECT kap.me()::text", &[])
            .map_err(|error| self.address.error(&error))?
            .get(0);
        let own: Vec<CoSignature> = reader
            .sharing()
            .co_signatures(live)?
            .into_iter()
            .map(|(signature, _)| signature)
            .filter(|signature| signature.login == me)
            .collect();
        // The key each is sealed with is registered first (as a sync does), so colleagues' journals
        // can name its signer.
        if !own.is_empty()
            && let Some(practice) = reader
                .sharing()
                .practice_membership()?
                .and_then(|membership| membership.practice_id)
        {
            super::key_registry::register(&mut self.client, reader, &self.address, practice)?;
        }
        let mut pushed = 0;
        for signature in &own {
            pushed += self
                .client
                .execute(
                    "INSERT INTO kap.live_signatures (session_uuid, part, name, credentials,
                         signed_at, content_sha256, public_key, seal)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                    &[
                        &live,
                        &signature.part.as_str(),
                        &signature.clinician.name,
                        &signature.clinician.credentials,
                        &signature.signed_at,
                        &signature.content_sha256,
                        &signature.seal.public_key,
                        &signature.seal.signature,
                    ],
                )
                .map_err(|error| self.address.error(&error))?;
        }
        Ok(usize::try_from(pushed).unwrap_or(usize::MAX))
    }

    /// Everyone's signatures of `live` as the server holds them (none for a session this login
    /// does not see).
    pub fn co_signatures_on_server(
        &mut self,
        live: uuid::Uuid,
    ) -> Result<Vec<CoSignature>, PracticeError> {
        let rows = self
            .client
            .query(
                "SELECT part, login::text, name, credentials, signed_at, content_sha256,
                        public_key, seal
                 FROM kap.live_signatures WHERE session_uuid = $1
                 ORDER BY signed_at, part, login",
                &[&live],
            )
            .map_err(|error| self.address.error(&error))?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(CoSignature {
                    live_uuid: live,
                    part: CoSignedPart::parse(row.get(0))?,
                    login: row.get(1),
                    clinician: Clinician {
                        name: row.get(2),
                        credentials: row.get(3),
                    },
                    signed_at: row.get::<_, DateTime<Utc>>(4),
                    content_sha256: row.get(5),
                    seal: KeyedSeal {
                        public_key: row.get(6),
                        signature: row.get(7),
                    },
                })
            })
            .collect())
    }
}

/// What the practice holds of a live session beyond what a journal has: read by
/// [`fetch_co_session`] (the network part, which a window runs beside its journal), kept by
/// [`keep_co_session`] (one short write, which a window hands to its journal worker).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoSessionFetched {
    pub live: uuid::Uuid,
    /// The merged timeline after what the journal held.
    pub entries: Vec<LiveEntry>,
    /// Everyone's signatures on the server.
    pub signatures: Vec<CoSignature>,
    /// The keys each signer the journal meets for the first time proved theirs, to pin.
    pub first_met: Vec<(String, Vec<String>)>,
    /// This journal's own signatures newly on the server.
    pub pushed: usize,
}

/// Pushes this journal's signatures of `live` and reads what the practice holds of it that the
/// journal `reader` lacks.
pub fn fetch_co_session(
    connection: &mut LiveConnection,
    reader: &Store,
    live: uuid::Uuid,
) -> Result<CoSessionFetched, PracticeError> {
    let after = reader.sharing().live_merged_last(live)?;
    let (entries, _) = connection.catch_up(live, after)?;
    let pushed = connection.share_co_signatures(reader, live)?;
    let signatures = connection.co_signatures_on_server(live)?;
    let first_met = first_met_signers(connection, reader, &signatures)?;
    Ok(CoSessionFetched {
        live,
        entries,
        signatures,
        first_met,
        pushed,
    })
}

/// Keeps what [`fetch_co_session`] read: the entries after those held, the keys of signers met
/// for the first time, and the signatures that verify over the timeline then held.
pub fn keep_co_session(
    store: &mut Store,
    fetched: &CoSessionFetched,
    now: DateTime<Utc>,
) -> Result<CoSessionBrought, crate::store::StoreError> {
    let entries = store
        .sharing_mut()
        .keep_live_merged(fetched.live, &fetched.entries)?;
    for (login, keys) in &fetched.first_met {
        store.sharing_mut().pin_first_met(login, keys, now)?;
    }
    let (signatures, broken) = store
        .sharing_mut()
        .keep_co_signatures(fetched.live, &fetched.signatures)?;
    Ok(CoSessionBrought {
        entries,
        signatures,
        broken,
        pushed: fetched.pushed,
    })
}

/// Brings `store` up to date with the live session `live` at the practice (the command line and
/// tests: fetched and kept in one go).
pub fn bring_co_session(
    connection: &mut LiveConnection,
    store: &mut Store,
    live: uuid::Uuid,
) -> Result<CoSessionBrought, PracticeError> {
    let fetched = fetch_co_session(connection, store, live)?;
    Ok(keep_co_session(store, &fetched, Utc::now())?)
}

/// The keys of signers this journal meets for the first time, as a first copy of their session
/// would pin them: the keys each proved theirs on the server. A signer met before keeps the keys
/// pinned then (a key proved since is an alarm, never taken from the server's word).
fn first_met_signers(
    connection: &mut LiveConnection,
    reader: &Store,
    signatures: &[CoSignature],
) -> Result<Vec<(String, Vec<String>)>, PracticeError> {
    let pinned = reader.sharing().practice_pinned_keys()?;
    let mut new: Vec<&str> = signatures
        .iter()
        .map(|signature| signature.login.as_str())
        .filter(|login| !pinned.contains_key(*login))
        .collect();
    new.sort_unstable();
    new.dedup();
    let practice = reader
        .sharing()
        .practice_membership()?
        .and_then(|membership| membership.practice_id);
    let (Some(practice), false) = (practice, new.is_empty()) else {
        return Ok(Vec::new());
    };
    let proven =
        super::key_registry::proven_keys(&mut connection.client, &connection.address, practice)?;
    Ok(new
        .into_iter()
        .map(|login| {
            let keys = proven
                .iter()
                .filter(|(_, logins)| logins.contains(login))
                .map(|(key, _)| key.clone())
                .collect();
            (login.to_owned(), keys)
        })
        .collect())
}
