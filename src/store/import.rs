//! Writing an archive into the journal: one transaction for the whole file, so an import lands
//! completely or not at all. The archive format itself lives in `export`; this is only the storage side.

use rusqlite::{OptionalExtension, Transaction};

use super::complete_sessions::{Origin, insert_complete_session};
use super::{CompleteSession, Store, StoreError};
use crate::domain::{Addendum, Client, ClientId, NewClient, ProgressNote, SessionId, Signature};

/// An import in progress. Dropping it without [`ImportBatch::commit`] leaves the journal unchanged.
pub struct ImportBatch<'store> {
    tx: Transaction<'store>,
    /// The transaction's connection, to read the anchor from once it has committed.
    conn: &'store rusqlite::Connection,
    /// The data folder, where the commit anchor is kept.
    dir: &'store std::path::Path,
    wrote_events: bool,
    /// Entries whose words wait for the search index, in memory (a temporary table) until indexed.
    waiting: usize,
}

/// How many entries' words may wait for the search index before they are indexed: enough for one
/// statement to index many at once (the speed of a bulk write), few enough that a large import's
/// memory stays flat (the waiting words are held in memory).
const INDEX_EVERY: usize = 20_000;

/// A client of an archive as the journal now has it.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientMatch {
    /// The journal had no client with this code; it was added.
    Added(ClientId),
    /// The journal already has the client with the same name and weight.
    Same(ClientId),
    /// The journal already has a client with this code whose name or weight differ; the journal's
    /// record is kept (weights change over time) and the caller may say so.
    Differs(Client),
}

impl ClientMatch {
    pub fn id(&self) -> ClientId {
        match self {
            Self::Added(id) | Self::Same(id) => *id,
            Self::Differs(client) => client.id,
        }
    }
}

impl Store {
    /// Starts an import: everything written through the batch commits together.
    pub fn begin_import(&mut self) -> Result<ImportBatch<'_>, StoreError> {
        self.require_writer()?;
        // `&mut self` keeps the connection to this batch; the transaction borrows it shared so the
        // anchor can be read on it after the commit.
        Ok(ImportBatch {
            tx: self.conn.unchecked_transaction()?,
            conn: &self.conn,
            dir: &self.dir,
            wrote_events: false,
            waiting: 0,
        })
    }
}

impl ImportBatch<'_> {
    /// Whether a session with this uuid is already in the journal (or earlier in this import).
    pub fn has_session(&self, uuid: uuid::Uuid) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM sessions WHERE uuid = ?1")?
            .query_row([uuid.to_string()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Finds the client with this code, or adds it.
    pub fn client(
        &mut self,
        client: &NewClient,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<ClientMatch, StoreError> {
        let existing = self
            .tx
            .prepare_cached(
                "SELECT id, code, display_name, weight_kg FROM clients WHERE code = ?1",
            )?
            .query_row([&client.code], |row| {
                Ok(Client {
                    id: ClientId(row.get(0)?),
                    code: row.get(1)?,
                    display_name: row.get(2)?,
                    weight_kg: row.get(3)?,
                })
            })
            .optional()?;
        if let Some(existing) = existing {
            let same = existing.display_name == client.display_name
                && existing.weight_kg == client.weight_kg;
            return Ok(if same {
                ClientMatch::Same(existing.id)
            } else {
                ClientMatch::Differs(existing)
            });
        }
        crate::store::record::clients::insert_client(&self.tx, client, now)?;
        Ok(ClientMatch::Added(ClientId(self.tx.last_insert_rowid())))
    }

    /// Writes one session with its whole timeline.
    pub fn insert_session(&mut self, session: &CompleteSession) -> Result<SessionId, StoreError> {
        if session.events.len() > crate::domain::MAX_SESSION_ENTRIES {
            return Err(StoreError::SessionTooLong {
                most: crate::domain::MAX_SESSION_ENTRIES,
            });
        }
        self.wrote_events |= !session.events.is_empty();
        // An imported or copied session gave from another clinic's stock, not this one's.
        let id = insert_complete_session(&self.tx, session, Origin::Elsewhere)?;
        self.waiting += session.events.len();
        if self.waiting >= INDEX_EVERY {
            super::search::index_waiting(&self.tx)?;
            self.waiting = 0;
        }
        Ok(id)
    }

    /// Writes the progress note and (when the archive carries it) the private note of a session
    /// just inserted.
    pub fn insert_notes(
        &mut self,
        session: SessionId,
        progress: Option<&ProgressNote>,
        private: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        crate::store::record::notes::insert_notes(&self.tx, session, progress, private, now)
    }

    /// Signs a session just inserted with the signature it was archived with (refused when its
    /// content does not match), then adds its addenda.
    pub fn insert_signature(
        &mut self,
        session: SessionId,
        signature: &Signature,
        addenda: &[Addendum],
    ) -> Result<(), StoreError> {
        crate::store::record::signing::import_signature(&self.tx, session, signature)?;
        for addendum in addenda {
            crate::store::record::signing::insert_addendum(&self.tx, session, addendum)?;
        }
        Ok(())
    }

    /// Keeps the merged timeline and the signatures of a live session logged together, as an
    /// archive carries them (what the journal holds of it already is kept as it was); refused
    /// (`CoSignatureBroken`) when a signature does not verify over the timeline then held.
    pub fn insert_co_session(
        &mut self,
        live: uuid::Uuid,
        entries: &[crate::domain::LiveEntry],
        signatures: &[crate::domain::CoSignature],
    ) -> Result<(), StoreError> {
        crate::store::sharing::co_sessions::keep(&self.tx, live, entries)?;
        let (_, broken) = crate::store::sharing::co_signatures::keep(&self.tx, live, signatures)?;
        if broken > 0 {
            return Err(StoreError::CoSignatureBroken);
        }
        Ok(())
    }

    /// Writes the check-ins of a session just inserted, as the archive carries them.
    pub fn insert_follow_ups(
        &mut self,
        session: SessionId,
        follow_ups: &[crate::domain::FollowUp],
    ) -> Result<(), StoreError> {
        let follow_ups: Vec<crate::domain::FollowUp> = follow_ups
            .iter()
            .map(|follow_up| crate::domain::FollowUp {
                session_id: session,
                ..follow_up.clone()
            })
            .collect();
        crate::store::registers::follow_ups::insert_rows(&self.tx, &follow_ups)
    }

    /// Adds addenda to a session already in the journal (a colleague's copy, as its author adds them).
    pub fn insert_addenda(
        &mut self,
        session: SessionId,
        addenda: &[Addendum],
    ) -> Result<(), StoreError> {
        for addendum in addenda {
            crate::store::record::signing::insert_addendum(&self.tx, session, addendum)?;
        }
        Ok(())
    }

    /// Runs `write` so that, if it fails, nothing it wrote stays in the batch (a savepoint): one
    /// refused session of a pull leaves the others.
    pub fn attempt<T>(
        &mut self,
        write: impl FnOnce(&mut Self) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.tx.execute_batch("SAVEPOINT attempt")?;
        match write(self) {
            Ok(value) => {
                self.tx.execute_batch("RELEASE attempt")?;
                Ok(value)
            }
            Err(error) => {
                self.tx
                    .execute_batch("ROLLBACK TO attempt; RELEASE attempt")?;
                Err(error)
            }
        }
    }

    /// The kinds of check-in already recorded for `session` (`next_day`, `one_week`).
    /// Marks the journal synthetic before an archive of a synthetic journal goes in; refused
    /// (`RealRecords`) when the journal holds a clinic's records.
    pub fn claim_for_synthetic_data(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        crate::store::record::synthetic::claim_in(&self.tx, now)
    }

    pub fn recorded_check_ins(&self, session: SessionId) -> Result<Vec<String>, StoreError> {
        let mut statement = self.tx.prepare_cached(
            "SELECT kind FROM follow_ups WHERE session_id = ?1 AND done_ms IS NOT NULL",
        )?;
        let kinds = statement.query_map([session.0], |row| row.get(0))?;
        Ok(kinds.collect::<Result<_, _>>()?)
    }

    /// Marks a session just written as a colleague's read-only copy from the practice server.
    pub fn mark_practice_copy(
        &mut self,
        session: SessionId,
        author: &super::CopyAuthor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        crate::store::sharing::practice::mark_copy(&self.tx, session, author, now)
    }

    /// Pins `keys` as the colleague `login`'s (the first time this journal meets them).
    pub fn pin_keys(
        &mut self,
        login: &str,
        keys: &[String],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        crate::store::sharing::practice_pins::pin(&self.tx, login, keys, now)
    }

    /// Notes a colleague's session the pull refused (kept from its first refusal).
    pub fn note_refused(
        &mut self,
        uuid: uuid::Uuid,
        author: &str,
        why: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        crate::store::sharing::practice_quarantine::note(&self.tx, uuid, author, why, now)
    }

    /// Makes the whole import durable at once, then merges the search index it filled.
    pub fn commit(self) -> Result<(), StoreError> {
        self.commit_merging(true)
    }

    /// Commits one of many small batches (a practice pull's step): the search index is left to
    /// SQLite's own incremental merging, since merging it whole after every batch would rewrite
    /// the growing index each time.
    pub fn commit_step(self) -> Result<(), StoreError> {
        self.commit_merging(false)
    }

    fn commit_merging(self, merge: bool) -> Result<(), StoreError> {
        super::search::index_waiting(&self.tx)?;
        if merge && self.wrote_events {
            self.tx.execute(
                "INSERT INTO event_search (event_search) VALUES ('optimize')",
                [],
            )?;
        }
        self.tx.commit()?;
        crate::store::files::anchor::anchor_on(self.conn, self.dir);
        Ok(())
    }
}
