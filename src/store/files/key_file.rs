//! `journal.key`: the data key, wrapped by a key derived from the passphrase.
//!
//! The passphrase goes through Argon2id (memory-hard, so a stolen laptop's key file resists guessing on
//! graphics cards) to a key-encryption key, which seals the data key with XChaCha20-Poly1305. The
//! authentication tag is how a wrong passphrase is told apart from a right one, without touching the
//! database. Changing the passphrase rewraps the same data key: nothing is re-encrypted, and backups made
//! before the change still open with the journal's current key file.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::super::secret::{DataKey, Passphrase, parse_hex, push_hex};
use super::super::{KEY_FILE_NAME, StoreError};

const FORMAT: &str = "kap-journal-key";
const VERSION: u32 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;

/// How hard Argon2id works for each unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl KdfCost {
    /// RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes): about a quarter of a
    /// second per unlock on a laptop, measured in benches/unlock.rs.
    pub const RECOMMENDED: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        lanes: 4,
    };

    /// The most a key file may ask for: 1 GiB of memory, 16 passes, 16 lanes. Far above what this
    /// build writes; a file asking for more (4 TiB, a billion passes) is damaged or hostile, and
    /// obeying it would abort or hang the app instead of saying so.
    pub const CEILING: Self = Self {
        memory_kib: 1024 * 1024,
        iterations: 16,
        lanes: 16,
    };

    fn params(self) -> Result<Params, StoreError> {
        let ceiling = Self::CEILING;
        if self.memory_kib > ceiling.memory_kib
            || self.iterations > ceiling.iterations
            || self.lanes > ceiling.lanes
        {
            return Err(StoreError::KeyFileDamaged(
                "its key-derivation settings ask for more than any journal uses",
            ));
        }
        Params::new(self.memory_kib, self.iterations, self.lanes, Some(32))
            .map_err(|_| StoreError::KeyFileDamaged("its key-derivation settings are out of range"))
    }
}

/// The key file's contents, as JSON. Nothing in it is secret without the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    format: String,
    version: u32,
    kdf: KdfCost,
    salt: String,
    nonce: String,
    wrapped_key: String,
}

impl KeyFile {
    /// Wraps `key` under `passphrase` with a fresh salt and nonce.
    pub fn wrap(key: &DataKey, passphrase: &Passphrase, cost: KdfCost) -> Result<Self, StoreError> {
        let mut salt = [0_u8; SALT_LEN];
        let mut nonce = [0_u8; NONCE_LEN];
        getrandom::fill(&mut salt).map_err(|_| StoreError::NoRandomness)?;
        getrandom::fill(&mut nonce).map_err(|_| StoreError::NoRandomness)?;
        let kek = derive(passphrase, &salt, cost)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: &associated_data(cost),
                },
            )
            .map_err(|_| StoreError::KeyFileDamaged("the data key could not be sealed"))?;
        Ok(Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            kdf: cost,
            salt: hex(&salt),
            nonce: hex(&nonce),
            wrapped_key: hex(&wrapped),
        })
    }

    /// Opens the wrapped key with `passphrase`. A wrong passphrase fails the authentication tag and
    /// changes nothing anywhere.
    pub fn unwrap_key(&self, passphrase: &Passphrase) -> Result<DataKey, StoreError> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(StoreError::KeyFileDamaged(
                "it is not a key file this version knows",
            ));
        }
        let damaged =
            || StoreError::KeyFileDamaged("its salt, nonce or key is not what was written");
        let salt = parse_hex(&self.salt)
            .filter(|salt| salt.len() == SALT_LEN)
            .ok_or_else(damaged)?;
        let nonce = parse_hex(&self.nonce)
            .filter(|nonce| nonce.len() == NONCE_LEN)
            .ok_or_else(damaged)?;
        let wrapped = parse_hex(&self.wrapped_key).ok_or_else(damaged)?;
        let kek = derive(passphrase, &salt, self.kdf)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let opened = cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: &associated_data(self.kdf),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| StoreError::WrongPassphrase)?;
        DataKey::from_bytes(&opened).ok_or_else(damaged)
    }

    /// Reads the key file of the journal in `dir`; `None` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = dir.join(KEY_FILE_NAME);
        // A key file is a few hundred bytes: a huge one (or a device in its place) is not read.
        if fs::metadata(&path).is_ok_and(|meta| !meta.is_file() || meta.len() > 64 * 1024) {
            return Err(StoreError::KeyFileDamaged(
                "it is not a key file of this size",
            ));
        }
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(_) => return Err(StoreError::KeyFileDamaged("it cannot be read")),
        };
        Self::parse(&text).map(Some)
    }

    /// A key file from its text (the file, or the copy a backup carries).
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        serde_json::from_str(text)
            .map_err(|_| StoreError::KeyFileDamaged("it is not valid key-file JSON"))
    }

    /// Writes the key file into `dir` so that it is either wholly the old one or wholly this one, even
    /// if the power fails mid-write: a temporary file, flushed to disk, renamed over the old.
    pub fn write(&self, dir: &Path) -> Result<(), StoreError> {
        let not_writable = |source| StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        };
        let json = serde_json::to_string_pretty(self)
            .map_err(|_| StoreError::KeyFileDamaged("it could not be written as JSON"))?;
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(not_writable)?;
        temp.write_all(json.as_bytes()).map_err(not_writable)?;
        temp.as_file().sync_all().map_err(not_writable)?;
        temp.persist(dir.join(KEY_FILE_NAME))
            .map_err(|error| not_writable(error.error))?;
        super::super::durable::sync_dir(dir).map_err(not_writable)
    }
}

fn derive(
    passphrase: &Passphrase,
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, cost.params()?);
    let mut kek = Zeroizing::new([0_u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, kek.as_mut())
        .map_err(|_| StoreError::KeyFileDamaged("its salt is unusable"))?;
    Ok(kek)
}

/// Binds the wrapped key to the file's format and cost, so neither can be edited without unwrapping
/// failing.
fn associated_data(cost: KdfCost) -> Vec<u8> {
    format!(
        "{FORMAT} v{VERSION} argon2id m={} t={} p={}",
        cost.memory_kib, cost.iterations, cost.lanes
    )
    .into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    push_hex(&mut text, bytes);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit tests use a small cost; the recommended one is exercised by every integration test.
    const QUICK: KdfCost = KdfCost {
        memory_kib: 64,
        iterations: 1,
        lanes: 1,
    };

    fn passphrase(text: &str) -> Passphrase {
        Passphrase::new(text.to_owned())
    }

    #[test]
    fn the_right_passphrase_unwraps_the_same_key() {
        let key = DataKey::random().unwrap();
        let file = KeyFile::wrap(&key, &passphrase("a long enough passphrase"), QUICK).unwrap();
        let opened = file
            .unwrap_key(&passphrase("a long enough passphrase"))
            .unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
    }

    #[test]
    fn a_wrong_passphrase_is_told_apart() {
        let key = DataKey::random().unwrap();
        let file = KeyFile::wrap(&key, &passphrase("a long enough passphrase"), QUICK).unwrap();
        let error = file
            .unwrap_key(&passphrase("a long enough passphrasE"))
            .unwrap_err();
        assert!(matches!(error, StoreError::WrongPassphrase), "{error}");
    }

    #[test]
    fn an_edited_cost_or_key_fails_to_unwrap() {
        let key = DataKey::random().unwrap();
        let right = passphrase("a long enough passphrase");
        let file = KeyFile::wrap(&key, &right, QUICK).unwrap();
        let mut weakened = file.clone();
        weakened.kdf.iterations = 2;
        assert!(weakened.unwrap_key(&right).is_err());
        let mut flipped = file.clone();
        flipped.wrapped_key.replace_range(
            0..2,
            if file.wrapped_key.starts_with("00") {
                "01"
            } else {
                "00"
            },
        );
        assert!(flipped.unwrap_key(&right).is_err());
    }

    #[test]
    fn the_file_holds_no_key_material_in_the_clear() {
        let key = DataKey::random().unwrap();
        let file = KeyFile::wrap(&key, &passphrase("a long enough passphrase"), QUICK).unwrap();
        let json = serde_json::to_string(&file).unwrap();
        assert!(!json.contains(&hex(key.as_bytes())));
        assert!(!json.contains("a long enough passphrase"));
    }

    #[test]
    fn two_wraps_of_one_key_share_nothing_visible() {
        let key = DataKey::random().unwrap();
        let right = passphrase("a long enough passphrase");
        let first = KeyFile::wrap(&key, &right, QUICK).unwrap();
        let second = KeyFile::wrap(&key, &right, QUICK).unwrap();
        assert_ne!(first.salt, second.salt);
        assert_ne!(first.wrapped_key, second.wrapped_key);
    }
}
