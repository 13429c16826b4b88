//! Encrypting a journal written before encryption existed: copied page by page into an encrypted file,
//! the copy checked against the original, and only then renamed over it.

use std::fs;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::super::secret::DataKey;
use super::super::{DB_FILE_NAME, StoreError, durable};
use crate::store::files::connection::connect;

/// The encrypted copy while it is being made; a leftover from an interrupted run is discarded.
const STAGING_FILE_NAME: &str = "journal.db.encrypting";

/// Replaces the unencrypted `journal.db` in `dir` with an encrypted copy under `key`.
///
/// The original is untouched until the copy has passed SQLite's integrity check and holds exactly the
/// same rows in every table; a failure at any step leaves the original as it was.
pub(in crate::store) fn encrypt_in_place(dir: &Path, key: &DataKey) -> Result<(), StoreError> {
    let db_path = dir.join(DB_FILE_NAME);
    let staging = dir.join(STAGING_FILE_NAME);
    let not_writable = |source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    };
    remove_if_present(&staging).map_err(not_writable)?;
    {
        // Default flags: the attached copy must be creatable.
        let plain = Connection::open(&db_path)?;
        // Everything committed moves from the write-ahead log into the file being copied.
        plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let staging_name = staging
            .to_str()
            .ok_or(StoreError::Damaged("a data folder path that is not text"))?;
        plain.execute(
            &format!("ATTACH DATABASE ?1 AS encrypted {}", &*key.attach_clause()),
            [staging_name],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        let version: i64 = plain.query_row("PRAGMA main.user_version", [], |row| row.get(0))?;
        plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version};"))?;
        verify_same_rows(&plain)?;
        plain.execute_batch("DETACH DATABASE encrypted;")?;
    }
    verify_readable(&staging, key)?;
    // The unencrypted connection is closed, which removes its (checkpointed, empty) log; a log that is
    // still there holds writes this copy does not have.
    let wal = dir.join(format!("{DB_FILE_NAME}-wal"));
    if fs::metadata(&wal).is_ok_and(|meta| meta.len() > 0) {
        remove_if_present(&staging).map_err(not_writable)?;
        return Err(StoreError::Damaged("an unfinished write-ahead log"));
    }
    remove_if_present(&wal).map_err(not_writable)?;
    remove_if_present(&dir.join(format!("{DB_FILE_NAME}-shm"))).map_err(not_writable)?;
    fs::File::open(&staging)
        .and_then(|file| file.sync_all())
        .map_err(not_writable)?;
    fs::rename(&staging, &db_path).map_err(not_writable)?;
    durable::sync_dir(dir).map_err(not_writable)
}

/// Every ordinary table (the search index's storage included) holds the same rows in both files.
fn verify_same_rows(plain: &Connection) -> Result<(), StoreError> {
    let mut tables = plain.prepare(
        "SELECT name FROM main.sqlite_master
         WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite_%'",
    )?;
    let names = tables
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let (plain_rows, copied_rows, missing): (i64, i64, i64) = plain.query_row(
            &format!(
                "SELECT (SELECT count(*) FROM main.\"{quoted}\"),
                        (SELECT count(*) FROM encrypted.\"{quoted}\"),
                        (SELECT count(*) FROM (SELECT * FROM main.\"{quoted}\"
                                               EXCEPT SELECT * FROM encrypted.\"{quoted}\"))"
            ),
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        if plain_rows != copied_rows || missing != 0 {
            return Err(StoreError::EncryptionNotVerified);
        }
    }
    Ok(())
}

/// The copy opens under the key alone and passes SQLite's full integrity check.
fn verify_readable(staging: &Path, key: &DataKey) -> Result<(), StoreError> {
    let copy = connect(staging, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::EncryptionNotVerified)
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}
