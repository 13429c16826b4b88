//! The audit log: every write to the record adds an entry, and each entry carries an HMAC over its
//! content and the previous entry's HMAC, so changing, forging or removing an entry breaks the chain
//! from there on. The HMAC key is derived from the data key, so only someone holding the journal's
//! key could forge a chain, and `kap-journal check` verifies it.
//!
//! The entries are written by SQL triggers, not by the Rust that writes the record: no write path
//! can forget one. Entries name what was written (table and row, e.g. "session 12 entry 5") and hold
//! a digest of the row, never its text.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension};
use sha2::Sha256;
use std::ops::Deref;
use zeroize::Zeroizing;

use super::super::secret::DataKey;
use super::super::{Store, StoreError};
use super::Record;
use crate::store::record::digest::ValueDigest;

/// The chain's first link points at this instead of an entry.
const GENESIS: [u8; 32] = [0; 32];

/// What the derived key is for, so it can never equal a key derived for anything else.
const KEY_PURPOSE: &[u8] = b"kap-journal audit chain v1";

/// The key entries are sealed with. Wiped on drop.
#[derive(Clone)]
struct AuditKey(Zeroizing<[u8; 32]>);

impl AuditKey {
    fn derive(data_key: &DataKey) -> Self {
        let mut key = Zeroizing::new([0_u8; 32]);
        // HKDF-SHA-256 can always give 32 bytes; the fallback only keeps this free of a panic path.
        if hkdf::Hkdf::<Sha256>::new(None, data_key.as_bytes())
            .expand(KEY_PURPOSE, key.as_mut())
            .is_err()
        {
            key.copy_from_slice(data_key.as_bytes());
        }
        Self(key)
    }

    /// The HMAC-SHA-256 of one entry, chained to the one before it.
    fn seal(&self, entry: &EntryFields<'_>) -> [u8; 32] {
        self.hmac_of(entry)
            .map_or(GENESIS, |mac| mac.finalize().into_bytes().into())
    }

    /// Whether `seal` is this entry's seal, compared in constant time.
    fn verifies(&self, entry: &EntryFields<'_>, seal: &[u8]) -> bool {
        self.hmac_of(entry)
            .is_some_and(|mac| mac.verify_slice(seal).is_ok())
    }

    /// The HMAC fed with everything an entry's seal covers. (HMAC takes a key of any length, so
    /// `None` never happens.)
    fn hmac_of(&self, entry: &EntryFields<'_>) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.as_ref()).ok()?;
        mac.update(entry.previous);
        mac.update(&entry.seq.to_be_bytes());
        mac.update(&entry.at_ms.to_be_bytes());
        for text in [entry.action, entry.subject] {
            mac.update(&(text.len() as u64).to_be_bytes());
            mac.update(text.as_bytes());
        }
        mac.update(&(entry.digest.len() as u64).to_be_bytes());
        mac.update(entry.digest);
        Some(mac)
    }
}

/// What one entry's seal covers.
struct EntryFields<'a> {
    previous: &'a [u8],
    seq: i64,
    at_ms: i64,
    action: &'a str,
    subject: &'a str,
    digest: &'a [u8],
}

/// Registers the two SQL functions the audit triggers call: `audit_digest(purpose, values...)` and
/// `audit_seal(previous, seq, at_ms, action, subject, digest)`. Every connection that may write has
/// them; a tool without the key cannot append to the log.
pub(in crate::store) fn register_functions(
    conn: &Connection,
    data_key: &DataKey,
) -> Result<(), StoreError> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("audit_digest", -1, flags, |ctx| {
        let mut digest = ValueDigest::new("kap-journal audit row v1");
        for index in 0..ctx.len() {
            digest.value(ctx.get_raw(index));
        }
        Ok(digest.finish().to_vec())
    })?;
    let key = AuditKey::derive(data_key);
    conn.create_scalar_function("audit_seal", 6, flags, move |ctx| {
        let previous: Vec<u8> = ctx.get(0)?;
        let action: String = ctx.get(3)?;
        let subject: String = ctx.get(4)?;
        let digest: Vec<u8> = ctx.get(5)?;
        Ok(key
            .seal(&EntryFields {
                previous: &previous,
                seq: ctx.get(1)?,
                at_ms: ctx.get(2)?,
                action: &action,
                subject: &subject,
                digest: &digest,
            })
            .to_vec())
    })?;
    Ok(())
}

/// One entry of the audit log, as `kap-journal check` and the window show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// insert, update, delete (or start, the first entry).
    pub action: String,
    /// The row written, by table and number ("session 12 entry 5"), never by content.
    pub subject: String,
}

impl<S: Deref<Target = Store>> Record<S> {
    /// How many entries the audit log holds.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        Ok(self
            .0
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))?)
    }

    /// The most recent `limit` entries, newest first.
    pub fn audit_tail(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let mut statement = self.0.conn.prepare(
            "SELECT seq, at_ms, action, subject FROM audit_log ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
        rows.map(|row| {
            let (seq, at_ms, action, subject) = row?;
            Ok(AuditEntry {
                seq,
                at: super::super::from_ms(at_ms)?,
                action,
                subject,
            })
        })
        .collect()
    }

    /// Verifies the chain from its first entry. Each problem is a sentence naming the entry by its
    /// number; the first one is the first entry that was tampered with.
    pub fn audit_problems(&self) -> Result<Vec<String>, StoreError> {
        chain_problems(&self.0.conn, &self.0.key)
    }
}

/// Verifies the chain on any connection under `data_key` (a backup being checked). A journal from
/// before the audit log has no chain to check.
pub(in crate::store) fn chain_problems(
    conn: &Connection,
    data_key: &DataKey,
) -> Result<Vec<String>, StoreError> {
    let has_log = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")?
        .exists([])?;
    if !has_log {
        return Ok(Vec::new());
    }
    let mut statement = conn
        .prepare("SELECT seq, at_ms, action, subject, digest, mac FROM audit_log ORDER BY seq")?;
    let mut problems = Vec::new();
    check_links(
        &mut statement.query([])?,
        &AuditKey::derive(data_key),
        GENESIS.to_vec(),
        1,
        &mut problems,
    )?;
    Ok(problems)
}

/// Verifies the chain from entry `seq` on, which must still carry the seal `mac` a full check found
/// on it (its own seal checked against the entry before it): what the start-up check reads of the
/// log after a full check. Gives the problems and how many entries came after `seq`.
pub(in crate::store) fn chain_problems_since(
    conn: &Connection,
    data_key: &DataKey,
    seq: i64,
    mac: &[u8],
) -> Result<(Vec<String>, usize), StoreError> {
    let mut problems = Vec::new();
    let previous: Vec<u8> = if seq <= 1 {
        GENESIS.to_vec()
    } else {
        conn.prepare_cached("SELECT mac FROM audit_log WHERE seq = ?1")?
            .query_row([seq - 1], |row| row.get(0))
            .optional()?
            .unwrap_or_else(|| GENESIS.to_vec())
    };
    if seq >= 1 {
        let found: Option<Vec<u8>> = conn
            .prepare_cached("SELECT mac FROM audit_log WHERE seq = ?1")?
            .query_row([seq], |row| row.get(0))
            .optional()?;
        if found.as_deref() != Some(mac) {
            problems.push(format!(
                "audit entry {seq} is not the one the last full check ended on: the log was changed before it"
            ));
        }
    }
    let mut statement = conn.prepare(
        "SELECT seq, at_ms, action, subject, digest, mac FROM audit_log WHERE seq >= ?1 ORDER BY seq",
    )?;
    let checked = check_links(
        &mut statement.query([seq.max(1)])?,
        &AuditKey::derive(data_key),
        previous,
        seq.max(1),
        &mut problems,
    )?;
    Ok((problems, checked.saturating_sub(usize::from(seq >= 1))))
}

/// Checks each entry's place and seal, from `previous` (the seal before the first row) and the
/// sequence number the first row should carry; gives how many entries were read.
fn check_links(
    rows: &mut rusqlite::Rows<'_>,
    key: &AuditKey,
    mut previous: Vec<u8>,
    mut expected_seq: i64,
    problems: &mut Vec<String>,
) -> Result<usize, StoreError> {
    let mut read = 0;
    while let Some(row) = rows.next()? {
        read += 1;
        let seq: i64 = row.get(0)?;
        let at_ms: i64 = row.get(1)?;
        let action: String = row.get(2)?;
        let subject: String = row.get(3)?;
        let digest: Vec<u8> = row.get(4)?;
        let mac: Vec<u8> = row.get(5)?;
        let after_gap = seq != expected_seq;
        if after_gap {
            problems.push(if seq == expected_seq + 1 {
                format!("audit entry {expected_seq} is missing: it was removed from the log")
            } else {
                format!(
                    "audit entries {expected_seq} to {} are missing: they were removed from the log",
                    seq - 1
                )
            });
        }
        let entry = EntryFields {
            previous: &previous,
            seq,
            at_ms,
            action: &action,
            subject: &subject,
            digest: &digest,
        };
        // After a gap the missing entry's seal is unknown, so the next entry cannot be checked
        // against it; the chain is picked up again from that entry.
        if !after_gap && !key.verifies(&entry, &mac) {
            problems.push(format!(
                "audit entry {seq} ({action} of {subject}) does not match its seal: it was changed after it was written"
            ));
        }
        previous = mac;
        expected_seq = seq + 1;
    }
    Ok(read)
}
