//! Damage to the journal file: found by `kap-journal check` and at start-up, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use kap_journal::store::{DB_FILE_NAME, Store, StoreError};

const PAGE: u64 = 4096;

fn check(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap()
}

/// Flips one bit of the byte at `offset` in the journal file, as a failing disk might.
fn flip(dir: &Path, offset: u64) {
    let path = dir.join(DB_FILE_NAME);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = usize::try_from(offset).unwrap();
    bytes[at] ^= 0x10;
    std::fs::write(&path, bytes).unwrap();
}

/// A closed journal holding the fixture, and its number of pages.
fn closed_journal() -> (tempfile::TempDir, u64) {
    let journal = common::journal_with_fixture();
    drop(journal.store);
    let pages = std::fs::metadata(journal.dir.path().join(DB_FILE_NAME))
        .unwrap()
        .len()
        / PAGE;
    assert!(pages > 4, "{pages} pages");
    (journal.dir, pages)
}

#[test]
fn a_sound_journal_passes_the_check() {
    let (dir, _) = closed_journal();
    let output = check(dir.path());
    assert!(output.status.success(), "{output:?}");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("is sound")
    );
}

#[test]
fn a_flipped_bit_in_a_page_is_found_by_check_and_at_start_up() {
    let (dir, _) = closed_journal();
    // A page of the timeline: opening the journal does not read it, the checks do.
    let page = common::pages_of(dir.path(), &["events"])[0];
    flip(dir.path(), page * PAGE + 700);

    let output = check(dir.path());
    assert!(!output.status.success(), "check exits non-zero on damage");
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(
        report.contains(&format!("HMAC verification failed for page {}", page + 1)),
        "{report}"
    );

    // At start-up: opened to be read, refused for writing, with a sentence saying why.
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert!(!store.run_start_up_check().unwrap().is_empty());
    let error = store
        .record_mut()
        .save_draft(kap_journal::domain::SessionId(1), "x", chrono::Utc::now())
        .unwrap_err();
    assert!(matches!(error, StoreError::OpenedDamaged), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "run kap-journal check");
}

#[test]
fn damage_to_the_first_page_is_one_sentence_and_no_panic() {
    let (dir, _) = closed_journal();
    flip(dir.path(), 100);
    let error = Store::open(dir.path(), &common::passphrase()).unwrap_err();
    common::assert_one_sentence(&error.to_string(), "run kap-journal check");
    let output = check(dir.path());
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("journal.db is damaged"), "{message}");
}

#[test]
fn check_names_the_first_tampered_audit_entry_and_exits_non_zero() {
    let (dir, _) = closed_journal();
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))
        .unwrap();
    assert!(entries > 10, "{entries} entries");
    // Someone with the key removes the append-only guard and rewrites what entry 7 says was done.
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET action = 'insert', subject = 'setting clinic' WHERE seq = 7;",
    )
    .unwrap();
    drop(conn);

    let output = check(dir.path());
    assert!(!output.status.success(), "{output:?}");
    let report = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<_> = report.lines().collect();
    assert_eq!(lines.len(), 2, "{report}");
    assert!(lines[0].contains("has 1 problem;"), "{report}");
    assert_eq!(
        lines[1].trim(),
        "audit entry 7 (insert of setting clinic) does not match its seal: it was changed after it was written"
    );
}

#[test]
fn a_large_journal_is_checked_beside_the_window_and_then_made_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let plan = kap_journal::demo::DemoPlan {
        clients: 10,
        sessions: 60,
        seed: 7,
    };
    kap_journal::demo::generate(&mut store, plan, |_, _| {}).unwrap();
    drop(store);
    let bytes = std::fs::metadata(dir.path().join(DB_FILE_NAME))
        .unwrap()
        .len();
    assert!(
        bytes > kap_journal::store::CHECK_AT_ONCE_BYTES,
        "{bytes} bytes"
    );
    // Pages on SQLite's free list are not read by the check, so a bit is flipped in several pages.
    for page in common::pages_of(dir.path(), &["events", "event_search_data"])
        .into_iter()
        .step_by(16)
    {
        flip(dir.path(), page * PAGE + 700);
    }

    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let check = store
        .start_up_check()
        .unwrap()
        .expect("a journal this size is checked on a reader of its own");
    assert!(
        store.damage().is_empty(),
        "writable until the check says otherwise"
    );
    let found = std::thread::spawn(move || check.run())
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(
        found.scope,
        kap_journal::store::CheckScope::Full,
        "none recorded before"
    );
    assert!(
        found.covered.is_none(),
        "damage found: nothing to vouch for"
    );
    let problems = found.problems;
    assert!(!problems.is_empty());
    store.mark_damaged(problems);
    let error = store
        .record_mut()
        .save_draft(kap_journal::domain::SessionId(1), "x", chrono::Utc::now())
        .unwrap_err();
    assert!(matches!(error, StoreError::OpenedDamaged), "{error:?}");
}
