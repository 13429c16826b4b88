//! The automatic backups: one when a session ends and one a day, in the backup folder (the `backups`
//! folder beside the journal, or one the clinician chose), named by the time they were made, the
//! oldest removed once more than the clinic keeps.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::super::secret::DataKey;
use super::super::{Store, StoreError};
use crate::store::files::backup::{CopyProgress, check_copy};

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

/// The automatic backups of the journal in `dir`, newest first: those in the chosen backup folder
/// and those left in the `backups` folder beside the journal from before it was chosen. Files that
/// are not backups are left out (and left alone).
pub fn list_backups(dir: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let chosen = crate::store::backup_folder(dir);
    let beside = dir.join(BACKUPS_DIR_NAME);
    let mut backups = backups_in(&chosen)?;
    if chosen != beside {
        // The folder beside the journal is only a fallback here: unreadable, it hides nothing chosen.
        backups.extend(backups_in(&beside).unwrap_or_default());
    }
    backups.sort_by_key(|backup| std::cmp::Reverse(backup.made_at));
    Ok(backups)
}

/// The name for a backup made at `now`: its second's, or, when something that is not a backup
/// already has that name (a folder, a link), the next free second's.
fn free_name(folder: &Path, now: DateTime<Utc>) -> PathBuf {
    let name = |at: DateTime<Utc>| folder.join(at.format(NAME_FORMAT).to_string());
    (0..120)
        .map(|seconds| name(now + chrono::TimeDelta::seconds(seconds)))
        .find(|path| fs::symlink_metadata(path).map_or(true, |meta| meta.is_file()))
        .unwrap_or_else(|| name(now))
}

/// The backups in one folder (none when it is not there, as before the first backup or with the
/// external drive unplugged).
fn backups_in(folder: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::NotWritable {
                path: folder.to_path_buf(),
                source,
            });
        }
    };
    // Only plain files named as backups: a folder, a link or anything else is left alone.
    let backups: Vec<BackupFile> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let made = NaiveDateTime::parse_from_str(name.to_str()?, NAME_FORMAT).ok()?;
            let meta = fs::symlink_metadata(entry.path()).ok()?;
            meta.is_file().then(|| BackupFile {
                path: entry.path(),
                made_at: made.and_utc(),
                bytes: meta.len(),
            })
        })
        .collect();
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
        let folder = crate::store::backup_folder(&self.dir);
        crate::store::files::writer_lock::create_private_dir(&folder).map_err(|source| {
            StoreError::NotWritable {
                path: folder.clone(),
                source,
            }
        })?;
        let target = free_name(&folder, now);
        if !target.is_file() {
            // A backup folder of the journal's own is no disclosure; one elsewhere (a drive) is.
            if !folder.starts_with(&self.dir) {
                self.record_backup(&target)?;
            }
            self.backup_into(&target, progress)?;
        }
        self.witness_commit();
        // Only the backup folder in use is rotated: backups left beside the journal from before a
        // folder was chosen stay until the clinician removes them. The backup just made is always
        // kept; one named in the future (a clock set wrong) counts as made now, so it can never
        // crowd out the newest. A file that cannot be removed stays; the backup is made all the same.
        let backups = backups_in(&folder)?;
        let (made, mut older): (Vec<BackupFile>, Vec<BackupFile>) = backups
            .into_iter()
            .partition(|backup| backup.path == target);
        older.sort_by_key(|backup| std::cmp::Reverse(backup.made_at.min(now)));
        for old in older.iter().skip(keep.max(1) as usize - 1) {
            let _ = fs::remove_file(&old.path);
        }
        made.into_iter()
            .next()
            .ok_or(StoreError::NoBackup { path: target })
    }

    /// The newest automatic backup that opens with this journal's key and passes every check: what a
    /// damaged journal is offered to be restored from.
    pub fn newest_good_backup(&self) -> Result<Option<BackupFile>, StoreError> {
        newest_good_backup(&self.dir, &self.key)
    }
}

impl super::super::LockedJournal {
    /// The newest automatic backup that opens with `key` and passes every check: what a journal
    /// too damaged to open at all is offered to be restored from.
    pub fn newest_good_backup(&self, key: &DataKey) -> Result<Option<BackupFile>, StoreError> {
        newest_good_backup(self.dir(), key)
    }
}

pub(in crate::store) fn newest_good_backup(
    dir: &Path,
    key: &DataKey,
) -> Result<Option<BackupFile>, StoreError> {
    for backup in list_backups(dir)? {
        if check_copy(&backup.path, key).is_ok_and(|problems| problems.is_empty()) {
            return Ok(Some(backup));
        }
    }
    Ok(None)
}
