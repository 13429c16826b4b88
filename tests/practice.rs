//! Practice sync against a real PostgreSQL (a server of the test's own, on the loopback address):
//! clinicians of three roles sharing records, the server refusing every change to what was synced,
//! the private note never leaving the laptop, a sync killed at random points, the server down and
//! back, and a row changed on the server found on pull.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use common::pg_server::{OWNER, OWNER_PASSWORD, SUPERUSER, SUPERUSER_PASSWORD, TestServer};
use kap_journal::domain::{Addendum, SessionId, SessionStatus};
use kap_journal::store::{SessionFilter, Store, StoreError};
use tempfile::TempDir;

use common::pg_server::CLINICIAN_PASSWORD as PASSWORD;
use common::practice_cli::*;

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

/// Every ended session of `author_dir` is in `reader_dir` as its author has it: timeline,
/// progress note (once signed), signature and addenda.
fn assert_copies_are_faithful(author_dir: &Path, reader_dir: &Path) {
    let t1_store = open(author_dir);
    let p1_store = open(reader_dir);
    let t1_own = SessionFilter {
        own_only: true,
        ..SessionFilter::default()
    };
    for original in t1_store.session_summaries(&t1_own).unwrap() {
        let uuid = t1_store.session(original.id).unwrap().uuid;
        let Some(copy) = p1_store
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .into_iter()
            .find(|row| p1_store.session(row.id).unwrap().uuid == uuid)
        else {
            assert_eq!(
                original.status,
                SessionStatus::Live,
                "{uuid} was not copied"
            );
            continue;
        };
        let events = |store: &Store, id| {
            store
                .events(id)
                .unwrap()
                .into_iter()
                .map(|event| (event.seq, event.wall_time, event.elapsed_ms, event.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(events(&t1_store, original.id), events(&p1_store, copy.id));
        // The clinic's zone travels with it, so the copy prints the times the author's journal does.
        let zone = t1_store.session(original.id).unwrap().zone;
        assert!(zone.is_some(), "{uuid} kept its zone");
        assert_eq!(zone, p1_store.session(copy.id).unwrap().zone, "{uuid}");
        // A progress note travels with its signature: until then it may still change.
        let note = t1_store.progress_note(original.id).unwrap();
        let signed = original.status == SessionStatus::Signed;
        assert_eq!(
            p1_store.progress_note(copy.id).unwrap(),
            note.filter(|_| signed)
        );
        assert_eq!(
            t1_store.signature(original.id).unwrap(),
            p1_store.signature(copy.id).unwrap()
        );
        assert_eq!(
            t1_store.addenda(original.id).unwrap(),
            p1_store.addenda(copy.id).unwrap()
        );
        assert_eq!(copy.clinician.as_deref(), Some("Dr. t_one (synthetic)"));
    }
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
fn a_sync_killed_at_random_points_and_run_again_loses_nothing_and_repeats_nothing() {
    use rand::SeedableRng as _;
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[("t_one", "therapist"), ("p_one", "psychiatrist")],
    );
    let t1 = demo_journal(&server, "t_one", 9, 700, 6);
    share_clients(&server, &[(&t1, "t_one")]);
    let mut random = rand::rngs::StdRng::seed_from_u64(18);
    let killed_mid_way = kill_syncs(t1.path(), &mut random);
    ok(&cli(t1.path(), &["sync"]));
    // Nothing is missing and nothing is there twice: the server holds exactly the journal.
    assert_eq!(
        server_sessions(&server, Some("t_one")),
        own_uuids(t1.path())
    );
    let store = open(t1.path());
    let mut client = server.superuser();
    for row in store.session_summaries(&SessionFilter::default()).unwrap() {
        if row.status == SessionStatus::Live {
            continue;
        }
        let uuid = store.session(row.id).unwrap().uuid;
        let counts: (i64, i64, i64) = {
            let found = client
                .query_one(
                    "SELECT (SELECT count(*) FROM kap.entries WHERE session_uuid = $1),
                            (SELECT count(*) FROM kap.signatures WHERE session_uuid = $1),
                            (SELECT count(*) FROM kap.check_ins WHERE session_uuid = $1)",
                    &[&uuid],
                )
                .unwrap();
            (found.get(0), found.get(1), found.get(2))
        };
        let recorded = kap_journal::export::SessionRecord::load(
            &store,
            row.id,
            kap_journal::export::ExportOptions::default(),
        )
        .unwrap()
        .follow_ups
        .iter()
        .filter(|follow_up| follow_up.done.is_some())
        .count() as i64;
        assert_eq!(
            counts,
            (
                i64::from(row.events),
                i64::from(row.status == SessionStatus::Signed),
                recorded
            ),
            "session {uuid}"
        );
    }
    drop(store);
    // Run again, it sends nothing.
    let again: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(again["pushed"]["sessions"], 0);
    assert_eq!(again["pushed"]["entries"], 0);
    assert!(killed_mid_way > 0, "no sync was killed before it finished");

    // A psychiatrist's pull killed the same way copies every session once, in the end.
    let p1 = tempfile::tempdir().unwrap();
    drop(open(p1.path()));
    ok(&cli(
        p1.path(),
        &["practice", "connect", &server.url("p_one")],
    ));
    link_every_enrolled(&server, p1.path(), "p_one");
    assert!(
        kill_syncs(p1.path(), &mut random) > 0,
        "no pull was killed before it finished"
    );
    ok(&cli(p1.path(), &["sync"]));
    assert_eq!(
        copied_uuids(p1.path()),
        server_sessions(&server, Some("t_one"))
    );
    assert_copies_are_faithful(t1.path(), p1.path());
}

/// Starts `kap-journal sync` on the journal in `dir` six times, killing each with SIGKILL after a
/// random moment; how many were still running when killed.
fn kill_syncs(dir: &Path, random: &mut rand::rngs::StdRng) -> usize {
    use rand::Rng as _;
    let mut killed_mid_way = 0;
    for _ in 0..6 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .arg("--data-dir")
            .arg(dir)
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(
            random.random_range(30..900),
        ));
        if child.try_wait().unwrap().is_none() {
            killed_mid_way += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
    }
    killed_mid_way
}

#[test]
fn with_the_server_down_sync_says_so_in_one_sentence_and_goes_on_when_it_is_back() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist")]);
    let t1 = demo_journal(&server, "t_one", 3, 15, 2);
    share_clients(&server, &[(&t1, "t_one")]);
    server.stop();
    let output = cli(t1.path(), &["sync"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    common::assert_one_sentence(stderr.trim(), "cannot be reached");
    assert!(!open(t1.path()).practice_has_pushed().unwrap());
    server.start_again();
    let report: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(
        report["pushed"]["sessions"].as_u64().unwrap() as usize,
        own_uuids(t1.path()).len()
    );
}

#[test]
fn a_row_changed_on_the_server_is_found_on_pull_and_not_copied() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 4, 16, 2);
    let n1 = demo_journal(&server, "n_one", 6, 4, 2);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    ok(&cli(n1.path(), &["sync"]));
    ok(&cli(t1.path(), &["sync"]));
    let signed = tamper_with_signed_sessions(&server);
    let mut superuser = server.superuser();
    // And one entry of an unsigned session made into something no journal wrote.
    let unsigned: uuid::Uuid = superuser
        .query_one(
            "SELECT s.uuid FROM kap.sessions s WHERE s.author = 't_one'
             AND NOT EXISTS (SELECT 1 FROM kap.signatures g WHERE g.session_uuid = s.uuid)
             ORDER BY s.started_at LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    superuser
        .execute(
            "UPDATE kap.entries SET payload = '{\"kind\": \"made_up\", \"dose\": []}'
             WHERE session_uuid = $1 AND seq = 1",
            &[&unsigned],
        )
        .unwrap();
    let output = cli(n1.path(), &["sync"]);
    assert!(!output.status.success(), "a refused copy fails the sync");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains(&format!(
            "Session {} by t_one no longer matches its author's seal",
            signed[0]
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "Session {} by t_one carries a signature that does not verify",
            signed[1]
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "Session {unsigned} by t_one arrived in a form the journal cannot read"
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "Session {} by t_one is marked signed but its signature carries no seal",
            signed[2]
        )),
        "{said}"
    );
    let store = open(n1.path());
    let held = store.practice_copies_held().unwrap();
    assert!(signed.iter().all(|uuid| !held.contains_key(uuid)));
    assert!(!held.contains_key(&unsigned));
    assert!(!held.is_empty(), "the other sessions were copied");
    drop(store);
    the_refused_stay_out_without_failing_every_sync(&server, &n1, &signed, unsigned);
    let store = open(n1.path());

    // A copy is read-only: only its author adds to it.
    let copy = held.values().find(|copy| copy.signed).unwrap().id;
    let mut store = store;
    let addendum = Addendum::new(&clinician("n_one"), Utc::now(), "late entry", "text").unwrap();
    assert!(matches!(
        store.add_addendum(copy, &addendum),
        Err(StoreError::PracticeCopy)
    ));
    assert!(matches!(
        store.save_private_note(copy, "mine", Utc::now()),
        Err(StoreError::PracticeCopy)
    ));
    drop(store);

    an_addendum_written_later_arrives(&t1, &n1, &held);
}

/// Past the append-only triggers, as someone with the server's keys: changes one signed entry of
/// `t_one`'s, one signer's name, and removes one seal. The three sessions, in that order.
fn tamper_with_signed_sessions(server: &TestServer) -> Vec<uuid::Uuid> {
    let mut superuser = server.superuser();
    let signed: Vec<uuid::Uuid> = superuser
        .query(
            "SELECT s.uuid FROM kap.sessions s JOIN kap.signatures g ON g.session_uuid = s.uuid
             WHERE s.author = 't_one' ORDER BY s.started_at LIMIT 3",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    superuser
        .batch_execute(
            "ALTER TABLE kap.entries DISABLE TRIGGER entries_append_only;
                        ALTER TABLE kap.signatures DISABLE TRIGGER signatures_append_only;",
        )
        .unwrap();
    superuser
        .execute(
            "UPDATE kap.entries SET elapsed_ms = elapsed_ms + 60000
             WHERE session_uuid = $1 AND seq = (SELECT max(seq) FROM kap.entries WHERE session_uuid = $1)",
            &[&signed[0]],
        )
        .unwrap();
    superuser
        .execute(
            "UPDATE kap.signatures SET signer_name = 'Someone else' WHERE session_uuid = $1",
            &[&signed[1]],
        )
        .unwrap();
    // A seal removed: what is left is a digest anyone can work out again.
    superuser
        .execute(
            "UPDATE kap.signatures SET public_key = NULL, signature = NULL WHERE session_uuid = $1",
            &[&signed[2]],
        )
        .unwrap();
    signed
}

/// Sessions refused once are kept out at the next sync without failing it (a bad row never stops
/// everyone's sync), and the practice's admin finds them on the problem list.
fn the_refused_stay_out_without_failing_every_sync(
    server: &TestServer,
    reader: &TempDir,
    signed: &[uuid::Uuid],
    unsigned: uuid::Uuid,
) {
    let again: serde_json::Value =
        serde_json::from_str(&ok(&cli(reader.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(again["refused"], serde_json::json!([]), "{again}");
    assert_eq!(again["still_refused"], 4, "{again}");
    assert!(ok(&cli(reader.path(), &["sync"])).contains("4 colleagues' sessions stay refused"));
    let listed: serde_json::Value = serde_json::from_str(&ok(&owner_cli(&[
        "practice",
        "problems",
        &server.url(OWNER),
        "--json",
    ])))
    .unwrap();
    let mut refused: Vec<(String, String)> = listed["refused_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            assert_eq!(row["reported_by"], "n_one");
            assert_eq!(row["author"], "t_one");
            (
                row["session"].as_str().unwrap().to_owned(),
                row["why"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    refused.sort();
    let mut expected = vec![
        (signed[0].to_string(), "row_changed".to_owned()),
        (signed[1].to_string(), "forged".to_owned()),
        (signed[2].to_string(), "sealless".to_owned()),
        (unsigned.to_string(), "unreadable".to_owned()),
    ];
    expected.sort();
    assert_eq!(refused, expected);
}

/// An addendum the author writes after the first sync reaches a colleague's copy with the next
/// syncs (`held`: the colleague's copies).
fn an_addendum_written_later_arrives(
    t1: &TempDir,
    n1: &TempDir,
    held: &std::collections::HashMap<uuid::Uuid, kap_journal::store::CopyHeld>,
) {
    let mut t1_store = open(t1.path());
    let uuid = *held.iter().find(|(_, copy)| copy.signed).unwrap().0;
    let original = t1_store
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .into_iter()
        .find(|row| t1_store.session(row.id).unwrap().uuid == uuid)
        .unwrap()
        .id;
    let addendum = Addendum::new(
        &clinician("t_one"),
        Utc::now(),
        "late entry",
        "Called the next day.",
    )
    .unwrap();
    t1_store.add_addendum(original, &addendum).unwrap();
    drop(t1_store);
    let sent: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(sent["pushed"]["addenda"], 1);
    let received: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(
        &cli(n1.path(), &["sync", "--json"]).stdout,
    ))
    .unwrap();
    assert_eq!(received["pulled"]["addenda"], 1);
    let store = open(n1.path());
    assert_eq!(
        store
            .addenda(copy_of(&store, uuid))
            .unwrap()
            .last()
            .unwrap()
            .text,
        "Called the next day."
    );
}

fn copy_of(store: &Store, uuid: uuid::Uuid) -> SessionId {
    store.practice_copies_held().unwrap()[&uuid].id
}

#[test]
fn an_address_that_asks_for_tls_gets_it_with_the_servers_certificate_checked() {
    let server = TestServer::start();
    let (ca, certificate, key) = common::pg_server::tls_certificates();
    server.require_tls(&certificate, &key);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("practice-ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let owner_url = format!("{}?sslmode=require", server.url(OWNER));
    let with_ca = |args: &[&str], ca: &Path| {
        Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", OWNER_PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_CA", ca)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    // Without TLS the server no longer answers.
    let plain = cli(dir.path(), &["practice", "init", &server.url(OWNER)]);
    assert!(!plain.status.success());
    // A certificate signed by another authority is refused, in one sentence.
    let (other_ca, _, _) = common::pg_server::tls_certificates();
    let other_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_file, other_ca).unwrap();
    let refused = with_ca(&["practice", "init", &owner_url], &other_file);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("TLS"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    // With the practice's authority, everything works over TLS.
    ok(&with_ca(&["practice", "init", &owner_url], &ca_file));
    ok(&with_ca(
        &[
            "practice",
            "add-clinician",
            &owner_url,
            "--login",
            "t_one",
            "--name",
            "T. One",
            "--role",
            "therapist",
        ],
        &ca_file,
    ));
    ok(&cli(
        dir.path(),
        &["demo", "--sessions", "5", "--clients", "1"],
    ));
    let url = format!("{}?sslmode=require", server.url("t_one"));
    ok(&with_ca(&["practice", "connect", &url], &ca_file));
    for (args, password) in [
        (
            vec!["practice", "enrol", &owner_url, "D-0001"],
            OWNER_PASSWORD,
        ),
        (
            vec!["practice", "assign", &owner_url, "D-0001", "t_one"],
            OWNER_PASSWORD,
        ),
        (vec!["practice", "link", "D-0001", "D-0001"], PASSWORD),
    ] {
        ok(&Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_PASSWORD", password)
            .env("KAP_JOURNAL_PRACTICE_CA", &ca_file)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap());
    }
    let report: serde_json::Value =
        serde_json::from_str(&ok(&with_ca(&["sync", "--json"], &ca_file))).unwrap();
    assert!(
        report["pushed"]["sessions"].as_u64().unwrap() >= 4,
        "{report}"
    );
}

#[test]
fn verify_full_checks_the_servers_name_and_verify_ca_only_its_authority() {
    let server = TestServer::start();
    // The server's certificate names another host than the address the journal dials.
    let (ca, certificate, key) = common::pg_server::tls_certificates_for("db.practice.example");
    server.require_tls(&certificate, &key);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("practice-ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let init = |mode: &str| {
        Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", OWNER_PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_CA", &ca_file)
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "practice",
                "init",
                &format!("{}?sslmode={mode}", server.url(OWNER)),
            ])
            .output()
            .unwrap()
    };
    for mode in ["verify-full", "require"] {
        let refused = init(mode);
        assert!(!refused.status.success(), "{mode}");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("TLS"), "{mode}: {said}");
        assert_eq!(said.trim().lines().count(), 1, "{said}");
    }
    ok(&init("verify-ca"));
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
    let copies = store.practice_copies_held().unwrap();
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

/// [`cli`] with this account's state folder (where the witness outside the data folder is kept)
/// at `state`.
fn cli_with_state(dir: &Path, state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
        .env("XDG_STATE_HOME", state)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_journal_put_back_from_an_older_copy_is_found_by_the_practice_at_its_next_sync() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t1", "therapist")]);
    let root = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let dir = root.path().join("journal");
    let run = |state: &Path, args: &[&str]| cli_with_state(&dir, state, args);
    ok(&run(
        state.path(),
        &["demo", "--sessions", "3", "--clients", "1"],
    ));
    ok(&run(
        state.path(),
        &["practice", "connect", &server.url("t1")],
    ));
    let owner = server.url(OWNER);
    ok(&owner_cli(&["practice", "enrol", &owner, "D-0001"]));
    ok(&owner_cli(&["practice", "assign", &owner, "D-0001", "t1"]));
    ok(&run(
        state.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    ok(&run(state.path(), &["sync"]));
    let older = root.path().join("older");
    common::copy_folder(&dir, &older);
    ok(&run(
        state.path(),
        &["settings", "--clinic-name", "Synthetic Later"],
    ));
    ok(&run(state.path(), &["sync"]));

    // The older copy put back on a computer whose state folder is new (or was put back with it):
    // only the practice server knows the journal had newer changes.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::rename(&older, &dir).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    ok(&run(fresh.path(), &["check"]));
    let refused = run(fresh.path(), &["sync"]);
    assert!(!refused.status.success(), "{refused:?}");
    let said = String::from_utf8(refused.stderr).unwrap();
    assert!(
        said.contains("older than what it last recorded on the practice server"),
        "{said}"
    );
    assert!(said.contains("nothing was sent or copied"), "{said}");

    // Once looked into, the journal is taken as it is and syncs again.
    ok(&run(fresh.path(), &["check", "--accept"]));
    ok(&run(fresh.path(), &["sync"]));

    // A backup restored on purpose is no alarm for the practice either.
    let backup = root.path().join("backup.db");
    ok(&run(
        fresh.path(),
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    ok(&run(
        fresh.path(),
        &["settings", "--clinic-name", "Synthetic Latest"],
    ));
    ok(&run(fresh.path(), &["sync"]));
    ok(&run(fresh.path(), &["restore", backup.to_str().unwrap()]));
    ok(&run(fresh.path(), &["sync"]));
}

/// Runs `sync` on copies of the journal in `template`, killed before each durable call of its own
/// in turn; after each kill the journal must open as its writer and pass every check, and a sync
/// run again must leave what `finished` asks. Returns the number of kill points.
#[cfg(target_os = "linux")]
fn sync_killed_at_every_point(template: &Path, finished: impl Fn(&Path, usize)) -> usize {
    killed_at_every_point(template, &["sync"], |dir, kill_at| {
        ok(&cli(dir, &["sync"]));
        finished(dir, kill_at);
    })
}

#[cfg(target_os = "linux")]
#[test]
fn a_sync_killed_before_every_durable_step_of_its_own_keeps_the_journal_whole() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[("t_one", "therapist"), ("p_one", "psychiatrist")],
    );
    // The push: a therapist's journal never synced; in the end the server holds exactly its
    // sessions, each once.
    let t1 = demo_journal(&server, "t_one", 11, 8, 2);
    share_clients(&server, &[(&t1, "t_one")]);
    let pushed = sync_killed_at_every_point(t1.path(), |dir, kill_at| {
        assert_eq!(
            server_sessions(&server, Some("t_one")),
            own_uuids(dir),
            "kill point {kill_at}"
        );
    });
    // The pull: a psychiatrist's journal, connected and never synced, copies each session once.
    let expected = server_sessions(&server, Some("t_one"));
    assert!(!expected.is_empty());
    let p1 = tempfile::tempdir().unwrap();
    drop(open(p1.path()));
    ok(&cli(
        p1.path(),
        &["practice", "connect", &server.url("p_one")],
    ));
    link_every_enrolled(&server, p1.path(), "p_one");
    let pulled = sync_killed_at_every_point(p1.path(), |dir, kill_at| {
        assert_eq!(copied_uuids(dir), expected, "kill point {kill_at}");
    });
    println!("practice sync: push {pushed}, pull {pulled} kill points, each held");
}

/// Runs `kap-journal ARGS` on copies of the journal in `template`, killed before each durable call
/// of its own in turn; after each kill the journal must open as its writer and pass its start-up
/// and audit checks, and `finished` (which runs whatever it needs again) must hold. Returns the
/// number of kill points.
#[cfg(target_os = "linux")]
fn killed_at_every_point(template: &Path, args: &[&str], finished: impl Fn(&Path, usize)) -> usize {
    use std::os::unix::process::ExitStatusExt as _;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Every copy, in every call, is a journal of its own for the server (an epoch of its own), so
    // a note an earlier copy left does not make this one an older copy.
    static COPIES: AtomicUsize = AtomicUsize::new(1 << 20);
    let round_copy = |_round: usize| {
        let dir = tempfile::tempdir().unwrap();
        common::copy_folder(template, dir.path());
        let epoch = COPIES.fetch_add(1, Ordering::Relaxed);
        std::fs::write(
            dir.path().join(kap_journal::store::EPOCH_FILE_NAME),
            format!("{epoch:016x}\n"),
        )
        .unwrap();
        dir
    };
    let run_killed_at = |dir: &Path, kill_at: usize, count: Option<&Path>| {
        common::kill_points::killed_at(kill_at, count)
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap()
    };
    let counting = tempfile::tempdir().unwrap();
    let count = counting.path().join("count");
    let whole = round_copy(0);
    let output = run_killed_at(whole.path(), 0, Some(&count));
    assert!(output.status.code().is_some(), "{output:?}");
    finished(whole.path(), 0);
    let points = common::kill_points::points_in(&count);
    assert!(points > 0);
    for kill_at in 1..=points {
        let dir = round_copy(kill_at);
        let output = run_killed_at(dir.path(), kill_at, None);
        assert!(
            output.status.signal() == Some(9) || output.status.code().is_some(),
            "{args:?}, kill point {kill_at}: {output:?}"
        );
        let mut store = open(dir.path());
        assert_eq!(
            store.access(),
            kap_journal::store::AccessMode::Writer,
            "{args:?}, kill point {kill_at}: {:?}",
            store.damage()
        );
        assert!(
            store.run_start_up_check().unwrap().is_empty(),
            "{args:?}, kill point {kill_at}"
        );
        assert!(
            store.audit_problems().unwrap().is_empty(),
            "{args:?}, kill point {kill_at}"
        );
        drop(store);
        finished(dir.path(), kill_at);
    }
    points
}

/// Linking a client, refusing (quarantining) a colleague's sessions sealed with a new key, and
/// trusting that key by hand, each killed before every durable step of its own: the journal stays
/// whole and the step, run again, ends as if nothing had happened.
#[cfg(target_os = "linux")]
#[test]
fn a_link_a_quarantine_and_a_trusted_key_killed_at_every_point_keep_the_journal_whole() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 47, 3, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    ok(&cli(t1.path(), &["sync"]));
    ok(&owner_cli(&[
        "practice",
        "assign",
        &server.url(OWNER),
        "D-0001",
        "n_one",
    ]));
    let n1 = tempfile::tempdir().unwrap();
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));

    // The link.
    let linked = killed_at_every_point(
        n1.path(),
        &["practice", "link", "D-0001", "D-0001"],
        |dir, kill_at| {
            let again = cli(dir, &["practice", "link", "D-0001", "D-0001"]);
            assert!(again.status.success(), "kill point {kill_at}: {again:?}");
            let store = open(dir);
            let links: Vec<String> = store.practice_links().unwrap().into_values().collect();
            assert_eq!(links, ["D-0001"], "kill point {kill_at}");
        },
    );
    ok(&cli(n1.path(), &["practice", "link", "D-0001", "D-0001"]));
    ok(&cli(n1.path(), &["sync"]));
    let known = copied_uuids(n1.path());
    assert!(!known.is_empty());

    // t_one syncs from another computer: its sessions are refused here until trusted.
    let elsewhere = demo_journal(&server, "t_one", 48, 2, 1);
    ok(&cli(
        elsewhere.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    ok(&cli(elsewhere.path(), &["sync"]));
    let new_ones = own_uuids(elsewhere.path());
    let quarantined = killed_at_every_point(n1.path(), &["sync"], |dir, kill_at| {
        // Run again: whatever the killed sync noted, the refusals are noted once, and nothing
        // of the new key's is copied.
        let _ = cli(dir, &["sync"]);
        let store = open(dir);
        let mut refused: Vec<String> = store
            .practice_quarantined()
            .unwrap()
            .into_iter()
            .map(|uuid| uuid.to_string())
            .collect();
        refused.sort();
        assert_eq!(refused, new_ones, "kill point {kill_at}");
        drop(store);
        assert_eq!(copied_uuids(dir), known, "kill point {kill_at}");
    });
    // The refusals as the sync left them, then the key trusted by hand.
    let _ = cli(n1.path(), &["sync"]);
    let fingerprint = ok(&cli(elsewhere.path(), &["practice"]))
        .lines()
        .find_map(|line| line.strip_prefix("key").map(|rest| rest.trim().to_owned()))
        .unwrap();
    let mut everything = known.clone();
    everything.extend(new_ones.iter().cloned());
    everything.sort();
    let trusted = killed_at_every_point(
        n1.path(),
        &["practice", "trust", "t_one", &fingerprint],
        |dir, kill_at| {
            ok(&cli(dir, &["practice", "trust", "t_one", &fingerprint]));
            ok(&cli(dir, &["sync"]));
            assert_eq!(copied_uuids(dir), everything, "kill point {kill_at}");
        },
    );
    println!(
        "practice writes: link {linked}, quarantine {quarantined}, trust {trusted} kill points, each held"
    );
}
