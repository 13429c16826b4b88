//! A journal made for synthetic data (migration 17): the demo fills only a journal that holds no
//! record yet, and marks it synthetic for good, so synthetic sessions can never mix with a real
//! client's and every view and export of such a journal says what it is.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, to_ms};
use super::Record;

/// Migration 17: the journal's marks, each set once and never taken back.
pub(in crate::store) const CREATE_JOURNAL_MARKS: &str = r"
    CREATE TABLE journal_marks (
        mark   TEXT PRIMARY KEY CHECK (mark IN ('synthetic')),
        at_ms  INTEGER NOT NULL
    );
    CREATE TRIGGER journal_marks_no_update BEFORE UPDATE ON journal_marks
    BEGIN SELECT RAISE(ABORT, 'append-only: a journal mark is for good'); END;
    CREATE TRIGGER journal_marks_no_delete BEFORE DELETE ON journal_marks
    BEGIN SELECT RAISE(ABORT, 'append-only: a journal mark is for good'); END;
";

/// Whether the journal carries the synthetic mark (SQL, 1 or 0).
const IS_SYNTHETIC: &str = "SELECT EXISTS (SELECT 1 FROM journal_marks WHERE mark = 'synthetic')";

/// The tables whose rows are the clinic's record: a journal with a row in any of them is not new.
const RECORD_TABLES: [&str; 5] = [
    "clients",
    "sessions",
    "substance_log",
    "consent_texts",
    "rems_marks",
];

impl<S: Deref<Target = Store>> Record<S> {
    /// Whether this journal was made for synthetic data.
    pub fn is_synthetic(&self) -> Result<bool, StoreError> {
        Ok(self.0.conn.query_row(IS_SYNTHETIC, [], |row| row.get(0))?)
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Marks the journal synthetic for good, before synthetic data goes in. Refused (`RealRecords`)
    /// when it is not already synthetic and holds any record: synthetic data only fills a new journal.
    pub fn claim_for_synthetic_data(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.0.write(|tx| claim_in(tx, now))
    }
}

/// [`Record::claim_for_synthetic_data`] inside the caller's transaction (an import of a synthetic
/// archive).
pub(in crate::store) fn claim_in(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let synthetic: bool = tx.query_row(IS_SYNTHETIC, [], |row| row.get(0))?;
    if synthetic {
        return Ok(());
    }
    for table in RECORD_TABLES {
        let holds: bool = tx.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table})"),
            [],
            |row| row.get(0),
        )?;
        if holds {
            return Err(StoreError::RealRecords);
        }
    }
    tx.execute(
        "INSERT INTO journal_marks (mark, at_ms) VALUES ('synthetic', ?1)",
        [to_ms(now)],
    )?;
    Ok(())
}
