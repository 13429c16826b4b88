//! SQLite storage of the journal. Knows nothing of egui.
//!
//! Every write is one transaction that commits before the call returns, with `synchronous=FULL`, so an
//! event that a caller was told is saved survives a killed process or a power cut.

mod complete_records;
mod complete_sessions;
mod durable;
mod error;
mod files;
mod import;
mod record;
mod registers;
mod schema;
mod search;
mod secret;
mod session_end;
mod settings;
mod sharing;
mod write;

pub use complete_records::CompleteRecord;
pub use durable::sync_dir;
pub use error::StoreError;
pub use files::anchor::ANCHOR_FILE_NAME;
pub use files::backup::CopyProgress;
pub use files::backup_folder::{
    BACKUP_FOLDER_FILE_NAME, backup_folder, choose_backup_folder, chosen_backup_folder,
    shares_disk_with_journal,
};
pub use files::backup_rotation::{BACKUPS_DIR_NAME, BackupFile, list_backups};
pub use files::connection::{MIN_SQLITE_VERSION, connect_floor, connect_raw, connect_raw_with};
pub use files::data_dir::{
    DATA_DIR_ENV, DB_FILE_NAME, KEY_FILE_NAME, LOCK_FILE_NAME, default_data_dir,
};
pub use files::detached::{Interrupt, ReaderSource};
pub use files::first_run::FIRST_RUN_FILE_NAME;
pub use files::integrity::{
    CHECK_AT_ONCE_BYTES, CheckFound, CheckScope, FULL_CHECK_IN_IDLE_AFTER_HOURS,
    FULL_CHECK_LASTS_DAYS, FullCheckMark, StartUpCheck,
};
pub use files::key_file::KdfCost;
pub use files::open::{JournalState, LockedJournal, journal_state};
pub use files::output_guard::safe_output_path;
pub use files::passphrase::PassphraseCheck;
pub use files::passphrase::unlock_key;
pub use files::plain_file::{PlainFileError, open_plain_file, read_plain_file};
pub use files::unfinished_output::{
    UNFINISHED_DIR_NAME, UnfinishedOutput, abandon_outputs_in_making, export_in_making,
    remove_unfinished_outputs,
};
pub use files::witness::{CommitWitness, EPOCH_FILE_NAME, forget as forget_witness};
pub use files::writer_lock::create_private_dir;
pub use import::{ClientMatch, ImportBatch};
pub use record::Record;
pub use record::audit::AuditEntry;
pub use record::drafts::Draft;
pub use record::events::NewEvent;
pub use record::key_proof::{KeyProof, RowKey};
pub use record::measures::RecordedMeasure;
pub use record::notes::PrivateNote;
pub use record::prefill::LastSession;
pub use record::sessions::CompleteSession;
pub use record::signing_key::key_fingerprint;
pub use record::summaries::{SessionCounts, SessionFilter, SessionSummary};
pub use registers::Registers;
pub use registers::consents::ConsentDue;
pub use registers::disclosure_outbox::OUTBOX_FILE_NAME;
pub use registers::disclosures::{DisclosureRecorder, Disclosures};
pub use registers::follow_ups::FollowUpDue;
pub use registers::rems_submissions::RemsDue;
pub use search::count::{COUNTED_PAST_HITS, MatchCount};
pub use search::snippet::Snippet;
pub use search::{
    CANDIDATE_QUERY, RANK_WINDOW, SearchHit, SearchQuery, fts_query, match_expression, model_ranges,
};
pub(crate) use secret::parse_hex;
pub use secret::{DataKey, MIN_PASSPHRASE_CHARS, Passphrase};
pub use sharing::Sharing;
pub use sharing::co_sessions::{JoinedLive, LivePart};
pub use sharing::co_signatures::CoSignError;
pub use sharing::practice::{CopyAuthor, CopyHeld, PushDue, Pushed};
pub use sharing::practice_links::Linked;
pub use sharing::server_disclosures::{ColleagueFetch, EmergencyOpening};

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;

/// Whether a store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// This process holds the data folder's lock and is its only writer.
    Writer,
    /// Another process writes; this one reads what it has committed.
    ReadOnly,
    /// The start-up check found damage: everything that can be read is, nothing is written.
    Damaged,
}

/// An open journal: one SQLite connection, plus the lock that makes this process its only writer.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    /// Held for the life of the store; dropping it lets another instance write.
    writer_lock: Option<Arc<File>>,
    access: AccessMode,
    /// The data key the connection was opened with, kept to check a passphrase at the lock screen and
    /// to rewrap it under a new one. Wiped on drop.
    key: DataKey,
    /// What the start-up check found wrong; when not empty the store is read-only.
    damage: Vec<String>,
    /// The audit entry the commit anchor last recorded, so a commit that added none (a draft) does
    /// not rewrite it.
    anchored_seq: std::cell::Cell<Option<i64>>,
    /// The last commit could not be anchored (journal.anchor unwritable): no further write is taken
    /// until an anchor is written again, so a journal never goes on unguarded without a word.
    anchor_broken: std::cell::Cell<bool>,
    /// Whether restoring the newest good backup is what to do about the damage: not when the
    /// journal lacks a change no backup holds (see `missing_changes`).
    restore_advised: bool,
    /// The audit entry the witness outside the data folder last recorded (see `witness`).
    witnessed_seq: std::cell::Cell<Option<i64>>,
}

impl Store {
    /// The data folder this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `read` inside one read transaction, so all it reads comes from the same moment even while
    /// another connection writes (a long export beside a live session).
    pub fn read_consistent<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce(&Self) -> Result<T, E>,
    ) -> Result<T, E> {
        let snapshot = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let result = read(self);
        // Nothing was written; ending the transaction only releases the snapshot.
        drop(snapshot);
        result
    }

    /// The problems the start-up check found (page numbers, never content); empty when the journal is
    /// sound. A damaged journal is open read-only.
    pub fn damage(&self) -> &[String] {
        &self.damage
    }

    /// Whether restoring the newest good backup is the advice for the damage found: false when the
    /// journal lacks a change that no backup holds either, where a restore would lose records.
    pub fn restore_advised(&self) -> bool {
        self.restore_advised
    }

    /// Makes the journal behave as on a full disk (no page may be added) or lifts that again: how
    /// the tests show that a full disk loses nothing. SQLite's `max_page_count`, on this connection.
    #[doc(hidden)]
    pub fn simulate_full_disk(&self, full: bool) -> Result<(), StoreError> {
        let limit: i64 = if full {
            self.conn
                .query_row("PRAGMA page_count", [], |row| row.get(0))?
        } else {
            i64::from(u32::MAX - 1)
        };
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {limit}"), [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether this store may write: the only writer, a reader beside one, or a damaged journal.
    pub fn access(&self) -> AccessMode {
        self.access
    }

    fn require_writer(&self) -> Result<(), StoreError> {
        match self.access {
            AccessMode::Writer => self.require_anchor(),
            AccessMode::ReadOnly => Err(StoreError::ReadOnly),
            AccessMode::Damaged => Err(StoreError::OpenedDamaged),
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

/// Milliseconds since the Unix epoch, the form wall-clock times take in the database.
fn to_ms(time: chrono::DateTime<chrono::Utc>) -> i64 {
    time.timestamp_millis()
}

fn from_ms(ms: i64) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::from_timestamp_millis(ms).ok_or(StoreError::Damaged("a time stamp"))
}
