//! What the start-up check reads when a full check is recent: only what changed since it. Every write
//! to the record adds a sealed audit entry holding a digest of the row (`store::audit`), so the entries
//! after the one the full check ended on are the changes: their chain and seals are verified from that
//! entry, and every journal entry they name is read (its pages decrypted and authenticated by
//! SQLCipher as they are) and digested again, to match the digest sealed when it was written. Pages no
//! write has touched since were read by the full check; the next one reads them again.

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

use super::super::StoreError;
use super::super::record::audit::chain_problems_since;
use super::super::record::digest::ValueDigest;
use super::super::secret::DataKey;
use super::integrity::FullCheckMark;

/// What was read, and what was wrong.
pub(super) struct ChangedSince {
    pub problems: Vec<String>,
    /// Journal entries written (or changed) since the full check, each matched to its audit entry.
    pub entries: usize,
    pub audit_entries: usize,
}

/// Reads what changed since `mark` on `conn` under `key`.
pub(super) fn check_changed_since(
    conn: &Connection,
    key: &DataKey,
    mark: &FullCheckMark,
) -> Result<ChangedSince, StoreError> {
    let (mut problems, audit_entries) =
        chain_problems_since(conn, key, mark.audit_seq, &mark.audit_mac)?;
    // The newest audit entry of each journal entry written since: what the row must now be.
    let mut newest: BTreeMap<(i64, i64), (i64, String, Vec<u8>)> = BTreeMap::new();
    let mut statement = conn.prepare(
        "SELECT seq, action, subject, digest FROM audit_log WHERE seq > ?1 AND subject LIKE 'session % entry %'
         ORDER BY seq",
    )?;
    let mut rows = statement.query([mark.audit_seq])?;
    while let Some(row) = rows.next()? {
        let subject: String = row.get(2)?;
        if let Some(entry) = entry_named(&subject) {
            newest.insert(entry, (row.get(0)?, row.get(1)?, row.get(3)?));
        }
    }
    let mut read = conn.prepare_cached(
        "SELECT session_id, seq, wall_ms, elapsed_ms, kind, payload FROM events
         WHERE session_id = ?1 AND seq = ?2",
    )?;
    for ((session, seq), (audit_seq, action, sealed)) in &newest {
        let digest = read
            .query_row([session, seq], |row| {
                let mut digest = ValueDigest::new("kap-journal audit row v1");
                digest.value(ValueRef::Text(b"events"));
                for column in 0..6 {
                    digest.value(row.get_ref(column)?);
                }
                Ok(digest.finish())
            })
            .optional()?;
        let fits = match (action.as_str(), digest) {
            ("delete", None) => true,
            ("delete", Some(_)) | (_, None) => false,
            (_, Some(digest)) => digest.as_slice() == sealed.as_slice(),
        };
        if !fits {
            problems.push(format!(
                "session {session} entry {seq} does not match its audit entry {audit_seq}: it was changed without the log"
            ));
        }
    }
    Ok(ChangedSince {
        problems,
        entries: newest.len(),
        audit_entries,
    })
}

/// (session, entry) of a subject "session 12 entry 5".
fn entry_named(subject: &str) -> Option<(i64, i64)> {
    let rest = subject.strip_prefix("session ")?;
    let (session, seq) = rest.split_once(" entry ")?;
    Some((session.parse().ok()?, seq.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::entry_named;

    #[test]
    fn only_a_journal_entry_subject_names_an_entry() {
        assert_eq!(entry_named("session 12 entry 5"), Some((12, 5)));
        assert_eq!(entry_named("session 12 progress note"), None);
        assert_eq!(entry_named("session 12 entry five"), None);
        assert_eq!(entry_named("setting clinic"), None);
    }
}
