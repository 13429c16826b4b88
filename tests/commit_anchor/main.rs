//! The commit anchor: a journal that lost committed changes (a damaged write-ahead log, an older copy
//! of journal.db, audit entries cut from its end) is found at open, opened to read only, said in one
//! sentence, and nothing is deleted; an anchor that lags behind (a kill between a commit and its
//! anchor) is no alarm.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod advice;
#[path = "../common/mod.rs"]
mod common;

use std::path::Path;

use chrono::Utc;
use kap_journal::domain::{Addendum, Clinician, NoteFormat, ProgressNote, TreatmentModel};
use kap_journal::live::LiveCommand;
use kap_journal::store::{
    ANCHOR_FILE_NAME, AccessMode, DB_FILE_NAME, KEY_FILE_NAME, Store, StoreError, connect_raw,
};

/// WAL header and frame header sizes (SQLite's file format) and the journal's page size.
const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;
const PAGE: usize = 4096;

/// The files of a journal as a laptop that died would leave them: the journal, its log and index,
/// its key and its anchor, copied while the journal is open.
fn copy_as_if_it_died(from: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    for name in [
        DB_FILE_NAME.to_owned(),
        format!("{DB_FILE_NAME}-wal"),
        format!("{DB_FILE_NAME}-shm"),
        KEY_FILE_NAME.to_owned(),
        ANCHOR_FILE_NAME.to_owned(),
    ] {
        if from.join(&name).exists() {
            std::fs::copy(from.join(&name), to.path().join(&name)).unwrap();
        }
    }
    to
}

/// A journal holding the fixture plus a live session with `notes` notes, still open, so the newest
/// commits are in its write-ahead log.
fn journal_with_newest_commits_in_the_log(notes: usize) -> common::Journal {
    let mut journal = common::journal_with_fixture();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    for n in 0..notes {
        live.log(
            &mut journal.store,
            LiveCommand::Note(format!("synthetic note {n}")),
        )
        .unwrap();
    }
    journal
}

/// Every session `sessions --json` lists, both models together.
fn sessions_json(dir: &Path) -> Vec<serde_json::Value> {
    let output = common::kap_journal(dir, &["sessions", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    ["kap", "medical"]
        .iter()
        .flat_map(|model| document[model].as_array().unwrap().clone())
        .collect()
}

#[test]
fn a_flipped_bit_in_the_write_ahead_log_is_found_said_and_nothing_is_deleted() {
    let journal = journal_with_newest_commits_in_the_log(20);
    let sound = copy_as_if_it_died(journal.dir.path());
    let damaged = copy_as_if_it_died(journal.dir.path());
    drop(journal);

    // The log holds the newest commits: a copy without damage opens with all three sessions.
    let wal_path = damaged.path().join(format!("{DB_FILE_NAME}-wal"));
    let wal = std::fs::read(&wal_path).unwrap();
    assert!(
        wal.len() > WAL_HEADER + FRAME_HEADER + PAGE,
        "the log holds frames"
    );
    assert_eq!(sessions_json(sound.path()).len(), 3);

    // One bit of the first frame's page: SQLite drops that frame and every later one without a word.
    let mut flipped = wal.clone();
    flipped[WAL_HEADER + FRAME_HEADER + 100] ^= 0x04;
    std::fs::write(&wal_path, &flipped).unwrap();
    // The journal file must not be touched before anyone has looked.
    std::fs::remove_file(damaged.path().join(format!("{DB_FILE_NAME}-shm"))).unwrap();
    let journal_before = std::fs::read(damaged.path().join(DB_FILE_NAME)).unwrap();

    let output = common::kap_journal(damaged.path(), &["check"]);
    assert!(!output.status.success(), "{output:?}");
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(said.contains("lacks the newest"), "{said}");
    assert!(said.contains("write-ahead log was damaged"), "{said}");
    assert!(said.contains("nothing was deleted"), "{said}");

    // Nothing was written over by the reader: the journal file and its log as they were.
    assert_eq!(
        std::fs::read(damaged.path().join(DB_FILE_NAME)).unwrap(),
        journal_before
    );
    assert_eq!(std::fs::read(&wal_path).unwrap(), flipped);

    // The window's open: read only, the sentence among its problems, writes refused.
    let mut store = Store::open(damaged.path(), &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert!(store.damage()[0].contains("lacks the newest"));
    let refused = store.record_mut().create_client(
        &kap_journal::domain::NewClient {
            code: "C-9".into(),
            display_name: None,
            weight_kg: None,
        },
        Utc::now(),
    );
    assert!(
        matches!(refused, Err(StoreError::OpenedDamaged)),
        "{refused:?}"
    );
    drop(store);
    // Nor by the window's open: and a copy of the log as it was found is kept under a name of its own.
    assert_eq!(
        std::fs::read(damaged.path().join(DB_FILE_NAME)).unwrap(),
        journal_before
    );
    assert_eq!(std::fs::read(&wal_path).unwrap(), flipped);
    let kept: Vec<String> = std::fs::read_dir(damaged.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&format!("{DB_FILE_NAME}-wal.damaged-")))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read(damaged.path().join(&kept[0])).unwrap(),
        flipped
    );
}

#[test]
fn an_older_copy_of_the_journal_put_in_its_place_is_found() {
    let mut journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let older = std::fs::read(dir.join(DB_FILE_NAME)).unwrap();
    journal.store = Store::open(&dir, &common::passphrase()).unwrap();
    common::client(&mut journal.store, "C-0300");
    common::client(&mut journal.store, "C-0301");
    drop(journal.store);
    std::fs::write(dir.join(DB_FILE_NAME), &older).unwrap();

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert_eq!(store.damage().len(), 1, "{:?}", store.damage());
    common::assert_one_sentence(
        &format!("{}.", store.damage()[0]),
        "lacks the newest 2 changes recorded in this folder",
    );
    // Restoring the newest good backup (the older copy is as good as one here) gives a journal that
    // opens as writer again, with an anchor of its own.
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("older-backup.db");
    store.backup_to(&backup, |_| {}).unwrap();
    let output = common::kap_journal(&dir, &["check"]);
    assert!(!output.status.success(), "{output:?}");
    let (locked, _) = store.close_for_restore().unwrap();
    let restored = locked
        .restore_from(&backup, &common::passphrase(), |_| {})
        .unwrap();
    assert_eq!(
        restored.access(),
        AccessMode::Writer,
        "{:?}",
        restored.damage()
    );
    drop((restored, locked));
    let reopened = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(
        reopened.access(),
        AccessMode::Writer,
        "{:?}",
        reopened.damage()
    );
}

#[test]
fn audit_entries_cut_from_the_end_are_found() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let conn = connect_raw(&dir, &common::passphrase()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log);",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert!(
        store.damage()[0].contains("lacks the newest 3 changes"),
        "{:?}",
        store.damage()
    );
}

#[test]
fn a_journal_replaced_by_another_with_as_many_entries_is_found() {
    // Two journals under the same key, written differently: the anchor of one refuses the other.
    let journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let other = tempfile::tempdir().unwrap();
    for name in [DB_FILE_NAME, KEY_FILE_NAME] {
        std::fs::copy(dir.join(name), other.path().join(name)).unwrap();
    }
    let mut first = Store::open(&dir, &common::passphrase()).unwrap();
    common::client(&mut first, "C-0400");
    drop(first);
    let mut second = Store::open(other.path(), &common::passphrase()).unwrap();
    common::client(&mut second, "C-0401");
    drop(second);
    std::fs::copy(other.path().join(DB_FILE_NAME), dir.join(DB_FILE_NAME)).unwrap();

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert!(
        store.damage()[0].contains("is not the one whose changes were last recorded"),
        "{:?}",
        store.damage()
    );
}

#[test]
fn an_anchor_behind_the_journal_is_no_alarm_and_catches_up() {
    // A process killed between a commit and its anchor leaves an anchor one commit behind.
    let mut journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    let behind = std::fs::read(dir.join(ANCHOR_FILE_NAME)).unwrap();
    common::client(&mut journal.store, "C-0500");
    drop(journal.store);
    std::fs::write(dir.join(ANCHOR_FILE_NAME), &behind).unwrap();

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Writer, "{:?}", store.damage());
    assert_eq!(anchored_seq(&dir), store.record().audit_len().unwrap());
    // A missing, torn or unreadable anchor says nothing either (a journal from before anchors).
    drop(store);
    std::fs::write(dir.join(ANCHOR_FILE_NAME), b"kap-journal-anchor-1 99").unwrap();
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Writer);
}

/// The audit entry the anchor file names (the second word of its newer slot).
fn anchored_seq(dir: &Path) -> i64 {
    std::fs::read_to_string(dir.join(ANCHOR_FILE_NAME))
        .unwrap()
        .lines()
        .filter_map(|slot| slot.split(' ').nth(1)?.parse().ok())
        .max()
        .unwrap()
}

#[test]
fn every_kind_of_write_moves_the_anchor() {
    let mut journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    let store_len = |store: &Store| store.record().audit_len().unwrap();
    let check = |store: &Store, what: &str| {
        assert_eq!(anchored_seq(&dir), store_len(store), "after {what}");
    };
    check(&journal.store, "opening");
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    check(&journal.store, "a client and a session start");
    live.log(&mut journal.store, LiveCommand::Note("synthetic".into()))
        .unwrap();
    check(&journal.store, "a note");
    live.end(&mut journal.store, "ended", None).unwrap();
    check(&journal.store, "a session end");
    let session = live.session().id;
    journal
        .store
        .record_mut()
        .save_progress_note(
            session,
            &ProgressNote::new(
                NoteFormat::Dap,
                vec!["Synthetic.".into(), "Calm.".into(), "Integrate.".into()],
            )
            .unwrap(),
            Utc::now(),
        )
        .unwrap();
    check(&journal.store, "a progress note");
    journal
        .store
        .record_mut()
        .save_private_note(session, "synthetic private", Utc::now())
        .unwrap();
    check(&journal.store, "a private note");
    let clinician = Clinician {
        name: "Dr. R. Example".into(),
        credentials: "MD".into(),
    };
    journal.store.save_clinician(&clinician).unwrap();
    check(&journal.store, "the clinician");
    let mut settings = journal.store.clinic_settings().unwrap();
    settings.monitor_minutes += 5;
    journal.store.save_clinic_settings(&settings).unwrap();
    check(&journal.store, "the clinic settings");
    journal
        .store
        .record_mut()
        .sign_session(session, &clinician, Utc::now())
        .unwrap();
    check(&journal.store, "a signature");
    journal
        .store
        .record_mut()
        .add_addendum(
            session,
            &Addendum {
                author: clinician.clone(),
                written_at: Utc::now(),
                reason: "Synthetic correction.".into(),
                text: "Synthetic addendum.".into(),
            },
        )
        .unwrap();
    check(&journal.store, "an addendum");
    kap_journal::export::import_archive(
        &mut journal.store,
        common::FIXTURE.as_bytes(),
        kap_journal::export::OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    check(&journal.store, "an import");
}

#[test]
fn a_session_end_copies_the_log_into_the_journal() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::Note("synthetic".into()))
        .unwrap();
    live.end(&mut journal.store, "ended", None).unwrap();
    // journal.db alone, without its log, already holds the ended session.
    let alone = tempfile::tempdir().unwrap();
    for name in [DB_FILE_NAME, KEY_FILE_NAME] {
        std::fs::copy(journal.dir.path().join(name), alone.path().join(name)).unwrap();
    }
    let sessions = sessions_json(alone.path());
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["status"], "ended", "{sessions:?}");
}
