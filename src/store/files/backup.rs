//! Backups and restoring one. A backup is a page-for-page copy of the journal made with SQLite's
//! online backup API, encrypted under the same data key (so `journal.key` and the passphrase open
//! it), checked, fsynced and only then renamed into place: a backup file that exists is whole.
//! Restoring checks the backup the same way before it replaces anything, and keeps every journal it
//! replaces beside it, named by time. `journal.db` exists at every instant of a restore: the
//! journal being replaced is checkpointed (so its write-ahead log holds nothing), linked to its
//! kept name, and the checked copy is renamed over it in one step. A restore cut short leaves the
//! old journal (and a `.partial` copy, removed at the next start) or the new one, never neither.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::super::secret::DataKey;
use super::super::{DB_FILE_NAME, LockedJournal, Passphrase, Store, StoreError, durable, schema};
use crate::store::files::backup_key::BackupParts;
use crate::store::files::connection::connect;
use crate::store::files::integrity;

/// Pages copied between two progress reports (1 MiB of 4 KiB pages): small enough that a writer
/// beside the backup waits at most a moment for each step.
const PAGES_PER_STEP: i32 = 256;

/// How much of a backup or restore is done, in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyProgress {
    pub done: u64,
    pub total: u64,
}

impl Store {
    /// Writes a checked backup of the journal to `target`, reporting progress as it goes; a failure
    /// leaves nothing behind. Other connections may keep writing:
    /// the backup holds the journal as it was at one moment.
    pub fn backup_to(
        &self,
        target: &Path,
        progress: impl FnMut(CopyProgress),
    ) -> Result<(), StoreError> {
        let target = super::super::safe_output_path(target, &self.dir)?;
        self.record_backup(&target)?;
        self.backup_into(&target, progress)
    }

    /// Records a backup to `target` among every client's disclosures, before it is made.
    pub(in crate::store) fn record_backup(&self, target: &Path) -> Result<(), StoreError> {
        let sessions: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))?;
        self.registers()
            .record_disclosures(&[crate::domain::NewDisclosure {
                at: crate::domain::wall_now(),
                kind: crate::domain::DisclosureKind::Backup,
                form: "encrypted backup".to_owned(),
                recipient: target.display().to_string(),
                scope: crate::domain::DisclosureScope::WholeJournal {
                    sessions: u64::try_from(sessions).unwrap_or_default(),
                },
            }])
    }

    /// [`Store::backup_to`] without the guard: the automatic backups write into the backups folder.
    pub(in crate::store) fn backup_into(
        &self,
        target: &Path,
        mut progress: impl FnMut(CopyProgress),
    ) -> Result<(), StoreError> {
        let staging = crate::store::files::unfinished_output::backup_in_making(
            target.parent().unwrap_or_else(|| Path::new(".")),
        );
        let _unfinished = super::super::UnfinishedOutput::begin(&self.dir, &staging);
        let result = (|| {
            remove_if_present(&staging)?;
            copy_pages(&self.conn, &staging, &self.key, &mut progress)?;
            if !check_copy(&staging, &self.key)?.is_empty() {
                return Err(StoreError::BackupNotVerified);
            }
            crate::store::files::backup_key::carry_key(&staging, &self.dir)?;
            finish(&staging, target)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&staging);
        }
        result
    }
}

impl Store {
    /// Closes the journal so a backup can be restored over it, keeping the folder claimed (no other
    /// instance can step in) and the key (no passphrase is asked again).
    pub fn close_for_restore(self) -> Result<(LockedJournal, DataKey), StoreError> {
        let lock = self.writer_lock.clone().ok_or(StoreError::ReadOnly)?;
        let (dir, key) = (self.dir.clone(), self.key.clone());
        // Closes the connection (and notes the witness, which the restore then forgets).
        drop(self);
        Ok((LockedJournal::claimed(dir, lock), key))
    }
}

impl LockedJournal {
    /// Replaces the journal with the backup at `source`, as [`LockedJournal::restore_with_key`]
    /// does, with the key unlocked by `passphrase`.
    ///
    /// Into a folder without a key file (a new computer), the backup's own key file is unwrapped with
    /// `passphrase` (the one the journal had when the backup was made) and kept as the journal's.
    pub fn restore_from(
        &self,
        source: &Path,
        passphrase: &Passphrase,
        progress: impl FnMut(CopyProgress),
    ) -> Result<Store, StoreError> {
        if self.dir().join(super::super::KEY_FILE_NAME).exists() {
            return self.restore_with_key(
                source,
                super::super::unlock_key(self.dir(), passphrase)?,
                progress,
            );
        }
        require_backup_file(source)?;
        let key_file = BackupParts::of(source)?
            .key_file
            .ok_or(StoreError::BackupWithoutKey)?;
        let key = key_file.unwrap_key(passphrase)?;
        // The key file goes first: a restore cut short after it leaves a folder whose key is there
        // and whose journal is missing, which the next start offers to restore again. A restore
        // that fails takes the key file away again, leaving the folder as empty as it was.
        key_file.write(self.dir())?;
        self.restore_with_key(source, key, progress)
            .inspect_err(|_| {
                if !self.dir().join(DB_FILE_NAME).exists() {
                    let _ = fs::remove_file(self.dir().join(super::super::KEY_FILE_NAME));
                }
            })
    }

    /// Replaces the journal with the backup at `source` after checking that the backup opens with
    /// this journal's key, is whole and passes every check. The journal it replaces is kept beside
    /// it as `journal.db.before-restore-YYYYMMDD-HHMMSS`; no later restore removes it.
    pub fn restore_with_key(
        &self,
        source: &Path,
        key: DataKey,
        mut progress: impl FnMut(CopyProgress),
    ) -> Result<Store, StoreError> {
        // Opening proves the key fits; the full check runs once, on the copy (which holds every
        // page of the backup), before anything is replaced.
        let backup = open_copy(source, &key)?;
        let db_path = self.dir().join(DB_FILE_NAME);
        let staging = staging_path(&db_path);
        let result = (|| {
            remove_if_present(&staging)?;
            copy_pages(&backup, &staging, &key, &mut progress).map_err(|error| {
                // A page that fails its HMAC stops the copy.
                if error.is_corruption() {
                    StoreError::BackupDamaged
                } else {
                    error
                }
            })?;
            drop(backup);
            let copied = check_copy(&staging, &key)?;
            if !copied.is_empty() {
                return Err(StoreError::BackupDamaged);
            }
            // The copy is on the disk before the journal it replaces is touched.
            fs::File::open(&staging)
                .and_then(|file| file.sync_all())
                .map_err(|source| io_error(&staging, source))?;
            keep_current(self.dir(), &key, crate::domain::wall_now())?;
            // The anchor is the replaced journal's; the restored one writes its own when it opens.
            crate::store::files::anchor::forget(self.dir())
                .map_err(|source| io_error(&db_path, source))?;
            crate::store::files::witness::forget(self.dir());
            finish(&staging, &db_path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&staging);
        }
        result?;
        self.open_with(key)
    }
}

/// Copies every page of `source` into a new database at `target` under `key`.
fn copy_pages(
    source: &Connection,
    target: &Path,
    key: &DataKey,
    progress: &mut impl FnMut(CopyProgress),
) -> Result<(), StoreError> {
    let mut copy = Connection::open(target)?;
    copy.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    key.apply_to(&copy)?;
    let backup = Backup::new(source, &mut copy)?;
    loop {
        match backup.step(PAGES_PER_STEP)? {
            StepResult::Done => break,
            // A writer holds the journal for a moment; try again shortly.
            StepResult::Busy | StepResult::Locked => std::thread::sleep(Duration::from_millis(5)),
            _ => {}
        }
        let now = backup.progress();
        let total = u64::try_from(now.pagecount).unwrap_or(0);
        let remaining = u64::try_from(now.remaining).unwrap_or(0);
        progress(CopyProgress {
            done: total.saturating_sub(remaining),
            total,
        });
    }
    drop(backup);
    let pages: i64 = copy.query_row("PRAGMA page_count", [], |row| row.get(0))?;
    let total = u64::try_from(pages).unwrap_or(0);
    progress(CopyProgress { done: total, total });
    // The copy is one self-contained file: out of WAL mode, so opening it to check or restore it
    // makes no -wal or -shm beside it. The journal goes back into WAL mode when it is opened.
    copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(())
}

/// Opens a copy under `key` and runs the full check on it: every page's HMAC, SQLite's integrity
/// check, a schema this build can read, and the audit chain. Returns the problems found.
pub(in crate::store) fn check_copy(path: &Path, key: &DataKey) -> Result<Vec<String>, StoreError> {
    let parts = BackupParts::of(path)?;
    crate::store::files::backup_key::with_pages_alone(path, &parts, |pages| {
        let conn = open_copy(pages, key)?;
        let mut problems = integrity::page_problems(&conn)?;
        if problems.is_empty() {
            problems.extend(crate::store::record::audit::chain_problems(&conn, key)?);
        }
        Ok(problems)
    })
}

/// Runs `read` on the backup at `path`, opened read-only under `key`.
pub(in crate::store) fn read_copy<T>(
    path: &Path,
    key: &DataKey,
    read: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let parts = BackupParts::of(path)?;
    crate::store::files::backup_key::with_pages_alone(path, &parts, |pages| {
        read(&open_copy(pages, key)?)
    })
}

/// Refuses, before anything is read, a backup that is missing or is not a plain file (a pipe would
/// be waited on for ever).
fn require_backup_file(path: &Path) -> Result<(), StoreError> {
    match super::super::open_plain_file(path, u64::MAX) {
        Ok(_) => Ok(()),
        Err(super::super::PlainFileError::Unreadable { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Err(StoreError::NoBackup {
                path: path.to_path_buf(),
            })
        }
        Err(error) => Err(error.into()),
    }
}

/// Opens a backup (or a copy being made) read-only under `key`, refusing one of another journal
/// or of a newer build.
fn open_copy(path: &Path, key: &DataKey) -> Result<Connection, StoreError> {
    require_backup_file(path)?;
    // A backup that carries its key file is its pages followed by that file.
    let length = BackupParts::of(path)?.pages_bytes;
    // An empty file would open as a new, empty database: never a backup.
    if length == 0 {
        return Err(StoreError::NotABackup);
    }
    let conn =
        connect(path, key, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|error| match error {
            StoreError::KeyMismatch => StoreError::BackupKeyMismatch,
            StoreError::Corrupt => StoreError::BackupDamaged,
            other => other,
        })?;
    whole_journal(&conn, length)?;
    schema::check_readable(&conn).or_else(|error| match error {
        // An older backup is migrated when the journal opens after restoring it.
        StoreError::ReadOnly => Ok(()),
        other => Err(other),
    })?;
    Ok(conn)
}

/// A backup is one self-contained file of whole pages (its header's page count times the page
/// size is its length: a file cut short is refused) holding a journal's tables.
fn whole_journal(conn: &Connection, length: u64) -> Result<(), StoreError> {
    // SQLCipher answers page_size as text (it is its cipher_page_size).
    let page_size: String = conn.query_row("PRAGMA page_size", [], |row| {
        row.get_ref(0).map(|value| match value {
            rusqlite::types::ValueRef::Integer(number) => number.to_string(),
            other => other.as_str().unwrap_or_default().to_owned(),
        })
    })?;
    let page_size: i64 = page_size
        .trim()
        .parse()
        .map_err(|_| StoreError::NotABackup)?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |row| row.get(0))?;
    let expected = u64::try_from(page_size.saturating_mul(pages)).unwrap_or(0);
    if expected != length {
        return Err(StoreError::NotABackup);
    }
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'
         AND name IN ('clients', 'sessions', 'events')",
        [],
        |row| row.get(0),
    )?;
    if tables == 3 {
        Ok(())
    } else {
        Err(StoreError::NotABackup)
    }
}

/// `target` with `.partial` added: where a copy is made before it is renamed into place.
fn staging_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Flushes the finished copy and renames it into place, durably, readable by its owner alone.
fn finish(staging: &Path, target: &Path) -> Result<(), StoreError> {
    durable::make_private(staging).map_err(|source| io_error(target, source))?;
    fs::File::open(staging)
        .and_then(|file| file.sync_all())
        .and_then(|()| fs::rename(staging, target))
        .map_err(|source| io_error(target, source))?;
    let folder = target.parent().unwrap_or_else(|| Path::new("."));
    durable::sync_dir(folder).map_err(|source| io_error(target, source))
}

/// Keeps the journal about to be replaced under `journal.db.before-restore-<time>` without moving
/// it: its write-ahead log is checkpointed into it first, then it is linked (or, where the disk
/// cannot link, copied) to the kept name. A damaged journal whose log cannot be checkpointed has the
/// log kept beside it too. Afterwards the log and its index are removed: they belong to the journal
/// being replaced, and would otherwise be read into the restored one.
fn keep_current(
    dir: &Path,
    key: &DataKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let current = dir.join(DB_FILE_NAME);
    let wal = dir.join(format!("{DB_FILE_NAME}-wal"));
    if current.exists() {
        let checkpointed = connect(&current, key, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .and_then(|conn| {
                Ok(
                    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                        row.get::<_, i64>(0)
                    })?,
                )
            })
            .is_ok_and(|busy| busy == 0);
        let kept = free_name(
            dir,
            &format!(
                "{DB_FILE_NAME}.before-restore-{}",
                now.format("%Y%m%d-%H%M%S")
            ),
        );
        link_or_copy(&current, &kept)?;
        let wal_has_frames = fs::metadata(&wal).is_ok_and(|meta| meta.len() > 0);
        if !checkpointed && wal_has_frames {
            let mut kept_wal = kept.into_os_string();
            kept_wal.push("-wal");
            link_or_copy(&wal, Path::new(&kept_wal))?;
        }
        durable::sync_dir(dir).map_err(|source| io_error(&current, source))?;
    }
    remove_if_present(&wal)?;
    remove_if_present(&dir.join(format!("{DB_FILE_NAME}-shm")))
}

/// `dir/name`, or with `-2`, `-3`, … added when that is taken (two restores in one second).
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let mut candidate = dir.join(name);
    let mut number = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{name}-{number}"));
        number += 1;
    }
    candidate
}

/// A second name for `from` at `to`: a hard link, or a durable copy where links cannot be made.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), StoreError> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)
        .and_then(|_| fs::File::open(to))
        .and_then(|file| file.sync_all())
        .map_err(|source| io_error(to, source))
}

/// A restore cut short leaves its copy as `journal.db.partial`: removed when the folder is next
/// claimed (the journal itself is whole: the old one or the new one).
pub(in crate::store) fn remove_unfinished_restore(dir: &Path) -> Result<(), StoreError> {
    remove_if_present(&staging_path(&dir.join(DB_FILE_NAME)))
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, error)),
        _ => Ok(()),
    }
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::NotWritable {
        path: path.parent().unwrap_or(path).to_path_buf(),
        source,
    }
}
