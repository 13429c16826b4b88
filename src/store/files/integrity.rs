//! Checking the journal file: every page's authentication code (SQLCipher) and SQLite's own structure
//! checks. Problems are described by page and table numbers only, never by content.
//!
//! At start-up a large journal is checked beside the window: fully (every page, the whole audit
//! chain) when no full check is recent, else only what changed since the last one
//! (`changed_since`). A full check that finds nothing is recorded, in idle time as at start-up.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::{AccessMode, Store, StoreError, from_ms, to_ms};
use super::changed_since::{ChangedSince, check_changed_since};

/// How long a full check is relied on at start-up; after that the next start checks everything.
pub const FULL_CHECK_LASTS_DAYS: i64 = 7;

/// How old the last full check may be before the window runs one while it is locked.
pub const FULL_CHECK_IN_IDLE_AFTER_HOURS: i64 = 24;

/// Migration 31: the full checks that found nothing, and how far each read.
pub(in crate::store) const CREATE_FULL_CHECKS: &str = "
    CREATE TABLE full_checks (
        id          INTEGER PRIMARY KEY,
        at_ms       INTEGER NOT NULL,
        audit_seq   INTEGER NOT NULL CHECK (audit_seq >= 0),
        audit_mac   BLOB NOT NULL
    );";

/// What a full check that found nothing covered: the audit log up to this entry, which carried this
/// seal. Everything written later has later entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullCheckMark {
    pub at: DateTime<Utc>,
    pub audit_seq: i64,
    pub audit_mac: Vec<u8>,
}

/// How much a check read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckScope {
    /// Every page and the whole audit chain.
    Full,
    /// What changed since the last full check: the audit entries after it and the journal entries
    /// they name.
    SinceFullCheck {
        entries: usize,
        audit_entries: usize,
    },
}

/// What a check found.
#[derive(Debug)]
pub struct CheckFound {
    /// Each a sentence naming pages, entries or sessions by number, never content; none: sound.
    pub problems: Vec<String>,
    pub scope: CheckScope,
    /// A full check that found nothing: what it covered, to record with [`Store::record_full_check`].
    pub covered: Option<FullCheckMark>,
}

/// The largest journal checked at start-up before the window shows anything (a few milliseconds);
/// a larger one is checked on a thread beside the window.
pub const CHECK_AT_ONCE_BYTES: u64 = 1 << 20;

/// The start-up check of a journal too large to check before the window shows: a reader of its
/// own, to be run on another thread, and the handle that stops it from any thread.
pub struct StartUpCheck {
    reader: Store,
    /// Every page, whatever the last full check (the check of idle time).
    full: bool,
}

impl StartUpCheck {
    /// What stops [`run`](Self::run) early; it then reports an error, never "sound".
    pub fn interrupt(&self) -> super::super::Interrupt {
        self.reader.interrupt_handle()
    }

    /// Checks the journal: only what changed since the last full check when one is recent (younger
    /// than [`FULL_CHECK_LASTS_DAYS`]), else fully. Hand the problems to [`Store::mark_damaged`].
    pub fn run(self) -> Result<CheckFound, StoreError> {
        let conn = &self.reader.conn;
        let now = Utc::now();
        let recent = if self.full {
            None
        } else {
            self.reader
                .last_full_check()?
                .filter(|mark| now - mark.at < chrono::Duration::days(FULL_CHECK_LASTS_DAYS))
        };
        match recent {
            Some(mark) => {
                let changed = or_unreadable(check_changed_since(conn, &self.reader.key, &mark))?
                    .unwrap_or_else(|problem| ChangedSince {
                        problems: vec![problem],
                        entries: 0,
                        audit_entries: 0,
                    });
                Ok(CheckFound {
                    problems: changed.problems,
                    scope: CheckScope::SinceFullCheck {
                        entries: changed.entries,
                        audit_entries: changed.audit_entries,
                    },
                    covered: None,
                })
            }
            None => full_check(conn, &self.reader.key, now),
        }
    }
}

/// Every page and the whole audit chain. The mark is taken first: what is written while the check
/// reads is after it, and the next start reads it as changed.
fn full_check(
    conn: &Connection,
    key: &super::super::secret::DataKey,
    now: DateTime<Utc>,
) -> Result<CheckFound, StoreError> {
    let mark = or_unreadable(audit_tail(conn, now))?;
    let mut problems = quick_problems(conn)?;
    if problems.is_empty() {
        match or_unreadable(super::super::record::audit::chain_problems(conn, key))? {
            Ok(found) => problems.extend(found),
            Err(problem) => problems.push(problem),
        }
    }
    let covered = match mark {
        Ok(mark) if problems.is_empty() => Some(mark),
        Ok(_) => None,
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    Ok(CheckFound {
        problems,
        scope: CheckScope::Full,
        covered,
    })
}

/// The audit log's newest entry and its seal: how far a check that starts now reads.
fn audit_tail(conn: &Connection, now: DateTime<Utc>) -> Result<FullCheckMark, StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(max(seq), 0), (SELECT mac FROM audit_log ORDER BY seq DESC LIMIT 1)
         FROM audit_log",
        [],
        |row| {
            Ok(FullCheckMark {
                at: now,
                audit_seq: row.get(0)?,
                audit_mac: row.get::<_, Option<Vec<u8>>>(1)?.unwrap_or_default(),
            })
        },
    )?)
}

/// A page that fails its authentication while a check reads it is a problem found, not an error.
fn or_unreadable<T>(result: Result<T, StoreError>) -> Result<Result<T, String>, StoreError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(error) if error.is_corruption() => Ok(Err(UNREADABLE_PAGE.to_owned())),
        Err(other) => Err(other),
    }
}

const UNREADABLE_PAGE: &str =
    "SQLite stopped at a page it could not read (damaged, or failing its authentication check)";

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
            full: false,
        }))
    }

    /// A full check of every page and the whole audit chain on a reader of its own, to run beside
    /// the window (in idle time).
    pub fn full_check(&self) -> Result<StartUpCheck, StoreError> {
        Ok(StartUpCheck {
            reader: self.reader()?,
            full: true,
        })
    }

    /// How far a full check starting now reads (`kap-journal check` records it when it finds nothing).
    pub fn full_check_mark(&self) -> Result<FullCheckMark, StoreError> {
        audit_tail(&self.conn, Utc::now())
    }

    /// The newest full check that found nothing, if any was recorded.
    pub fn last_full_check(&self) -> Result<Option<FullCheckMark>, StoreError> {
        let mark = self
            .conn
            .prepare_cached(
                "SELECT at_ms, audit_seq, audit_mac FROM full_checks ORDER BY id DESC LIMIT 1",
            )?
            .query_row([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        mark.map(|(at_ms, audit_seq, audit_mac)| {
            Ok(FullCheckMark {
                at: from_ms(at_ms)?,
                audit_seq,
                audit_mac,
            })
        })
        .transpose()
    }

    /// Records a full check that found nothing, so the next start reads only what changed after it.
    pub fn record_full_check(&mut self, mark: &FullCheckMark) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO full_checks (at_ms, audit_seq, audit_mac) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![to_ms(mark.at), mark.audit_seq, mark.audit_mac])?;
            Ok(())
        })
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
            error if error.is_corruption() => Ok(vec![UNREADABLE_PAGE.to_owned()]),
            other => Err(other),
        },
    }
}
