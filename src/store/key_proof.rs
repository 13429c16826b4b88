//! Proof that this journal holds the secret half of the keys it registers with a practice: each
//! key signs a statement naming the login and the practice, so nobody can register a key taken
//! from an archive (which carries only the public half) as theirs or lock its owner out.

use ed25519_dalek::{Signer as _, SigningKey};
use zeroize::Zeroizing;

use super::secret::push_hex;
use super::{Store, StoreError};

/// A public key of this journal's clinician and its signature over a registration statement, in hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProof {
    pub public_key: String,
    pub proof: String,
}

impl Store {
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
