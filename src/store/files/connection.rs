//! A connection to the journal's file: opened under its key (a wrong key said as such), with the
//! pragmas every connection runs under (WAL, full synchronous writes, memory-only scratch space,
//! the cache and checkpoint sizes) and a SQLite new enough to trust with two connections.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::super::secret::{DataKey, Passphrase};
use super::super::{DB_FILE_NAME, StoreError};
use crate::store::files::passphrase::unlock_key;

/// Older SQLite versions have a WAL-reset bug that can corrupt a database written by two connections.
pub const MIN_SQLITE_VERSION: (u32, u32, u32) = (3, 51, 3);
/// SQLite's page cache per connection, in KiB (negative in the pragma): search and long timelines read
/// far more than the 2 MiB default holds.
const CACHE_KIB: i64 = 32 * 1024;
/// How many pages the write-ahead log gathers before SQLite copies them into the journal (its default
/// is 1,000, about 4 MiB): what lives only in the log is what a damaged log can lose.
const AUTO_CHECKPOINT_PAGES: i64 = 128;
/// Prepared statements a connection keeps. Writing one archived session runs some forty distinct
/// statements; with rusqlite's default of 16 each was parsed and planned anew every time (a quarter
/// of an import's time).
const STATEMENT_CACHE: usize = 256;
/// How long a statement waits for a lock held by a reader before it reports the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A bare SQLite connection to the journal in `dir`, unlocked with `passphrase`, for tools and tests
/// that must reach below the store (fault injection, repair). It takes no writer lock and runs no
/// migration.
pub fn connect_raw(dir: &Path, passphrase: &Passphrase) -> Result<Connection, StoreError> {
    connect_raw_with(dir, &unlock_key(dir, passphrase)?)
}

/// [`connect_raw`] with a key already unwrapped: the bare floor that opening the journal is measured
/// against.
pub fn connect_raw_with(dir: &Path, key: &DataKey) -> Result<Connection, StoreError> {
    connect(&dir.join(DB_FILE_NAME), key, OpenFlags::default())
}
/// A database at `path` under `key` (a new one is made) with every pragma and cipher setting the
/// journal's own connection runs under: the bare floor a journal write is measured against.
pub fn connect_floor(path: &Path, key: &DataKey) -> Result<Connection, StoreError> {
    let conn = connect(path, key, OpenFlags::default())?;
    configure(&conn)?;
    Ok(conn)
}

/// Opens `path` under `key` and proves the key is right by reading the schema: SQLCipher reports a
/// wrong key only at the first read, as "not a database".
pub(in crate::store) fn connect(
    path: &Path,
    key: &DataKey,
    flags: OpenFlags,
) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher would print its own lines on stderr about a key that does not fit; the caller says
    // it in one sentence instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    key.apply_to(&conn)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => {
            crate::store::record::audit::register_functions(&conn, key)?;
            Ok(conn)
        }
        Err(rusqlite::Error::SqliteFailure(failure, _))
            if failure.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Err(StoreError::KeyMismatch)
        }
        Err(other) => Err(other.into()),
    }
}

pub(in crate::store) fn configure(conn: &Connection) -> Result<(), StoreError> {
    check_sqlite_version(conn)?;
    wait_and_cache(conn)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Damaged("a journal mode other than WAL"));
    }
    // Temporary tables and sorts stay in memory, so no unencrypted scratch file touches the disk.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
    )?;
    super::super::search::prepare_waiting_room(conn)?;
    conn.pragma_update(None, "wal_autocheckpoint", AUTO_CHECKPOINT_PAGES)?;
    Ok(())
}

/// How long a statement waits for a lock, the page cache, one plan per statement and the prepared
/// statements kept: what every connection, a reader's too, runs with.
pub(in crate::store) fn wait_and_cache(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // One plan per statement, whatever its bound values: without this, SQLite 3.54 parses and plans
    // every cached statement of the form `column = ?1 … ORDER BY` again at each run (a session's
    // timeline read 20,000 times in an export: a tenth of its time).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

pub(in crate::store) fn check_sqlite_version(conn: &Connection) -> Result<(), StoreError> {
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

    /// A statement the journal caches is planned once: SQLite 3.54 otherwise plans `column = ?1 …
    /// ORDER BY` again at every run.
    #[test]
    fn a_cached_statement_is_planned_once_whatever_its_bound_values() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random().unwrap();
        let conn = connect_floor(&dir.path().join("plans.db"), &key).unwrap();
        conn.execute_batch(
            "CREATE TABLE rows (a INTEGER, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;
             INSERT INTO rows VALUES (1, 1), (1, 2), (2, 1), (3, 1);",
        )
        .unwrap();
        for a in 1..=3 {
            let mut statement = conn
                .prepare_cached("SELECT b FROM rows WHERE a = ?1 ORDER BY b")
                .unwrap();
            let found = statement
                .query_map([a], |row| row.get::<_, i64>(0))
                .unwrap()
                .count();
            assert!(found > 0);
            assert_eq!(
                statement.get_status(rusqlite::StatementStatus::RePrepare),
                0,
                "planned again at run {a}"
            );
        }
    }
}
