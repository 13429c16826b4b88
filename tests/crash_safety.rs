//! A child process logs notes and is killed with `SIGKILL` at random moments; every note it reported as committed
//! must be there afterwards, byte for byte, and SQLite's integrity check and the audit chain must pass.
//!
//! `KAP_CRASH_ROUNDS` sets the number of rounds (default 200, as in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Command, Stdio};
use std::time::Duration;

use kap_journal::domain::{EventKind, Seq};
use kap_journal::store::{DataKey, LockedJournal, Store, unlock_key};
use rand::{Rng, SeedableRng};

mod common;

fn crash_writer() -> std::path::PathBuf {
    // Test binaries live in target/<profile>/deps; cargo builds examples into target/<profile>/examples.
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let path = deps
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("crash_writer{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "build the example first (cargo test builds it): {}",
        path.display()
    );
    path
}

/// Parses the complete report lines; a line cut short by the kill is ignored, since the note it
/// describes was committed but not yet reported.
fn reported(stdout: &str) -> Vec<(u32, Vec<u8>)> {
    stdout
        .split_inclusive('\n')
        .filter(|line| line.ends_with('\n'))
        .map(|line| {
            let mut parts = line.trim_end().split(' ');
            let seq = parts.next().unwrap().parse().unwrap();
            let len: usize = parts.next().unwrap().parse().unwrap();
            let hex = parts.next().unwrap();
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            assert_eq!(bytes.len(), len);
            (seq, bytes)
        })
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_no_committed_event() {
    let rounds: u64 = std::env::var("KAP_CRASH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(200);
    let writer = crash_writer();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let mut acknowledged: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    let mut rounds_with_commits = 0;
    let mut key = None;
    for round in 0..rounds {
        let mut child = Command::new(&writer)
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .arg(dir.path())
            .arg(round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The kill falls during logging, not while the passphrase is still being checked.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut ready = String::new();
        stdout.read_line(&mut ready).unwrap();
        std::thread::sleep(Duration::from_micros(rng.random_range(500..40_000)));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no goodbye.
        let mut reports = String::new();
        stdout.read_to_string(&mut reports).unwrap();
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(ready, "ready\n", "the writer did not start: {stderr}");
        assert!(
            !status.success(),
            "the writer only stops when killed; it said: {stderr}"
        );
        assert!(
            stderr.is_empty(),
            "the writer failed before it was killed: {stderr}"
        );
        let lines = reported(&reports);
        rounds_with_commits += usize::from(!lines.is_empty());
        for (seq, bytes) in lines {
            assert!(
                acknowledged.insert(seq, bytes).is_none(),
                "sequence number {seq} reported twice"
            );
        }

        // The key is unwrapped once (after round 0 made it); each reopen then skips the derivation.
        let key = key
            .get_or_insert_with(|| unlock_key(dir.path(), &common::passphrase()).unwrap())
            .clone();
        let store = reopen_checked(dir.path(), key, round);
        let Some(session) = store.record().live_sessions().unwrap().first().cloned() else {
            continue;
        };
        let events = store.record().events(session.id).unwrap();
        assert!(
            events
                .iter()
                .enumerate()
                .all(|(index, event)| event.seq == Seq(index as u32 + 1)),
            "gapless order in round {round}"
        );
        for (seq, bytes) in &acknowledged {
            let event = events
                .get(*seq as usize - 1)
                .unwrap_or_else(|| panic!("acknowledged event {seq} lost in round {round}"));
            let EventKind::Note { text } = &event.kind else {
                panic!("event {seq} is not the note")
            };
            assert_eq!(
                text.as_bytes(),
                bytes.as_slice(),
                "event {seq} changed in round {round}"
            );
        }
    }
    assert!(
        rounds_with_commits * 2 > rounds as usize,
        "most rounds committed something ({rounds_with_commits} of {rounds})"
    );
    eprintln!(
        "{rounds} kills, {} acknowledged events, all present",
        acknowledged.len()
    );
}

/// Opens the journal after a kill and checks its pages and its audit chain.
fn reopen_checked(dir: &std::path::Path, key: DataKey, round: u64) -> Store {
    let store = LockedJournal::claim(dir).unwrap().open_with(key).unwrap();
    assert_eq!(
        store.integrity_problems().unwrap(),
        Vec::<String>::new(),
        "round {round}"
    );
    // Each entry's audit record commits in the same transaction: the chain survives the kill.
    assert_eq!(
        store.record().audit_problems().unwrap(),
        Vec::<String>::new(),
        "round {round}"
    );
    store
}
