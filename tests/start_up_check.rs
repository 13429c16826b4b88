//! The start-up check of a large journal reads only what changed since the last full check (the
//! audit entries since, their chain and seals, and every journal entry they name, matched against its
//! sealed digest); a full check (every page, the whole chain) runs when none is recent, in idle time
//! and on `check`, and what it covered is recorded for the next start.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use chrono::{Duration, Utc};
use kap_journal::store::{CheckScope, DB_FILE_NAME, FullCheckMark, Store};

const PAGE: u64 = 4096;

/// A journal too large to check before the window shows (60 demo sessions).
fn large_journal() -> tempfile::TempDir {
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
    assert!(bytes > kap_journal::store::CHECK_AT_ONCE_BYTES);
    dir
}

/// Runs the start-up check as the window does (a reader of its own, on another thread); a full
/// check that found nothing is recorded.
fn start_up(dir: &Path) -> (CheckScope, Vec<String>) {
    let mut store = Store::open(dir, &common::passphrase()).unwrap();
    let check = store
        .start_up_check()
        .unwrap()
        .expect("checked beside the window");
    let found = std::thread::spawn(move || check.run())
        .join()
        .unwrap()
        .unwrap();
    if let Some(mark) = &found.covered {
        store.record_full_check(mark).unwrap();
    }
    (found.scope, found.problems)
}

/// A new session of a demo client (whose consent is on record) with one note, then its end: written
/// after whatever check came before.
fn write_a_session(dir: &Path) {
    use kap_journal::domain::{EventKind, Seq, TreatmentModel};
    use kap_journal::store::NewEvent;
    let mut store = Store::open(dir, &common::passphrase()).unwrap();
    let client = store.record().clients().unwrap().remove(0);
    let started = Utc::now() - Duration::hours(2);
    let session = store
        .record_mut()
        .start_session(&common::new_session(&client, TreatmentModel::Kap), started)
        .unwrap();
    let event = |minutes: i64, kind: EventKind| NewEvent {
        wall_time: started + Duration::minutes(minutes),
        elapsed_ms: minutes * 60_000,
        kind,
    };
    store
        .record_mut()
        .append_events(
            session.id,
            Seq(1),
            &[event(
                5,
                EventKind::Note {
                    text: "Breathing slowly.".into(),
                },
            )],
        )
        .unwrap();
    store
        .end_session(
            session.id,
            Seq(2),
            &[event(
                90,
                EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            )],
        )
        .unwrap();
}

#[test]
fn the_first_start_checks_everything_and_the_next_only_what_changed_since() {
    let dir = large_journal();
    let (scope, problems) = start_up(dir.path());
    assert_eq!(scope, CheckScope::Full);
    assert!(problems.is_empty(), "{problems:?}");

    write_a_session(dir.path());
    let (scope, problems) = start_up(dir.path());
    let CheckScope::SinceFullCheck {
        entries,
        audit_entries,
    } = scope
    else {
        panic!("a full check a moment ago: only what changed is read, not {scope:?}");
    };
    assert!(problems.is_empty(), "{problems:?}");
    // The session's note and its end, and the audit entries of everything the session wrote.
    assert_eq!(entries, 2);
    assert!(audit_entries >= 4, "{audit_entries}");
}

#[test]
fn an_entry_rewritten_past_its_audit_trigger_after_the_full_check_is_found_at_the_next_start() {
    let dir = large_journal();
    start_up(dir.path());
    write_a_session(dir.path());
    // Someone with the key removes the audit trigger and rewrites the note just written.
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    let changed = conn
        .execute_batch(
            "DROP TRIGGER audit_events_update;
             UPDATE events SET payload = replace(payload, 'slowly', 'quickly')
             WHERE session_id = (SELECT max(id) FROM sessions) AND seq = 1;",
        )
        .map(|()| conn.changes());
    assert_eq!(changed.unwrap(), 1);
    drop(conn);

    let (scope, problems) = start_up(dir.path());
    assert!(
        matches!(scope, CheckScope::SinceFullCheck { .. }),
        "{scope:?}"
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("entry 1") && problems[0].contains("does not match its audit entry"),
        "{problems:?}"
    );
    assert!(!problems[0].contains("quickly"), "never the text");
}

#[test]
fn an_audit_entry_rewritten_after_the_full_check_is_found_and_one_before_it_too() {
    let dir = large_journal();
    start_up(dir.path());
    write_a_session(dir.path());
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    let last: i64 = conn
        .query_row("SELECT max(seq) FROM audit_log", [], |row| row.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET subject = 'setting clinic' WHERE seq = {last};"
    ))
    .unwrap();
    drop(conn);
    let (_, problems) = start_up(dir.path());
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains(&format!("audit entry {last}"))),
        "{problems:?}"
    );

    // The entry the full check ended on, rewritten: the chain it vouched for is not the one there.
    let dir = large_journal();
    start_up(dir.path());
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let mark = store.last_full_check().unwrap().expect("recorded");
    drop(store);
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET at_ms = at_ms + 1 WHERE seq = {};",
        mark.audit_seq
    ))
    .unwrap();
    drop(conn);
    write_a_session(dir.path());
    let (_, problems) = start_up(dir.path());
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains(&format!("audit entry {}", mark.audit_seq))),
        "{problems:?}"
    );
}

#[test]
fn damage_to_a_page_unchanged_since_the_full_check_is_left_to_the_next_full_check_which_finds_it() {
    let dir = large_journal();
    start_up(dir.path());
    let page = common::pages_of(dir.path(), &["events"])[3];
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .read(true)
        .open(dir.path().join(DB_FILE_NAME))
        .unwrap();
    {
        use std::io::{Read, Seek, SeekFrom, Write};
        let mut byte = [0_u8];
        file.seek(SeekFrom::Start(page * PAGE + 700)).unwrap();
        file.read_exact(&mut byte).unwrap();
        byte[0] ^= 0x10;
        file.seek(SeekFrom::Start(page * PAGE + 700)).unwrap();
        file.write_all(&byte).unwrap();
    }
    drop(file);
    let (scope, _) = start_up(dir.path());
    assert!(
        matches!(scope, CheckScope::SinceFullCheck { .. }),
        "{scope:?}"
    );

    // The full check of idle time reads every page.
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let found = store.full_check().unwrap().run().unwrap();
    assert_eq!(found.scope, CheckScope::Full);
    assert!(
        found
            .problems
            .iter()
            .any(|problem| problem.contains(&format!("page {}", page + 1))),
        "{:?}",
        found.problems
    );
    assert!(
        found.covered.is_none(),
        "a check that found damage vouches for nothing"
    );
}

#[test]
fn a_full_check_older_than_a_week_is_not_relied_on() {
    let dir = large_journal();
    start_up(dir.path());
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let mark = store.last_full_check().unwrap().unwrap();
    let old = FullCheckMark {
        at: Utc::now() - Duration::days(8),
        ..mark
    };
    store.record_full_check(&old).unwrap();
    drop(store);
    let (scope, problems) = start_up(dir.path());
    assert_eq!(scope, CheckScope::Full);
    assert!(problems.is_empty());
}

#[test]
fn the_window_records_its_full_check_and_runs_another_while_locked_once_the_last_is_a_day_old() {
    use std::sync::Arc;
    let dir = large_journal();
    let clock = Arc::new(kap_journal::live::ManualClock::new(Utc::now()));
    // The window's first start: no full check on record, so every page is read, and recorded.
    let mut harness = common::ui::app(dir.path(), &clock);
    harness.run();
    drop(harness);
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let first = store
        .last_full_check()
        .unwrap()
        .expect("recorded by the window");
    assert!(Utc::now() - first.at < Duration::minutes(5));
    let two_days_ago = FullCheckMark {
        at: Utc::now() - Duration::days(2),
        ..first
    };
    store.record_full_check(&two_days_ago).unwrap();
    drop(store);

    // Next start: the full check of two days ago is relied on; locked, the window runs a new one.
    let mut harness = common::ui::app(dir.path(), &clock);
    harness.run();
    let recorded = || -> i64 {
        kap_journal::store::connect_raw(dir.path(), &common::passphrase())
            .unwrap()
            .query_row("SELECT count(*) FROM full_checks", [], |row| row.get(0))
            .unwrap()
    };
    assert_eq!(recorded(), 2, "the start-up check read only what changed");
    common::ui::click(&mut harness, "Lock");
    assert!(harness.state().is_locked());
    harness.run();
    assert_eq!(recorded(), 3, "a full check ran while locked");
    drop(harness);
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let newest = store.last_full_check().unwrap().expect("recorded");
    assert!(
        Utc::now() - newest.at < Duration::minutes(5),
        "a full check ran while locked: {newest:?}"
    );
}

#[test]
fn check_records_a_full_check_that_found_nothing_and_the_next_start_relies_on_it() {
    let dir = large_journal();
    let output = common::kap_journal(dir.path(), &["check"]);
    assert!(output.status.success(), "{output:?}");
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let mark = store
        .last_full_check()
        .unwrap()
        .expect("check recorded what it read");
    assert!(Utc::now() - mark.at < Duration::minutes(5));
    drop(store);
    let (scope, problems) = start_up(dir.path());
    assert!(
        matches!(scope, CheckScope::SinceFullCheck { .. }),
        "{scope:?}"
    );
    assert!(problems.is_empty(), "{problems:?}");
}
