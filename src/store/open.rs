//! Opening the journal: the single-writer lock, the durability pragmas, the SQLite version check and
//! the schema migration.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{DB_FILE_NAME, LOCK_FILE_NAME, Store, StoreError, schema};

/// Older SQLite versions have a WAL-reset bug that can corrupt a database written by two connections.
pub const MIN_SQLITE_VERSION: (u32, u32, u32) = (3, 51, 3);
/// SQLite's page cache per connection, in KiB (negative in the pragma): search and long timelines read
/// far more than the 2 MiB default holds.
const CACHE_KIB: i64 = 32 * 1024;
/// How long a statement waits for a lock held by a reader before it reports the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// This process holds the data folder's lock and is its only writer.
    Writer,
    /// Another process writes; this one reads what it has committed.
    ReadOnly,
}

impl Store {
    /// Opens (creating if needed) the journal in `dir` as its only writer.
    ///
    /// Refuses with a plain sentence when the folder cannot be written or another instance holds it;
    /// in both cases nothing is written.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let lock = acquire_writer_lock(dir)?;
        let conn = Connection::open(dir.join(DB_FILE_NAME))?;
        configure(&conn)?;
        let mut store = Self {
            conn,
            dir: dir.to_path_buf(),
            _writer_lock: Some(lock),
            access: AccessMode::Writer,
        };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Opens the journal as writer when it is free, or read-only when another instance is writing,
    /// for commands that only read.
    pub fn open_for_reading(dir: &Path) -> Result<Self, StoreError> {
        let db_path = dir.join(DB_FILE_NAME);
        if !db_path.exists() {
            return Err(StoreError::NoJournal {
                path: dir.to_path_buf(),
            });
        }
        match Self::open(dir) {
            Err(StoreError::HeldByAnotherInstance { .. }) => {}
            other => return other,
        }
        let conn = Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        check_sqlite_version(&conn)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        schema::check_readable(&conn)?;
        Ok(Self {
            conn,
            dir: dir.to_path_buf(),
            _writer_lock: None,
            access: AccessMode::ReadOnly,
        })
    }
}

/// Creates the folder and takes an exclusive lock on its lock file, before the database is touched.
fn acquire_writer_lock(dir: &Path) -> Result<File, StoreError> {
    let not_writable = |source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(not_writable)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE_NAME))
        .map_err(not_writable)?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(TryLockError::WouldBlock) => Err(StoreError::HeldByAnotherInstance {
            path: dir.to_path_buf(),
        }),
        Err(TryLockError::Error(source)) => Err(not_writable(source)),
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    check_sqlite_version(conn)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Damaged("a journal mode other than WAL"));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

fn check_sqlite_version(conn: &Connection) -> Result<(), StoreError> {
    let found: String = conn.query_row("SELECT sqlite_version()", [], |row| row.get(0))?;
    if parse_version(&found).is_some_and(|version| version >= MIN_SQLITE_VERSION) {
        Ok(())
    } else {
        let (major, minor, patch) = MIN_SQLITE_VERSION;
        Err(StoreError::SqliteTooOld {
            found,
            needed: format!("{major}.{minor}.{patch}"),
        })
    }
}

fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.').map(str::parse::<u32>);
    let major = parts.next()?.ok()?;
    let minor = parts.next()?.ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_older_than_the_wal_reset_fix_are_refused() {
        assert!(parse_version("3.51.2").unwrap() < MIN_SQLITE_VERSION);
        assert!(parse_version("3.51.3").unwrap() >= MIN_SQLITE_VERSION);
        assert!(parse_version("3.54.1").unwrap() >= MIN_SQLITE_VERSION);
        assert!(parse_version("3.9.0").unwrap() < MIN_SQLITE_VERSION);
        assert_eq!(parse_version("junk"), None);
    }
}
