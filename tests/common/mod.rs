//! Helpers shared by the integration tests: a fresh journal in a temporary folder, a client and a session.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use kap_journal::domain::{Client, Dose, NewClient, NewSession, Route, TreatmentModel};
use kap_journal::live::{LiveSession, ManualClock};
use kap_journal::store::{Passphrase, Store};
use tempfile::TempDir;

#[cfg(target_os = "linux")]
pub mod kill_points;
pub mod pg_server;
pub mod practice_cli;
mod schema_rewind;
pub mod ui;

mod copy_folder;
// Not every test binary copies a folder.
#[allow(unused_imports)]
pub use copy_folder::copy_folder;

// Each test binary compiles these helpers; not every one rewinds a journal.
#[allow(unused_imports)]
pub use schema_rewind::rewind_schema;

/// The passphrase of every test journal (synthetic, like all test data).
pub const PASSPHRASE: &str = "synthetic test passphrase";

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASSPHRASE.to_owned())
}

/// Runs the built `kap-journal` on the journal in `dir` with the test passphrase, as a user would.
pub fn kap_journal(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", PASSPHRASE)
        // A 24-hour clock whatever this computer's language (a clinic's choice is a setting).
        .env("KAP_JOURNAL_CLOCK", "24")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The pages (0-based, as offsets in the file count them) holding `tables` in the closed journal in
/// `dir`, from SQLite's `dbstat`: where a test damages the record itself rather than the schema,
/// which moves as migrations add to it.
pub fn pages_of(dir: &std::path::Path, tables: &[&str]) -> Vec<u64> {
    let conn = kap_journal::store::connect_raw(dir, &passphrase()).unwrap();
    let mut statement = conn
        .prepare("SELECT name, pageno FROM dbstat ORDER BY pageno")
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .filter(|(name, _)| tables.contains(&name.as_str()))
        .map(|(_, page)| u64::try_from(page - 1).unwrap())
        .collect()
}

/// The golden fixture: one ended KAP session and one live Medical Model session.
pub const FIXTURE: &str = include_str!("../fixtures/two-sessions.json");

/// A journal holding the fixture's two sessions.
pub fn journal_with_fixture() -> Journal {
    let mut journal = journal();
    kap_journal::export::import_archive(
        &mut journal.store,
        FIXTURE.as_bytes(),
        kap_journal::export::OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    journal
}

/// A journal in a folder that is removed when the test ends.
pub struct Journal {
    pub dir: TempDir,
    pub store: Store,
    pub clock: Arc<ManualClock>,
}

pub fn journal() -> Journal {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &passphrase()).unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
    ));
    Journal { dir, store, clock }
}

pub fn client(store: &mut Store, code: &str) -> Client {
    let new = NewClient {
        code: code.to_owned(),
        display_name: None,
        weight_kg: Some(70.0),
    };
    store.record_mut().create_client(&new, Utc::now()).unwrap()
}

/// An ended session of `code` started at `started` (UTC) with one note five minutes in.
pub fn ended_session(
    store: &mut Store,
    code: &str,
    route: kap_journal::domain::Route,
    started: chrono::DateTime<chrono::Utc>,
) -> kap_journal::domain::SessionId {
    let client = client(store, code);
    let mut new = new_session(&client, TreatmentModel::Kap);
    if route == kap_journal::domain::Route::IntranasalEsketamine {
        new.route = route;
        new.planned_dose = kap_journal::domain::Dose::parse("56 mg").unwrap();
    }
    let session = store.record_mut().start_session(&new, started).unwrap();
    let minutes = |n: i64| started + chrono::Duration::minutes(n);
    store
        .record_mut()
        .append_events(
            session.id,
            kap_journal::domain::Seq(1),
            &[kap_journal::store::NewEvent {
                wall_time: minutes(5),
                elapsed_ms: 300_000,
                kind: kap_journal::domain::EventKind::Note {
                    text: "Breathing slowly.".into(),
                },
            }],
        )
        .unwrap();
    store
        .end_session(
            session.id,
            kap_journal::domain::Seq(2),
            &[kap_journal::store::NewEvent {
                wall_time: minutes(130),
                elapsed_ms: 130 * 60_000,
                kind: kap_journal::domain::EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            }],
        )
        .unwrap();
    session.id
}

pub fn new_session(client: &Client, model: TreatmentModel) -> NewSession {
    NewSession {
        client_id: client.id,
        model,
        route: Route::IvInfusion,
        planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
        intention: "Stay with what comes up.".to_owned(),
        comfort_plan: "Hand on shoulder if asked.".to_owned(),
    }
}

/// Summaries in UTC with a synthetic clinician, so exports read the same on every machine.
pub fn summary_context() -> kap_journal::export::SummaryContext {
    kap_journal::export::SummaryContext {
        zone: kap_journal::domain::ClinicZone::UTC,
        clinician: Some("Dr. R. Example, MD (synthetic)".to_owned()),
        clinic: None,
        contact: kap_journal::domain::RemsContact::default(),
        thresholds: kap_journal::domain::Thresholds::default(),
        style: kap_journal::domain::DateTimeStyle::ISO,
    }
}

/// A live session for a new client, on the journal's manual clock.
pub fn live_session(journal: &mut Journal, model: TreatmentModel) -> LiveSession {
    let client = client(&mut journal.store, "C-0001");
    let clock: Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    LiveSession::start(&mut journal.store, clock, &new_session(&client, model)).unwrap()
}

/// Every file in `dir` with its bytes, sorted by name: what "nothing was written" compares.
/// Files in folders inside it (the backups) are named by their path from `dir`. SQLite's index of
/// the write-ahead log (`-shm`) and an empty log are left out: any reader makes them beside the
/// journal, as SQLite does, and they hold nothing of the record.
pub fn folder_snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let empty = entry.metadata().is_ok_and(|meta| meta.len() == 0);
        if name.ends_with("-shm") || (name.ends_with("-wal") && empty) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            for (inner, bytes) in folder_snapshot(&entry.path()) {
                files.push((format!("{name}/{inner}"), bytes));
            }
        } else {
            files.push((name, std::fs::read(entry.path()).unwrap()));
        }
    }
    files.sort();
    files
}

/// A refusal reads as one plain sentence that says `contains`.
pub fn assert_one_sentence(message: &str, contains: &str) {
    assert!(message.contains(contains), "{message}");
    assert!(
        message.ends_with('.') && !message.contains('\n'),
        "one sentence: {message}"
    );
    assert_eq!(message.matches(". ").count(), 0, "one sentence: {message}");
}

/// `text` as UTF-16 (little-endian) bytes, the other encoding SQLite may store text in.
pub fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Names of the files in `dir` that hold `needle` as UTF-8 or UTF-16 bytes.
pub fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    folder_snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| {
            bytes
                .windows(needle.len())
                .any(|window| window == needle.as_bytes())
                || bytes.windows(utf16.len()).any(|window| window == utf16)
        })
        .map(|(name, _)| name)
        .collect()
}

/// Writes the journal in `dir` back as an unencrypted file, as a version before encryption left it,
/// using SQLCipher's documented way out (export into an attached database with an empty key).
pub fn decrypt_in_place(dir: &std::path::Path) {
    let plain_path = dir.join("plain.db");
    {
        let conn = kap_journal::store::connect_raw(dir, &passphrase()).unwrap();
        conn.execute(
            "ATTACH DATABASE ?1 AS plaintext KEY ''",
            [plain_path.to_str().unwrap()],
        )
        .unwrap();
        conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
            .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA main.user_version", [], |row| row.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "PRAGMA plaintext.user_version = {version}; DETACH DATABASE plaintext;"
        ))
        .unwrap();
    }
    std::fs::remove_file(dir.join(kap_journal::store::KEY_FILE_NAME)).unwrap();
    std::fs::rename(&plain_path, dir.join(kap_journal::store::DB_FILE_NAME)).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ =
            std::fs::remove_file(dir.join(format!("{}{suffix}", kap_journal::store::DB_FILE_NAME)));
    }
}

/// The texts of a session's notes, in order.
pub fn notes(store: &Store, session: kap_journal::domain::SessionId) -> Vec<String> {
    store
        .record()
        .events(session)
        .unwrap()
        .into_iter()
        .filter_map(|event| match event.kind {
            kap_journal::domain::EventKind::Note { text } => Some(text),
            _ => None,
        })
        .collect()
}

/// The published archive schema (docs/archive.schema.json), compiled once per test binary.
pub fn archive_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/archive.schema.json"),
        )
        .unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// Fails with every place the archive `text` breaks the published schema.
pub fn assert_archive_matches_schema(text: &str) {
    let archive: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = archive_validator()
        .iter_errors(&archive)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "the archive breaks docs/archive.schema.json:\n{}",
        errors.join("\n")
    );
}
