//! Fuzzes the archive importer: no input may panic it, and an input it refuses must leave the journal
//! exactly as it was. Run with `cargo +nightly fuzz run import_archive` from the repository root.
#![no_main]

use std::sync::{Mutex, OnceLock};

use chrono::{TimeZone, Utc};
use kap_journal::export::{OnExisting, import_archive};
use kap_journal::store::{Passphrase, Store};
use libfuzzer_sys::fuzz_target;

/// One journal for the whole run (opening one per input would be most of the work).
fn journal() -> &'static Mutex<(tempfile::TempDir, Store)> {
    static JOURNAL: OnceLock<Mutex<(tempfile::TempDir, Store)>> = OnceLock::new();
    JOURNAL.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Store::open(dir.path(), &Passphrase::new("fuzz passphrase".to_owned())).expect("a fresh journal");
        Mutex::new((dir, store))
    })
}

fuzz_target!(|data: &[u8]| {
    let mut guard = journal().lock().expect("not poisoned");
    let store = &mut guard.1;
    let before = store.session_ids().expect("readable").len();
    let clients_before = store.clients().expect("readable").len();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    match import_archive(store, data, OnExisting::Refuse, now) {
        Ok(report) => assert_eq!(
            store.session_ids().expect("readable").len(),
            before + report.sessions
        ),
        Err(error) => {
            assert!(!error.to_string().is_empty());
            assert_eq!(store.session_ids().expect("readable").len(), before);
            assert_eq!(store.clients().expect("readable").len(), clients_before);
        }
    }
});
