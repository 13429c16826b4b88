//! The single-writer lock: the data folder is made (owner-only) and its lock file locked before
//! the database is touched, so a second instance is refused before it asks for anything.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::Path;

use super::super::{DB_FILE_NAME, KEY_FILE_NAME, LOCK_FILE_NAME, StoreError};

/// Creates the folder and takes an exclusive lock on its lock file, before the database is touched.
pub(in crate::store) fn acquire_writer_lock(dir: &Path) -> Result<File, StoreError> {
    // A full disk is said as one, not as a folder to change.
    let not_writable = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => StoreError::DiskFull,
        _ => StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        },
    };
    crate::store::files::data_folder::refuse_shared_folder(dir)?;
    create_private_dir(dir).map_err(not_writable)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE_NAME))
        .map_err(not_writable)?;
    // A lock held for a moment is waited for: a process that forks (any program starting another)
    // holds a copy of every open file until the child runs its own program, so a journal closed
    // and opened again in that moment would otherwise read as held by another instance. Another
    // KAP Journal holds it for as long as it runs, far beyond this.
    let deadline = std::time::Instant::now() + LOCK_PATIENCE;
    loop {
        match lock.try_lock() {
            Ok(()) => {
                make_folder_private(dir).map_err(not_writable)?;
                return Ok(lock);
            }
            Err(TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::HeldByAnotherInstance {
                    path: dir.to_path_buf(),
                });
            }
            Err(TryLockError::Error(source)) => return Err(not_writable(source)),
        }
    }
}

/// How long a held lock is waited for before the journal reads as open elsewhere.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(300);

/// Creates the data folder readable by its owner alone (on Unix): health records do not belong in a
/// folder other accounts on the computer can list. An existing folder keeps its permissions.
/// The data folder and every file of the journal in it, owner-only, even when they were made by an
/// earlier version or by hand with wider permissions.
fn make_folder_private(dir: &Path) -> std::io::Result<()> {
    super::super::durable::make_private(dir)?;
    for name in [LOCK_FILE_NAME, KEY_FILE_NAME, DB_FILE_NAME] {
        super::super::durable::make_private(&dir.join(name))?;
    }
    for suffix in ["-wal", "-shm"] {
        super::super::durable::make_private(&dir.join(format!("{DB_FILE_NAME}{suffix}")))?;
    }
    super::super::durable::make_private(&dir.join(super::super::BACKUPS_DIR_NAME))
}

/// Makes `dir` (and any folder above it that is missing) readable by this account alone.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
