//! Opening the journal: the single-writer lock, the passphrase and the data key, the connection
//! (see `connection`: its pragmas and the SQLite version check) and the schema migration.

use std::cell::Cell;
use std::fs::{self, File};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::OpenFlags;
use rusqlite::config::DbConfig;

use crate::store::files::anchor::{Anchor, WalAside};
use crate::store::files::connection::{check_sqlite_version, configure, connect, wait_and_cache};

use super::super::secret::{DataKey, Passphrase};
use super::super::{AccessMode, DB_FILE_NAME, KEY_FILE_NAME, Store, StoreError, schema};
use crate::store::files::detached::ReaderSource;
use crate::store::files::encrypt_legacy;
use crate::store::files::key_file::{KdfCost, KeyFile};
use crate::store::files::passphrase::unlock_key;

/// What a data folder holds, which decides the first screen: choose a passphrase, or unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalState {
    /// No journal yet: a passphrase is chosen and an empty encrypted journal made.
    New,
    /// A journal from a version before encryption: a passphrase is chosen and the journal encrypted.
    Unencrypted,
    /// An encrypted journal with its key file: the passphrase unlocks it.
    Encrypted,
}

/// A data folder this process has claimed as its only writer, before the passphrase is known.
///
/// The claim comes first so that a second instance is refused before it asks for anything; failed
/// unlocks keep the claim, and nothing is written until one succeeds. A clone is the same claim
/// (an unlock on another thread holds it too).
#[derive(Debug, Clone)]
pub struct LockedJournal {
    dir: PathBuf,
    lock: Arc<File>,
    state: JournalState,
}

impl LockedJournal {
    /// Claims `dir` (creating it if needed) and looks at what it holds.
    pub fn claim(dir: &Path) -> Result<Self, StoreError> {
        let lock = Arc::new(crate::store::files::writer_lock::acquire_writer_lock(dir)?);
        crate::store::files::backup::remove_unfinished_restore(dir)?;
        crate::store::files::anchor::remove_unfinished(dir);
        super::super::remove_unfinished_outputs(dir);
        crate::store::files::first_run::undo_cut_short(dir)?;
        let state = journal_state(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            lock,
            state,
        })
    }

    /// The claim a closing store hands back (see `Store::close_for_restore`).
    pub(in crate::store) fn claimed(dir: PathBuf, lock: Arc<File>) -> Self {
        Self {
            dir,
            lock,
            state: JournalState::Encrypted,
        }
    }

    pub fn state(&self) -> JournalState {
        self.state
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Chooses the journal's passphrase: makes a new data key, wraps it, and opens the journal under it,
    /// encrypting an unencrypted one first.
    pub fn create(&self, passphrase: &Passphrase) -> Result<Store, StoreError> {
        if self.state == JournalState::Encrypted {
            return Err(StoreError::AlreadyEncrypted);
        }
        passphrase.check_new()?;
        let key = DataKey::random()?;
        let first_run = self.state == JournalState::New;
        if first_run {
            crate::store::files::first_run::begin(&self.dir)?;
        }
        // The key file is written before the data it protects, so a crash in between leaves a folder
        // that the same passphrase unlocks (and finishes encrypting), or a first run to begin again.
        KeyFile::wrap(&key, passphrase, KdfCost::RECOMMENDED)?.write(&self.dir)?;
        let store = self.open_with(key)?;
        if first_run {
            crate::store::files::first_run::finish(&self.dir)?;
        }
        Ok(store)
    }

    /// Unlocks an encrypted journal. A wrong passphrase writes nothing and can be tried again.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<Store, StoreError> {
        let key = unlock_key(&self.dir, passphrase)?;
        require_journal_file(&self.dir)?;
        self.open_with(key)
    }

    /// Unlocks or, for a new or unencrypted journal, creates with `passphrase`: what the command line
    /// does, where the passphrase comes from the environment or a file.
    pub fn unlock_or_create(&self, passphrase: &Passphrase) -> Result<Store, StoreError> {
        match self.state {
            JournalState::Encrypted => self.unlock(passphrase),
            JournalState::New | JournalState::Unencrypted => self.create(passphrase),
        }
    }

    /// Opens the journal with a data key already unwrapped (see `unlock_key`), sparing a second key
    /// derivation when one process opens the same journal again.
    pub fn open_with(&self, key: DataKey) -> Result<Store, StoreError> {
        if database_is_unencrypted(&self.dir)? {
            encrypt_legacy::encrypt_in_place(&self.dir, &key)?;
        }
        let db_path = self.dir.join(DB_FILE_NAME);
        let wal_aside = WalAside::take(&self.dir).map_err(|source| StoreError::NotWritable {
            path: self.dir.clone(),
            source,
        })?;
        if let Some(damaged) = self.open_if_commits_missing(&key, wal_aside.as_ref())? {
            return Ok(damaged);
        }
        let conn = connect(&db_path, &key, OpenFlags::default())?;
        configure(&conn)?;
        // A journal SQLite just made (or restored) gets the owner-only mode the folder has; its log
        // and index take the journal's mode from SQLite.
        super::super::durable::make_private(&self.dir.join(DB_FILE_NAME)).map_err(|source| {
            StoreError::NotWritable {
                path: self.dir.clone(),
                source,
            }
        })?;
        // The start-up check reads every page, seconds on a large journal, so it is the caller's to
        // run: the window runs it beside itself (Store::start_up_check), tests and tools at once
        // (Store::run_start_up_check), and `kap-journal check` runs the full one.
        let mut store = Store {
            conn,
            dir: self.dir.clone(),
            writer_lock: Some(Arc::clone(&self.lock)),
            access: AccessMode::Writer,
            key,
            damage: Vec::new(),
            anchored_seq: Cell::new(None),
            anchor_broken: Cell::new(false),
            restore_advised: true,
            witnessed_seq: Cell::new(None),
        };
        schema::migrate(&mut store.conn)?;
        store.anchor_commit();
        // A writer that cannot anchor its commits would go on unguarded: it does not open.
        store.require_anchor()?;
        // What commands beside an earlier window disclosed. Should it fail (a full disk), the
        // outbox stays as it is, its lines listed as pending, for the next opening to take in.
        let _ = store.registers().take_in_disclosure_outbox();
        if let Some(aside) = wal_aside {
            aside.release();
        }
        Ok(store)
    }

    /// Checks the journal against the anchor its last commit left, on a read-only connection that
    /// neither recovers nor checkpoints the write-ahead log into the journal for good. A journal that
    /// lacks committed changes is returned open to read only, with the log's copy kept; `None` when
    /// nothing is missing (or there is no anchor to check against, as before this version).
    fn open_if_commits_missing(
        &self,
        key: &DataKey,
        wal_aside: Option<&WalAside>,
    ) -> Result<Option<Store>, StoreError> {
        let anchor = Anchor::read(&self.dir);
        let witness = crate::store::files::witness::newest(&self.dir, key);
        if anchor.is_none() && witness.is_none() {
            return Ok(None);
        }
        let conn = connect(
            &self.dir.join(DB_FILE_NAME),
            key,
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let Some(missing) = crate::store::files::missing_changes::find(
            &self.dir,
            key,
            &conn,
            anchor.as_ref(),
            witness.as_ref(),
        )?
        else {
            return Ok(None);
        };
        let mut damage = vec![missing.sentence];
        if let Some(kept) = wal_aside.and_then(|aside| aside.keep(crate::domain::wall_now())) {
            damage.push(format!(
                "the write-ahead log as it was found is kept beside the journal as {kept}"
            ));
        }
        wait_and_cache(&conn)?;
        Ok(Some(Store {
            conn,
            dir: self.dir.clone(),
            writer_lock: Some(Arc::clone(&self.lock)),
            access: AccessMode::Damaged,
            key: key.clone(),
            damage,
            anchored_seq: Cell::new(None),
            anchor_broken: Cell::new(false),
            restore_advised: missing.restore_advised,
            witnessed_seq: Cell::new(None),
        }))
    }
}

impl Store {
    /// Opens (creating if needed) the journal in `dir` as its only writer, unlocking it with
    /// `passphrase` (or choosing it, for a new or unencrypted journal).
    ///
    /// Refuses with a plain sentence when the folder cannot be written, another instance holds it or
    /// the passphrase is wrong; in each case nothing is written.
    pub fn open(dir: &Path, passphrase: &Passphrase) -> Result<Self, StoreError> {
        LockedJournal::claim(dir)?.unlock_or_create(passphrase)
    }

    /// Opens the journal to read, for commands that only read: beside a writer or without one, never
    /// holding the writer's lock, never migrating or encrypting anything, and on read-only media.
    pub fn open_for_reading(dir: &Path, passphrase: &Passphrase) -> Result<Self, StoreError> {
        crate::store::files::data_folder::refuse_unreadable_folder(dir)?;
        // A first run cut short has made no journal yet; the next writer begins it again.
        if !dir.join(DB_FILE_NAME).exists() || crate::store::files::first_run::cut_short(dir) {
            // A key without its journal is a loss, not a folder waiting for its first journal.
            if dir.join(KEY_FILE_NAME).exists() && !crate::store::files::first_run::cut_short(dir) {
                return Err(StoreError::JournalEmptied);
            }
            return Err(StoreError::NoJournal {
                path: dir.to_path_buf(),
            });
        }
        if journal_state(dir)? == JournalState::Unencrypted {
            return Err(StoreError::NotYetEncrypted);
        }
        super::super::remove_unfinished_outputs(dir);
        Self::open_read_only(dir, unlock_key(dir, passphrase)?)
    }

    /// Opens the journal in `dir` as its only writer for a command-line command, after the same
    /// start-up check the window makes: a damaged journal is refused whole, so nothing is written
    /// over the damage.
    pub fn open_checked(dir: &Path, passphrase: &Passphrase) -> Result<Self, StoreError> {
        let mut store = Self::open(dir, passphrase)?;
        if store.damage().is_empty() {
            store.run_start_up_check()?;
        }
        if store.damage().is_empty() {
            Ok(store)
        } else {
            Err(StoreError::DamagedNotWritten)
        }
    }

    /// A second, read-only connection to this journal under the same key, for work on another thread
    /// (a long export) that must not hold up the writer.
    pub fn reader(&self) -> Result<Self, StoreError> {
        Self::open_read_only(&self.dir, self.key.clone())
    }

    /// What opening a [`reader`](Self::reader) needs, to open it on the thread that will use it
    /// (the search thread opens its own, so the window's first frame does not wait for it).
    pub fn reader_source(&self) -> ReaderSource {
        ReaderSource::new(self.dir.clone(), self.key.clone())
    }

    /// A read-only connection under `key`, beside whichever process writes.
    pub(in crate::store) fn open_read_only(dir: &Path, key: DataKey) -> Result<Self, StoreError> {
        require_journal_file(dir)?;
        // The anchor is read before the journal: a writer beside this reader may commit in between,
        // which leaves the journal newer than the anchor, never older.
        let anchor = Anchor::read(dir);
        let witness = crate::store::files::witness::newest(dir, &key);
        let conn = crate::store::files::read_only_media::connect_read_only(dir, &key)?;
        // A reader that closes last would otherwise checkpoint the log into the journal: a write, and
        // on a damaged log the loss of what it could not read.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        check_sqlite_version(&conn)?;
        wait_and_cache(&conn)?;
        schema::check_readable(&conn).map_err(|error| match error {
            StoreError::ReadOnly => StoreError::OlderSchema,
            other => other,
        })?;
        let missing = crate::store::files::missing_changes::find(
            dir,
            &key,
            &conn,
            anchor.as_ref(),
            witness.as_ref(),
        )?;
        let restore_advised = missing
            .as_ref()
            .is_none_or(|missing| missing.restore_advised);
        Ok(Self {
            conn,
            dir: dir.to_path_buf(),
            writer_lock: None,
            access: if missing.is_some() {
                AccessMode::Damaged
            } else {
                AccessMode::ReadOnly
            },
            key,
            damage: missing
                .into_iter()
                .map(|missing| missing.sentence)
                .collect(),
            anchored_seq: Cell::new(None),
            anchor_broken: Cell::new(false),
            restore_advised,
            witnessed_seq: Cell::new(None),
        })
    }
}

/// An encrypted journal's file must be there and hold pages: SQLite would take a missing or empty
/// one for a new database and a migration would build an empty journal over the loss.
pub(in crate::store) fn require_journal_file(dir: &Path) -> Result<(), StoreError> {
    match fs::metadata(dir.join(DB_FILE_NAME)) {
        Ok(meta) if meta.len() > 0 => Ok(()),
        _ => Err(StoreError::JournalEmptied),
    }
}

/// Looks at the data folder without opening anything for writing.
pub fn journal_state(dir: &Path) -> Result<JournalState, StoreError> {
    if dir.join(KEY_FILE_NAME).exists() {
        return Ok(JournalState::Encrypted);
    }
    let db_path = dir.join(DB_FILE_NAME);
    if fs::metadata(&db_path).map_or(0, |meta| meta.len()) == 0 {
        return Ok(JournalState::New);
    }
    if database_is_unencrypted(dir)? {
        Ok(JournalState::Unencrypted)
    } else {
        Err(StoreError::KeyMissing {
            path: dir.to_path_buf(),
        })
    }
}

/// Whether `journal.db` starts with SQLite's plain-text header. An encrypted file starts with random
/// salt instead; an empty or missing file is neither.
fn database_is_unencrypted(dir: &Path) -> Result<bool, StoreError> {
    const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";
    let mut header = [0_u8; 16];
    match File::open(dir.join(DB_FILE_NAME)) {
        Ok(mut file) => Ok(file.read_exact(&mut header).is_ok() && &header == PLAIN_HEADER),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

impl LockedJournal {
    /// Takes the journal as it is after an alarm that it lacks changes recorded beside it or outside
    /// its folder: what `kap-journal check --accept` does once the clinician knows how it came
    /// about. The write-ahead log found is kept aside under a name of its own, the records of the
    /// newest change are written again for this journal, and it opens as its writer.
    pub fn accept_as_is(&self, passphrase: &Passphrase) -> Result<Store, StoreError> {
        let dir = self.dir();
        let key = super::super::unlock_key(dir, passphrase)?;
        require_journal_file(dir)?;
        let not_writable = |source| StoreError::NotWritable {
            path: dir.to_path_buf(),
            source,
        };
        if let Some(aside) = WalAside::take(dir).map_err(not_writable)? {
            let _ = aside.keep(crate::domain::wall_now());
        }
        crate::store::files::anchor::forget(dir).map_err(not_writable)?;
        crate::store::files::witness::forget(dir);
        let store = self.open_with(key)?;
        store.witness_commit();
        Ok(store)
    }
}
