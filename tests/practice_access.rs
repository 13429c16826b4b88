//! Who may read what in a practice, tried as an attacker would against a real PostgreSQL: a
//! clinician off a client's care team pushing a made-up session under its code, a journal's own
//! D-0001 that is not the practice's, care teams kept by an admin or a psychiatrist as a log, a
//! login taking on another role, an admin naming a group role as a clinician, a key taken from an
//! archive registered by someone else, and two practices on one cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use common::pg_server::{OWNER, OWNER_PASSWORD, SUPERUSER, SUPERUSER_PASSWORD, TestServer};
use common::practice_cli::*;

/// The sentence a refused command printed, on its one line.
fn refusal(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(said.lines().count(), 1, "{said}");
    said
}

#[test]
fn a_clinician_off_the_care_team_gets_nothing_by_pushing_a_made_up_session() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("t_two", "therapist"),
        ],
    );
    let t1 = demo_journal(&server, "t_one", 1, 16, 2);
    let n1 = demo_journal(&server, "n_one", 2, 6, 2);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    for dir in [&t1, &n1] {
        ok(&cli(dir.path(), &["sync"]));
    }
    let shared = server_sessions(&server, None);
    assert!(!shared.is_empty());

    // The attacker makes up a session of D-0002 (a colleague's client) and tries to join its care
    // team by linking it: the server says no.
    let t2 = hand_made_journal(&server, "t_two", "D-0002");
    let said = refusal(&cli(t2.path(), &["practice", "link", "D-0002", "D-0002"]));
    assert!(said.contains("not on the care team"), "{said}");
    // Its sync sends nothing and receives nothing, and says why.
    let report: serde_json::Value =
        serde_json::from_str(&ok(&cli(t2.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(report["pushed"]["sessions"], 0, "{report}");
    assert_eq!(report["pulled"]["sessions"], 0, "{report}");
    assert_eq!(
        report["not_linked"].as_array().unwrap().len(),
        own_uuids(t2.path()).len(),
        "{report}"
    );
    assert!(copied_uuids(t2.path()).is_empty());
    assert!(server_sessions(&server, Some("t_two")).is_empty());

    // Nor can it be done past the journal: row-level security refuses the insert outright.
    let mut direct = server.connect("t_two", PASSWORD);
    let error = direct
        .execute(
            "INSERT INTO kap.sessions (uuid, client_code, model, route, planned_dose, intention,
                 comfort_plan, started_at, ended_at)
             VALUES (gen_random_uuid(), 'D-0002', 'kap', 'iv_infusion', '{}', '', '', now(), now())",
            &[],
        )
        .unwrap_err();
    let message = error.as_db_error().unwrap().message().to_owned();
    assert!(message.contains("row-level security"), "{message}");
    let seen: i64 = direct
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 0, "t_two reads no session of a team it is not on");
    assert_eq!(server_sessions(&server, None), shared, "nothing was added");
}

#[test]
fn a_journals_own_d_0001_is_not_the_practices_until_linked() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("t_two", "therapist")]);
    let t1 = demo_journal(&server, "t_one", 3, 12, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    // Another therapist, put on D-0001's team, with a demo journal whose own D-0001 is someone else.
    let owner = server.url(OWNER);
    ok(&owner_cli(&[
        "practice", "assign", &owner, "D-0001", "t_two",
    ]));
    let t2 = demo_journal(&server, "t_two", 4, 5, 1);
    let report: serde_json::Value =
        serde_json::from_str(&ok(&cli(t2.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(report["pulled"]["sessions"], 0, "{report}");
    assert_eq!(report["pushed"]["sessions"], 0, "{report}");
    assert_eq!(report["unlinked_practice_clients"][0], "D-0001", "{report}");
    let said = ok(&cli(t2.path(), &["sync"]));
    assert!(
        said.contains(
            "The practice has sessions of 1 clients this journal has not linked (D-0001)"
        ),
        "{said}"
    );
    // Once its clinician says so, they are one client.
    ok(&cli(t2.path(), &["practice", "link", "D-0001", "D-0001"]));
    ok(&cli(t2.path(), &["sync"]));
    assert_eq!(
        copied_uuids(t2.path()),
        server_sessions(&server, Some("t_one"))
    );
    // A link is made once and kept: neither side is linked again to another.
    let mut store = open(t2.path());
    for (local, practice) in [("D-0001", "D-0009"), ("D-0009", "D-0001")] {
        assert!(matches!(
            store.link_practice_client(local, practice, chrono::Utc::now()),
            Err(kap_journal::store::StoreError::LinkedElsewhere)
        ));
    }
    assert_eq!(store.practice_links().unwrap().len(), 1);
    assert!(
        store.client_by_code("D-0009").unwrap().is_none(),
        "nothing half made"
    );
}

#[test]
fn care_teams_are_kept_by_an_admin_or_a_psychiatrist_as_a_log() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("a_one", "admin"),
            ("p_one", "psychiatrist"),
            ("t_one", "therapist"),
        ],
    );
    // An admin adds a login, as the user guide says.
    let admin_url = server.url("a_one");
    let added = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", PASSWORD)
        .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
        .arg("--data-dir")
        .arg(tempfile::tempdir().unwrap().path())
        .args([
            "practice",
            "add-clinician",
            &admin_url,
            "--login",
            "n_one",
            "--name",
            "Dr. n_one (synthetic)",
            "--role",
            "nurse",
        ])
        .output()
        .unwrap();
    ok(&added);
    let scratch = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cli(scratch.path(), args);
    ok(&run(&["practice", "enrol", &admin_url, "D-0001"]));
    ok(&run(&["practice", "assign", &admin_url, "D-0001", "n_one"]));
    // A psychiatrist may keep teams too; a therapist may not.
    let p_url = server.url("p_one");
    ok(&run(&["practice", "enrol", &p_url, "D-0002"]));
    ok(&run(&["practice", "assign", &p_url, "D-0001", "t_one"]));
    let t_url = server.url("t_one");
    for args in [
        vec!["practice", "enrol", t_url.as_str(), "D-0003"],
        vec!["practice", "assign", t_url.as_str(), "D-0002", "t_one"],
    ] {
        let said = refusal(&run(&args));
        assert!(said.contains("only an admin or a psychiatrist"), "{said}");
    }
    // Twice is refused, and so is ending what is not there.
    assert!(
        refusal(&run(&["practice", "assign", &admin_url, "D-0001", "t_one"]))
            .contains("already on")
    );
    assert!(
        refusal(&run(&[
            "practice", "unassign", &admin_url, "D-0002", "t_one"
        ]))
        .contains("is not on")
    );
    assert!(refusal(&run(&["practice", "enrol", &admin_url, "D-0001"])).contains("already has"));
    ok(&run(&[
        "practice", "unassign", &admin_url, "D-0001", "n_one",
    ]));

    let clients: serde_json::Value =
        serde_json::from_str(&ok(&run(&["practice", "clients", &t_url, "--json"]))).unwrap();
    assert_eq!(clients[0]["code"], "D-0001");
    assert_eq!(clients[0]["care_team"], serde_json::json!(["t_one"]));
    assert_eq!(clients[1]["code"], "D-0002");
    assert_eq!(clients[1]["enrolled_by"], "p_one");
    // The log keeps every assignment and its end, with who and when; nobody rewrites it.
    let mut superuser = server.superuser();
    let log: Vec<(String, String, String)> = superuser
        .query(
            "SELECT login::text, action, by_login::text FROM kap.care_assignments ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let entry =
        |login: &str, action: &str, by: &str| (login.to_owned(), action.to_owned(), by.to_owned());
    assert_eq!(
        log,
        [
            entry("n_one", "assign", "a_one"),
            entry("t_one", "assign", "p_one"),
            entry("n_one", "unassign", "a_one"),
        ]
    );
    let error = superuser
        .execute("DELETE FROM kap.care_assignments", &[])
        .unwrap_err();
    assert!(
        error
            .as_db_error()
            .unwrap()
            .message()
            .contains("append-only")
    );
}

#[test]
fn taken_on_roles_read_nothing_and_a_group_is_never_a_clinician() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("a_one", "admin")]);
    let t1 = demo_journal(&server, "t_one", 5, 6, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    let prefix: String = server
        .superuser()
        .query_one("SELECT roles FROM kap.practice", &[])
        .unwrap()
        .get(0);
    // An admin naming the therapists' group role a psychiatrist is refused.
    let mut admin = server.connect("a_one", PASSWORD);
    let error = admin
        .execute(
            "INSERT INTO kap.clinicians (login, name, role) VALUES ($1, 'Everyone', 'psychiatrist')",
            &[&format!("{prefix}therapist")],
        )
        .unwrap_err();
    assert!(
        error
            .as_db_error()
            .unwrap()
            .message()
            .contains("a clinician is a login"),
        "{error}"
    );
    // The same row written past the check (the owner's trigger dropped by a superuser) gives
    // nobody anything: a therapist who takes on the group role reads nothing as it.
    let mut superuser = server.superuser();
    superuser
        .batch_execute("ALTER TABLE kap.clinicians DISABLE TRIGGER clinicians_checked")
        .unwrap();
    superuser
        .execute(
            "INSERT INTO kap.clinicians (login, name, role, added_by) VALUES ($1, 'Everyone', 'psychiatrist', 'a_one')",
            &[&format!("{prefix}therapist")],
        )
        .unwrap();
    let mut therapist = server.connect("t_one", PASSWORD);
    let own: i64 = therapist
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    assert!(own > 0);
    therapist
        .batch_execute(&format!("SET ROLE \"{prefix}therapist\""))
        .unwrap();
    let as_group: i64 = therapist
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    assert_eq!(as_group, 0, "a role taken on is nobody");
    // The admin finds the row on the practice's problem list.
    let listed: serde_json::Value = serde_json::from_str(&ok(&cli(
        t1.path(),
        &["practice", "problems", &server.url("a_one"), "--json"],
    )))
    .unwrap();
    assert_eq!(
        listed["inert_clinicians"][0]["login"],
        format!("{prefix}therapist"),
        "{listed}"
    );
}

#[test]
fn two_practices_on_one_cluster_share_nothing() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist")]);
    let t1 = demo_journal(&server, "t_one", 6, 6, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    // A second practice on the same cluster, with an owner of its own.
    server
        .superuser_sql("CREATE ROLE other_owner LOGIN CREATEROLE PASSWORD 'synthetic other owner'");
    server.superuser_sql("CREATE DATABASE other_practice OWNER other_owner");
    let other_url = format!(
        "postgres://other_owner@127.0.0.1:{}/other_practice",
        server.port
    );
    let init = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env(
            "KAP_JOURNAL_PRACTICE_OWNER_PASSWORD",
            "synthetic other owner",
        )
        .arg("--data-dir")
        .arg(tempfile::tempdir().unwrap().path())
        .args(["practice", "init", &other_url])
        .output()
        .unwrap();
    ok(&init);
    // Its owner makes itself the first practice's therapist and reads as that login: nothing.
    let mut other = postgres::Config::new()
        .host("127.0.0.1")
        .port(server.port)
        .user("other_owner")
        .password("synthetic other owner")
        .dbname("other_practice")
        .connect(postgres::NoTls)
        .unwrap();
    other.batch_execute("GRANT t_one TO other_owner").unwrap();
    drop(other);
    let mut intruder = server.connect("other_owner", "synthetic other owner");
    let inherited: i64 = intruder
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    intruder.batch_execute("SET ROLE t_one").unwrap();
    let as_t_one: i64 = intruder
        .query_one("SELECT count(*) FROM kap.sessions", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        (inherited, as_t_one),
        (0, 0),
        "another practice's owner reads nothing"
    );
    // The two practices' group roles are their own.
    let groups: Vec<String> = server
        .superuser()
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'kap\\_%\\_therapist' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(groups.len(), 2, "{groups:?}");
    let _ = (SUPERUSER, SUPERUSER_PASSWORD, OWNER_PASSWORD);
}

#[test]
fn a_key_registered_by_someone_else_neither_locks_its_owner_out_nor_vouches_for_them() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("t_two", "therapist"),
            ("n_one", "nurse"),
        ],
    );
    // t_one's journal has a signing key before it joins; its public half is in any archive it
    // exported. t_two registers it first, with no proof (it cannot make one).
    let t1 = tempfile::tempdir().unwrap();
    ok(&cli(
        t1.path(),
        &["demo", "--seed", "7", "--sessions", "8", "--clients", "1"],
    ));
    let public_key = open(t1.path()).own_signing_keys().unwrap().remove(0);
    let mut thief = server.connect("t_two", PASSWORD);
    thief
        .execute(
            "INSERT INTO kap.signing_keys (public_key, proof) VALUES ($1, NULL)",
            &[&public_key],
        )
        .unwrap();
    // t_one joins and syncs as ever; a colleague copies its signed sessions as t_one's.
    ok(&cli(
        t1.path(),
        &["practice", "connect", &server.url("t_one")],
    ));
    let n1 = demo_journal(&server, "n_one", 8, 2, 1);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    ok(&cli(t1.path(), &["sync"]));
    let report: serde_json::Value =
        serde_json::from_str(&ok(&cli(n1.path(), &["sync", "--json"]))).unwrap();
    assert!(report["refused"].as_array().unwrap().is_empty(), "{report}");
    assert!(
        report["pulled"]["signatures"].as_u64().unwrap() > 0,
        "{report}"
    );
    // The thief's registration vouches for nobody: a session of t_two sealed with that key would
    // not be t_two's. (Its row is there; the journal ignores it for want of a proof.)
    let rows: i64 = server
        .superuser()
        .query_one(
            "SELECT count(*) FROM kap.signing_keys WHERE public_key = $1",
            &[&public_key],
        )
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    let listed: serde_json::Value = serde_json::from_str(&ok(&owner_cli(&[
        "practice",
        "problems",
        &server.url(OWNER),
        "--json",
    ])))
    .unwrap();
    let unproven = listed["unproven_keys"].as_array().unwrap();
    assert_eq!(unproven.len(), 1, "{listed}");
    assert_eq!(unproven[0]["login"], "t_two");
    assert_eq!(unproven[0]["public_key"], public_key.as_str());
}

#[test]
fn an_emergency_opening_lets_a_clinician_read_for_a_day_and_the_care_team_sees_it() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("t_two", "therapist")]);
    let t1 = demo_journal(&server, "t_one", 31, 6, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    // The covering therapist is off D-0001's team: linking is refused, until they open the record
    // with a reason.
    let t2 = demo_journal(&server, "t_two", 32, 1, 1);
    assert!(
        refusal(&cli(t2.path(), &["practice", "link", "D-0001", "D-0001"]))
            .contains("not on the care team")
    );
    let short = refusal(&cli(
        t2.path(),
        &["practice", "emergency", "D-0001", "--reason", "urgent"],
    ));
    assert!(short.contains("10 to 500 characters"), "{short}");
    let reason = "Covering the on-call night; client called in crisis (synthetic).";
    let opened = ok(&cli(
        t2.path(),
        &["practice", "emergency", "D-0001", "--reason", reason],
    ));
    assert!(
        opened.contains("You may read the practice's D-0001 until"),
        "{opened}"
    );
    ok(&cli(t2.path(), &["practice", "link", "D-0001", "D-0001"]));
    ok(&cli(t2.path(), &["sync"]));
    assert_eq!(
        copied_uuids(t2.path()),
        server_sessions(&server, Some("t_one"))
    );
    // The care team and the admin see who opened it, when and why.
    for login in ["t_one", OWNER] {
        let url = server.url(login);
        let listed = if login == OWNER {
            owner_cli(&["practice", "clients", &url, "--json"])
        } else {
            cli(t1.path(), &["practice", "clients", &url, "--json"])
        };
        let clients: serde_json::Value = serde_json::from_str(&ok(&listed)).unwrap();
        let opening = &clients[0]["emergency"][0];
        assert_eq!(opening["login"], "t_two", "{login}: {clients}");
        assert_eq!(opening["reason"], reason);
    }
    // The author's journal lists the opening, with its reason, and each session the covering
    // therapist fetched under it, among D-0001's disclosures.
    ok(&cli(t1.path(), &["sync"]));
    let accounting: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["disclosures", "D-0001", "--json"]))).unwrap();
    let accounting = accounting.as_array().unwrap();
    let opening = accounting
        .iter()
        .find(|d| d["kind"] == "emergency_opening")
        .unwrap();
    assert!(opening["recipient"].as_str().unwrap().contains("(t_two)"));
    assert!(opening["form"].as_str().unwrap().contains(reason));
    let fetched = accounting
        .iter()
        .filter(|d| d["kind"] == "colleague_fetch")
        .count();
    assert_eq!(fetched, server_sessions(&server, Some("t_one")).len());
    // A day later the opening has lapsed: the record is the team's alone again.
    let mut superuser = server.superuser();
    superuser
        .batch_execute(
            "ALTER TABLE kap.emergency_access DISABLE TRIGGER emergency_access_append_only;
             UPDATE kap.emergency_access SET opened_at = now() - interval '25 hours';",
        )
        .unwrap();
    let mut t_two = server.connect("t_two", PASSWORD);
    let readable: (bool, i64) = {
        let row = t_two
            .query_one(
                // Its own session of D-0001, pushed in the emergency, stays its own to read.
                "SELECT kap.may_read('D-0001'),
                        (SELECT count(*) FROM kap.sessions WHERE author <> current_user)",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(readable, (false, 0));
}

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

/// A journal's client linked to a practice client of another code: what it sends goes under the
/// practice's code, a colleague who knows the client by a third code files the copies under that
/// one, every signature verifies there and after an export and import elsewhere, and a server
/// that changes the code a signature was made under is caught.
#[test]
fn a_client_known_by_different_codes_in_two_journals_shares_one_record_with_its_signatures() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let owner = server.url(OWNER);
    let t1 = demo_journal(&server, "t_one", 51, 6, 1);
    ok(&owner_cli(&["practice", "enrol", &owner, "P-0042"]));
    for login in ["t_one", "n_one"] {
        ok(&owner_cli(&["practice", "assign", &owner, "P-0042", login]));
    }
    // A server from before signatures kept their code refuses the link in a sentence, and its
    // owner's upgrade allows it.
    server
        .superuser()
        .batch_execute("ALTER TABLE kap.signatures DROP COLUMN client_code")
        .unwrap();
    let refused = cli(t1.path(), &["practice", "link", "D-0001", "P-0042"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("practice upgrade"),
        "{refused:?}"
    );
    let upgraded = ok(&cli(t1.path(), &["practice", "upgrade", &owner]));
    assert!(upgraded.contains("nothing else changed"), "{upgraded}");
    ok(&cli(t1.path(), &["practice", "link", "D-0001", "P-0042"]));
    ok(&cli(t1.path(), &["sync"]));
    let mut superuser = server.superuser();
    let codes: Vec<(String, i64)> = superuser
        .query(
            "SELECT client_code, count(*) FROM kap.sessions GROUP BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        codes,
        [("P-0042".to_owned(), 6)],
        "sent under the practice's code"
    );
    let signed: Vec<(uuid::Uuid, Option<String>)> = superuser
        .query(
            "SELECT session_uuid, client_code FROM kap.signatures ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert!(signed.len() >= 2, "the demo signs sessions: {signed:?}");
    assert!(
        signed
            .iter()
            .all(|(_, code)| code.as_deref() == Some("D-0001")),
        "{signed:?}"
    );

    // The server changes the code one signature was made under: the digest no longer matches.
    superuser
        .batch_execute("ALTER TABLE kap.signatures DISABLE TRIGGER signatures_append_only")
        .unwrap();
    superuser
        .execute(
            "UPDATE kap.signatures SET client_code = 'D-0009' WHERE session_uuid = $1",
            &[&signed[0].0],
        )
        .unwrap();

    // The nurse knows the client as N-0007.
    let n1 = tempfile::tempdir().unwrap();
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));
    ok(&cli(n1.path(), &["practice", "link", "N-0007", "P-0042"]));
    let report: serde_json::Value =
        serde_json::from_slice(&cli(n1.path(), &["sync", "--json"]).stdout).unwrap();
    let refused = report["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{report}");
    assert_eq!(refused[0]["uuid"], signed[0].0.to_string());
    assert_eq!(refused[0]["why"], "changed");
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&cli(n1.path(), &["sessions", "--practice", "--json"]))).unwrap();
    let rows = every_session(&listed);
    assert_eq!(rows.len(), 5, "{listed}");
    assert!(
        rows.iter().all(|row| row["client_code"] == "N-0007"),
        "{listed}"
    );
    let signed_here = rows.iter().filter(|row| row["status"] == "signed").count();
    assert_eq!(signed_here, signed.len() - 1, "{listed}");
    let checked = cli(n1.path(), &["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );

    signatures_hold_after_an_export_and_an_import(n1.path());
}

/// Every session of `journal` exported as an archive and imported into a journal of its own:
/// every signature holds there, and a summary says the code a session was signed under.
fn signatures_hold_after_an_export_and_an_import(journal: &std::path::Path) {
    // An archive of the copies, imported into a journal of its own: every signature holds.
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("all.json");
    ok(&cli(
        journal,
        &[
            "export",
            "--all",
            "--format",
            "json",
            "--out",
            archive.to_str().unwrap(),
        ],
    ));
    let elsewhere = tempfile::tempdir().unwrap();
    ok(&cli(
        elsewhere.path(),
        &["import", archive.to_str().unwrap()],
    ));
    let checked = cli(elsewhere.path(), &["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let imported: serde_json::Value =
        serde_json::from_str(&ok(&cli(elsewhere.path(), &["sessions", "--json"]))).unwrap();
    let imported = every_session(&imported);
    let signed_id = imported
        .iter()
        .find(|row| row["status"] == "signed")
        .map(|row| row["id"].to_string())
        .unwrap();
    let summary = ok(&cli(
        elsewhere.path(),
        &["export", &signed_id, "--format", "md", "--out", "-"],
    ));
    assert!(
        summary.contains("Signed where the client is known as D-0001."),
        "{summary}"
    );
}

/// Both models' sessions from `sessions --json`.
fn every_session(listed: &serde_json::Value) -> Vec<serde_json::Value> {
    ["kap", "medical"]
        .iter()
        .flat_map(|model| listed[model].as_array().unwrap().clone())
        .collect()
}
