//! Logging one event (a committed, fsynced transaction) through the live engine, beside two floors
//! in the same run: a bare SQLCipher INSERT under the journal's own key, cipher settings and
//! pragmas (`store::connect_floor`: the honest floor), and a bare unencrypted rusqlite INSERT with
//! WAL and full synchronous writes (what the figure was compared with before). Criterion gives the
//! usual statistics; a second pass prints the median and p99 of each, interleaved.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::Criterion;
use kap_journal::live::LiveSession;
use kap_journal::store::Store;

mod common;

use common::figures;

const NOTE: &str = "Client describes a wave of warmth through the chest; breathing slow and even.";

/// A live session in a new journal.
fn journal() -> (tempfile::TempDir, Store, LiveSession) {
    let dir = tempfile::tempdir().unwrap();
    let (store, live) = common::live_session_in(dir.path());
    (dir, store, live)
}

/// The events table of both floors: one row per note, keyed as the journal keys its entries.
const FLOOR_TABLE: &str = "CREATE TABLE events (session_id INTEGER, seq INTEGER, wall_ms INTEGER, elapsed_ms INTEGER, kind TEXT, payload TEXT, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;";

/// The honest floor: a new encrypted file under `journal`'s key, with the journal's cipher
/// settings and every pragma its connection runs under.
fn floor(journal: &std::path::Path) -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let key = kap_journal::store::unlock_key(journal, &common::passphrase()).unwrap();
    let conn = kap_journal::store::connect_floor(&dir.path().join("floor.db"), &key).unwrap();
    conn.execute_batch(FLOOR_TABLE).unwrap();
    (dir, conn)
}

/// A bare unencrypted table with WAL and full synchronous writes (the floor before there was one
/// under the journal's cipher).
fn raw() -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("raw.db")).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .unwrap();
    conn.execute_batch(FLOOR_TABLE).unwrap();
    (dir, conn)
}

fn raw_insert(conn: &rusqlite::Connection, seq: i64) {
    conn.prepare_cached("INSERT INTO events VALUES (1, ?1, ?2, ?3, 'note', ?4)")
        .unwrap()
        .execute(rusqlite::params![seq, seq, seq, NOTE])
        .unwrap();
}

fn bench(c: &mut Criterion, demo: &std::path::Path) {
    let mut group = c.benchmark_group("log_event");
    let (_dir, mut store, mut live) = journal();
    group.bench_function("journal_note_commit", |b| {
        b.iter(|| common::log_note(&mut store, &mut live, NOTE));
    });
    drop((store, live));
    let (mut store, mut live) = common::live_session_in(demo);
    group.bench_function("journal_note_commit_in_demo", |b| {
        b.iter(|| common::log_note(&mut store, &mut live, NOTE));
    });
    drop((store, live));
    let (journal_dir, _journal, _live) = journal();
    let (_floor_dir, floor_conn) = floor(journal_dir.path());
    let mut seq = 0;
    group.bench_function("sqlcipher_insert_same_key_and_pragmas", |b| {
        b.iter(|| {
            seq += 1;
            raw_insert(&floor_conn, seq);
        });
    });
    let (_raw_dir, conn) = raw();
    let mut seq = 0;
    group.bench_function("raw_rusqlite_insert", |b| {
        b.iter(|| {
            seq += 1;
            raw_insert(&conn, seq);
        });
    });
    group.finish();
}

fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "{label:<28} n={} median={:?} p99={:?} max={:?}",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// Median and p99 over 2,000 single commits each, interleaved so all see the same disk: a new
/// journal, each practice demo, and the two floors.
fn tail_latency(demos: &[(String, tempfile::TempDir)]) {
    let (dir, mut store, mut live) = journal();
    let mut in_demos: Vec<_> = demos
        .iter()
        .map(|(_, demo)| common::live_session_in(demo.path()))
        .collect();
    let (_raw_dir, conn) = raw();
    let (_floor_dir, floor_conn) = floor(dir.path());
    let (mut journal_times, mut raw_times, mut floor_times) = (Vec::new(), Vec::new(), Vec::new());
    let mut demo_times = vec![Vec::new(); demos.len()];
    for seq in 1..=2000 {
        let start = Instant::now();
        common::log_note(&mut store, &mut live, NOTE);
        journal_times.push(start.elapsed());
        for ((demo_store, demo_live), times) in in_demos.iter_mut().zip(&mut demo_times) {
            let start = Instant::now();
            common::log_note(demo_store, demo_live, NOTE);
            times.push(start.elapsed());
        }
        let start = Instant::now();
        raw_insert(&floor_conn, seq);
        floor_times.push(start.elapsed());
        let start = Instant::now();
        raw_insert(&conn, seq);
        raw_times.push(start.elapsed());
    }
    let (floor_median, _) = figures::median_and(&floor_times, 0.99);
    let floor = figures::Floor {
        what: "a bare SQLCipher INSERT, the journal's key, cipher and pragmas".to_owned(),
        median_ms: floor_median,
    };
    let figure = |id: String, what: String, times: &[Duration]| {
        let (median_ms, p99) = figures::median_and(times, 0.99);
        figures::Figure {
            id,
            what,
            median_ms,
            tail: Some(("p99".to_owned(), p99)),
            floor: Some(floor.clone()),
            peak_mb: None,
            goal: "≤ 1.5x the floor".to_owned(),
            measured: figures::today(),
        }
    };
    let mut recorded = vec![figure(
        "note_durable_new".to_owned(),
        "one live note, durable (commit + fsync), a new journal".to_owned(),
        &journal_times,
    )];
    percentiles("journal note commit", journal_times);
    for ((label, _), times) in demos.iter().zip(demo_times) {
        recorded.push(figure(
            format!("note_durable_{label}"),
            format!("the same in the {label} practice demo"),
            &times,
        ));
        percentiles(&format!("same, in the {label} demo"), times);
    }
    percentiles("SQLCipher INSERT, same key+pragmas", floor_times);
    percentiles("raw rusqlite INSERT", raw_times);
    figures::record("log_event", &recorded);
}

fn main() {
    // Copies: the notes logged here must not change the demos the other benches read.
    let demos: Vec<(String, tempfile::TempDir)> = common::sizes()
        .into_iter()
        .map(|(sessions, clients)| {
            let cached = common::cached_demo_journal(clients, sessions);
            (format!("{}k", sessions / 1000), common::copy_of(&cached))
        })
        .collect();
    let mut criterion = Criterion::default().configure_from_args();
    if let Some((_, smallest)) = demos.first() {
        bench(&mut criterion, smallest.path());
    }
    tail_latency(&demos);
    criterion.final_summary();
}
