//! Checking the journal file: every page's authentication code (SQLCipher) and SQLite's own structure
//! checks. Problems are described by page and table numbers only, never by content.

use rusqlite::Connection;

use super::super::{AccessMode, Store, StoreError};

/// The largest journal checked at start-up before the window shows anything (a few milliseconds);
/// a larger one is checked on a thread beside the window.
pub const CHECK_AT_ONCE_BYTES: u64 = 1 << 20;

/// The start-up check of a journal too large to check before the window shows: a reader of its
/// own, to be run on another thread, and the handle that stops it from any thread.
pub struct StartUpCheck {
    reader: Store,
}

impl StartUpCheck {
    /// What stops [`run`](Self::run) early; it then reports an error, never "sound".
    pub fn interrupt(&self) -> super::super::Interrupt {
        self.reader.interrupt_handle()
    }

    /// Reads every page: the problems found (an empty list: the journal is sound). Hand them to
    /// [`Store::mark_damaged`].
    pub fn run(self) -> Result<Vec<String>, StoreError> {
        quick_problems(&self.reader.conn)
    }
}

impl Store {
    /// The full check behind `kap-journal check`: SQLCipher's `cipher_integrity_check` (each page's
    /// HMAC, so a flipped byte anywhere is found) and SQLite's `integrity_check`. An empty list means
    /// the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        page_problems(&self.conn)
    }

    /// Runs the start-up check (SQLite's `quick_check`, which reads every page and so checks its
    /// HMAC) now; a journal that fails it stays open to be read but not written.
    pub fn run_start_up_check(&mut self) -> Result<&[String], StoreError> {
        let problems = quick_problems(&self.conn)?;
        self.mark_damaged(problems);
        Ok(&self.damage)
    }

    /// The start-up check: run at once for a journal of up to [`CHECK_AT_ONCE_BYTES`]; a larger one
    /// is handed back with a reader of its own, to run beside the window so it opens at once.
    pub fn start_up_check(&mut self) -> Result<Option<StartUpCheck>, StoreError> {
        if self.file_bytes() <= CHECK_AT_ONCE_BYTES {
            self.run_start_up_check()?;
            return Ok(None);
        }
        Ok(Some(StartUpCheck {
            reader: self.reader()?,
        }))
    }

    /// The size of the journal file (its write-ahead log aside).
    fn file_bytes(&self) -> u64 {
        std::fs::metadata(self.dir.join(super::super::DB_FILE_NAME))
            .map_or(u64::MAX, |meta| meta.len())
    }

    /// Records what the start-up check found: with any problem the journal is read-only from now on,
    /// since a write could spread the damage, and what can still be read must stay reachable.
    pub fn mark_damaged(&mut self, problems: Vec<String>) {
        if problems.is_empty() {
            return;
        }
        self.damage = problems;
        self.access = AccessMode::Damaged;
    }
}

/// Every page's HMAC and SQLite's integrity check, on any connection (a backup being checked).
pub(in crate::store) fn page_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut problems = problems_of(conn, "PRAGMA cipher_integrity_check", false)?;
    problems.extend(problems_of(conn, "PRAGMA integrity_check", true)?);
    Ok(problems)
}

/// The quick check made at every start: SQLite's `quick_check`, which reads every page (and so checks
/// its HMAC) without the slower index cross-checks.
fn quick_problems(conn: &Connection) -> Result<Vec<String>, StoreError> {
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
        Err(error) => match StoreError::from(error) {
            error if error.is_corruption() => Ok(vec![
                "SQLite stopped at a page it could not read (damaged, or failing its authentication check)"
                    .to_owned(),
            ]),
            other => Err(other),
        },
    }
}
