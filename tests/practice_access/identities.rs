//! Roles, practices and keys: who a login is, and what it can never vouch for.

use super::*;

/// Both models' sessions from `sessions --json`.
fn every_session(listed: &serde_json::Value) -> Vec<serde_json::Value> {
    ["kap", "medical"]
        .iter()
        .flat_map(|model| listed[model].as_array().unwrap().clone())
        .collect()
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
    let public_key = open(t1.path())
        .sharing()
        .own_signing_keys()
        .unwrap()
        .remove(0);
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
