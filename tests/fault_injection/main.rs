//! A crash at every instant that matters: each command that replaces or makes a file (backup,
//! restore, import, the encryption of a journal from before encryption, an export) is run once per
//! call that makes data durable or moves a file (fsync, fdatasync, rename, link, unlink, as SQLite
//! and the app make them) and killed with SIGKILL just before that call, by a small `LD_PRELOAD` shim
//! (`tests/fixtures/kill_at_sync.c`, compiled here with the C compiler that links Rust). After every
//! kill the folder must open with its passphrase, pass the start-up check, hold either the old or
//! the new record whole, and keep no partial or plaintext file once KAP Journal has started again.
//!
//! Each test prints how many kill points it tried.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod exports;

use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::Output;

use kap_journal::store::{AccessMode, LockedJournal, SessionFilter, Store};

/// Runs `kap-journal` on `dir` with `args`, killed just before durable call number `kill_at`
/// (0: not killed; then `count` receives how many such calls it made).
fn run(dir: &Path, args: &[String], kill_at: usize, count: Option<&Path>) -> Output {
    run_signalled(dir, args, kill_at, count, None)
}

/// [`run`] with `signal` sent instead of SIGKILL (SIGINT: the clinician pressed Ctrl+C).
fn run_signalled(
    dir: &Path,
    args: &[String],
    kill_at: usize,
    count: Option<&Path>,
    signal: Option<i32>,
) -> Output {
    let mut command = common::kill_points::killed_at(kill_at, count);
    if let Some(signal) = signal {
        command.env("KAP_KILL_SIGNAL", signal.to_string());
    }
    command
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args);
    command.output().unwrap()
}

/// Runs `args` on a fresh copy of `template` once per kill point, then lets `verify` look at the
/// copy (and at the scratch folder beside it, where outputs go). Returns the number of kill points.
fn at_every_kill_point(
    template: &Path,
    args: impl Fn(&Path) -> Vec<String> + Sync,
    verify: impl Fn(&Path, &Path, usize) + Sync,
) -> usize {
    let counting = tempfile::tempdir().unwrap();
    let (dir, scratch) = (counting.path().join("journal"), counting.path().join("out"));
    common::copy_folder(template, &dir);
    std::fs::create_dir_all(&scratch).unwrap();
    let count_file = counting.path().join("count");
    let output = run(&dir, &args(&scratch), 0, Some(&count_file));
    assert!(output.status.success(), "the command itself: {output:?}");
    let points = common::kill_points::points_in(&count_file);
    assert!(points > 0);
    // The rounds are independent (a folder each), so they run side by side on every core.
    let next = std::sync::atomic::AtomicUsize::new(1);
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let kill_at = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if kill_at > points {
                        break;
                    }
                    let round = tempfile::tempdir().unwrap();
                    let (dir, scratch) = (round.path().join("journal"), round.path().join("out"));
                    common::copy_folder(template, &dir);
                    std::fs::create_dir_all(&scratch).unwrap();
                    let output = run(&dir, &args(&scratch), kill_at, None);
                    // Threads may make their calls in another order from run to run; a run that
                    // finished before the chosen call is as good a case as a killed one.
                    assert!(
                        output.status.signal() == Some(9) || output.status.success(),
                        "kill point {kill_at}: {output:?}"
                    );
                    verify(&dir, &scratch, kill_at);
                }
            });
        }
    });
    points
}

/// Opens the folder as the window would after the crash: it must open, be writable, pass the
/// start-up check; returns its number of sessions.
fn opens_whole(dir: &Path, kill_at: usize) -> usize {
    let mut store = Store::open(dir, &common::passphrase())
        .unwrap_or_else(|error| panic!("kill point {kill_at}: {error}"));
    assert_eq!(
        store.access(),
        AccessMode::Writer,
        "kill point {kill_at}: {:?}",
        store.damage()
    );
    let problems = store.run_start_up_check().unwrap().to_vec();
    assert!(problems.is_empty(), "kill point {kill_at}: {problems:?}");
    assert!(
        store.record().audit_problems().unwrap().is_empty(),
        "kill point {kill_at}"
    );
    store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .len()
}

/// No file in `folder` (or below it) is a partial output or a note of one.
fn nothing_partial(folder: &Path, kill_at: usize) {
    for (name, _) in common::folder_snapshot(folder) {
        assert!(
            !name.ends_with(".partial") && !name.contains(".kap-journal-"),
            "kill point {kill_at}: {name} was left"
        );
        assert!(
            !name.starts_with("unfinished/"),
            "kill point {kill_at}: {name}"
        );
    }
}

/// A closed journal holding the fixture (2 sessions).
fn fixture_folder() -> tempfile::TempDir {
    let journal = common::journal_with_fixture();
    drop(journal.store);
    journal.dir
}

#[test]
fn a_backup_killed_at_any_point_leaves_the_journal_whole_and_no_partial_copy() {
    let template = fixture_folder();
    let points = at_every_kill_point(
        template.path(),
        |scratch| {
            vec![
                "backup".into(),
                "--out".into(),
                scratch.join("backup.db").display().to_string(),
            ]
        },
        |dir, scratch, kill_at| {
            assert_eq!(opens_whole(dir, kill_at), 2, "kill point {kill_at}");
            nothing_partial(dir, kill_at);
            nothing_partial(scratch, kill_at);
            let backup = scratch.join("backup.db");
            if backup.exists() {
                // A backup that is there restores whole, on a new computer.
                let elsewhere = tempfile::tempdir().unwrap();
                let store = LockedJournal::claim(elsewhere.path())
                    .unwrap()
                    .restore_from(&backup, &common::passphrase(), |_| {})
                    .unwrap_or_else(|error| panic!("kill point {kill_at}: {error}"));
                assert_eq!(
                    store
                        .record()
                        .session_summaries(&SessionFilter::default())
                        .unwrap()
                        .len(),
                    2
                );
            }
        },
    );
    println!("backup: {points} kill points, each held");
}

#[test]
fn a_restore_killed_at_any_point_leaves_the_old_journal_or_the_new_one() {
    let template = fixture_folder();
    // The backup holds one session more than the journal it is restored over (the same journal,
    // a little later).
    let files = tempfile::tempdir().unwrap();
    let later = files.path().join("later");
    common::copy_folder(template.path(), &later);
    let backup = files.path().join("journal-backup.db");
    {
        let mut store = Store::open(&later, &common::passphrase()).unwrap();
        let client = common::client(&mut store, "C-0900");
        let new = common::new_session(&client, kap_journal::domain::TreatmentModel::Kap);
        store
            .record_mut()
            .start_session(&new, chrono::Utc::now())
            .unwrap();
        store.backup_to(&backup, |_| {}).unwrap();
    }
    let points = at_every_kill_point(
        template.path(),
        |_| vec!["restore".into(), backup.display().to_string()],
        |dir, _, kill_at| {
            let sessions = opens_whole(dir, kill_at);
            assert!(
                sessions == 2 || sessions == 3,
                "kill point {kill_at}: {sessions}"
            );
            nothing_partial(dir, kill_at);
        },
    );
    println!("restore: {points} kill points, each held");
}

#[test]
fn an_import_killed_at_any_point_imports_all_or_nothing() {
    let template = tempfile::tempdir().unwrap();
    drop(Store::open(template.path(), &common::passphrase()).unwrap());
    let files = tempfile::tempdir().unwrap();
    let archive = files.path().join("archive.json");
    std::fs::write(&archive, common::FIXTURE).unwrap();
    let points = at_every_kill_point(
        template.path(),
        |_| vec!["import".into(), archive.display().to_string()],
        |dir, _, kill_at| {
            let sessions = opens_whole(dir, kill_at);
            assert!(
                sessions == 0 || sessions == 2,
                "kill point {kill_at}: {sessions}"
            );
            nothing_partial(dir, kill_at);
        },
    );
    println!("import: {points} kill points, each held");
}

#[test]
fn encrypting_a_journal_from_before_killed_at_any_point_finishes_at_the_next_start() {
    // As a version before encryption left it: before the audit log too (schema 5), unencrypted.
    let template = fixture_folder();
    common::rewind_schema(template.path(), 5);
    common::decrypt_in_place(template.path());
    let sentinel = "Meet the grief about my father";
    assert!(!common::files_holding(template.path(), sentinel).is_empty());
    let points = at_every_kill_point(
        template.path(),
        |_| vec!["settings".into(), "--set".into(), "vitals-every=10".into()],
        |dir, _, kill_at| {
            assert_eq!(opens_whole(dir, kill_at), 2, "kill point {kill_at}");
            assert!(
                common::files_holding(dir, sentinel).is_empty(),
                "kill point {kill_at}: plaintext left in {:?}",
                common::files_holding(dir, sentinel)
            );
        },
    );
    println!("encryption: {points} kill points, each held");
}

/// How many audit entries the journal in `dir` holds: one command's transaction adds its entries
/// all at once, so a kill leaves the count before it or after it, never between.
fn audit_len(dir: &Path) -> i64 {
    Store::open_for_reading(dir, &common::passphrase())
        .unwrap()
        .record()
        .audit_len()
        .unwrap()
}

/// A closed demo journal (lots, consents, check-ins, REMS forms), with one esketamine session's
/// REMS form due again; returns it with that session and a check-in that is due.
fn demo_folder() -> (tempfile::TempDir, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    assert!(common::kap_journal(dir.path(), &["demo"]).status.success());
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let now = chrono::Utc::now();
    let esketamine = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .into_iter()
        .find(|session| session.route == kap_journal::domain::Route::IntranasalEsketamine)
        .unwrap()
        .id;
    store
        .registers_mut()
        .withdraw_rems_submission(esketamine, now, "Synthetic: marked in error.")
        .unwrap();
    let check_in = store.registers().follow_ups_due(now).unwrap()[0]
        .follow_up
        .id;
    drop(store);
    (dir, esketamine.0, check_in.0)
}

#[test]
fn every_other_writer_killed_at_any_point_commits_all_or_nothing() {
    let (template, esketamine, check_in) = demo_folder();
    let files = tempfile::tempdir().unwrap();
    let text = files.path().join("consent.txt");
    std::fs::write(&text, "Synthetic consent text, version two.\n").unwrap();
    let writers: [(&str, Vec<String>); 6] = [
        (
            "lots receive",
            [
                "lots",
                "receive",
                "KET-2699",
                "--substance",
                "ketamine",
                "--mg",
                "500",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "consent",
            ["consent", "D-0012", "--agree", "off-label"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "consent text",
            vec![
                "consent".into(),
                "text".into(),
                "--file".into(),
                text.display().to_string(),
            ],
        ),
        (
            "follow-ups record",
            vec![
                "follow-ups".into(),
                "record".into(),
                check_in.to_string(),
                "--phq9".into(),
                "211101000".into(),
            ],
        ),
        (
            "rems submitted",
            vec!["rems".into(), "submitted".into(), esketamine.to_string()],
        ),
        (
            "settings",
            ["settings", "--clinic-name", "Synthetic Clinic Renamed"]
                .map(String::from)
                .to_vec(),
        ),
    ];
    let before = audit_len(template.path());
    for (what, args) in writers {
        // What the command adds when it runs to its end.
        let whole = tempfile::tempdir().unwrap();
        common::copy_folder(template.path(), whole.path());
        let output = run(whole.path(), &args, 0, None);
        assert!(output.status.success(), "{what}: {output:?}");
        let after = audit_len(whole.path());
        assert!(after > before, "{what} wrote nothing");

        let points = at_every_kill_point(
            template.path(),
            |_| args.clone(),
            |dir, _, kill_at| {
                opens_whole(dir, kill_at);
                let now = audit_len(dir);
                assert!(
                    now == before || now == after,
                    "{what}, kill point {kill_at}: {now} audit entries, not {before} or {after}"
                );
                nothing_partial(dir, kill_at);
            },
        );
        println!("{what}: {points} kill points, each all or nothing");
    }
}

#[test]
fn the_very_first_run_killed_at_any_point_starts_again() {
    // An empty template: the folder the first command makes its journal in.
    let template = tempfile::tempdir().unwrap();
    let points = at_every_kill_point(
        template.path(),
        |_| {
            ["settings", "--clinic-name", "Synthetic First Clinic"]
                .map(String::from)
                .to_vec()
        },
        |dir, _, kill_at| {
            // Never refused as a journal lost: the next start makes it, or opens the one made.
            let output =
                common::kap_journal(dir, &["settings", "--clinic-name", "Synthetic Again"]);
            assert!(output.status.success(), "kill point {kill_at}: {output:?}");
            opens_whole(dir, kill_at);
            assert!(
                !dir.join(kap_journal::store::FIRST_RUN_FILE_NAME).exists(),
                "kill point {kill_at}"
            );
        },
    );
    println!("first run: {points} kill points, each started again");
}
