//! Where an export or backup may be written. Never into a journal's data folder (this journal's or
//! another's: a folder holding `journal.key` or `journal.db` is a journal) or its backups folder,
//! and never onto anything that is not a plain file (a device, a pipe, a folder): a typing slip in
//! `--out` must not be able to destroy the record.
//!
//! The path is judged as the system will resolve it once the missing folders are made: links are
//! followed where they exist, and `..` after a folder still to be made steps back out of it
//! (`missing/../journal.db` is `journal.db`). Writers then write to the resolved path, so what was
//! judged is what is written.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use super::super::{BACKUPS_DIR_NAME, DB_FILE_NAME, KEY_FILE_NAME, StoreError};

/// The path `target` will be written at, resolved as the system will resolve it, refused when it is
/// inside a journal's data or backups folder (see the module) or exists and is not a plain file.
pub fn safe_output_path(target: &Path, data_dir: &Path) -> Result<PathBuf, StoreError> {
    let resolved = resolve(target).map_err(|source| StoreError::NotWritable {
        path: target.to_path_buf(),
        source,
    })?;
    if let Ok(meta) = std::fs::metadata(&resolved)
        && !meta.is_file()
    {
        return Err(StoreError::NotAPlainFile { path: resolved });
    }
    let Some(folder) = resolved.parent() else {
        return Err(StoreError::NotAPlainFile { path: resolved });
    };
    let own_folder = resolve(data_dir).ok();
    let is_journal = |folder: &Path| {
        own_folder.as_deref() == Some(folder)
            || [KEY_FILE_NAME, DB_FILE_NAME]
                .iter()
                .any(|name| std::fs::symlink_metadata(folder.join(name)).is_ok())
    };
    let into_journal = is_journal(folder)
        || resolved.ancestors().any(|ancestor| {
            ancestor.file_name() == Some(OsStr::new(BACKUPS_DIR_NAME))
                && ancestor.parent().is_some_and(is_journal)
        });
    let into_own_backups = resolve(&crate::store::backup_folder(data_dir))
        .is_ok_and(|backups| resolved.starts_with(backups));
    if into_journal || into_own_backups {
        return Err(StoreError::JournalOwnFile { path: resolved });
    }
    Ok(resolved)
}

/// `target` made absolute with every link resolved, as far as it exists; below that, each folder
/// still to be made is a plain folder, so `..` steps back out of it.
fn resolve(target: &Path) -> std::io::Result<PathBuf> {
    let absolute = if target.is_absolute() {
        target.to_path_buf()
    } else {
        std::env::current_dir()?.join(target)
    };
    let mut resolved = PathBuf::new();
    // How many of the last components of `resolved` do not exist yet.
    let mut to_be_made = 0_usize;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                // `resolved` holds no link, so its parent is the folder `..` names.
                resolved.pop();
                to_be_made = to_be_made.saturating_sub(1);
            }
            Component::Normal(name) => {
                let next = resolved.join(name);
                if to_be_made == 0 && std::fs::symlink_metadata(&next).is_ok() {
                    // A link that points nowhere fails here: the system would create its target.
                    resolved = next.canonicalize()?;
                } else {
                    resolved = next;
                    to_be_made += 1;
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn journal_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE_NAME), b"x").unwrap();
        std::fs::write(dir.path().join(KEY_FILE_NAME), b"x").unwrap();
        std::fs::create_dir(dir.path().join(BACKUPS_DIR_NAME)).unwrap();
        dir
    }

    fn refused_as_journal(target: &Path, data_dir: &Path) -> bool {
        matches!(
            safe_output_path(target, data_dir),
            Err(StoreError::JournalOwnFile { .. })
        )
    }

    #[test]
    fn the_journal_folder_and_its_backups_are_refused_by_any_name() {
        let dir = journal_folder();
        for name in [
            "journal.db",
            "journal.db-wal",
            "journal.key",
            "journal.lock",
            "journal.db.before-restore-20261201-101010",
            "summary.md",
            "backups/journal-20261201-101010.db",
            "backups/new-folder/summary.md",
        ] {
            assert!(
                refused_as_journal(&dir.path().join(name), dir.path()),
                "{name}"
            );
        }
        assert!(safe_output_path(&dir.path().join("exports/summary.md"), dir.path()).is_ok());
    }

    #[test]
    fn a_folder_still_to_be_made_is_stepped_out_of_as_the_system_will() {
        let dir = journal_folder();
        for walk in [
            "nope/../journal.db",
            "nope/deeper/../../journal.key",
            "exports/nope/../../backups/journal-1.db",
            "./nope/.././journal.db",
        ] {
            assert!(
                refused_as_journal(&dir.path().join(walk), dir.path()),
                "{walk}"
            );
        }
        assert_eq!(
            safe_output_path(&dir.path().join("exports/nope/../summary.md"), dir.path()).unwrap(),
            dir.path()
                .canonicalize()
                .unwrap()
                .join("exports/summary.md")
        );
    }

    #[test]
    fn another_journal_is_refused_as_this_one() {
        let this = tempfile::tempdir().unwrap();
        let other = journal_folder();
        for name in ["journal.db", "summary.md", "backups/journal-1.db"] {
            assert!(
                refused_as_journal(&other.path().join(name), this.path()),
                "{name}"
            );
        }
        assert!(safe_output_path(&this.path().join("elsewhere/summary.md"), this.path()).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_devices_refused() {
        let dir = journal_folder();
        let outside = tempfile::tempdir().unwrap();
        let link = outside.path().join("innocent.json");
        std::os::unix::fs::symlink(dir.path().join(DB_FILE_NAME), &link).unwrap();
        assert!(
            refused_as_journal(&link, dir.path()),
            "a link to journal.db"
        );
        let folder_link = outside.path().join("innocent");
        std::os::unix::fs::symlink(dir.path(), &folder_link).unwrap();
        assert!(
            refused_as_journal(&folder_link.join("missing/../journal.db"), dir.path()),
            "a link to the data folder, then a walk"
        );
        let dangling = outside.path().join("dangling.md");
        std::os::unix::fs::symlink(outside.path().join("nowhere/x.md"), &dangling).unwrap();
        assert!(safe_output_path(&dangling, dir.path()).is_err());
        assert!(matches!(
            safe_output_path(Path::new("/dev/null"), dir.path()),
            Err(StoreError::NotAPlainFile { .. })
        ));
        assert!(matches!(
            safe_output_path(outside.path(), dir.path()),
            Err(StoreError::NotAPlainFile { .. })
        ));
    }
}
