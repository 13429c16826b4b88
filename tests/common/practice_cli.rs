//! Practice tests' helpers: the binary run with the practice passwords, a practice with its
//! clinicians, demo and hand-made journals joined to it, care teams made explicit, and what a
//! journal or the server holds.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{Duration, TimeZone, Utc};
use kap_journal::domain::{
    Clinician, EventKind, NewClient, NoteFormat, ProgressNote, SessionId, SessionStatus,
    TreatmentModel,
};
use kap_journal::store::{CompleteSession, NewEvent, SessionFilter, Store};
use tempfile::TempDir;

use super::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use super::pg_server::{OWNER, OWNER_PASSWORD, TestServer};

pub const PRIVATE_SENTINEL: &str = "PRIVATE-SENTINEL-a7f3c1";
pub const NAME_SENTINEL: &str = "NAME-SENTINEL-b81e";
pub const PROGRESS_SENTINEL: &str = "PROGRESS-SENTINEL-04d2";

/// Runs `kap-journal` on the journal in `dir` with the practice passwords set.
pub fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", super::PASSPHRASE)
        .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
        .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", OWNER_PASSWORD)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

pub fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A practice on `server` with these clinicians (login, role).
pub fn practice(server: &TestServer, clinicians: &[(&str, &str)]) -> TempDir {
    let admin_dir = tempfile::tempdir().unwrap();
    ok(&cli(
        admin_dir.path(),
        &["practice", "init", &server.url(OWNER)],
    ));
    for (login, role) in clinicians {
        let name = format!("Dr. {login} (synthetic)");
        ok(&cli(
            admin_dir.path(),
            &[
                "practice",
                "add-clinician",
                &server.url(OWNER),
                "--login",
                login,
                "--name",
                &name,
                "--role",
                role,
            ],
        ));
    }
    admin_dir
}

/// Runs `kap-journal` with the owner's password as the URL's (the owner is the practice's first
/// admin).
pub fn owner_cli(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", super::PASSPHRASE)
        .env("KAP_JOURNAL_PRACTICE_PASSWORD", OWNER_PASSWORD)
        .arg("--data-dir")
        .arg(dir.path())
        .args(args)
        .output()
        .unwrap();
    drop(dir);
    output
}

/// The codes of the journal's own clients.
pub fn client_codes(dir: &Path) -> Vec<String> {
    open(dir)
        .record()
        .clients()
        .unwrap()
        .into_iter()
        .map(|client| client.code)
        .collect()
}

/// Care teams made explicit, as a practice does: every client of these journals enrolled once,
/// each journal's login put on its own clients' care teams (by the owner), and each journal
/// linking them.
pub fn share_clients(server: &TestServer, journals: &[(&TempDir, &str)]) {
    let owner = server.url(OWNER);
    let mut enrolled = std::collections::HashSet::new();
    for (dir, login) in journals {
        for code in client_codes(dir.path()) {
            if enrolled.insert(code.clone()) {
                ok(&owner_cli(&["practice", "enrol", &owner, &code]));
            }
            ok(&owner_cli(&["practice", "assign", &owner, &code, login]));
            ok(&cli(dir.path(), &["practice", "link", &code, &code]));
        }
    }
}

/// Links, in the journal in `dir`, every client the practice lets `login` read (a psychiatrist:
/// every enrolled client).
pub fn link_every_enrolled(server: &TestServer, dir: &Path, login: &str) {
    let clients: serde_json::Value = serde_json::from_str(&ok(&cli(
        dir,
        &["practice", "clients", &server.url(login), "--json"],
    )))
    .unwrap();
    for client in clients.as_array().unwrap() {
        let code = client["code"].as_str().unwrap();
        ok(&cli(dir, &["practice", "link", code, code]));
    }
}

/// A demo journal (clients D-0001…) joined to the practice as `login`.
pub fn demo_journal(
    server: &TestServer,
    login: &str,
    seed: u64,
    sessions: u32,
    clients: u32,
) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(&cli(
        dir.path(),
        &[
            "demo",
            "--seed",
            &seed.to_string(),
            "--sessions",
            &sessions.to_string(),
            "--clients",
            &clients.to_string(),
        ],
    ));
    ok(&cli(
        dir.path(),
        &["practice", "connect", &server.url(login)],
    ));
    dir
}

/// A journal with one signed session of client `code`, whose private note, display name and
/// progress note carry the sentinels; joined as `login`.
pub fn hand_made_journal(server: &TestServer, login: &str, code: &str) -> TempDir {
    let mut journal = super::journal();
    let store = &mut journal.store;
    let client = store
        .record_mut()
        .create_client(
            &NewClient {
                code: code.to_owned(),
                display_name: Some(NAME_SENTINEL.to_owned()),
                weight_kg: Some(64.0),
            },
            Utc::now(),
        )
        .unwrap();
    let started = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
    let id = store
        .insert_complete_sessions(&[CompleteSession {
            weight_kg: Some(64.0),
            zone: None,
            new: super::new_session(&client, TreatmentModel::Kap),
            uuid: uuid::Uuid::new_v4(),
            status: SessionStatus::Ended,
            started_at: started,
            ended_at: Some(started + Duration::minutes(90)),
            events: vec![
                NewEvent {
                    wall_time: started + Duration::minutes(5),
                    elapsed_ms: 300_000,
                    kind: EventKind::Note {
                        text: "Settled; eyes closed.".to_owned(),
                    },
                },
                NewEvent {
                    wall_time: started + Duration::minutes(90),
                    elapsed_ms: 5_400_000,
                    kind: EventKind::SessionEnded {
                        note: "Went home with a friend.".to_owned(),
                        discharge: None,
                    },
                },
            ],
        }])
        .unwrap()[0];
    let note = ProgressNote::new(
        NoteFormat::Soap,
        vec![
            PROGRESS_SENTINEL.to_owned(),
            "Calm.".to_owned(),
            "Tolerated.".to_owned(),
            "Integration next week.".to_owned(),
        ],
    )
    .unwrap();
    store
        .record_mut()
        .save_progress_note(id, &note, Utc::now())
        .unwrap();
    store
        .record_mut()
        .save_private_note(id, &format!("Process: {PRIVATE_SENTINEL}"), Utc::now())
        .unwrap();
    store
        .record_mut()
        .sign_session(id, &clinician(login), Utc::now())
        .unwrap();
    let dir = journal.dir;
    drop(journal.store);
    ok(&cli(
        dir.path(),
        &["practice", "connect", &server.url(login)],
    ));
    dir
}

/// The uuids of the colleagues' sessions the journal in `dir` holds as copies, sorted.
pub fn copied_uuids(dir: &Path) -> Vec<String> {
    let mut copied: Vec<String> = open(dir)
        .sharing()
        .practice_copies_held()
        .unwrap()
        .keys()
        .map(ToString::to_string)
        .collect();
    copied.sort();
    copied
}

pub fn clinician(login: &str) -> Clinician {
    Clinician {
        name: format!("Dr. {login} (synthetic)"),
        credentials: "MD".to_owned(),
    }
}

pub fn open(dir: &Path) -> Store {
    Store::open(dir, &super::passphrase()).unwrap()
}

/// (uuid, clinician) of every session `sessions --practice --json` lists.
pub fn practice_sessions(dir: &Path) -> Vec<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&cli(dir, &["sessions", "--practice", "--json"]))).unwrap();
    let store = open(dir);
    let mut listed = Vec::new();
    for model in ["kap", "medical"] {
        for row in json[model].as_array().unwrap() {
            let id = SessionId(row["id"].as_i64().unwrap());
            listed.push((
                store.record().session(id).unwrap().uuid.to_string(),
                row["clinician"].as_str().unwrap().to_owned(),
            ));
        }
    }
    listed
}

/// Uuids of the sessions on the server by `author` (read as the superuser, past row-level security).
pub fn server_sessions(server: &TestServer, author: Option<&str>) -> Vec<String> {
    let mut client = server.superuser();
    client
        .query(
            "SELECT uuid::text FROM kap.sessions WHERE $1::text IS NULL OR author::text = $1 ORDER BY 1",
            &[&author],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

pub fn own_uuids(dir: &Path) -> Vec<String> {
    let store = open(dir);
    let mut uuids: Vec<String> = store
        .record()
        .session_summaries(&SessionFilter {
            own_only: true,
            ..SessionFilter::default()
        })
        .unwrap()
        .iter()
        .filter(|row| row.status != SessionStatus::Live)
        .map(|row| store.record().session(row.id).unwrap().uuid.to_string())
        .collect();
    uuids.sort();
    uuids
}
