//! A practice that synced under the old rules (the schema of 2026-12-01, kept as a fixture: group
//! roles shared by the cluster, care teams joined by pushing a session) moves to explicit care
//! teams with `practice upgrade`, keeping every record; journals then link and sync as ever.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use common::pg_server::{OWNER, OWNER_PASSWORD, TestServer};
use common::practice_cli::*;
use kap_journal::domain::{Dose, EventKind, Route};

const OLD_SCHEMA: &str = include_str!("fixtures/practice-schema-2026-12-01.sql");
/// Explicit care teams, before the log of colleagues' fetches.
const CARE_TEAM_SCHEMA: &str = include_str!("fixtures/practice-schema-2026-12-07.sql");

/// A login made as the old `practice add-clinician` made it.
fn old_login(owner: &mut postgres::Client, login: &str, role: &str) {
    owner
        .batch_execute(&format!(
            "CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}' IN ROLE kap_{role};
             INSERT INTO kap.clinicians (login, name, role) VALUES ('{login}', 'Dr. {login} (synthetic)', '{role}');"
        ))
        .unwrap();
}

/// An ended session of `code` pushed by `login` as an old journal did; its uuid.
fn old_push(server: &TestServer, login: &str, code: &str, day: u32) -> uuid::Uuid {
    let mut client = server.connect(login, PASSWORD);
    let uuid = uuid::Uuid::new_v4();
    let started = Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap();
    let ended = started + Duration::minutes(60);
    client
        .execute(
            "INSERT INTO kap.sessions (uuid, client_code, model, route, planned_dose, intention,
                 comfort_plan, started_at, ended_at, weight_kg)
             VALUES ($1, $2, 'kap', $3, $4, 'Rest (synthetic).', 'Hand on shoulder.', $5, $6, 70)",
            &[
                &uuid,
                &code,
                &Route::IvInfusion.as_str(),
                &serde_json::to_value(Dose::parse("0.5 mg/kg").unwrap()).unwrap(),
                &started,
                &ended,
            ],
        )
        .unwrap();
    for (seq, minutes, kind) in [
        (
            1,
            5,
            EventKind::Note {
                text: "Settled (synthetic).".to_owned(),
            },
        ),
        (
            2,
            60,
            EventKind::SessionEnded {
                note: "Went home with a friend.".to_owned(),
                discharge: None,
            },
        ),
    ] {
        client
            .execute(
                "INSERT INTO kap.entries (session_uuid, seq, wall_time, elapsed_ms, kind, payload)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &uuid,
                    &seq,
                    &(started + Duration::minutes(minutes)),
                    &(minutes * 60_000),
                    &kind.as_str(),
                    &serde_json::to_value(&kind).unwrap(),
                ],
            )
            .unwrap();
    }
    uuid
}

#[test]
fn a_practice_from_before_care_teams_upgrades_keeping_every_record() {
    let server = TestServer::start();
    let mut owner = server.connect(OWNER, OWNER_PASSWORD);
    owner.batch_execute(OLD_SCHEMA).unwrap();
    for (login, role) in [
        ("t_one", "therapist"),
        ("n_one", "nurse"),
        ("t_two", "therapist"),
    ] {
        old_login(&mut owner, login, role);
    }
    drop(owner);
    let by_t_one = old_push(&server, "t_one", "D-0001", 20);
    old_push(&server, "n_one", "D-0001", 21);
    old_push(&server, "t_two", "D-0002", 22);

    // This build does not sync with such a server: it says what to do.
    let n1 = demo_journal_unconnected(7);
    let said = cli(n1.path(), &["practice", "connect", &server.url("n_one")]);
    assert!(!said.status.success());
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("its owner upgrades it first"),
        "{said:?}"
    );

    let owner_url = server.url(OWNER);
    let upgraded = ok(&cli(n1.path(), &["practice", "upgrade", &owner_url]));
    assert!(
        upgraded.contains("2 clients enrolled") && upgraded.contains("3 care-team assignments"),
        "{upgraded}"
    );
    let again = cli(n1.path(), &["practice", "upgrade", &owner_url]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("nothing to upgrade"),
        "{again:?}"
    );
    assert_eq!(
        server_sessions(&server, None).len(),
        3,
        "every session kept"
    );

    // The nurse, on D-0001's team from before, links it and receives the therapist's session.
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));
    ok(&cli(n1.path(), &["practice", "link", "D-0001", "D-0001"]));
    ok(&cli(n1.path(), &["sync"]));
    assert_eq!(copied_uuids(n1.path()), [by_t_one.to_string()]);
    // The other therapist was never on D-0001's team, and is not now.
    let t2 = demo_journal_unconnected(8);
    ok(&cli(
        t2.path(),
        &["practice", "connect", &server.url("t_two")],
    ));
    let refused = cli(t2.path(), &["practice", "link", "D-0001", "D-0001"]);
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not on the care team"),
        "{refused:?}"
    );
    // The old rules are gone: no care team joined by pushing, no privilege for the shared roles.
    let mut superuser = server.superuser();
    let left: (bool, bool) = {
        let row = superuser
            .query_one(
                "SELECT to_regclass('kap.care_team') IS NULL,
                        NOT has_table_privilege('kap_clinician', 'kap.sessions', 'SELECT')",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(left, (true, true));
}

#[test]
fn a_practice_with_care_teams_gains_the_fetch_log_keeping_every_record() {
    let server = TestServer::start();
    let mut owner = server.connect(OWNER, OWNER_PASSWORD);
    owner.batch_execute(CARE_TEAM_SCHEMA).unwrap();
    let prefix: String = owner
        .query_one("SELECT roles FROM kap.practice", &[])
        .unwrap()
        .get(0);
    for (login, role) in [("t_one", "therapist"), ("n_one", "nurse")] {
        owner
            .batch_execute(&format!(
                "CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}';
                 GRANT {prefix}{role} TO {login};
                 INSERT INTO kap.clinicians (login, name, role) VALUES ('{login}', 'Dr. {login} (synthetic)', '{role}');"
            ))
            .unwrap();
    }
    owner
        .batch_execute(
            "INSERT INTO kap.clients (code) VALUES ('D-0001');
             INSERT INTO kap.care_assignments (client_code, login, action)
             VALUES ('D-0001', 't_one', 'assign'), ('D-0001', 'n_one', 'assign');",
        )
        .unwrap();
    drop(owner);
    let pushed = old_push(&server, "t_one", "D-0001", 20);

    // This build reads sessions only through the log: it says what to do.
    let n1 = demo_journal_unconnected(9);
    let said = cli(n1.path(), &["practice", "connect", &server.url("n_one")]);
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("before it logged who fetches"),
        "{said:?}"
    );
    let owner_url = server.url(OWNER);
    ok(&cli(n1.path(), &["practice", "upgrade", &owner_url]));
    let again = cli(n1.path(), &["practice", "upgrade", &owner_url]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("nothing to upgrade"),
        "{again:?}"
    );
    assert_eq!(server_sessions(&server, None), [pushed.to_string()]);
    // Its row checks are a new practice's.
    let fresh = TestServer::start();
    fresh.init_practice();
    assert_eq!(row_checks(&server), row_checks(&fresh));

    // The session is in the directory; the nurse reads it only once a fetch is logged.
    let mut nurse = server.connect("n_one", PASSWORD);
    let (listed, readable): (i64, i64) = {
        let row = nurse
            .query_one(
                "SELECT (SELECT count(*) FROM kap.session_directory),
                        (SELECT count(*) FROM kap.sessions)",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!((listed, readable), (1, 0));
    drop(nurse);
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));
    ok(&cli(n1.path(), &["practice", "link", "D-0001", "D-0001"]));
    // Pushed by hand, unsealed: fetched, logged, and refused.
    let synced = cli(n1.path(), &["sync"]);
    assert!(
        String::from_utf8_lossy(&synced.stdout).contains("so it was not copied"),
        "{synced:?}"
    );
    let logged: Vec<(String, String)> = server
        .superuser()
        .query(
            "SELECT session_uuid::text, login::text FROM kap.fetches",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(logged, [(pushed.to_string(), "n_one".to_owned())]);
}

/// The constraints of the tables a sync fills, as PostgreSQL prints them.
fn row_checks(server: &TestServer) -> Vec<(String, String)> {
    server
        .superuser()
        .query(
            "SELECT rel.relname::text, pg_get_constraintdef(con.oid)
             FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
             WHERE rel.relnamespace = 'kap'::regnamespace
               AND rel.relname IN ('sessions', 'entries', 'signatures', 'addenda', 'check_ins')
             ORDER BY 1, 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// A demo journal not yet joined to any practice.
fn demo_journal_unconnected(seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(&cli(
        dir.path(),
        &[
            "demo",
            "--seed",
            &seed.to_string(),
            "--sessions",
            "3",
            "--clients",
            "1",
        ],
    ));
    dir
}
