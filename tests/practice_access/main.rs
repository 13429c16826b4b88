//! Who may read what in a practice, tried as an attacker would against a real PostgreSQL: a
//! clinician off a client's care team pushing a made-up session under its code, a journal's own
//! D-0001 that is not the practice's, care teams kept by an admin or a psychiatrist as a log, a
//! login taking on another role, an admin naming a group role as a clinician, a key taken from an
//! archive registered by someone else, and two practices on one cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod care_teams;
#[path = "../common/mod.rs"]
mod common;
mod identities;

use std::process::Command;

use common::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use common::pg_server::{OWNER, OWNER_PASSWORD, SUPERUSER, SUPERUSER_PASSWORD, TestServer};
use common::practice_cli::*;

#[test]
fn every_push_and_every_colleagues_fetch_is_in_the_clients_accounting() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 41, 4, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&owner_cli(&[
        "practice",
        "assign",
        &server.url(OWNER),
        "D-0001",
        "n_one",
    ]));
    ok(&cli(t1.path(), &["sync"]));
    let pushed = server_sessions(&server, Some("t_one"));
    assert_eq!(pushed.len(), 4);

    nurse_reads_only_what_it_logged(&server, &pushed[0]);

    // The nurse's journal syncs: every session fetched is logged on the server.
    let n1 = tempfile::tempdir().unwrap();
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));
    ok(&cli(n1.path(), &["practice", "link", "D-0001", "D-0001"]));
    ok(&cli(n1.path(), &["sync"]));
    assert_eq!(copied_uuids(n1.path()), pushed);

    // The author's next sync brings the fetches into D-0001's accounting, beside the pushes.
    ok(&cli(t1.path(), &["sync"]));
    let accounting: Vec<serde_json::Value> = serde_json::from_str::<serde_json::Value>(&ok(&cli(
        t1.path(),
        &["disclosures", "D-0001", "--json"],
    )))
    .unwrap()
    .as_array()
    .unwrap()
    .clone();
    let push_rows: Vec<&serde_json::Value> =
        accounting.iter().filter(|d| d["kind"] == "push").collect();
    assert_eq!(push_rows.len(), 1, "{accounting:?}");
    let mut sent: Vec<String> = push_rows[0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    sent.sort();
    assert_eq!(sent, pushed);
    assert!(
        push_rows[0]["recipient"]
            .as_str()
            .unwrap()
            .contains("as t_one")
    );
    let mut fetched: Vec<String> = accounting
        .iter()
        .filter(|d| d["kind"] == "colleague_fetch")
        .map(|d| {
            assert!(d["recipient"].as_str().unwrap().contains("(n_one)"), "{d}");
            d["sessions"][0].as_str().unwrap().to_owned()
        })
        .collect();
    fetched.sort();
    let mut expected: Vec<String> = pushed.clone();
    expected.push(pushed[0].clone());
    expected.sort();
    assert_eq!(
        fetched, expected,
        "the hand-made fetch and the journal's four"
    );
    // A sync again brings nothing twice.
    ok(&cli(t1.path(), &["sync"]));
    let again: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["disclosures", "D-0001", "--json"]))).unwrap();
    assert_eq!(again.as_array().unwrap().len(), accounting.len());
}

/// The nurse on the team has listed nothing yet: the directory names the sessions, but none is
/// readable until its fetch is logged, even straight from SQL; a fetch logged in another's name
/// or at another time is logged as the nurse's, now, and the log is kept.
fn nurse_reads_only_what_it_logged(server: &TestServer, session: &str) {
    let mut nurse = server.connect("n_one", PASSWORD);
    let (listed, readable, entries): (i64, i64, i64) = {
        let row = nurse
            .query_one(
                "SELECT (SELECT count(*) FROM kap.session_directory),
                        (SELECT count(*) FROM kap.sessions),
                        (SELECT count(*) FROM kap.entries)",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!((listed, readable, entries), (4, 0, 0));
    // A fetch logged in another's name, or with another time, is logged as the nurse's, now.
    nurse
        .execute(
            "INSERT INTO kap.fetches (session_uuid, client_code, author, login, fetched_at)
             VALUES ($1::text::uuid, 'D-0001', 't_one', 't_one', '2020-01-01')",
            &[&session],
        )
        .unwrap();
    let (login, recent): (String, bool) = {
        let row = nurse
            .query_one(
                "SELECT login::text, fetched_at > now() - interval '1 minute' FROM kap.fetches",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!((login.as_str(), recent), ("n_one", true));
    let one: i64 = nurse
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    assert_eq!(one, 1, "what was logged is readable, and only that");
    // The log is kept: no login changes or removes it.
    for sql in [
        "UPDATE kap.fetches SET login = 't_one'",
        "DELETE FROM kap.fetches",
    ] {
        assert!(nurse.execute(sql, &[]).is_err(), "{sql}");
    }
    // Entries have no foreign key to sessions: row-level security is what keeps an entry to a
    // session of its author's, made up or a colleague's.
    for session_uuid in ["gen_random_uuid()", "$1::text::uuid"] {
        let sql = format!(
            "INSERT INTO kap.entries (session_uuid, seq, wall_time, elapsed_ms, kind, payload)
             VALUES ({session_uuid}, 999, now(), 0, 'note', '{{}}')"
        );
        let error = if session_uuid.starts_with('$') {
            nurse.execute(sql.as_str(), &[&session]).unwrap_err()
        } else {
            nurse.execute(sql.as_str(), &[]).unwrap_err()
        };
        let message = error.as_db_error().unwrap().message().to_owned();
        assert!(message.contains("row-level security"), "{message}");
    }
}

/// A colleague's fetch of a session this journal could not read then is taken into its
/// accounting when the journal copies the session later, although newer fetches were taken in
/// before it.
#[test]
fn a_fetch_made_before_this_journal_could_read_the_session_is_taken_in_when_it_copies_it() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("n_two", "nurse"),
            ("p_one", "psychiatrist"),
        ],
    );
    let owner = server.url(OWNER);
    let t1 = demo_journal(&server, "t_one", 43, 6, 2);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    let nurse_journal = |login: &str, code: &str| {
        ok(&owner_cli(&["practice", "assign", &owner, code, login]));
        let dir = tempfile::tempdir().unwrap();
        ok(&cli(
            dir.path(),
            &["practice", "connect", &server.url(login)],
        ));
        ok(&cli(dir.path(), &["practice", "link", code, code]));
        ok(&cli(dir.path(), &["sync"]));
        dir
    };
    // n_two fetches D-0002's sessions; n_one, on D-0001 only, cannot see that.
    let n2 = nurse_journal("n_two", "D-0002");
    let n1 = nurse_journal("n_one", "D-0001");
    // The psychiatrist fetches everything; n_one takes in its fetches of D-0001, numbered after
    // n_two's.
    let p1 = tempfile::tempdir().unwrap();
    ok(&cli(
        p1.path(),
        &["practice", "connect", &server.url("p_one")],
    ));
    link_every_enrolled(&server, p1.path(), "p_one");
    ok(&cli(p1.path(), &["sync"]));
    ok(&cli(n1.path(), &["sync"]));
    let fetches_of = |code: &str| -> Vec<String> {
        let list: serde_json::Value =
            serde_json::from_str(&ok(&cli(n1.path(), &["disclosures", code, "--json"]))).unwrap();
        let mut who: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "colleague_fetch")
            .map(|d| d["recipient"].as_str().unwrap().to_owned())
            .collect();
        who.sort();
        who
    };
    assert!(!fetches_of("D-0001").is_empty());

    // n_one joins D-0002's team and copies its sessions: n_two's earlier fetches come in too.
    ok(&owner_cli(&[
        "practice", "assign", &owner, "D-0002", "n_one",
    ]));
    ok(&cli(n1.path(), &["practice", "link", "D-0002", "D-0002"]));
    ok(&cli(n1.path(), &["sync"]));
    let d2_sessions = copied_uuids(n2.path()).len();
    assert!(d2_sessions > 0);
    let fetched = fetches_of("D-0002");
    let by_n_two = fetched.iter().filter(|who| who.contains("(n_two)")).count();
    let by_p_one = fetched.iter().filter(|who| who.contains("(p_one)")).count();
    assert_eq!(by_n_two, d2_sessions, "{fetched:?}");
    assert_eq!(by_p_one, d2_sessions, "{fetched:?}");
}
