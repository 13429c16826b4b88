//! The practice's register of signing keys, trusted only with proof: a key counts as a login's when
//! its registration carries the key's own signature over the statement naming that login and the
//! practice. A row without one (written past the journal, or a key copied out of an archive) is
//! ignored: it can neither lend a seal to the wrong author nor lock the key's owner out.

use std::collections::{HashMap, HashSet};

use postgres::Client;

use super::row_seal::RowSeal;
use super::server_columns::cell;
use super::{PracticeAddress, PracticeError};
use crate::store::Store;

/// What a key signs to be registered to `login` in `practice`.
pub(super) fn statement(practice: uuid::Uuid, login: &str) -> Vec<u8> {
    let mut statement = b"kap-journal practice signing key v1\0".to_vec();
    statement.extend_from_slice(practice.as_bytes());
    statement.extend_from_slice(&(login.len() as u64).to_be_bytes());
    statement.extend_from_slice(login.as_bytes());
    statement
}

/// Whether `proof` is `public_key`'s signature over the statement for `login` in `practice`.
pub(super) fn proves(public_key: &str, proof: &str, practice: uuid::Uuid, login: &str) -> bool {
    let seal = RowSeal {
        public_key: public_key.to_owned(),
        seal: proof.to_owned(),
    };
    super::row_seal::verifies(&seal, &statement(practice, login))
}

/// Registers the journal's signing keys to the connected login, each with its proof.
pub(super) fn register(
    client: &mut Client,
    store: &Store,
    address: &PracticeAddress,
    practice: uuid::Uuid,
) -> Result<(), PracticeError> {
    for key in store
        .record()
        .prove_signing_keys(&statement(practice, address.login()))?
    {
        client
            .execute(
                "INSERT INTO kap.signing_keys (public_key, proof) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&key.public_key, &key.proof],
            )
            .map_err(|error| address.error(&error))?;
    }
    Ok(())
}

/// Each registered key with the logins that proved it theirs; registrations without a good proof
/// are left out.
pub(super) fn proven_keys(
    client: &mut Client,
    address: &PracticeAddress,
    practice: uuid::Uuid,
) -> Result<HashMap<String, HashSet<String>>, PracticeError> {
    let rows = client
        .query(
            "SELECT public_key, login::text, proof FROM kap.signing_keys",
            &[],
        )
        .map_err(|error| address.error(&error))?;
    let mut keys: HashMap<String, HashSet<String>> = HashMap::new();
    for row in &rows {
        let (Ok(public_key), Ok(login), Ok(Some(proof))) = (
            cell::<String>(row, 0),
            cell::<String>(row, 1),
            cell::<Option<String>>(row, 2),
        ) else {
            continue;
        };
        if proves(&public_key, &proof, practice, &login) {
            keys.entry(public_key).or_default().insert(login);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer as _, SigningKey};

    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<Vec<_>>()
            .concat()
    }

    #[test]
    fn a_proof_holds_for_its_login_and_practice_alone() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let practice = uuid::Uuid::from_u128(42);
        let public_key = hex(key.verifying_key().as_bytes());
        let proof = hex(&key.sign(&statement(practice, "t_one")).to_bytes());
        assert!(proves(&public_key, &proof, practice, "t_one"));
        assert!(!proves(&public_key, &proof, practice, "t_two"));
        assert!(!proves(
            &public_key,
            &proof,
            uuid::Uuid::from_u128(43),
            "t_one"
        ));
        let other = hex(SigningKey::from_bytes(&[8; 32]).verifying_key().as_bytes());
        assert!(!proves(&other, &proof, practice, "t_one"));
        assert!(!proves(&public_key, "00", practice, "t_one"));
        assert!(!proves("zz", &proof, practice, "t_one"));
    }
}
