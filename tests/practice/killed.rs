//! A sync killed at any point: nothing lost, nothing repeated, the journal whole.

use super::*;

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
            store.record().audit_problems().unwrap().is_empty(),
            "{args:?}, kill point {kill_at}"
        );
        drop(store);
        finished(dir.path(), kill_at);
    }
    points
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
    for row in store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
    {
        if row.status == SessionStatus::Live {
            continue;
        }
        let uuid = store.record().session(row.id).unwrap().uuid;
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
            let links: Vec<String> = store
                .sharing()
                .practice_links()
                .unwrap()
                .into_values()
                .collect();
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
            .sharing()
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
