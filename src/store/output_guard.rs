//! Where an export or backup may be written. Never over the journal's own files (the database, its
//! write-ahead log and index, the key, the lock, the copies a restore keeps, the backups folder) and
//! never onto anything that is not a plain file (a device, a pipe, a folder): a typing slip in
//! `--out` must not be able to destroy the record.

use std::path::{Path, PathBuf};

use super::{BACKUPS_DIR_NAME, DB_FILE_NAME, KEY_FILE_NAME, LOCK_FILE_NAME, StoreError};

/// Refuses `target` when it is one of the journal's own files in `data_dir`, or exists and is not a
/// regular file. Links are followed: a link to `journal.db` is `journal.db`.
pub fn refuse_unsafe_output(target: &Path, data_dir: &Path) -> Result<(), StoreError> {
    if let Ok(meta) = std::fs::metadata(target)
        && !meta.is_file()
    {
        return Err(StoreError::NotAPlainFile {
            path: target.to_path_buf(),
        });
    }
    let Some(resolved) = resolve(target) else {
        // A folder that does not exist yet holds none of the journal's files.
        return Ok(());
    };
    let Ok(data_dir) = data_dir.canonicalize() else {
        return Ok(());
    };
    let own = resolved.parent() == Some(data_dir.as_path())
        && resolved
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(is_journal_file);
    if own || resolved.starts_with(data_dir.join(BACKUPS_DIR_NAME)) {
        return Err(StoreError::JournalOwnFile { path: resolved });
    }
    Ok(())
}

/// The names the journal keeps in its data folder.
fn is_journal_file(name: &str) -> bool {
    [KEY_FILE_NAME, LOCK_FILE_NAME].contains(&name)
        || name == DB_FILE_NAME
        || name
            .strip_prefix(DB_FILE_NAME)
            .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('.'))
}

/// The target's full path with every link resolved, as far as it exists.
fn resolve(target: &Path) -> Option<PathBuf> {
    if let Ok(path) = target.canonicalize() {
        return Some(path);
    }
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(folder.canonicalize().ok()?.join(target.file_name()?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_files_links_to_them_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE_NAME), b"x").unwrap();
        std::fs::create_dir(dir.path().join(BACKUPS_DIR_NAME)).unwrap();
        for name in [
            "journal.db",
            "journal.db-wal",
            "journal.db-shm",
            "journal.key",
            "journal.lock",
            "journal.db.partial",
            "journal.db.before-restore-20261201-101010",
            "backups/journal-20261201-101010.db",
        ] {
            let target = dir.path().join(name);
            assert!(
                matches!(
                    refuse_unsafe_output(&target, dir.path()),
                    Err(StoreError::JournalOwnFile { .. })
                ),
                "{name}"
            );
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("innocent.json");
            std::os::unix::fs::symlink(dir.path().join(DB_FILE_NAME), &link).unwrap();
            assert!(
                refuse_unsafe_output(&link, dir.path()).is_err(),
                "a link to journal.db"
            );
            assert!(matches!(
                refuse_unsafe_output(Path::new("/dev/null"), dir.path()),
                Err(StoreError::NotAPlainFile { .. })
            ));
        }
        assert!(matches!(
            refuse_unsafe_output(dir.path(), dir.path()),
            Err(StoreError::NotAPlainFile { .. })
        ));
        assert!(refuse_unsafe_output(&dir.path().join("summary.md"), dir.path()).is_ok());
        assert!(refuse_unsafe_output(&dir.path().join("exports/summary.md"), dir.path()).is_ok());
        assert!(refuse_unsafe_output(Path::new("summary.md"), dir.path()).is_ok());
    }
}
