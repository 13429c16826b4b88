//! Where the automatic backups go: the `backups` folder beside the journal unless the clinician chose
//! another (an external drive, a synced folder), so that a dead disk or a lost laptop does not take
//! the backups with the journal. The choice is this computer's (a drive's path means nothing on
//! another one), so it is a one-line file in the data folder, not a setting inside the journal: a
//! journal too damaged to open still finds its backups.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::{BACKUPS_DIR_NAME, StoreError};

/// The file in the data folder that names the chosen folder.
pub const BACKUP_FOLDER_FILE_NAME: &str = "backup-folder.txt";

/// The folder the automatic backups of the journal in `dir` go to.
pub fn backup_folder(dir: &Path) -> PathBuf {
    chosen_backup_folder(dir).unwrap_or_else(|| dir.join(BACKUPS_DIR_NAME))
}

/// The folder the clinician chose, if they chose one.
pub fn chosen_backup_folder(dir: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(dir.join(BACKUP_FOLDER_FILE_NAME)).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
}

/// Chooses `folder` for the automatic backups of the journal in `dir` (`None`: back to the
/// `backups` folder beside it). The folder must exist, be a folder this account can write, and not
/// be the data folder itself.
pub fn choose_backup_folder(dir: &Path, folder: Option<&Path>) -> Result<(), StoreError> {
    let file = dir.join(BACKUP_FOLDER_FILE_NAME);
    let Some(folder) = folder else {
        return match fs::remove_file(&file) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::NotWritable {
                    path: dir.to_path_buf(),
                    source: error,
                })
            }
            _ => Ok(()),
        };
    };
    let unusable = |why: &'static str| StoreError::BackupFolderUnusable {
        path: folder.to_path_buf(),
        why,
    };
    if !folder.is_absolute() {
        return Err(unusable("it is not a full path"));
    }
    let resolved = folder
        .canonicalize()
        .map_err(|_| unusable("it does not exist"))?;
    if !resolved.is_dir() {
        return Err(unusable("it is not a folder"));
    }
    if dir.canonicalize().is_ok_and(|data| data == resolved) {
        return Err(unusable("it is the data folder itself"));
    }
    tempfile::tempfile_in(&resolved).map_err(|_| unusable("this account cannot write there"))?;
    let text = format!("{}\n", resolved.display());
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(|source| StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        })?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|source| StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        })?;
    temp.persist(&file)
        .map_err(|error| StoreError::NotWritable {
            path: dir.to_path_buf(),
            source: error.error,
        })?;
    super::super::durable::make_private(&file).map_err(|source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    })
}

/// Whether `folder` is on the same disk as the journal in `dir` (the same device): backups there
/// are lost with the journal when the disk fails or the laptop is lost. A folder not made yet is
/// where its nearest existing parent is; a system that cannot say reads as not shared.
pub fn shares_disk_with_journal(dir: &Path, folder: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let existing = folder.ancestors().find_map(|path| fs::metadata(path).ok());
        match (fs::metadata(dir), existing) {
            (Ok(journal), Some(backups)) => journal.dev() == backups.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let root = |path: &Path| path.components().next().map(|c| c.as_os_str().to_owned());
        root(dir) == root(folder)
    }
}
