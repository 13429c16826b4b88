//! The data every benchmark runs on: `kap-journal demo --clients 400 --sessions 20000 --seed 1`.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Instant;

use kap_journal::demo::{DemoPlan, generate};
use kap_journal::store::Store;

/// A fresh journal of 20,000 synthetic sessions (about 1.27 M events) in a temporary folder.
pub fn demo_journal_20k() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let started = Instant::now();
    let report = generate(
        &mut store,
        DemoPlan {
            clients: 400,
            sessions: 20_000,
            seed: 1,
        },
        |_, _| {},
    )
    .unwrap();
    eprintln!(
        "data: {} sessions, {} events, written in {:.1} s",
        report.sessions,
        report.events,
        started.elapsed().as_secs_f64()
    );
    dir
}
