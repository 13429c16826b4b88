//! Checking the journal file: every page's authentication code (SQLCipher) and SQLite's own structure
//! checks. Problems are described by page and table numbers only, never by content.

use rusqlite::Connection;

use super::{Store, StoreError};

impl Store {
    /// The full check behind `kap-journal check`: SQLCipher's `cipher_integrity_check` (each page's
    /// HMAC, so a flipped byte anywhere is found) and SQLite's `integrity_check`. An empty list means
    /// the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        page_problems(&self.conn)
    }
}

/// Every page's HMAC and SQLite's integrity check, on any connection (a backup being checked).
pub(super) fn page_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut problems = problems_of(conn, "PRAGMA cipher_integrity_check", false)?;
    problems.extend(problems_of(conn, "PRAGMA integrity_check", true)?);
    Ok(problems)
}

/// The quick check made at every start: SQLite's `quick_check`, which reads every page (and so checks
/// its HMAC) without the slower index cross-checks.
pub(super) fn quick_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
    problems_of(conn, "PRAGMA quick_check", true)
}

/// Runs a checking pragma. Its rows are problems (but "ok" when `ok_row` is set); a page too damaged
/// to read at all stops the pragma with an error, which is reported as a problem rather than raised.
fn problems_of(conn: &Connection, pragma: &str, ok_row: bool) -> Result<Vec<String>, StoreError> {
    let rows = conn.prepare(pragma).and_then(|mut statement| {
        statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()
    });
    match rows {
        Ok(lines) => Ok(lines
            .into_iter()
            .filter(|line| !(ok_row && line == "ok"))
            .collect()),
        Err(rusqlite::Error::SqliteFailure(failure, _))
            if matches!(
                failure.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            Ok(vec![
                "SQLite stopped at a page it could not read (damaged, or failing its authentication check)"
                    .to_owned(),
            ])
        }
        Err(other) => Err(other.into()),
    }
}
