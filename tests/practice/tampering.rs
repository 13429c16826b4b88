//! Rows changed on the server outside the seal, and a journal put back from an older copy.

use super::*;

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

fn copy_of(store: &Store, uuid: uuid::Uuid) -> SessionId {
    store.sharing().practice_copies_held().unwrap()[&uuid].id
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
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .into_iter()
        .find(|row| t1_store.record().session(row.id).unwrap().uuid == uuid)
        .unwrap()
        .id;
    let addendum = Addendum::new(
        &clinician("t_one"),
        Utc::now(),
        "late entry",
        "Called the next day.",
    )
    .unwrap();
    t1_store
        .record_mut()
        .add_addendum(original, &addendum)
        .unwrap();
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
            .record()
            .addenda(copy_of(&store, uuid))
            .unwrap()
            .last()
            .unwrap()
            .text,
        "Called the next day."
    );
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
    let held = store.sharing().practice_copies_held().unwrap();
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
        store.record_mut().add_addendum(copy, &addendum),
        Err(StoreError::PracticeCopy)
    ));
    assert!(matches!(
        store
            .record_mut()
            .save_private_note(copy, "mine", Utc::now()),
        Err(StoreError::PracticeCopy)
    ));
    drop(store);

    an_addendum_written_later_arrives(&t1, &n1, &held);
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
