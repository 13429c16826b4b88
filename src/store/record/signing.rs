//! Signing sessions and writing addenda. The rules are enforced twice: here, with sentences, and in
//! the schema, by triggers that reject any change to a signed session's events, row or progress
//! note and any change to a signature or addendum, whatever connection tries.

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::ops::{Deref, DerefMut};

use super::super::secret::push_hex;
use super::super::{Store, StoreError, from_ms, to_ms};
use super::Record;
use crate::domain::{Addendum, Clinician, SessionId, SessionStatus, Signature, SignatureError};
use crate::store::record::digest::ValueDigest;

/// The tables and the triggers that guard the session row, signatures and addenda (schema migration
/// 6; its code adds the guards of the session's entries and progress note, and the audit log).
pub(in crate::store) const CREATE_SIGNING: &str = r"
    CREATE TABLE signatures (
        session_id      INTEGER PRIMARY KEY REFERENCES sessions(id),
        name            TEXT NOT NULL,
        credentials     TEXT NOT NULL,
        signed_ms       INTEGER NOT NULL,
        content_sha256  TEXT NOT NULL
    );
    CREATE TABLE addenda (
        id           INTEGER PRIMARY KEY,
        session_id   INTEGER NOT NULL REFERENCES sessions(id),
        name         TEXT NOT NULL,
        credentials  TEXT NOT NULL,
        written_ms   INTEGER NOT NULL,
        reason       TEXT NOT NULL,
        text         TEXT NOT NULL
    );
    CREATE INDEX addenda_by_session ON addenda (session_id, id);

    CREATE TRIGGER signed_sessions_update BEFORE UPDATE ON sessions
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    CREATE TRIGGER signed_sessions_delete BEFORE DELETE ON sessions
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    CREATE TRIGGER signing_needs_signature BEFORE UPDATE OF status ON sessions
    WHEN NEW.status = 'signed' AND NOT EXISTS (SELECT 1 FROM signatures WHERE session_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'unsigned: a session is signed with a signature'); END;

    CREATE TRIGGER signature_needs_ended BEFORE INSERT ON signatures
    WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'ended'
    BEGIN SELECT RAISE(ABORT, 'not ended: only an ended session is signed'); END;
    CREATE TRIGGER signature_no_update BEFORE UPDATE ON signatures
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    CREATE TRIGGER signature_no_delete BEFORE DELETE ON signatures
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;

    CREATE TRIGGER addendum_needs_signed BEFORE INSERT ON addenda
    WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'signed'
    BEGIN SELECT RAISE(ABORT, 'not signed: addenda are for signed sessions'); END;
    CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addenda
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addenda
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
";

/// The rest of schema migration 6: the guards of a signed session's entries and progress note, then
/// the audit log.
pub(in crate::store) fn create_guards_and_log(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    for (table, name) in [("events", "events"), ("progress_notes", "progress")] {
        tx.execute_batch(&guard_signed_rows(table, name))?;
    }
    crate::store::record::audit_watch::create_log(tx)
}

/// Triggers that refuse inserting, changing or removing a row of `table` (keyed by `session_id`)
/// that belongs to a signed session, named `signed_{name}_insert`, `_update` and `_delete`.
fn guard_signed_rows(table: &str, name: &str) -> String {
    let refuse = "BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;";
    let signed = |rows: &str| {
        format!("EXISTS (SELECT 1 FROM sessions WHERE id IN ({rows}) AND status = 'signed')")
    };
    format!(
        "CREATE TRIGGER signed_{name}_insert BEFORE INSERT ON {table} WHEN {} {refuse}
         CREATE TRIGGER signed_{name}_update BEFORE UPDATE ON {table} WHEN {} {refuse}
         CREATE TRIGGER signed_{name}_delete BEFORE DELETE ON {table} WHEN {} {refuse}",
        signed("NEW.session_id"),
        signed("OLD.session_id, NEW.session_id"),
        signed("OLD.session_id"),
    )
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The signature of a session, if it is signed.
    pub fn signature(&self, session: SessionId) -> Result<Option<Signature>, StoreError> {
        read_signature(&self.0.conn, session)
    }

    /// The addenda of a session, oldest first.
    pub fn addenda(&self, session: SessionId) -> Result<Vec<Addendum>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
            "SELECT name, credentials, written_ms, reason, text FROM addenda
             WHERE session_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([session.0], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (name, credentials, written_ms, reason, text) = row?;
            Ok(Addendum {
                author: Clinician { name, credentials },
                written_at: from_ms(written_ms)?,
                reason,
                text,
            })
        })
        .collect()
    }

    /// Signed sessions whose content no longer matches the digest taken when they were signed: a
    /// change made behind the journal's back (its triggers dropped, or the file edited).
    pub fn signature_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare("SELECT session_id FROM signatures ORDER BY session_id")?;
        let signed = statement
            .query_map([], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut problems = Vec::new();
        for id in signed {
            let session = SessionId(id);
            let Some(signature) = read_signature(&self.0.conn, session)? else {
                continue;
            };
            if content_digest(&self.0.conn, session, signature.client_code.as_deref())?
                != signature.content_sha256
            {
                problems.push(format!(
                    "session {id} was changed after it was signed: its content no longer matches its signature"
                ));
            } else if let Some(seal) = &signature.seal
                && !crate::store::record::signing_key::verifies(
                    &self.0.conn,
                    session,
                    &signature,
                    seal,
                )?
            {
                problems.push(format!(
                    "session {id}'s signature does not verify: its signer, time or weight was changed after it was signed"
                ));
            }
        }
        Ok(problems)
    }

    /// Who the journal can say made `session`'s `signature`: this journal's clinician, a key it
    /// does not know, an unkeyed digest from before signatures were keyed, or nobody (it arrived
    /// without a seal).
    pub fn signature_standing(
        &self,
        session: SessionId,
        signature: &Signature,
    ) -> Result<crate::domain::SignatureStanding, StoreError> {
        if crate::store::record::unverified::is_unverified(&self.0.conn, session)? {
            return Ok(crate::domain::SignatureStanding::Unverified);
        }
        crate::store::record::signing_key::standing(&self.0.conn, signature)
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Signs an ended session as `clinician`: from now on its timeline, plan and progress note never
    /// change. Returns the signature, with the digest of what was signed.
    pub fn sign_session(
        &mut self,
        session: SessionId,
        clinician: &Clinician,
        now: DateTime<Utc>,
    ) -> Result<Signature, StoreError> {
        self.0.refuse_practice_copy(session)?;
        let clinician = clinician.checked()?;
        self.0.write(|tx| sign_in(tx, session, clinician, now))
    }

    /// Adds an addendum to a signed session. The original record stays exactly as it was.
    pub fn add_addendum(
        &mut self,
        session: SessionId,
        addendum: &Addendum,
    ) -> Result<(), StoreError> {
        self.0.refuse_practice_copy(session)?;
        if self.session(session)?.status != SessionStatus::Signed {
            return Err(SignatureError::NotSigned.into());
        }
        self.0.write(|tx| insert_addendum(tx, session, addendum))
    }
}

/// Signs `session` inside `tx` as `clinician` at `now`.
pub(in crate::store) fn sign_in(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    clinician: Clinician,
    now: DateTime<Utc>,
) -> Result<Signature, StoreError> {
    require_ended(tx, session)?;
    let mut signature = Signature {
        clinician,
        // Kept to the millisecond, as the journal stores it.
        signed_at: now.trunc_subsecs(3),
        content_sha256: content_digest(tx, session, None)?,
        seal: None,
        client_code: None,
    };
    signature.seal = Some(crate::store::record::signing_key::seal(
        tx, session, &signature,
    )?);
    write_signature(tx, session, &signature)?;
    Ok(signature)
}

/// Signs an imported session with the signature it was archived with, after checking that what the
/// archive holds is what was signed.
pub(in crate::store) fn import_signature(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    signature: &Signature,
) -> Result<(), StoreError> {
    require_ended(tx, session)?;
    // A code signed under that is the code filed under here needs no note.
    let filed_under: String = tx.query_row(
        "SELECT c.code FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1",
        [session.0],
        |row| row.get(0),
    )?;
    let signature = &Signature {
        client_code: signature
            .client_code
            .clone()
            .filter(|code| *code != filed_under),
        ..signature.clone()
    };
    if content_digest(tx, session, signature.client_code.as_deref())? != signature.content_sha256 {
        return Err(StoreError::SignatureMismatch);
    }
    if let Some(seal) = &signature.seal
        && !crate::store::record::signing_key::verifies(tx, session, signature, seal)?
    {
        return Err(StoreError::SignatureForged);
    }
    write_signature(tx, session, signature)?;
    if signature.seal.is_none() {
        // Its digest proves nothing: whoever changed a word could have worked it out again.
        crate::store::record::unverified::mark(tx, session)?;
    }
    Ok(())
}

fn require_ended(tx: &rusqlite::Transaction<'_>, session: SessionId) -> Result<(), StoreError> {
    let status: String = tx
        .prepare_cached("SELECT status FROM sessions WHERE id = ?1")?
        .query_row([session.0], |row| row.get(0))
        .optional()?
        .ok_or(StoreError::NotFound("session"))?;
    match SessionStatus::parse(&status) {
        Some(SessionStatus::Ended) => Ok(()),
        Some(SessionStatus::Signed) => Err(StoreError::Signed),
        Some(SessionStatus::Live) => Err(SignatureError::NotEnded.into()),
        None => Err(StoreError::Damaged("a session status")),
    }
}

/// Stores the signature and marks the session signed; from this statement on the triggers hold.
fn write_signature(
    tx: &rusqlite::Transaction<'_>,
    session: SessionId,
    signature: &Signature,
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM drafts WHERE session_id = ?1")?
        .execute([session.0])?;
    let (public_key, seal) = crate::store::record::signing_key::seal_bytes(signature.seal.as_ref());
    tx.prepare_cached(
        "INSERT INTO signatures (session_id, name, credentials, signed_ms, content_sha256, public_key, seal,
                                 client_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        session.0,
        signature.clinician.name,
        signature.clinician.credentials,
        to_ms(signature.signed_at),
        signature.content_sha256,
        public_key,
        seal,
        signature.client_code,
    ])?;
    tx.prepare_cached("UPDATE sessions SET status = 'signed' WHERE id = ?1")?
        .execute([session.0])?;
    Ok(())
}

/// Writes one addendum; the schema refuses it unless the session is signed.
pub(in crate::store) fn insert_addendum(
    conn: &Connection,
    session: SessionId,
    addendum: &Addendum,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO addenda (session_id, name, credentials, written_ms, reason, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        session.0,
        addendum.author.name,
        addendum.author.credentials,
        to_ms(addendum.written_at),
        addendum.reason,
        addendum.text,
    ])?;
    Ok(())
}

fn read_signature(conn: &Connection, session: SessionId) -> Result<Option<Signature>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT name, credentials, signed_ms, content_sha256, public_key, seal, client_code
             FROM signatures WHERE session_id = ?1",
        )?
        .query_row([session.0], |row| {
            Ok((
                Clinician {
                    name: row.get(0)?,
                    credentials: row.get(1)?,
                },
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                (row.get(4)?, row.get(5)?),
                row.get::<_, Option<String>>(6)?,
            ))
        })
        .optional()?;
    row.map(
        |(clinician, signed_ms, content_sha256, (public_key, seal), client_code)| {
            Ok(Signature {
                clinician,
                signed_at: from_ms(signed_ms)?,
                content_sha256,
                seal: crate::store::record::signing_key::seal_from_bytes(public_key, seal),
                client_code,
            })
        },
    )
    .transpose()
}

/// The SHA-256 of what a signature covers: the session as planned and held (by its uuid and client
/// code, so the digest is the same in any journal the session is imported into), its whole timeline
/// and its progress note. Times the journal sets itself (when a note was last saved) are left out.
/// `signed_under` is the client's code where it was signed, when it is not the code it is filed
/// under here.
pub(in crate::store) fn content_digest(
    conn: &Connection,
    session: SessionId,
    signed_under: Option<&str>,
) -> Result<String, StoreError> {
    let mut digest = ValueDigest::new("kap-journal signed session v1");
    let mut hash_rows = |part: &str, sql: &str| -> Result<(), StoreError> {
        digest.value(rusqlite::types::ValueRef::Text(part.as_bytes()));
        let mut statement = conn.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = if statement.parameter_count() == 2 {
            statement.query(params![session.0, signed_under])?
        } else {
            statement.query([session.0])?
        };
        while let Some(row) = rows.next()? {
            for index in 0..columns {
                digest.value(row.get_ref(index)?);
            }
        }
        Ok(())
    };
    hash_rows(
        "session",
        "SELECT s.uuid, coalesce(?2, c.code), s.model, s.route, s.planned_dose, s.intention, s.comfort_plan,
                s.started_ms, s.ended_ms
         FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1",
    )?;
    hash_rows(
        "timeline",
        "SELECT seq, wall_ms, elapsed_ms, kind, payload FROM events WHERE session_id = ?1 ORDER BY seq",
    )?;
    hash_rows(
        "progress note",
        "SELECT note FROM progress_notes WHERE session_id = ?1",
    )?;
    let mut hex = String::with_capacity(64);
    push_hex(&mut hex, &digest.finish());
    Ok(hex)
}
