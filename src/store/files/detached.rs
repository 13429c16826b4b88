//! What another thread needs of an open journal: its folder and its key, to open a reader of its own
//! (a search, an export) or find the newest good backup, and the handle that interrupts a
//! connection. The key is wiped when these are dropped.

use std::path::PathBuf;

use super::super::secret::DataKey;
use super::super::{Store, StoreError};

/// Stops what a connection is running (a check, a search) from another thread; that statement then
/// ends with an error.
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

impl Store {
    /// What stops this connection's running statement from another thread.
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
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
    pub(in crate::store) fn new(dir: PathBuf, key: DataKey) -> Self {
        Self { dir, key }
    }

    /// A read-only connection to the journal, as [`Store::reader`] gives.
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::open_read_only(&self.dir, self.key.clone())
    }

    /// The newest automatic backup that passes every check (see [`Store::newest_good_backup`]);
    /// seconds of reading, so it is looked for beside the window.
    pub fn newest_good_backup(&self) -> Result<Option<super::super::BackupFile>, StoreError> {
        crate::store::files::backup_rotation::newest_good_backup(&self.dir, &self.key)
    }
}
