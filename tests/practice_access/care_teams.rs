//! Care teams: who may read a client's record, how they join, and what a made-up push gets.

use super::*;

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
            store
                .sharing_mut()
                .link_practice_client(local, practice, chrono::Utc::now()),
            Err(kap_journal::store::StoreError::LinkedElsewhere)
        ));
    }
    assert_eq!(store.sharing().practice_links().unwrap().len(), 1);
    assert!(
        store.record().client_by_code("D-0009").unwrap().is_none(),
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
