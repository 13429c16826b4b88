//! The journal's side of practice sync (migration 15): what has gone to the practice server, and
//! which sessions are read-only copies of a colleague's. The server itself is `crate::practice`.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use rusqlite::{OptionalExtension as _, params};

use super::super::{Store, StoreError, to_ms};
use super::Sharing;
use crate::domain::{PracticeMembership, SessionId};

/// Migration 15. A copy stays a copy: its row is never changed or removed, so a colleague's
/// session can never become this journal's own (and be pushed as if its clinician had written it).
pub(in crate::store) const CREATE_PRACTICE: &str = r"
    CREATE TABLE practice_pushed (
        session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
        signed      INTEGER NOT NULL DEFAULT 0,
        addenda     INTEGER NOT NULL DEFAULT 0,
        check_ins   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE practice_copies (
        session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
        author      TEXT NOT NULL,
        author_name TEXT NOT NULL,
        pulled_ms   INTEGER NOT NULL
    );
    CREATE TRIGGER practice_copies_kept BEFORE UPDATE ON practice_copies
    BEGIN SELECT RAISE(ABORT, 'append-only: a practice copy stays a copy'); END;
    CREATE TRIGGER practice_copies_not_deleted BEFORE DELETE ON practice_copies
    BEGIN SELECT RAISE(ABORT, 'append-only: a practice copy stays a copy'); END;
";

const MEMBERSHIP_KEY: &str = "practice";

/// How much of one of this journal's sessions the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pushed {
    /// The session and its timeline.
    pub session: bool,
    pub signed: bool,
    pub addenda: u32,
    pub check_ins: u32,
}

/// One of this journal's sessions with something the server lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDue {
    pub id: SessionId,
    /// What the server already has of it.
    pub pushed: Pushed,
    /// The practice client its client is linked to.
    pub practice_code: String,
}

/// What this journal holds of a colleague's session, so a pull fetches only what is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyHeld {
    pub id: SessionId,
    pub signed: bool,
    pub addenda: u32,
    pub check_ins: u32,
}

/// Who wrote a session this journal holds as a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyAuthor {
    pub login: String,
    pub name: String,
}

impl Store {
    /// Refuses to change a colleague's copy: notes, signatures and addenda come only from its author.
    pub(in crate::store) fn refuse_practice_copy(
        &self,
        session: SessionId,
    ) -> Result<(), StoreError> {
        let copy = self
            .conn
            .prepare_cached("SELECT 1 FROM practice_copies WHERE session_id = ?1")?
            .query_row([session.0], |_| Ok(()))
            .optional()?;
        match copy {
            Some(()) => Err(StoreError::PracticeCopy),
            None => Ok(()),
        }
    }
}

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The practice this journal belongs to; `None` until `practice connect`.
    pub fn practice_membership(&self) -> Result<Option<PracticeMembership>, StoreError> {
        self.0.setting(MEMBERSHIP_KEY, "the practice membership")
    }

    /// This journal's ended sessions of linked clients that the server lacks something of, oldest
    /// first: never a live one (it changes every minute) and never a colleague's copy.
    pub fn practice_push_due(&self) -> Result<Vec<PushDue>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
            "SELECT s.id, p.session_id IS NOT NULL, COALESCE(p.signed, 0), COALESCE(p.addenda, 0),
                    COALESCE(p.check_ins, 0), l.practice_code
             FROM sessions s JOIN practice_links l ON l.client_id = s.client_id
                  LEFT JOIN practice_pushed p ON p.session_id = s.id
             WHERE s.status IN ('ended', 'signed')
               AND NOT EXISTS (SELECT 1 FROM practice_copies c WHERE c.session_id = s.id)
               -- A session signed with a key this journal does not hold came from someone else
               -- (an imported archive): it is theirs to share, not this clinician's.
               AND NOT EXISTS (SELECT 1 FROM signatures g WHERE g.session_id = s.id
                               AND g.public_key IS NOT NULL
                               AND g.public_key NOT IN (SELECT public_key FROM signing_keys
                                                        WHERE secret IS NOT NULL))
               AND (p.session_id IS NULL
                    OR (s.status = 'signed' AND p.signed = 0)
                    OR (SELECT count(*) FROM addenda a WHERE a.session_id = s.id) > p.addenda
                    OR (SELECT count(*) FROM follow_ups f
                        WHERE f.session_id = s.id AND f.done_ms IS NOT NULL) > p.check_ins)
             ORDER BY s.started_ms, s.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(PushDue {
                id: SessionId(row.get(0)?),
                pushed: Pushed {
                    session: row.get(1)?,
                    signed: row.get(2)?,
                    addenda: row.get(3)?,
                    check_ins: row.get(4)?,
                },
                practice_code: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The colleagues' sessions this journal holds, by uuid.
    pub fn practice_copies_held(&self) -> Result<HashMap<uuid::Uuid, CopyHeld>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
            "SELECT s.uuid, s.id, s.status = 'signed',
                    (SELECT count(*) FROM addenda a WHERE a.session_id = s.id),
                    (SELECT count(*) FROM follow_ups f WHERE f.session_id = s.id AND f.done_ms IS NOT NULL)
             FROM practice_copies c JOIN sessions s ON s.id = c.session_id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                CopyHeld {
                    id: SessionId(row.get(1)?),
                    signed: row.get(2)?,
                    addenda: row.get(3)?,
                    check_ins: row.get(4)?,
                },
            ))
        })?;
        let mut held = HashMap::new();
        for row in rows {
            let (uuid, copy) = row?;
            let uuid =
                uuid::Uuid::parse_str(&uuid).map_err(|_| StoreError::Damaged("a session"))?;
            held.insert(uuid, copy);
        }
        Ok(held)
    }

    /// Who wrote `session`, when it is a colleague's copy; `None` for this journal's own.
    pub fn practice_copy_author(
        &self,
        session: SessionId,
    ) -> Result<Option<CopyAuthor>, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached(
                "SELECT author, author_name FROM practice_copies WHERE session_id = ?1",
            )?
            .query_row([session.0], |row| {
                Ok(CopyAuthor {
                    login: row.get(0)?,
                    name: row.get(1)?,
                })
            })
            .optional()?)
    }

    /// The public keys this journal's clinician signs with, in hex, to register with the practice.
    pub fn own_signing_keys(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT public_key FROM signing_keys WHERE secret IS NOT NULL")?;
        let keys = statement.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        keys.map(|key| {
            let mut hex = String::with_capacity(64);
            super::super::secret::push_hex(&mut hex, &key?);
            Ok(hex)
        })
        .collect()
    }

    /// Whether anything of this journal has gone to a practice server yet.
    pub fn practice_has_pushed(&self) -> Result<bool, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached("SELECT 1 FROM practice_pushed LIMIT 1")?
            .exists([])?)
    }
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Joins (or re-joins) a practice; the password is kept inside the encrypted journal only. A
    /// journal without a signing key of its own gets one, named for the clinician as the practice
    /// lists them: every row a sync pushes is sealed with it.
    pub fn save_practice_membership(
        &mut self,
        membership: &PracticeMembership,
    ) -> Result<(), StoreError> {
        let needs_key = self.own_signing_keys()?.is_empty();
        // The key and the membership are kept together, or neither.
        self.0.write(|tx| {
            if needs_key {
                let clinician = crate::domain::Clinician {
                    name: membership.name.clone(),
                    credentials: String::new(),
                };
                crate::store::record::signing_key::own_key(tx, &clinician, membership.joined_at)?;
            }
            super::super::settings::put_setting(
                tx,
                MEMBERSHIP_KEY,
                membership,
                "the practice membership",
            )
        })
    }

    /// Notes what the server now holds of these sessions (after the server committed them: a sync
    /// killed in between sends them again, which the server ignores), and that they were disclosed
    /// to `recipient` (in the same transaction: one is never kept without the other).
    pub fn mark_practice_pushed(
        &mut self,
        pushed: &[(SessionId, Pushed)],
        recipient: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let sessions: Vec<SessionId> = pushed.iter().map(|(id, _)| *id).collect();
        self.0.write(|tx| {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO practice_pushed (session_id, signed, addenda, check_ins)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (session_id) DO UPDATE SET signed = excluded.signed,
                     addenda = excluded.addenda, check_ins = excluded.check_ins",
            )?;
            for (id, state) in pushed {
                upsert.execute(params![id.0, state.signed, state.addenda, state.check_ins])?;
            }
            crate::store::registers::disclosures::record_push(tx, &sessions, recipient, at)
        })
    }
}

/// Marks a session just written by an import batch as a colleague's copy.
pub(in crate::store) fn mark_copy(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    author: &CopyAuthor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO practice_copies (session_id, author, author_name, pulled_ms) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![session.0, author.login, author.name, to_ms(now)])?;
    Ok(())
}
