//! The passphrase: the data key unwrapped with it, checked at the lock screen, and changed by
//! wrapping the same key again (nothing is re-encrypted).

use std::path::{Path, PathBuf};

use super::super::secret::{DataKey, Passphrase};
use super::super::{Store, StoreError};
use crate::store::files::key_file::{KdfCost, KeyFile};

impl Store {
    /// Whether `passphrase` unlocks this journal: what the lock screen asks before showing it again.
    pub fn check_passphrase(&self, passphrase: &Passphrase) -> Result<(), StoreError> {
        self.passphrase_check().check(passphrase)
    }

    /// What checking a passphrase needs, to do it on another thread (deriving a key takes a quarter
    /// of a second).
    pub fn passphrase_check(&self) -> PassphraseCheck {
        PassphraseCheck::new(self.dir.clone(), self.key.clone())
    }

    /// Changes the passphrase by rewrapping the same data key: nothing is re-encrypted, and backups
    /// keep opening with the journal's key file.
    pub fn change_passphrase(
        &self,
        current: &Passphrase,
        new: &Passphrase,
    ) -> Result<(), StoreError> {
        self.require_writer()?;
        new.check_new()?;
        self.check_passphrase(current)?;
        KeyFile::wrap(&self.key, new, KdfCost::RECOMMENDED)?.write(&self.dir)
    }
}

/// Unwraps the data key of the journal in `dir` with `passphrase`, writing nothing.
pub fn unlock_key(dir: &Path, passphrase: &Passphrase) -> Result<DataKey, StoreError> {
    KeyFile::read(dir)?
        .ok_or_else(|| StoreError::KeyMissing {
            path: dir.to_path_buf(),
        })?
        .unwrap_key(passphrase)
}

/// The folder and the key of an open journal, to check a passphrase against them anywhere.
pub struct PassphraseCheck {
    dir: PathBuf,
    /// Wiped on drop.
    key: DataKey,
}

impl PassphraseCheck {
    pub(in crate::store) fn new(dir: PathBuf, key: DataKey) -> Self {
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
