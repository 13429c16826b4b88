//! Signatures of live sessions logged by several clinicians (`live_signatures`, migration 29): this
//! journal's own, made here over the merged timeline it holds, and colleagues', kept only once they
//! verify over that same timeline. Append-only; what a signature covers is in `domain::co_signature`.

use std::ops::{Deref, DerefMut};

use chrono::{DateTime, SubsecRound as _, Utc};
use rusqlite::params;

use super::super::record::signing_key;
use super::super::{Store, StoreError, from_ms, to_ms};
use super::Sharing;
use crate::domain::{
    Clinician, CoSignature, CoSignatureStanding, CoSignedPart, EventKind, KeyedSeal, LiveEntry,
    co_session_digest, co_signature_message,
};

/// Migration 29's signatures of live sessions, one per signer and part.
const CREATE_CO_SIGNATURES: &str = r"
    CREATE TABLE live_signatures (
        live_uuid       TEXT NOT NULL,
        part            TEXT NOT NULL CHECK (part IN ('own_entries', 'whole', 'co_sign')),
        login           TEXT NOT NULL,
        name            TEXT NOT NULL,
        credentials     TEXT NOT NULL,
        signed_ms       INTEGER NOT NULL,
        content_sha256  TEXT NOT NULL,
        public_key      TEXT NOT NULL,
        seal            TEXT NOT NULL,
        PRIMARY KEY (live_uuid, part, login)
    ) WITHOUT ROWID;
    CREATE TRIGGER live_signatures_no_update BEFORE UPDATE ON live_signatures
    BEGIN SELECT RAISE(ABORT, 'signed: a signature never changes'); END;
    CREATE TRIGGER live_signatures_no_delete BEFORE DELETE ON live_signatures
    BEGIN SELECT RAISE(ABORT, 'signed: a signature never changes'); END;
";

/// Why a co-session signature was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoSignError {
    #[error("A live session is signed once its end is in the timeline; it has not ended yet.")]
    NotEnded,
    #[error("You wrote no entry in this session, so there is nothing of yours to sign.")]
    NothingOfYours,
    #[error("Only the clinician who started the session signs the whole of it.")]
    NotTheAuthor,
}

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The signatures kept of the live session `live`, each with what this journal can say of it
    /// now (over the merged timeline it holds), in the order they were signed.
    pub fn co_signatures(
        &self,
        live: uuid::Uuid,
    ) -> Result<Vec<(CoSignature, CoSignatureStanding)>, StoreError> {
        signatures(&self.0.conn, live)
    }

    /// Whether the live session `live` was started in this journal.
    fn is_own_live_session(&self, live: uuid::Uuid) -> Result<bool, StoreError> {
        Ok(match self.0.record().session_of_uuid(live)? {
            Some(session) => self.live_part(session.id)?.is_none(),
            None => false,
        })
    }
}

/// Migration 29's second half.
pub(in crate::store) fn create(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(CREATE_CO_SIGNATURES)?;
    Ok(())
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Signs `part` of the live session `live` as `clinician` (practice login `login`), over the
    /// merged timeline this journal holds, which must end with the session's end. Signing twice
    /// gives the signature made first.
    pub fn sign_co_session(
        &mut self,
        live: uuid::Uuid,
        part: CoSignedPart,
        login: &str,
        clinician: &Clinician,
        now: DateTime<Utc>,
    ) -> Result<CoSignature, StoreError> {
        let clinician = clinician.checked()?;
        if let Some((kept, _)) = self
            .co_signatures(live)?
            .into_iter()
            .find(|(kept, _)| kept.part == part && kept.login == login)
        {
            return Ok(kept);
        }
        let entries = self.live_merged(live)?;
        let Some(end) = entries
            .iter()
            .rev()
            .find(|entry| matches!(entry.kind(), Some(EventKind::SessionEnded { .. })))
        else {
            return Err(CoSignError::NotEnded.into());
        };
        match part {
            CoSignedPart::OwnEntries if !entries.iter().any(|e| e.author.login == login) => {
                return Err(CoSignError::NothingOfYours.into());
            }
            // The session is this journal's own (not its part of a colleague's), and its end is
            // this clinician's.
            CoSignedPart::Whole
                if !self.is_own_live_session(live)? || end.author.login != login =>
            {
                return Err(CoSignError::NotTheAuthor.into());
            }
            _ => {}
        }
        let mut signature = CoSignature {
            live_uuid: live,
            part,
            login: login.to_owned(),
            clinician,
            // Kept to the millisecond, as the journal stores it.
            signed_at: now.trunc_subsecs(3),
            content_sha256: co_session_digest(live, part, login, &entries),
            seal: KeyedSeal {
                public_key: String::new(),
                signature: String::new(),
            },
        };
        // Sealed with the key the practice knows this journal by (registered at each sync), so
        // colleagues' journals name its signer; a journal without one makes its first key here.
        let message = co_signature_message(&signature);
        let row_key = self.0.record().practice_row_key()?;
        self.0.write(|tx| {
            signature.seal = match &row_key {
                Some(key) => {
                    let proof = key.seal(&message);
                    KeyedSeal {
                        public_key: proof.public_key,
                        signature: proof.proof,
                    }
                }
                None => signing_key::seal_message(tx, &signature.clinician, now, &message)?,
            };
            insert(tx, &signature)
        })?;
        Ok(signature)
    }

    /// Keeps colleagues' signatures of `live` that verify over the merged timeline this journal
    /// holds (one already kept is passed over); how many were new, and how many did not verify
    /// and were left out.
    pub fn keep_co_signatures(
        &mut self,
        live: uuid::Uuid,
        signatures: &[CoSignature],
    ) -> Result<(usize, usize), StoreError> {
        self.0.write(|tx| keep(tx, live, signatures))
    }
}

/// The signatures `conn` holds of `live`, each with its standing over the timeline it holds.
pub(in crate::store) fn signatures(
    conn: &rusqlite::Connection,
    live: uuid::Uuid,
) -> Result<Vec<(CoSignature, CoSignatureStanding)>, StoreError> {
    let entries = super::co_sessions::merged(conn, live)?;
    let mut statement = conn.prepare_cached(
        "SELECT part, login, name, credentials, signed_ms, content_sha256, public_key, seal
         FROM live_signatures WHERE live_uuid = ?1 ORDER BY signed_ms, part, login",
    )?;
    let rows = statement.query_map([live.to_string()], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            Clinician {
                name: row.get(2)?,
                credentials: row.get(3)?,
            },
            row.get::<_, i64>(4)?,
            row.get::<_, String>(5)?,
            KeyedSeal {
                public_key: row.get(6)?,
                signature: row.get(7)?,
            },
        ))
    })?;
    let mut signatures = Vec::new();
    for row in rows {
        let (part, login, clinician, signed_ms, content_sha256, seal) = row?;
        let signature = CoSignature {
            live_uuid: live,
            part: CoSignedPart::parse(&part)
                .ok_or(StoreError::Damaged("a live session's signature"))?,
            login,
            clinician,
            signed_at: from_ms(signed_ms)?,
            content_sha256,
            seal,
        };
        let standing = standing(conn, &signature, &entries)?;
        signatures.push((signature, standing));
    }
    Ok(signatures)
}

/// What `conn`'s journal can say of `signature` over the merged timeline `entries`: broken unless
/// the digest is of what it holds and the seal verifies; then whose key, as far as it knows.
fn standing(
    conn: &rusqlite::Connection,
    signature: &CoSignature,
    entries: &[LiveEntry],
) -> Result<CoSignatureStanding, StoreError> {
    let digest = co_session_digest(
        signature.live_uuid,
        signature.part,
        &signature.login,
        entries,
    );
    let sealed = signing_key::message_verifies(&signature.seal, &co_signature_message(signature));
    let Some(fingerprint) = signing_key::key_fingerprint(&signature.seal.public_key) else {
        return Ok(CoSignatureStanding::Broken);
    };
    if digest != signature.content_sha256 || !sealed {
        return Ok(CoSignatureStanding::Broken);
    }
    if signing_key::is_own_key(conn, &signature.seal.public_key)? {
        return Ok(CoSignatureStanding::ThisJournal { fingerprint });
    }
    let registered = conn
        .prepare_cached("SELECT 1 FROM practice_pinned_keys WHERE login = ?1 AND public_key = ?2")?
        .exists(params![signature.login, signature.seal.public_key])?;
    Ok(if registered {
        CoSignatureStanding::Practice { fingerprint }
    } else {
        CoSignatureStanding::UnknownKey { fingerprint }
    })
}

/// Keeps, through `conn`, the signatures of `live` that verify over the timeline it holds (see
/// [`Sharing::keep_co_signatures`]).
pub(in crate::store) fn keep(
    conn: &rusqlite::Connection,
    live: uuid::Uuid,
    new: &[CoSignature],
) -> Result<(usize, usize), StoreError> {
    let entries = super::co_sessions::merged(conn, live)?;
    let held: Vec<(CoSignedPart, String)> = signatures(conn, live)?
        .into_iter()
        .map(|(held, _)| (held.part, held.login))
        .collect();
    let (mut kept, mut broken) = (0, 0);
    for signature in new.iter().filter(|signature| signature.live_uuid == live) {
        if held.contains(&(signature.part, signature.login.clone())) {
            continue;
        }
        if standing(conn, signature, &entries)?.verifies() {
            insert(conn, signature)?;
            kept += 1;
        } else {
            broken += 1;
        }
    }
    Ok((kept, broken))
}

fn insert(tx: &rusqlite::Connection, signature: &CoSignature) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO live_signatures (live_uuid, part, login, name, credentials, signed_ms,
                                      content_sha256, public_key, seal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        signature.live_uuid.to_string(),
        signature.part.as_str(),
        signature.login,
        signature.clinician.name,
        signature.clinician.credentials,
        to_ms(signature.signed_at),
        signature.content_sha256,
        signature.seal.public_key,
        signature.seal.signature,
    ])?;
    Ok(())
}
