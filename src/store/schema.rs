//! The schema, versioned by `PRAGMA user_version`. Each migration runs in one transaction.

use rusqlite::{Connection, Transaction};

use super::StoreError;

/// Rust that runs after a migration's SQL, for what SQL cannot compute (e.g. parsing stored JSON).
type MigrationCode = fn(&Transaction<'_>) -> Result<(), StoreError>;

/// One schema step: SQL, then (optionally) code, in the same transaction.
struct Migration {
    sql: &'static str,
    then: Option<MigrationCode>,
}

/// Migrations in order; the journal's schema version is how many of them have run.
const MIGRATIONS: &[Migration] = &[
    // 1: clients, sessions with denormalised counters for fast lists, events, drafts.
    Migration {
        sql: r"
    CREATE TABLE clients (
        id            INTEGER PRIMARY KEY,
        code          TEXT NOT NULL UNIQUE,
        display_name  TEXT,
        weight_kg     REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
        created_ms    INTEGER NOT NULL
    );
    CREATE TABLE sessions (
        id               INTEGER PRIMARY KEY,
        uuid             TEXT NOT NULL UNIQUE,
        client_id        INTEGER NOT NULL REFERENCES clients(id),
        model            TEXT NOT NULL CHECK (model IN ('medical', 'kap')),
        route            TEXT NOT NULL,
        planned_dose     TEXT NOT NULL,
        intention        TEXT NOT NULL DEFAULT '',
        comfort_plan     TEXT NOT NULL DEFAULT '',
        status           TEXT NOT NULL CHECK (status IN ('live', 'ended', 'signed')),
        started_ms       INTEGER NOT NULL,
        ended_ms         INTEGER,
        event_count      INTEGER NOT NULL DEFAULT 0,
        decision_points  INTEGER NOT NULL DEFAULT 0,
        deferrals        INTEGER NOT NULL DEFAULT 0,
        worked_through   INTEGER NOT NULL DEFAULT 0,
        dose_lowered     INTEGER NOT NULL DEFAULT 0,
        ended_early      INTEGER NOT NULL DEFAULT 0,
        session_stopped  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_by_start ON sessions (started_ms DESC);
    CREATE INDEX sessions_by_client ON sessions (client_id, started_ms DESC);
    CREATE INDEX sessions_live ON sessions (status) WHERE status = 'live';
    CREATE TABLE events (
        session_id  INTEGER NOT NULL REFERENCES sessions(id),
        seq         INTEGER NOT NULL CHECK (seq > 0),
        wall_ms     INTEGER NOT NULL,
        elapsed_ms  INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        payload     TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE drafts (
        session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
        text        TEXT NOT NULL,
        saved_ms    INTEGER NOT NULL
    );
    ",
        then: None,
    },
    // 2: full-text search over what clinicians wrote, filled from the events already stored.
    Migration {
        sql: super::search::CREATE_SEARCH_INDEX,
        then: Some(super::search::rebuild_index),
    },
    // 3: the delivered total of each ended session, for the browser's "Total dose" column (worked
    // out by migration 8's code, which reads the weight column it adds).
    Migration {
        sql: r"
    ALTER TABLE sessions ADD COLUMN delivered_mg REAL;
    ALTER TABLE sessions ADD COLUMN delivered_mg_per_kg REAL;
    ",
        then: None,
    },
    // 4: the clinic's settings (vitals schedule and thresholds), one JSON value per key.
    Migration {
        sql: r"
    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    ",
        then: None,
    },
    // 5: the progress note (SOAP, DAP or BIRP) and, apart from it, the private psychotherapy note.
    // Neither is a timeline entry: both are edited after the session, and the private note is kept
    // out of search, lists and exports.
    Migration {
        sql: r"
    CREATE TABLE progress_notes (
        session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
        note        TEXT NOT NULL,
        saved_ms    INTEGER NOT NULL
    );
    CREATE TABLE private_notes (
        session_id  INTEGER PRIMARY KEY REFERENCES sessions(id),
        text        TEXT NOT NULL,
        saved_ms    INTEGER NOT NULL
    );
    ",
        then: None,
    },
    // 6: signatures and addenda, the triggers that keep a signed session unchanged, and the audit
    // log with the triggers that append to it (see store::audit).
    Migration {
        sql: crate::store::record::signing::CREATE_SIGNING,
        then: Some(crate::store::record::signing::create_guards_and_log),
    },
    // 7: an infusion's dose is a rate (domain::administration): every stored total is worked out
    // again with that meaning. The totals are a cache beside the record, not the record, so the
    // guard of a signed session's row now lets those two columns alone be rewritten. (The totals
    // are worked out by migration 8's code, which reads the weight column it adds.)
    Migration {
        sql: r"
    DROP TRIGGER signed_sessions_update;
    CREATE TRIGGER signed_sessions_update BEFORE UPDATE OF
        id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms,
        ended_ms, event_count, decision_points, deferrals, worked_through, dose_lowered, ended_early,
        session_stopped
    ON sessions
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    ",
        then: None,
    },
    // 8: the weight a session was dosed by is kept with it, so neither a later weighing nor an
    // import into a journal that knows the client at another weight changes what it delivered.
    // Sessions from before get their client's weight as it is now (the best there is). The column
    // joins what a signed session's guard and the audit log watch.
    Migration {
        sql: r"
    ALTER TABLE sessions ADD COLUMN weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg > 0);
    UPDATE sessions SET weight_kg = (SELECT weight_kg FROM clients WHERE clients.id = sessions.client_id);
    DROP TRIGGER signed_sessions_update;
    CREATE TRIGGER signed_sessions_update BEFORE UPDATE OF
        id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms,
        ended_ms, event_count, decision_points, deferrals, worked_through, dose_lowered, ended_early,
        session_stopped, weight_kg
    ON sessions
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    ",
        then: Some(session_weight_and_totals),
    },
    // 9: keyed signatures (store::signing_key): the clinicians' Ed25519 keys and each signature's
    // seal, both watched by the audit log.
    Migration {
        sql: crate::store::record::signing_key::CREATE_SIGNING_KEYS,
        then: Some(crate::store::record::audit_watch::watch_signing_keys),
    },
    // 10: the controlled-substance log (store::substance_log): append-only, watched by the audit log.
    Migration {
        sql: crate::store::registers::substance_log::CREATE_SUBSTANCE_LOG,
        then: Some(crate::store::record::audit_watch::watch_substance_log),
    },
    // 11: which REMS monitoring forms were submitted (store::rems_submissions), audited.
    Migration {
        sql: crate::store::registers::rems_submissions::CREATE_REMS_SUBMISSIONS,
        then: Some(crate::store::record::audit_watch::watch_rems_submissions),
    },
    // 12: the clinic's consent texts and each client's consents (store::consents), audited.
    Migration {
        sql: crate::store::registers::consents::CREATE_CONSENTS,
        then: Some(crate::store::record::audit_watch::watch_consents),
    },
    // 13: how many entries of a session call for a safety plan (a positive suicide risk screen,
    // PHQ-9 item 9 above zero), so lists mark those sessions without reading their timelines. A
    // cache beside the record, like the delivered totals: worked out for the sessions already
    // there, and not guarded on signed sessions (the entries it counts are).
    Migration {
        sql: "ALTER TABLE sessions ADD COLUMN suicide_risk INTEGER NOT NULL DEFAULT 0;",
        then: Some(count_suicide_risk),
    },
    // 14: integration check-ins planned when a session ends (store::follow_ups), audited.
    Migration {
        sql: crate::store::registers::follow_ups::CREATE_FOLLOW_UPS,
        then: Some(crate::store::record::audit_watch::watch_follow_ups),
    },
    // 15: practice sync (store::practice): what went to the practice server, and which sessions
    // are read-only copies of a colleague's.
    Migration {
        sql: crate::store::sharing::practice::CREATE_PRACTICE,
        then: None,
    },
    // 16: a "sit with it" or a lowering decided past a soft stop named the entry one place off
    // (store::link_repair); unsigned own sessions are set right, audited.
    Migration {
        sql: "",
        then: Some(crate::store::record::link_repair::repair_deferral_links),
    },
    // 17: a journal made for synthetic data is marked so for good (store::synthetic), audited.
    Migration {
        sql: crate::store::record::synthetic::CREATE_JOURNAL_MARKS,
        then: Some(crate::store::record::audit_watch::watch_journal_marks),
    },
    // 18: the clinic's IANA time zone kept with each session (its times of day are read there),
    // watched by the audit log and by a signed session's guard. Sessions from before have none.
    Migration {
        sql: r"
    ALTER TABLE sessions ADD COLUMN zone TEXT;
    DROP TRIGGER signed_sessions_update;
    CREATE TRIGGER signed_sessions_update BEFORE UPDATE OF
        id, uuid, client_id, model, route, planned_dose, intention, comfort_plan, status, started_ms,
        ended_ms, event_count, decision_points, deferrals, worked_through, dose_lowered, ended_early,
        session_stopped, weight_kg, zone
    ON sessions
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed session: its record no longer changes'); END;
    ",
        then: Some(crate::store::record::audit_watch::watch_session_zone),
    },
    // 19: each client code's look (its confusable skeleton), so two codes that read the same are
    // never two clients (store::clients).
    Migration {
        sql: crate::store::record::clients::ADD_LOOK_ALIKE,
        then: Some(crate::store::record::clients::fill_look_alike),
    },
    // 20: REMS marks as a log (store::rems_submissions): a mark made in error is withdrawn by a
    // later, audited mark, never changed.
    Migration {
        sql: crate::store::registers::rems_submissions::CREATE_REMS_MARKS,
        then: Some(crate::store::record::audit_watch::watch_rems_marks),
    },
    // 21: the clients' REMS details (store::rems_patients), audited; and esketamine totals worked
    // out again now that devices add up.
    Migration {
        sql: crate::store::registers::rems_patients::CREATE_REMS_PATIENTS,
        then: Some(crate::store::record::audit_watch::watch_rems_patients),
    },
    // 22: signatures imported without a seal, kept and marked unverified (store::unverified),
    // audited.
    Migration {
        sql: crate::store::record::unverified::CREATE_UNVERIFIED_SIGNATURES,
        then: Some(crate::store::record::audit_watch::watch_unverified_signatures),
    },
    // 23: which of this journal's clients is which practice client (store::practice_links),
    // audited.
    Migration {
        sql: crate::store::sharing::practice_links::CREATE_PRACTICE_LINKS,
        then: Some(crate::store::record::audit_watch::watch_practice_links),
    },
    // 24: colleagues' sessions a pull refused (store::practice_quarantine).
    Migration {
        sql: crate::store::sharing::practice_quarantine::CREATE_PRACTICE_QUARANTINE,
        then: None,
    },
    // 25: the keys this journal first saw as each colleague's (store::practice_pins); a member
    // journal without a key of its own gets one, to seal what it sends.
    Migration {
        sql: crate::store::sharing::practice_pins::CREATE_PRACTICE_PINS,
        then: Some(crate::store::sharing::practice_pins::key_for_a_member),
    },
    // 26: the accounting of disclosures (store::disclosures), append-only; it is its own log.
    Migration {
        sql: crate::store::registers::disclosures::CREATE_DISCLOSURES,
        then: None,
    },
    // 27: a colleague's key trusted by hand, after comparing its fingerprint with them
    // (store::practice_pins); every pin audited.
    Migration {
        sql: crate::store::sharing::practice_pins::TRUSTED_BY_HAND,
        then: Some(crate::store::record::audit_watch::watch_practice_pins),
    },
    // 28: a signature keeps the client's code it was made under when that is not the code of the
    // client it is filed under here (store::signing), audited.
    Migration {
        sql: r"
    ALTER TABLE signatures ADD COLUMN client_code TEXT
        CHECK (client_code IS NULL OR length(client_code) BETWEEN 1 AND 64);",
        then: Some(crate::store::record::audit_watch::watch_signed_codes),
    },
    // 29: this journal's parts of colleagues' live sessions, the merged timelines of the live
    // sessions it was in (store::co_sessions) and their signatures (store::co_signatures), all
    // append-only.
    Migration {
        sql: crate::store::sharing::co_sessions::CREATE_CO_SESSIONS,
        then: Some(crate::store::sharing::co_signatures::create),
    },
    // 30: indexes for what the window shows first at 100,000 sessions: each model's newest
    // sessions and counts (the home lists), and the esketamine sessions whose REMS form may be due
    // with each one's newest mark, read from the indexes alone (the session rows are wide).
    Migration {
        sql: r"
    CREATE INDEX sessions_by_model_start ON sessions (model, started_ms DESC, id DESC);
    CREATE INDEX sessions_by_route ON sessions (route, started_ms, id, client_id, ended_ms, zone);
    CREATE INDEX rems_marks_newest ON rems_marks (session_id, id, submitted);",
        then: None,
    },
    // 31: the full checks that found nothing (store::integrity): a large journal's start-up check
    // then reads only what changed since the last one.
    Migration {
        sql: crate::store::files::integrity::CREATE_FULL_CHECKS,
        then: None,
    },
];

/// Migration 13's code: counts, for each session with a questionnaire, the entries that call for
/// a safety plan (older journals have no screens, but PHQ-9 item 9 was always recorded).
fn count_suicide_risk(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> = tx
        .prepare(
            "SELECT session_id, payload FROM events WHERE kind IN ('measure', 'suicide_screen')",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update =
        tx.prepare("UPDATE sessions SET suicide_risk = suicide_risk + 1 WHERE id = ?1")?;
    for (session, payload) in rows {
        let kind: crate::domain::EventKind =
            serde_json::from_str(&payload).map_err(|_| StoreError::Damaged("an entry"))?;
        if crate::domain::calls_for_safety_plan(&kind) {
            update.execute([session])?;
        }
    }
    Ok(())
}

/// Migration 8's code: the audit log watches the new column, and every stored total is worked out
/// with the session's own weight (for a journal from before 7, with an infusion as a rate; from
/// before 3, for the first time).
fn session_weight_and_totals(tx: &Transaction<'_>) -> Result<(), StoreError> {
    crate::store::record::audit_watch::watch_session_weight(tx)?;
    crate::store::record::delivered_total::backfill(tx)
}

/// The schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the schema up to date; refuses a journal from a newer build rather than guess at it.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = user_version(conn)?;
    if found > current_version() {
        return Err(StoreError::NewerSchema {
            found,
            supported: current_version(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sql)?;
        if let Some(then) = migration.then {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A read-only connection cannot migrate; it reads only a schema it knows.
pub fn check_readable(conn: &Connection) -> Result<(), StoreError> {
    let found = user_version(conn)?;
    if found > current_version() {
        return Err(StoreError::NewerSchema {
            found,
            supported: current_version(),
        });
    }
    if found < current_version() {
        return Err(StoreError::ReadOnly);
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}
