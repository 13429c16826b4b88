//! Signatures that arrived without a seal (migration 22). A signature is only "signed" when its
//! seal verifies: an unkeyed digest that came in an archive proves nothing, since whoever changed a
//! word could have worked the digest out again. Such a session is kept, marked for good as carrying
//! an unverified signature, and shown so in lists, summaries and `check`. The journal's own
//! signatures from before keys stay what they were: this journal made them.

use rusqlite::{Connection, Transaction};
use std::ops::Deref;

use super::super::{Store, StoreError};
use super::Record;
use crate::domain::SessionId;

/// Migration 22: one row per imported signature that carried no seal; never changed or removed.
pub(in crate::store) const CREATE_UNVERIFIED_SIGNATURES: &str = r"
    CREATE TABLE unverified_signatures (
        session_id  INTEGER PRIMARY KEY REFERENCES signatures(session_id)
    );
    CREATE TRIGGER unverified_signatures_no_update BEFORE UPDATE ON unverified_signatures
    BEGIN SELECT RAISE(ABORT, 'append-only: an unverified signature stays unverified'); END;
    CREATE TRIGGER unverified_signatures_no_delete BEFORE DELETE ON unverified_signatures
    BEGIN SELECT RAISE(ABORT, 'append-only: an unverified signature stays unverified'); END;
";

/// Marks the signature just imported for `session` as unverified.
pub(in crate::store) fn mark(tx: &Transaction<'_>, session: SessionId) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO unverified_signatures (session_id) VALUES (?1)")?
        .execute([session.0])?;
    Ok(())
}

/// Whether `session`'s signature came without a seal.
pub(in crate::store) fn is_unverified(
    conn: &Connection,
    session: SessionId,
) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM unverified_signatures WHERE session_id = ?1")?
        .exists([session.0])?)
}

impl<S: Deref<Target = Store>> Record<S> {
    /// Sessions whose signature arrived without a seal, by number.
    pub fn unverified_signatures(&self) -> Result<Vec<SessionId>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT session_id FROM unverified_signatures ORDER BY session_id")?;
        let ids = statement.query_map([], |row| row.get(0).map(SessionId))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}
