//! Which of this journal's clients is which practice client (migration 23). A journal's D-0001 is
//! not the practice's D-0001 until its clinician says so, once: only a linked client's sessions
//! are sent to the practice, and only a linked client's colleagues' sessions are copied here. A
//! link is never changed or removed (what was shared under it stays shared).

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension as _, params};

use super::super::{Store, StoreError, to_ms};
use super::Sharing;
use crate::domain::{Client, ClientId, NewClient};

/// Migration 23: one row per linked client; a practice client is linked to one of this journal's
/// clients at most.
pub(in crate::store) const CREATE_PRACTICE_LINKS: &str = r"
    CREATE TABLE practice_links (
        client_id      INTEGER PRIMARY KEY REFERENCES clients(id),
        practice_code  TEXT NOT NULL UNIQUE,
        linked_ms      INTEGER NOT NULL
    );
    CREATE TRIGGER practice_links_no_update BEFORE UPDATE ON practice_links
    BEGIN SELECT RAISE(ABORT, 'append-only: a practice link is for good'); END;
    CREATE TRIGGER practice_links_no_delete BEFORE DELETE ON practice_links
    BEGIN SELECT RAISE(ABORT, 'append-only: a practice link is for good'); END;
";

/// What linking did.
#[derive(Debug, Clone, PartialEq)]
pub enum Linked {
    /// The journal's client is now the practice's.
    Now(Client),
    /// It was already linked to that practice client.
    Already(Client),
}

impl<S: Deref<Target = Store>> Sharing<S> {
    /// This journal's linked clients: client id to practice code.
    pub fn practice_links(&self) -> Result<HashMap<ClientId, String>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT client_id, practice_code FROM practice_links")?;
        let rows = statement.query_map([], |row| Ok((ClientId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The practice code `client` is linked to, if any.
    pub fn practice_link(&self, client: ClientId) -> Result<Option<String>, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached("SELECT practice_code FROM practice_links WHERE client_id = ?1")?
            .query_row([client.0], |row| row.get(0))
            .optional()?)
    }

    /// This journal's own ended sessions that stay here because their client is not linked to a
    /// practice client, by uuid.
    pub fn practice_unlinked_sessions(&self) -> Result<Vec<uuid::Uuid>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
            "SELECT s.uuid FROM sessions s
             WHERE s.status IN ('ended', 'signed')
               AND NOT EXISTS (SELECT 1 FROM practice_copies c WHERE c.session_id = s.id)
               AND NOT EXISTS (SELECT 1 FROM practice_links l WHERE l.client_id = s.client_id)
             ORDER BY s.started_ms, s.id",
        )?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        rows.map(|uuid| uuid::Uuid::parse_str(&uuid?).map_err(|_| StoreError::Damaged("a session")))
            .collect()
    }
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Links this journal's client `local_code` to the practice client `practice_code` (the
    /// caller has checked with the server that the clinician is on its care team). A client not in
    /// the journal yet is added, known by its code alone. A client already linked to another
    /// practice client, or a practice client already linked to another of this journal's, is
    /// refused.
    pub fn link_practice_client(
        &mut self,
        local_code: &str,
        practice_code: &str,
        now: DateTime<Utc>,
    ) -> Result<Linked, StoreError> {
        let local_code = local_code.trim();
        let practice_code = practice_code.trim();
        let existing = self.0.record().client_by_code(local_code)?;
        if let Some(client) = &existing
            && let Some(linked) = self.practice_link(client.id)?
        {
            return if linked == practice_code {
                Ok(Linked::Already(client.clone()))
            } else {
                Err(StoreError::LinkedElsewhere)
            };
        }
        let taken = self
            .0
            .conn
            .prepare_cached("SELECT 1 FROM practice_links WHERE practice_code = ?1")?
            .exists([practice_code])?;
        if taken {
            return Err(StoreError::LinkedElsewhere);
        }
        // A client new to the journal and its link are one change: neither is kept without the other.
        let client = self.0.write(|tx| {
            let client = if let Some(client) = existing {
                client
            } else {
                // Known by its code alone, checked as the start form checks one.
                let new = NewClient::parse(local_code, "", "")?;
                crate::store::record::clients::insert_client(tx, &new, now)?;
                Client {
                    id: ClientId(tx.last_insert_rowid()),
                    code: new.code,
                    display_name: None,
                    weight_kg: None,
                }
            };
            tx.prepare_cached(
                "INSERT INTO practice_links (client_id, practice_code, linked_ms) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![client.id.0, practice_code, to_ms(now)])?;
            Ok(client)
        })?;
        Ok(Linked::Now(client))
    }
}
