//! The keys this journal first saw as each colleague's (migration 25). A colleague's rows are
//! trusted only when sealed with a key they proved theirs and, once this journal knows their keys,
//! one of those: a key proved later under the same login (someone who reset a password, or a new
//! computer of theirs) is an alarm, never an update, until the clinician compares its fingerprint
//! with the colleague and trusts it by hand (migration 27, audited). Pins are never changed or
//! removed.

use std::collections::{HashMap, HashSet};
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::super::{Store, StoreError, to_ms};
use super::Sharing;

/// Migration 25.
pub(in crate::store) const CREATE_PRACTICE_PINS: &str = r"
    CREATE TABLE practice_pinned_keys (
        login       TEXT NOT NULL,
        public_key  TEXT NOT NULL CHECK (length(public_key) = 64),
        pinned_ms   INTEGER NOT NULL,
        PRIMARY KEY (login, public_key)
    );
    CREATE TRIGGER practice_pinned_keys_no_update BEFORE UPDATE ON practice_pinned_keys
    BEGIN SELECT RAISE(ABORT, 'append-only: a pinned key is kept'); END;
    CREATE TRIGGER practice_pinned_keys_no_delete BEFORE DELETE ON practice_pinned_keys
    BEGIN SELECT RAISE(ABORT, 'append-only: a pinned key is kept'); END;
";

/// Migration 27: which pins a clinician made by hand.
pub(in crate::store) const TRUSTED_BY_HAND: &str = r"
    ALTER TABLE practice_pinned_keys
        ADD COLUMN by_hand INTEGER NOT NULL DEFAULT 0 CHECK (by_hand IN (0, 1));
";

impl<S: Deref<Target = Store>> Sharing<S> {
    /// Each colleague's keys as this journal first saw them, by login.
    pub fn practice_pinned_keys(&self) -> Result<HashMap<String, HashSet<String>>, StoreError> {
        let mut statement = self
            .0
            .conn
            .prepare_cached("SELECT login, public_key FROM practice_pinned_keys")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut pinned: HashMap<String, HashSet<String>> = HashMap::new();
        for row in rows {
            let (login, key) = row?;
            pinned.entry(login).or_default().insert(key);
        }
        Ok(pinned)
    }
}

impl<S: DerefMut<Target = Store>> Sharing<S> {
    /// Pins `keys` as `login`'s when this journal meets them for the first time (it holds no key
    /// of theirs yet); a colleague met before keeps the keys pinned then.
    pub fn pin_first_met(
        &mut self,
        login: &str,
        keys: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if keys.is_empty() || self.practice_pinned_keys()?.contains_key(login) {
            return Ok(());
        }
        self.0.write(|tx| pin(tx, login, keys, now))
    }

    /// Trusts `public_key` (hex) as `login`'s from now on: the clinician compared its fingerprint
    /// with the colleague. `false` when it was trusted already.
    pub fn trust_practice_key(
        &mut self,
        login: &str,
        public_key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let added = self.0.write(|tx| {
            let added = tx
                .prepare_cached(
                    "INSERT INTO practice_pinned_keys (login, public_key, pinned_ms, by_hand)
                     VALUES (?1, ?2, ?3, 1) ON CONFLICT DO NOTHING",
                )?
                .execute(params![login, public_key, to_ms(now)])?;
            Ok(added)
        })?;
        Ok(added == 1)
    }
}

/// Pins `keys` as `login`'s inside an import batch's transaction (kept ones stay as they were).
pub(in crate::store) fn pin(
    tx: &rusqlite::Transaction<'_>,
    login: &str,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO practice_pinned_keys (login, public_key, pinned_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
    )?;
    for key in keys {
        insert.execute(params![login, key, to_ms(now)])?;
    }
    Ok(())
}

/// Migration 25's code: a journal that joined a practice before rows were sealed, and never
/// signed, has no key of its own yet; it gets one now, named for the clinician as the practice
/// lists them, so its next sync can seal what it sends.
pub(in crate::store) fn key_for_a_member(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    use rusqlite::OptionalExtension as _;
    let membership: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE key = 'practice'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let Some(membership) = membership else {
        return Ok(());
    };
    let has_key: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM signing_keys WHERE secret IS NOT NULL)",
        [],
        |row| row.get(0),
    )?;
    if has_key {
        return Ok(());
    }
    let membership: crate::domain::PracticeMembership = serde_json::from_str(&membership)
        .map_err(|_| StoreError::Damaged("the practice membership"))?;
    let clinician = crate::domain::Clinician {
        name: membership.name,
        credentials: String::new(),
    };
    crate::store::record::signing_key::own_key(tx, &clinician, crate::domain::wall_now())?;
    Ok(())
}
