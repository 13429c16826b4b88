//! Whose client a code names. A code such as `D-0001` is only unique inside one practice (once the
//! journal is connected to one that names itself) or else inside this journal: two journals' D-0001
//! are two people. Exports that identify a client (FHIR's Patient) say which, so a receiving system
//! never merges them.

use sha2::Sha256;
use std::ops::Deref;

use super::super::secret::DataKey;
use super::super::{Store, StoreError};
use super::Sharing;

/// Derives the journal's identity from its data key: stable for the life of the journal (through
/// passphrase changes, backups and restores), the same in its copies, and revealing nothing.
const JOURNAL_IDENTITY_PURPOSE: &[u8] = b"kap-journal journal identity v1";

impl<S: Deref<Target = Store>> Sharing<S> {
    /// The identifier system of this journal's client codes: the practice's, when the journal is
    /// connected to a practice that names itself, else this journal's own.
    pub fn client_code_system(&self) -> Result<String, StoreError> {
        if let Some(practice) = self
            .practice_membership()?
            .and_then(|membership| membership.practice_id)
        {
            return Ok(format!("urn:kap-journal:practice:{practice}:client-code"));
        }
        Ok(format!(
            "urn:kap-journal:journal:{}:client-code",
            journal_identity(&self.0.key)
        ))
    }
}

fn journal_identity(key: &DataKey) -> uuid::Uuid {
    let mut bytes = [0_u8; 16];
    // HKDF-SHA-256 can always give 16 bytes; were it ever to refuse, the identity would be the
    // nil uuid rather than a panic.
    let _ = hkdf::Hkdf::<Sha256>::new(None, key.as_bytes())
        .expand(JOURNAL_IDENTITY_PURPOSE, &mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
