//! An older build's journal made from a new one: each migration undone, newest first.

use super::passphrase;

/// Undoes, newest first, what each migration after schema `version` added, so a test can make the
/// journal in `dir` look as an older build left it and watch the migrations run on it.
/// Older builds kept no commit anchor nor witness, so they go too.
pub fn rewind_schema(dir: &std::path::Path, version: i64) {
    rewind_connection(
        &kap_journal::store::connect_raw(dir, &passphrase()).unwrap(),
        version,
    );
    let _ = std::fs::remove_file(dir.join(kap_journal::store::ANCHOR_FILE_NAME));
    kap_journal::store::forget_witness(dir);
}

/// What each migration added, newest first, as the SQL that takes it away again.
const UNDO: &[(i64, &str)] = &[
    (31, "DROP TABLE full_checks;"),
    (
        30,
        "DROP INDEX sessions_by_model_start; DROP INDEX sessions_by_route;
         DROP INDEX rems_marks_newest;",
    ),
    (
        29,
        "DROP TABLE live_signatures; DROP TABLE live_merged; DROP TABLE live_parts;",
    ),
    (
        28,
        // (Migration 28 makes the signatures' audit triggers again, watching the new column.)
        "DROP TRIGGER audit_signatures_insert; DROP TRIGGER audit_signatures_update;
         DROP TRIGGER audit_signatures_delete;
         ALTER TABLE signatures DROP COLUMN client_code;",
    ),
    (
        27,
        "DROP TRIGGER audit_practice_pinned_keys_insert;
         DROP TRIGGER audit_practice_pinned_keys_update;
         DROP TRIGGER audit_practice_pinned_keys_delete;
         ALTER TABLE practice_pinned_keys DROP COLUMN by_hand;",
    ),
    (26, "DROP TABLE disclosures;"),
    (25, "DROP TABLE practice_pinned_keys;"),
    (24, "DROP TABLE practice_quarantine;"),
    (23, "DROP TABLE practice_links;"),
    (22, "DROP TABLE unverified_signatures;"),
    (21, "DROP TABLE rems_patients;"),
    (20, "DROP TABLE rems_marks;"),
    (
        19,
        "DROP INDEX clients_by_look; ALTER TABLE clients DROP COLUMN look_alike;",
    ),
    (
        18,
        // (The session row's audit triggers go with the column; migration 18 makes them again.)
        "DROP TRIGGER audit_sessions_insert; DROP TRIGGER audit_sessions_update;
         DROP TRIGGER IF EXISTS audit_sessions_delete;
         DROP TRIGGER signed_sessions_update;
         CREATE TRIGGER signed_sessions_update BEFORE UPDATE OF
             id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms,
             ended_ms, event_count, decision_points, deferrals, worked_through, dose_lowered, ended_early,
             session_stopped, weight_kg
         ON sessions
         WHEN OLD.status = 'signed'
         BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
         ALTER TABLE sessions DROP COLUMN zone;",
    ),
    (17, "DROP TABLE journal_marks;"),
    // (Migration 16 only sets entries right; run again, it finds nothing more to do.)
    (16, ""),
    // (Its triggers, the audit log's among them, and its indexes go with the table.)
    (15, "DROP TABLE practice_pushed; DROP TABLE practice_copies;"),
    (14, "DROP TABLE follow_ups;"),
    (13, "ALTER TABLE sessions DROP COLUMN suicide_risk;"),
    (12, "DROP TABLE consent_records; DROP TABLE consent_texts;"),
    (11, "DROP TABLE rems_submissions;"),
    (10, "DROP TABLE substance_log;"),
    (
        9,
        // (The signatures' audit triggers go with their columns; migration 9 makes them again.)
        "DROP TRIGGER IF EXISTS audit_signatures_insert;
         DROP TRIGGER IF EXISTS audit_signatures_update;
         DROP TRIGGER IF EXISTS audit_signatures_delete;
         DROP TABLE signing_keys;
         ALTER TABLE signatures DROP COLUMN public_key;
         ALTER TABLE signatures DROP COLUMN seal;",
    ),
    (
        8,
        // (The session row's audit triggers go with the column; migration 8 makes them again.)
        "DROP TRIGGER IF EXISTS audit_sessions_insert; DROP TRIGGER IF EXISTS audit_sessions_update;
         DROP TRIGGER IF EXISTS audit_sessions_delete;
         DROP TRIGGER signed_sessions_update;
         CREATE TRIGGER signed_sessions_update BEFORE UPDATE OF
             id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms,
             ended_ms, event_count, decision_points, deferrals, worked_through, dose_lowered, ended_early,
             session_stopped
         ON sessions
         WHEN OLD.status = 'signed'
         BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
         ALTER TABLE sessions DROP COLUMN weight_kg;",
    ),
    (
        7,
        "DROP TRIGGER signed_sessions_update;
         CREATE TRIGGER signed_sessions_update BEFORE UPDATE ON sessions
         WHEN OLD.status = 'signed'
         BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;",
    ),
    (
        6,
        "DROP TABLE audit_log; DROP TABLE addenda; DROP TABLE signatures;
         DROP TRIGGER audit_clients_insert;
         DROP TRIGGER audit_clients_update;
         DROP TRIGGER audit_clients_delete;
         DROP TRIGGER IF EXISTS audit_sessions_insert;
         DROP TRIGGER IF EXISTS audit_sessions_update;
         DROP TRIGGER IF EXISTS audit_sessions_delete;
         DROP TRIGGER audit_events_insert;
         DROP TRIGGER audit_events_update;
         DROP TRIGGER audit_events_delete;
         DROP TRIGGER audit_progress_notes_insert;
         DROP TRIGGER audit_progress_notes_update;
         DROP TRIGGER audit_progress_notes_delete;
         DROP TRIGGER audit_private_notes_insert;
         DROP TRIGGER audit_private_notes_update;
         DROP TRIGGER audit_private_notes_delete;
         DROP TRIGGER audit_settings_insert;
         DROP TRIGGER audit_settings_update;
         DROP TRIGGER audit_settings_delete;
         DROP TRIGGER signed_events_insert;
         DROP TRIGGER signed_events_update;
         DROP TRIGGER signed_events_delete;
         DROP TRIGGER signed_sessions_update;
         DROP TRIGGER signed_sessions_delete;
         DROP TRIGGER signing_needs_signature;
         DROP TRIGGER signed_progress_insert;
         DROP TRIGGER signed_progress_update;
         DROP TRIGGER signed_progress_delete;",
    ),
    (5, "DROP TABLE progress_notes; DROP TABLE private_notes;"),
    (4, "DROP TABLE settings;"),
    (
        3,
        "ALTER TABLE sessions DROP COLUMN delivered_mg;
             ALTER TABLE sessions DROP COLUMN delivered_mg_per_kg;",
    ),
    (2, "DROP TABLE event_search;"),
];

fn rewind_connection(conn: &rusqlite::Connection, version: i64) {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        current, UNDO[0].0,
        "a new migration needs its undo step here"
    );
    for (added_in, undo) in UNDO {
        if *added_in > version {
            conn.execute_batch(undo).unwrap();
        }
    }
    conn.pragma_update(None, "user_version", version).unwrap();
}
