//! Keyed signatures: each clinician signs with an Ed25519 key of their own (RFC 8032). The secret half
//! lives in the encrypted journal, under the data key the passphrase unwraps, and in its encrypted
//! backups; it never leaves in an archive. A seal covers the content digest, the signer, the time and
//! the weight the session was dosed by, so none of them can be changed, nor a signature made, by
//! anyone without the key. Archives carry the public key; a key this journal does not hold is shown
//! as unknown, since whose key it is cannot be established from the archive alone.

use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::super::secret::{parse_hex, push_hex};
use super::super::{StoreError, to_ms};
use crate::domain::{Clinician, KeyedSeal, SessionId, Signature, SignatureStanding};

/// Schema migration 9: the clinicians' keys (append-only, like the audit log) and the seal of each
/// signature made since.
pub(in crate::store) const CREATE_SIGNING_KEYS: &str = r"
    CREATE TABLE signing_keys (
        public_key  BLOB PRIMARY KEY CHECK (length(public_key) = 32),
        secret      BLOB CHECK (secret IS NULL OR length(secret) = 32),
        name        TEXT NOT NULL,
        credentials TEXT NOT NULL,
        added_ms    INTEGER NOT NULL
    );
    CREATE TRIGGER signing_keys_no_update BEFORE UPDATE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'append-only: a signing key is never changed'); END;
    CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'append-only: a signing key is never changed'); END;
    ALTER TABLE signatures ADD COLUMN public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 32);
    ALTER TABLE signatures ADD COLUMN seal BLOB CHECK (seal IS NULL OR length(seal) = 64);
";

/// What the seal signs, with its purpose first so it can never be taken for another message.
fn message(
    conn: &Connection,
    session: SessionId,
    signature: &Signature,
) -> Result<Vec<u8>, StoreError> {
    let weight: Option<f64> = conn
        .prepare_cached("SELECT weight_kg FROM sessions WHERE id = ?1")?
        .query_row([session.0], |row| row.get(0))?;
    let mut message = b"kap-journal keyed signature v1\0".to_vec();
    for text in [
        signature.content_sha256.as_str(),
        signature.clinician.name.as_str(),
        signature.clinician.credentials.as_str(),
    ] {
        message.extend_from_slice(&(text.len() as u64).to_be_bytes());
        message.extend_from_slice(text.as_bytes());
    }
    message.extend_from_slice(&to_ms(signature.signed_at).to_be_bytes());
    match weight {
        Some(kg) => {
            message.push(1);
            message.extend_from_slice(&kg.to_bits().to_be_bytes());
        }
        None => message.push(0),
    }
    Ok(message)
}

/// Seals `signature` of `session` with the clinician's own key, made at their first signature.
pub(in crate::store) fn seal(
    conn: &Connection,
    session: SessionId,
    signature: &Signature,
) -> Result<KeyedSeal, StoreError> {
    let key = own_key(conn, &signature.clinician, signature.signed_at)?;
    let sealed = key.sign(&message(conn, session, signature)?);
    Ok(KeyedSeal {
        public_key: hex(key.verifying_key().as_bytes()),
        signature: hex(&sealed.to_bytes()),
    })
}

/// Whether `seal` is a valid Ed25519 signature of `signature` over the session as the journal now
/// holds it. A seal that is not even well formed does not verify.
pub(in crate::store) fn verifies(
    conn: &Connection,
    session: SessionId,
    signature: &Signature,
    seal: &KeyedSeal,
) -> Result<bool, StoreError> {
    let Some((public_key, sealed)) = decode(seal) else {
        return Ok(false);
    };
    Ok(public_key
        .verify(&message(conn, session, signature)?, &sealed)
        .is_ok())
}

/// Seals `message` with `clinician`'s own key (made at their first signature).
pub(in crate::store) fn seal_message(
    conn: &Connection,
    clinician: &Clinician,
    now: chrono::DateTime<chrono::Utc>,
    message: &[u8],
) -> Result<KeyedSeal, StoreError> {
    let key = own_key(conn, clinician, now)?;
    Ok(KeyedSeal {
        public_key: hex(key.verifying_key().as_bytes()),
        signature: hex(&key.sign(message).to_bytes()),
    })
}

/// Whether `seal` is a valid Ed25519 signature of `message` by the key it names.
pub(in crate::store) fn message_verifies(seal: &KeyedSeal, message: &[u8]) -> bool {
    decode(seal).is_some_and(|(public_key, sealed)| public_key.verify(message, &sealed).is_ok())
}

/// Whether this journal holds the secret half of the key given in hex.
pub(in crate::store) fn is_own_key(
    conn: &Connection,
    public_key_hex: &str,
) -> Result<bool, StoreError> {
    let Some(bytes) = parse_hex(public_key_hex) else {
        return Ok(false);
    };
    Ok(conn
        .prepare_cached("SELECT 1 FROM signing_keys WHERE public_key = ?1 AND secret IS NOT NULL")?
        .exists([bytes.as_slice()])?)
}

/// What the journal can say about the key `signature` was made with.
pub(in crate::store) fn standing(
    conn: &Connection,
    signature: &Signature,
) -> Result<SignatureStanding, StoreError> {
    let Some((public_key, _)) = signature.seal.as_ref().and_then(decode) else {
        return Ok(SignatureStanding::BeforeKeys);
    };
    let fingerprint = fingerprint(public_key.as_bytes());
    let held = conn
        .prepare_cached("SELECT 1 FROM signing_keys WHERE public_key = ?1 AND secret IS NOT NULL")?
        .exists([public_key.as_bytes().as_slice()])?;
    Ok(if held {
        SignatureStanding::ThisJournal { fingerprint }
    } else {
        SignatureStanding::UnknownKey { fingerprint }
    })
}

/// The seal's parts as bytes for the signatures table, or `None` for an unkeyed signature.
pub(in crate::store) fn seal_bytes(seal: Option<&KeyedSeal>) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    match seal.and_then(decode) {
        Some((public_key, sealed)) => (
            Some(public_key.as_bytes().to_vec()),
            Some(sealed.to_bytes().to_vec()),
        ),
        None => (None, None),
    }
}

/// The seal read back from the signatures table's two columns.
pub(in crate::store) fn seal_from_bytes(
    public_key: Option<Vec<u8>>,
    sealed: Option<Vec<u8>>,
) -> Option<KeyedSeal> {
    Some(KeyedSeal {
        public_key: hex(&public_key?),
        signature: hex(&sealed?),
    })
}

/// A signing key from its secret half as the journal keeps it (wiped once read).
pub(in crate::store) fn from_secret(secret: Vec<u8>) -> Result<SigningKey, StoreError> {
    let secret = Zeroizing::new(secret);
    let bytes: [u8; 32] = secret
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::Damaged("a signing key"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// The clinician's newest key, or a new one when they have none yet (or signed under another name).
pub(in crate::store) fn own_key(
    conn: &Connection,
    clinician: &Clinician,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SigningKey, StoreError> {
    let held: Option<Vec<u8>> = conn
        .prepare_cached(
            "SELECT secret FROM signing_keys
             WHERE secret IS NOT NULL AND name = ?1 AND credentials = ?2
             ORDER BY added_ms DESC LIMIT 1",
        )?
        .query_row(params![clinician.name, clinician.credentials], |row| {
            row.get(0)
        })
        .optional()?;
    if let Some(secret) = held {
        return from_secret(secret);
    }
    let mut secret = Zeroizing::new([0_u8; 32]);
    getrandom::fill(secret.as_mut()).map_err(|_| StoreError::NoRandomness)?;
    let key = SigningKey::from_bytes(&secret);
    conn.prepare_cached(
        "INSERT INTO signing_keys (public_key, secret, name, credentials, added_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        key.verifying_key().as_bytes().as_slice(),
        secret.as_slice(),
        clinician.name,
        clinician.credentials,
        to_ms(now),
    ])?;
    Ok(key)
}

fn decode(seal: &KeyedSeal) -> Option<(VerifyingKey, ed25519_dalek::Signature)> {
    let public_key: [u8; 32] = parse_hex(&seal.public_key)?.try_into().ok()?;
    let sealed: [u8; 64] = parse_hex(&seal.signature)?.try_into().ok()?;
    Some((
        VerifyingKey::from_bytes(&public_key).ok()?,
        ed25519_dalek::Signature::from_bytes(&sealed),
    ))
}

/// The fingerprint of a public key given in hex (64 digits), as [`fingerprint`] writes it; `None`
/// when it is not one.
pub fn key_fingerprint(public_key_hex: &str) -> Option<String> {
    let bytes = super::super::secret::parse_hex(public_key_hex)?;
    (bytes.len() == 32).then(|| fingerprint(&bytes))
}

/// A key's short name to compare by eye: the first eight bytes of its SHA-256, in groups of four.
pub(in crate::store) fn fingerprint(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    let mut text = String::new();
    for (index, pair) in digest[..8].chunks(2).enumerate() {
        if index > 0 {
            text.push(' ');
        }
        push_hex(&mut text, pair);
    }
    text
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    push_hex(&mut text, bytes);
    text
}
