//! The automatic backups: one when a session ends and one a day, in the `backups` folder beside the
//! journal, named by the time they were made, the oldest removed once more than the clinic keeps.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::backup::{CopyProgress, check_copy};
use super::secret::DataKey;
use super::{Store, StoreError};

/// The folder, inside the data folder, that holds the automatic backups.
pub const BACKUPS_DIR_NAME: &str = "backups";

/// How a backup's file is named: `journal-20261124-145201.db`, made at that UTC time.
const NAME_FORMAT: &str = "journal-%Y%m%d-%H%M%S.db";

/// One automatic backup on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub made_at: DateTime<Utc>,
    pub bytes: u64,
}

/// The automatic backups of the journal in `dir`, newest first. Files that are not backups are left
/// out (and left alone).
pub fn list_backups(dir: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let folder = dir.join(BACKUPS_DIR_NAME);
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::NotWritable {
                path: folder,
                source,
            });
        }
    };
    let mut backups: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let made = NaiveDateTime::parse_from_str(name.to_str()?, NAME_FORMAT).ok()?;
            Some(BackupFile {
                path: entry.path(),
                made_at: made.and_utc(),
                bytes: entry.metadata().ok()?.len(),
            })
        })
        .collect();
    backups.sort_by_key(|backup| std::cmp::Reverse(backup.made_at));
    Ok(backups)
}

impl Store {
    /// Makes an automatic backup at `now`, then removes the oldest beyond `keep`. A backup already
    /// made in the same second is the one returned.
    pub fn backup_rotating(
        &self,
        now: DateTime<Utc>,
        keep: u32,
        progress: impl FnMut(CopyProgress),
    ) -> Result<BackupFile, StoreError> {
        let folder = self.dir.join(BACKUPS_DIR_NAME);
        super::open::create_private_dir(&folder).map_err(|source| StoreError::NotWritable {
            path: folder.clone(),
            source,
        })?;
        let target = folder.join(now.format(NAME_FORMAT).to_string());
        if !target.exists() {
            self.backup_into(&target, progress)?;
        }
        let backups = list_backups(&self.dir)?;
        for old in backups.iter().skip(keep.max(1) as usize) {
            fs::remove_file(&old.path).map_err(|source| StoreError::NotWritable {
                path: folder.clone(),
                source,
            })?;
        }
        backups
            .into_iter()
            .find(|backup| backup.path == target)
            .ok_or(StoreError::NoBackup { path: target })
    }

    /// The newest automatic backup that opens with this journal's key and passes every check: what a
    /// damaged journal is offered to be restored from.
    pub fn newest_good_backup(&self) -> Result<Option<BackupFile>, StoreError> {
        newest_good_backup(&self.dir, &self.key)
    }
}

impl super::LockedJournal {
    /// The newest automatic backup that opens with `key` and passes every check: what a journal
    /// too damaged to open at all is offered to be restored from.
    pub fn newest_good_backup(&self, key: &DataKey) -> Result<Option<BackupFile>, StoreError> {
        newest_good_backup(self.dir(), key)
    }
}

fn newest_good_backup(dir: &Path, key: &DataKey) -> Result<Option<BackupFile>, StoreError> {
    for backup in list_backups(dir)? {
        if check_copy(&backup.path, key).is_ok_and(|problems| problems.is_empty()) {
            return Ok(Some(backup));
        }
    }
    Ok(None)
}
