//! What unlocking costs: deriving the key-encryption key from the passphrase (Argon2id at the
//! recommended cost) and unwrapping the data key, then opening the encrypted journal with it: a new
//! journal, and the 20,000-session practice demo beside a bare SQLCipher connection to the same file
//! under the same key (the floor).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kap_journal::store::{LockedJournal, Store, connect_raw_with, unlock_key};

mod common;

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), &common::passphrase()).unwrap());
    let mut group = c.benchmark_group("unlock");
    group.sample_size(20);
    group.bench_function(
        "derive and unwrap the data key (Argon2id 64 MiB, 3 passes)",
        |b| {
            b.iter(|| unlock_key(dir.path(), &common::passphrase()).unwrap());
        },
    );
    let key = unlock_key(dir.path(), &common::passphrase()).unwrap();
    group.bench_function("open a new encrypted journal with the unwrapped key", |b| {
        b.iter(|| {
            let journal = LockedJournal::claim(dir.path()).unwrap();
            drop(journal.open_with(key.clone()).unwrap());
        });
    });

    let demo = common::demo_journal_20k();
    let key = unlock_key(demo.path(), &common::passphrase()).unwrap();
    group.bench_function("open the 20k practice demo with the unwrapped key", |b| {
        b.iter(|| {
            let journal = LockedJournal::claim(demo.path()).unwrap();
            drop(journal.open_with(key.clone()).unwrap());
        });
    });
    group.bench_function("bare SQLCipher connection to the 20k demo, same key", |b| {
        b.iter(|| drop(connect_raw_with(demo.path(), &key).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, unlock);
criterion_main!(benches);
