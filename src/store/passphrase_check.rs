//! Whether a passphrase unlocks an open journal, checked anywhere: the lock screen asks it on a
//! thread of its own, since deriving the key takes a quarter of a second.

use std::path::PathBuf;

use super::open::unlock_key;
use super::secret::DataKey;
use super::{Passphrase, StoreError};

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
