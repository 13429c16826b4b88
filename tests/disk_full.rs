//! A full disk: the write is refused with one sentence, nothing already saved is lost, what was
//! typed stays on screen, and writing resumes when space returns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::notes;
use common::ui::{field, start_session};
use egui::Key;
use egui_kittest::kittest::Queryable;
use kap_journal::domain::{SessionId, TreatmentModel};
use kap_journal::live::{LiveCommand, ManualClock};
use kap_journal::store::{Store, StoreError};

/// A note long enough to need new pages wherever it goes.
fn long_note() -> String {
    "Long reflection on the session, written out in full. ".repeat(300)
}

#[test]
fn a_full_disk_refuses_the_write_loses_nothing_and_writing_resumes() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    for n in 0..3 {
        live.log(&mut journal.store, LiveCommand::Note(format!("before {n}")))
            .unwrap();
    }
    let saved_before = journal.store.record().events(id).unwrap();

    journal.store.simulate_full_disk(true).unwrap();
    let error = live
        .log(&mut journal.store, LiveCommand::Note(long_note()))
        .unwrap_err();
    assert!(matches!(error, StoreError::DiskFull), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "disk is full");
    let draft = journal
        .store
        .record_mut()
        .save_draft(id, &long_note(), chrono::Utc::now());
    assert!(matches!(draft, Err(StoreError::DiskFull)), "{draft:?}");
    assert_eq!(journal.store.record().events(id).unwrap(), saved_before);
    assert_eq!(
        live.events(),
        saved_before.as_slice(),
        "the engine kept nothing unsaved"
    );

    journal.store.simulate_full_disk(false).unwrap();
    live.log(&mut journal.store, LiveCommand::Note(long_note()))
        .unwrap();
    live.log(&mut journal.store, LiveCommand::Note("after".into()))
        .unwrap();
    let mut expected: Vec<String> = (0..3).map(|n| format!("before {n}")).collect();
    expected.extend([long_note(), "after".to_owned()]);
    assert_eq!(notes(&journal.store, id), expected);
    assert!(journal.store.integrity_problems().unwrap().is_empty());
    assert!(journal.store.record().audit_problems().unwrap().is_empty());
}

#[test]
fn in_the_window_the_note_stays_on_screen_until_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    let note = long_note();
    field(&harness, "Note").click();
    harness.run();
    full_disk(&harness, true);
    field(&harness, "Note").type_text(&note);
    harness.key_press(Key::Enter);
    harness.run();
    // Said once where the note was refused, and again by the draft's status in the header.
    harness.get_by_label(&StoreError::DiskFull.to_string());
    harness.get_by_label_contains("Draft NOT saved: The disk is full");
    assert!(
        field(&harness, "Note").value().as_deref() == Some(note.as_str()),
        "the refused note is still in the field"
    );

    full_disk(&harness, false);
    // The note field keeps the focus, so Enter sends the same words again.
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("All entries saved");
    harness.run();
    assert_eq!(field(&harness, "Note").value().as_deref(), Some(""));
    assert!(
        harness
            .query_by_label_contains("The disk is full")
            .is_none()
    );
    drop(harness);
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(notes(&store, SessionId(1)), [note]);
}

/// Makes the window's journal behave as on a full disk, or lifts that, through its one writer.
fn full_disk(harness: &egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>, full: bool) {
    harness
        .state()
        .journal()
        .unwrap()
        .write(kap_journal::changes::SimulateFullDisk(full))
        .unwrap();
}

/// Writes `one` with a growing number until the full disk refuses one; that one is refused whole
/// with one sentence, and everything written before it stays. Returns how many were written.
fn until_full(
    store: &mut Store,
    mut one: impl FnMut(&mut Store, usize) -> Result<(), StoreError>,
) -> usize {
    store.simulate_full_disk(true).unwrap();
    for n in 0..100_000 {
        match one(store, n) {
            Ok(()) => {}
            Err(StoreError::DiskFull) => {
                assert!(store.record().audit_problems().unwrap().is_empty());
                store.simulate_full_disk(false).unwrap();
                // With room again, the refused one goes in.
                one(store, n).unwrap();
                return n;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    panic!("the disk never filled");
}

fn hex_key(n: usize) -> String {
    format!("{n:064x}")
}

#[test]
fn a_full_disk_refuses_a_link_a_refusal_and_a_trusted_key_whole() {
    let mut journal = common::journal();
    let store = &mut journal.store;
    let at = chrono::Utc::now();
    let linked = until_full(store, |store, n| {
        let code = format!("L-{n:05}");
        store
            .sharing_mut()
            .link_practice_client(&code, &code, at)
            .map(|_| ())
    });
    assert_eq!(store.sharing().practice_links().unwrap().len(), linked + 1);

    let refused = until_full(store, |store, n| {
        let mut batch = store.begin_import()?;
        batch.note_refused(uuid::Uuid::from_u128(n as u128 + 1), "t_one", "new_key", at)?;
        batch.commit_step()
    });
    assert_eq!(
        store.sharing().practice_quarantined().unwrap().len(),
        refused + 1
    );

    let trusted = until_full(store, |store, n| {
        let error = store
            .sharing_mut()
            .trust_practice_key("t_one", &hex_key(n), at);
        if let Err(error) = &error {
            common::assert_one_sentence(&error.to_string(), "disk is full");
        }
        error.map(|_| ())
    });
    assert_eq!(
        store.sharing().practice_pinned_keys().unwrap()["t_one"].len(),
        trusted + 1
    );
    assert!(store.record().audit_problems().unwrap().is_empty());
    println!("full disk after {linked} links, {refused} refusals, {trusted} keys");
}
