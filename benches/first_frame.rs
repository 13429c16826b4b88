//! Unlock to first frame with 20,000 demo sessions in the data folder: open the encrypted journal
//! with its unwrapped key (pragmas, version check, migration), build the app, and run egui until the
//! first frame has settled. Deriving the key from the passphrase comes on top (benches/unlock.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use kap_journal::live::{Clock, SystemClock};
use kap_journal::store::{LockedJournal, unlock_key};
use kap_journal::ui::KapJournalApp;

fn bench(c: &mut Criterion) {
    let dir = common::demo_journal_20k();
    let mut group = c.benchmark_group("startup");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(20));
    let key = unlock_key(dir.path(), &common::passphrase()).unwrap();
    group.bench_function("open_and_first_frame_20k_sessions", |b| {
        b.iter(|| {
            let store = LockedJournal::claim(dir.path())
                .unwrap()
                .open_with(key.clone());
            let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
            let mut harness = egui_kittest::Harness::builder()
                .with_size([1280.0, 800.0])
                .build_eframe(move |cc| {
                    KapJournalApp::new(cc, store, clock).automatic_backups(false)
                });
            harness.step();
            harness
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
