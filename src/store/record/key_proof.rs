//! Proof that this journal holds the secret half of the keys it registers with a practice: each
//! key signs a statement naming the login and the practice, so nobody can register a key taken
//! from an archive (which carries only the public half) as theirs or lock its owner out.

use ed25519_dalek::{Signer as _, SigningKey};
use rusqlite::OptionalExtension as _;
use std::ops::Deref;

use super::super::secret::push_hex;
use super::super::{Store, StoreError};
use super::Record;

/// One of this journal's own signing keys, held for sealing what a sync pushes and proving the
/// keys it registers (its secret half is wiped when it is dropped).
pub struct RowKey(SigningKey);

impl RowKey {
    /// The key's public half and its signature over `message`, in hex.
    pub fn seal(&self, message: &[u8]) -> KeyProof {
        let mut public_key = String::with_capacity(64);
        push_hex(&mut public_key, self.0.verifying_key().as_bytes());
        let mut proof = String::with_capacity(128);
        push_hex(&mut proof, &self.0.sign(message).to_bytes());
        KeyProof { public_key, proof }
    }
}

impl std::fmt::Debug for RowKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("RowKey(…)")
    }
}

/// A public key of this journal's clinician and its signature over a registration statement, in hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProof {
    pub public_key: String,
    pub proof: String,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// The newest of this journal's own signing keys, to seal what a sync pushes; `None` before
    /// the journal has one (joining a practice makes one).
    pub fn practice_row_key(&self) -> Result<Option<RowKey>, StoreError> {
        let secret: Option<Vec<u8>> = self
            .0
            .conn
            .prepare_cached(
                "SELECT secret FROM signing_keys WHERE secret IS NOT NULL
                 ORDER BY added_ms DESC, rowid DESC LIMIT 1",
            )?
            .query_row([], |row| row.get(0))
            .optional()?;
        secret
            .map(|secret| {
                Ok(RowKey(crate::store::record::signing_key::from_secret(
                    secret,
                )?))
            })
            .transpose()
    }

    /// The fingerprints of this journal's own signing keys, newest first: what a colleague
    /// compares before trusting a new key of this clinician's.
    pub fn own_key_fingerprints(&self) -> Result<Vec<String>, StoreError> {
        let mut query = self.0.conn.prepare_cached(
            "SELECT public_key FROM signing_keys WHERE secret IS NOT NULL
             ORDER BY added_ms DESC, rowid DESC",
        )?;
        let keys = query.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        keys.map(|key| Ok(crate::store::record::signing_key::fingerprint(&key?)))
            .collect()
    }

    /// Signs `statement` with each of this journal's own signing keys.
    pub fn prove_signing_keys(&self, statement: &[u8]) -> Result<Vec<KeyProof>, StoreError> {
        let mut query = self
            .0
            .conn
            .prepare_cached("SELECT secret FROM signing_keys WHERE secret IS NOT NULL")?;
        let secrets = query.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        secrets
            .map(|secret| {
                Ok(
                    RowKey(crate::store::record::signing_key::from_secret(secret?)?)
                        .seal(statement),
                )
            })
            .collect()
    }
}
