//! Proof that this journal holds the secret half of the keys it registers with a practice: each
//! key signs a statement naming the login and the practice, so nobody can register a key taken
//! from an archive (which carries only the public half) as theirs or lock its owner out.

use ed25519_dalek::{Signer as _, SigningKey};
use rusqlite::OptionalExtension as _;
use zeroize::Zeroizing;

use super::secret::push_hex;
use super::{Store, StoreError};

/// This journal's newest own signing key, held for sealing the rows a sync pushes (its secret
/// half is wiped when it is dropped).
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

impl Store {
    /// The newest of this journal's own signing keys, to seal what a sync pushes; `None` before
    /// the journal has one (joining a practice makes one).
    pub fn practice_row_key(&self) -> Result<Option<RowKey>, StoreError> {
        let secret: Option<Vec<u8>> = self
            .conn
            .prepare_cached(
                "SELECT secret FROM signing_keys WHERE secret IS NOT NULL
                 ORDER BY added_ms DESC, rowid DESC LIMIT 1",
            )?
            .query_row([], |row| row.get(0))
            .optional()?;
        let Some(secret) = secret else {
            return Ok(None);
        };
        let secret = Zeroizing::new(secret);
        let bytes: [u8; 32] = secret
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Damaged("a signing key"))?;
        Ok(Some(RowKey(SigningKey::from_bytes(&bytes))))
    }

    /// Signs `statement` with each of this journal's own signing keys.
    pub fn prove_signing_keys(&self, statement: &[u8]) -> Result<Vec<KeyProof>, StoreError> {
        let mut query = self
            .conn
            .prepare_cached("SELECT secret FROM signing_keys WHERE secret IS NOT NULL")?;
        let secrets = query.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
        let mut proofs = Vec::new();
        for secret in secrets {
            let secret = Zeroizing::new(secret?);
            let bytes: [u8; 32] = secret
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::Damaged("a signing key"))?;
            let key = SigningKey::from_bytes(&bytes);
            let mut public_key = String::with_capacity(64);
            push_hex(&mut public_key, key.verifying_key().as_bytes());
            let mut proof = String::with_capacity(128);
            push_hex(&mut proof, &key.sign(statement).to_bytes());
            proofs.push(KeyProof { public_key, proof });
        }
        Ok(proofs)
    }
}
