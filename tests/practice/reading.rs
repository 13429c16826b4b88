//! What each role reads of the practice, faithfully copied, and never changed by a login.

use super::*;

/// An admin manages logins and reads no clinical record, and does not sync.
fn an_admin_reads_no_clinical_record(server: &TestServer) {
    let mut admin = server.connect("a_one", PASSWORD);
    let refused = admin
        .query("SELECT count(*) FROM kap.sessions", &[])
        .unwrap_err();
    let message = refused.as_db_error().unwrap().message();
    assert!(message.contains("permission denied"), "{message}");
    let admin_dir = tempfile::tempdir().unwrap();
    drop(open(admin_dir.path()));
    ok(&cli(
        admin_dir.path(),
        &["practice", "connect", &server.url("a_one")],
    ));
    let output = cli(admin_dir.path(), &["sync"]);
    assert!(!output.status.success());
    common::assert_one_sentence(
        String::from_utf8_lossy(&output.stderr).trim(),
        "records no sessions",
    );
}

#[test]
fn three_roles_read_what_they_may_and_copies_are_faithful() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("p_one", "psychiatrist"),
            ("t_two", "therapist"),
            ("a_one", "admin"),
        ],
    );
    // The therapist and the nurse share clients D-0001 and D-0002; the therapist alone has D-0003;
    // a second therapist has Z-0001 only.
    let t1 = demo_journal(&server, "t_one", 1, 24, 3);
    let n1 = demo_journal(&server, "n_one", 2, 10, 2);
    let t2 = hand_made_journal(&server, "t_two", "Z-0001");
    let p1 = tempfile::tempdir().unwrap();
    drop(open(p1.path()));
    ok(&cli(
        p1.path(),
        &["practice", "connect", &server.url("p_one")],
    ));
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one"), (&t2, "t_two")]);
    link_every_enrolled(&server, p1.path(), "p_one");
    for dir in [&t1, &n1, &t2, &p1, &t1, &n1] {
        ok(&cli(dir.path(), &["sync"]));
    }
    // Every journal of the practice knows it by the server's own identity.
    let practice_of = |dir: &TempDir| {
        open(dir.path())
            .sharing()
            .practice_membership()
            .unwrap()
            .unwrap()
            .practice_id
    };
    assert!(practice_of(&t1).is_some());
    assert!(
        [&n1, &t2, &p1]
            .iter()
            .all(|dir| practice_of(dir) == practice_of(&t1))
    );
    assert_eq!(
        server_sessions(&server, Some("t_one")),
        own_uuids(t1.path())
    );
    assert_eq!(
        server_sessions(&server, Some("n_one")),
        own_uuids(n1.path())
    );

    let t1_reads = practice_sessions(t1.path());
    let n1_sessions = own_uuids(n1.path());
    let t2_sessions = own_uuids(t2.path());
    for uuid in &n1_sessions {
        assert!(
            t1_reads.contains(&(uuid.clone(), "Dr. n_one (synthetic)".to_owned())),
            "the therapist reads the nurse's session {uuid} of a shared client"
        );
    }
    assert!(t1_reads.iter().all(|(uuid, _)| !t2_sessions.contains(uuid)));
    // The nurse reads the therapist's sessions of D-0001 and D-0002, never D-0003.
    let n1_store = open(n1.path());
    let copied = n1_store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap();
    assert!(copied.iter().any(|row| row.clinician.is_some()));
    assert!(
        copied
            .iter()
            .filter(|row| row.clinician.is_some())
            .all(|row| row.client_code != "D-0003")
    );
    // The psychiatrist reads everything.
    let p1_reads: Vec<String> = practice_sessions(p1.path())
        .into_iter()
        .map(|(uuid, _)| uuid)
        .collect();
    let mut everything = server_sessions(&server, None);
    let mut p1_sorted = p1_reads.clone();
    p1_sorted.sort();
    everything.sort();
    assert_eq!(p1_sorted, everything);

    assert_copies_are_faithful(t1.path(), p1.path());

    // The private note and the client's name never reach the server; the progress note does.
    let dump = server.dump();
    assert!(
        dump.contains(PROGRESS_SENTINEL),
        "the dump holds the records"
    );
    assert!(!dump.contains(PRIVATE_SENTINEL));
    assert!(!dump.contains(NAME_SENTINEL));

    an_admin_reads_no_clinical_record(&server);
}

#[test]
fn nothing_synced_is_ever_changed_or_removed_by_any_login() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("p_one", "psychiatrist"),
            ("a_one", "admin"),
        ],
    );
    let t1 = demo_journal(&server, "t_one", 5, 12, 2);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    let count = |server: &TestServer| -> Vec<i64> {
        let mut client = server.superuser();
        [
            "sessions",
            "entries",
            "signatures",
            "check_ins",
            "journal_witnesses",
        ]
        .iter()
        .map(|table| {
            client
                .query_one(&format!("SELECT count(*) FROM kap.{table}"), &[])
                .unwrap()
                .get(0)
        })
        .collect()
    };
    let before = count(&server);
    assert!(before.iter().all(|&rows| rows > 0), "{before:?}");
    let attempts = [
        "UPDATE kap.entries SET kind = 'note'",
        "UPDATE kap.sessions SET intention = 'changed'",
        "DELETE FROM kap.entries",
        "DELETE FROM kap.sessions",
        "DELETE FROM kap.signatures",
        "TRUNCATE kap.entries CASCADE",
        // A journal's witness, which would hide that it was put back from an older copy.
        "UPDATE kap.journal_witnesses SET seq = 1",
        "DELETE FROM kap.journal_witnesses",
        "TRUNCATE kap.journal_witnesses",
    ];
    let logins = [
        ("t_one", PASSWORD),
        ("p_one", PASSWORD),
        ("a_one", PASSWORD),
        (OWNER, OWNER_PASSWORD),
        (SUPERUSER, SUPERUSER_PASSWORD),
    ];
    for (login, password) in logins {
        let mut client = server.connect(login, password);
        for sql in attempts {
            match client.execute(sql, &[]) {
                // The owner reads (and so changes) nothing through forced row-level security.
                Ok(rows) => assert!(login == OWNER && rows == 0, "{login}: {sql} changed {rows}"),
                Err(error) => {
                    let text = error
                        .as_db_error()
                        .map(|db| db.message().to_owned())
                        .unwrap();
                    assert!(
                        text.contains("permission denied") || text.contains("append-only"),
                        "{login}: {sql}: {text}"
                    );
                }
            }
        }
    }
    assert_eq!(count(&server), before);
}

#[test]
fn a_colleagues_copy_exported_names_its_author_not_the_reader() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 11, 6, 1);
    let n1 = demo_journal(&server, "n_one", 12, 2, 1);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    ok(&cli(
        n1.path(),
        &["settings", "--clinician", "N. Reader (synthetic)"],
    ));
    ok(&cli(t1.path(), &["sync"]));
    ok(&cli(n1.path(), &["sync"]));
    let store = open(n1.path());
    let copies = store.sharing().practice_copies_held().unwrap();
    let (unsigned, signed) = (
        copies.values().find(|copy| !copy.signed).unwrap().id,
        copies.values().find(|copy| copy.signed).unwrap().id,
    );
    drop(store);
    for (copy, expected) in [
        (
            unsigned,
            r"Dr. t\_one (synthetic) (copied from the practice)",
        ),
        (signed, "(copied from the practice)"),
    ] {
        let markdown = ok(&cli(
            n1.path(),
            &[
                "export",
                &copy.0.to_string(),
                "--format",
                "md",
                "--out",
                "-",
            ],
        ));
        assert!(markdown.contains(expected), "{markdown}");
        assert!(!markdown.contains("N. Reader"), "{markdown}");
    }
}
