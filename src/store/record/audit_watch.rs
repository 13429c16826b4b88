//! Which tables the audit log watches, and the SQL triggers that log every insert, content update
//! and delete of them: made by migration 6 for the first tables, and by each later migration for
//! the tables it adds. The entries' seal is the SQL function `audit_seal` (see `audit`).

use std::fmt::Write as _;

use super::super::StoreError;

/// A table of the record whose writes are logged: how its rows are named, and which columns are its
/// content (an update that changes none of them, such as a session's running counters, is not a
/// change of the record).
struct Audited<'a> {
    table: &'static str,
    /// SQL naming the row, with `{row}` standing for NEW or OLD.
    subject: &'static str,
    columns: &'a [&'static str],
}

/// Every table that holds the record. Drafts (text not yet in the record, saved as it is typed) and
/// the search index (rebuilt from the events) are not the record and are not logged.
const AUDITED: &[Audited<'static>] = &[
    Audited {
        table: "clients",
        subject: "'client ' || {row}.id",
        columns: &["id", "code", "display_name", "weight_kg", "created_ms"],
    },
    Audited {
        table: "sessions",
        subject: "'session ' || {row}.id",
        columns: &[
            "id",
            "uuid",
            "client_id",
            "model",
            "route",
            "planned_dose",
            "intention",
            "comfort_plan",
            "status",
            "started_ms",
            "ended_ms",
        ],
    },
    Audited {
        table: "events",
        subject: "'session ' || {row}.session_id || ' entry ' || {row}.seq",
        columns: &[
            "session_id",
            "seq",
            "wall_ms",
            "elapsed_ms",
            "kind",
            "payload",
        ],
    },
    Audited {
        table: "progress_notes",
        subject: "'session ' || {row}.session_id || ' progress note'",
        columns: &["session_id", "note", "saved_ms"],
    },
    Audited {
        table: "private_notes",
        subject: "'session ' || {row}.session_id || ' private note'",
        columns: &["session_id", "text", "saved_ms"],
    },
    Audited {
        table: "settings",
        subject: "'setting ' || {row}.key",
        columns: &["key", "value"],
    },
    Audited {
        table: "signatures",
        subject: "'session ' || {row}.session_id || ' signature'",
        columns: &[
            "session_id",
            "name",
            "credentials",
            "signed_ms",
            "content_sha256",
        ],
    },
    Audited {
        table: "addenda",
        subject: "'session ' || {row}.session_id || ' addendum ' || {row}.id",
        columns: &[
            "id",
            "session_id",
            "name",
            "credentials",
            "written_ms",
            "reason",
            "text",
        ],
    },
];

/// The audit log and its triggers, created by schema migration 6 (after the tables it watches).
pub(in crate::store) fn create_log(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(
        "CREATE TABLE audit_log (
             seq     INTEGER PRIMARY KEY,
             at_ms   INTEGER NOT NULL,
             action  TEXT NOT NULL,
             subject TEXT NOT NULL,
             digest  BLOB NOT NULL,
             mac     BLOB NOT NULL
         );
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'append-only: the audit log is never changed'); END;
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'append-only: the audit log is never changed'); END;",
    )?;
    for audited in AUDITED {
        tx.execute_batch(&triggers_for(audited))?;
    }
    // The first entry records how much of the record there was when the log began.
    tx.execute_batch(&append_sql(
        "start",
        "'audit log started'",
        "audit_digest('start', (SELECT count(*) FROM clients), (SELECT count(*) FROM sessions), \
         (SELECT count(*) FROM events))",
    ))?;
    Ok(())
}

/// Migration 8: the session row's audit triggers, made again to watch its new weight column too.
pub(in crate::store) fn watch_session_weight(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    watch_more_columns(tx, "sessions", &["weight_kg"])
}

/// Migration 18: the same, watching its time zone as well.
pub(in crate::store) fn watch_session_zone(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    watch_more_columns(tx, "sessions", &["weight_kg", "zone"])
}

/// Makes the audit triggers of `table` (one of [`AUDITED`]) again, watching `added` columns beside
/// the ones it had: for a migration that adds columns to the record.
fn watch_more_columns(
    tx: &rusqlite::Transaction<'_>,
    table: &'static str,
    added: &[&'static str],
) -> Result<(), StoreError> {
    let Some(audited) = AUDITED.iter().find(|audited| audited.table == table) else {
        return Err(StoreError::Damaged("the audit log's list of tables"));
    };
    let columns: Vec<&'static str> = audited.columns.iter().chain(added).copied().collect();
    tx.execute_batch(&format!(
        "DROP TRIGGER IF EXISTS audit_{table}_insert; DROP TRIGGER IF EXISTS audit_{table}_update;
         DROP TRIGGER IF EXISTS audit_{table}_delete;"
    ))?;
    tx.execute_batch(&triggers_for(&Audited {
        columns: &columns,
        ..*audited
    }))?;
    Ok(())
}

/// Migration 9: the audit log watches the signing keys (never their secret half: an entry holds a
/// digest of what it names, and that digest must not stand in for a secret) and the seal of each
/// signature.
pub(in crate::store) fn watch_signing_keys(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const SIGNING_KEYS: Audited<'static> = Audited {
        table: "signing_keys",
        subject: "'signing key ' || hex(substr({row}.public_key, 1, 8))",
        columns: &["public_key", "name", "credentials", "added_ms"],
    };
    tx.execute_batch(&triggers_for(&SIGNING_KEYS))?;
    watch_more_columns(tx, "signatures", &["public_key", "seal"])
}

/// Migration 28: the audit log watches the code a signature was made under as well.
pub(in crate::store) fn watch_signed_codes(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    watch_more_columns(tx, "signatures", &["public_key", "seal", "client_code"])
}

/// Migration 10: the audit log watches the controlled-substance log, entry by entry.
pub(in crate::store) fn watch_substance_log(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const SUBSTANCE_LOG: Audited<'static> = Audited {
        table: "substance_log",
        subject: "'controlled-substance log entry ' || {row}.id",
        columns: &[
            "at_ms",
            "lot",
            "substance",
            "movement",
            "micrograms",
            "session_id",
            "witness",
            "note",
            "recorded_by",
        ],
    };
    tx.execute_batch(&triggers_for(&SUBSTANCE_LOG))?;
    Ok(())
}

/// Migration 11: the audit log watches the REMS submissions.
pub(in crate::store) fn watch_rems_submissions(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const REMS_SUBMISSIONS: Audited<'static> = Audited {
        table: "rems_submissions",
        subject: "'session ' || {row}.session_id || ' REMS form submitted'",
        columns: &["session_id", "submitted_ms", "recorded_by"],
    };
    tx.execute_batch(&triggers_for(&REMS_SUBMISSIONS))?;
    Ok(())
}

/// Migration 20: the audit log watches the REMS marks.
pub(in crate::store) fn watch_rems_marks(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    const REMS_MARKS: Audited<'static> = Audited {
        table: "rems_marks",
        subject: "'session ' || {row}.session_id || ' REMS mark ' || {row}.id",
        columns: &[
            "id",
            "session_id",
            "submitted",
            "at_ms",
            "reason",
            "recorded_by",
        ],
    };
    tx.execute_batch(&triggers_for(&REMS_MARKS))?;
    Ok(())
}

/// Migration 17: the audit log watches the journal's marks.
pub(in crate::store) fn watch_journal_marks(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const JOURNAL_MARKS: Audited<'static> = Audited {
        table: "journal_marks",
        subject: "'journal marked ' || {row}.mark",
        columns: &["mark", "at_ms"],
    };
    tx.execute_batch(&triggers_for(&JOURNAL_MARKS))?;
    Ok(())
}

pub(in crate::store) fn watch_consents(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    const TEXTS: Audited<'static> = Audited {
        table: "consent_texts",
        subject: "'consent text version ' || {row}.version",
        columns: &["version", "text", "renew_after_days", "adopted_ms"],
    };
    const RECORDS: Audited<'static> = Audited {
        table: "consent_records",
        subject: "'client ' || {row}.client_id || ' consent to version ' || {row}.version",
        columns: &[
            "client_id",
            "version",
            "given_ms",
            "items",
            "renew_by",
            "recorded_by",
            "withdrawn",
        ],
    };
    tx.execute_batch(&triggers_for(&TEXTS))?;
    tx.execute_batch(&triggers_for(&RECORDS))?;
    Ok(())
}

pub(in crate::store) fn watch_follow_ups(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    const FOLLOW_UPS: Audited<'static> = Audited {
        table: "follow_ups",
        subject: "'session ' || {row}.session_id || ' check-in ' || {row}.kind",
        columns: &[
            "session_id",
            "kind",
            "due_day",
            "done_ms",
            "ebi",
            "phq9",
            "note",
        ],
    };
    tx.execute_batch(&triggers_for(&FOLLOW_UPS))?;
    Ok(())
}

/// The three triggers that log inserts, content updates and deletes of one table.
fn triggers_for(audited: &Audited) -> String {
    let Audited {
        table,
        subject,
        columns,
    } = audited;
    let digest = |row: &str| {
        let values: Vec<String> = columns.iter().map(|c| format!("{row}.{c}")).collect();
        format!("audit_digest('{table}', {})", values.join(", "))
    };
    let changed: Vec<String> = columns
        .iter()
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .collect();
    let mut sql = String::new();
    for (action, row, when) in [
        ("insert", "NEW", String::new()),
        ("update", "NEW", format!("WHEN {}", changed.join(" OR "))),
        ("delete", "OLD", String::new()),
    ] {
        let _ = writeln!(
            sql,
            "CREATE TRIGGER audit_{table}_{action} AFTER {} ON {table} {when} BEGIN {} END;",
            action.to_uppercase(),
            append_sql(action, &subject.replace("{row}", row), &digest(row)),
        );
    }
    sql
}

/// One statement appending an entry: the next sequence number, now, and the seal chained to the
/// last entry (or to the genesis value).
fn append_sql(action: &str, subject: &str, digest: &str) -> String {
    format!(
        "INSERT INTO audit_log (seq, at_ms, action, subject, digest, mac)
         SELECT head.seq, head.now, '{action}', head.subject, head.digest,
                audit_seal(head.previous, head.seq, head.now, '{action}', head.subject, head.digest)
         FROM (SELECT coalesce(max(seq), 0) + 1 AS seq,
                      coalesce((SELECT mac FROM audit_log ORDER BY seq DESC LIMIT 1), zeroblob(32))
                          AS previous,
                      CAST(unixepoch('subsec') * 1000 AS INTEGER) AS now,
                      {subject} AS subject,
                      {digest} AS digest
               FROM audit_log) AS head;"
    )
}

/// Migration 21: the audit log watches the clients' REMS details (a digest, never the names).
pub(in crate::store) fn watch_rems_patients(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const REMS_PATIENTS: Audited<'static> = Audited {
        table: "rems_patients",
        subject: "'client ' || {row}.client_id || ' REMS details'",
        columns: &["client_id", "details", "saved_ms"],
    };
    tx.execute_batch(&triggers_for(&REMS_PATIENTS))?;
    // Esketamine devices now add up: each session's stored total is worked out again.
    crate::store::record::delivered_total::backfill_route(
        tx,
        crate::domain::Route::IntranasalEsketamine,
    )
}

/// Migration 22: the audit log watches which signatures arrived without a seal.
pub(in crate::store) fn watch_unverified_signatures(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const UNVERIFIED: Audited<'static> = Audited {
        table: "unverified_signatures",
        subject: "'session ' || {row}.session_id || ' unverified signature'",
        columns: &["session_id"],
    };
    tx.execute_batch(&triggers_for(&UNVERIFIED))?;
    Ok(())
}

/// Migration 27: the audit log watches which keys this journal takes as each colleague's.
pub(in crate::store) fn watch_practice_pins(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const PINS: Audited<'static> = Audited {
        table: "practice_pinned_keys",
        subject: "'practice key of ' || {row}.login",
        columns: &["login", "public_key", "pinned_ms", "by_hand"],
    };
    tx.execute_batch(&triggers_for(&PINS))?;
    Ok(())
}

/// Migration 23: the audit log watches which client is which practice client.
pub(in crate::store) fn watch_practice_links(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(), StoreError> {
    const LINKS: Audited<'static> = Audited {
        table: "practice_links",
        subject: "'client ' || {row}.client_id || ' practice link'",
        columns: &["client_id", "practice_code", "linked_ms"],
    };
    tx.execute_batch(&triggers_for(&LINKS))?;
    Ok(())
}
