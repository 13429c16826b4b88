//! What another thread needs of an open journal: its folder and its key, to open a reader of its own
//! (the search thread) or to check a passphrase (the lock screen; deriving a key takes a quarter of
//! a second). The key is wiped when these are dropped.

use std::path::PathBuf;

use super::open::unlock_key;
use super::secret::DataKey;
use super::{Passphrase, Store, StoreError};

/// The folder and the key of an open journal, to check a passphrase against them anywhere.
pub struct PassphraseCheck {
    dir: PathBuf,
    /// Wiped on drop.
    key: DataKey,
}

impl PassphraseCheck {
    pub(super) fn new(dir: PathBuf, key: DataKey) -> Self {
        Self { dir, key }
    }

    /// Whether `passphrase` unwraps this journal's key.
    pub fn check(&self, passphrase: &Passphrase) -> Result<(), StoreError> {
        let key = unlock_key(&self.dir, passphrase)?;
        if key.same_as(&self.key) {
            Ok(())
        } else {
            Err(StoreError::KeyMismatch)
        }
    }
}

/// The folder and key of an open journal, from which another thread opens a reader of its own.
#[derive(Clone)]
pub struct ReaderSource {
    dir: PathBuf,
    /// Wiped on drop.
    key: DataKey,
}

impl ReaderSource {
    pub(super) fn new(dir: PathBuf, key: DataKey) -> Self {
        Self { dir, key }
    }

    /// A read-only connection to the journal, as [`Store::reader`] gives.
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::open_read_only(&self.dir, self.key.clone())
    }
}
