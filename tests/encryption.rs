//! Encryption at rest: what lands on disk, the passphrase, and encrypting a journal from before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;

use chrono::Utc;
use kap_journal::domain::{EventKind, NoteFormat, ProgressNote, TreatmentModel};
use kap_journal::live::LiveCommand;
use kap_journal::store::{
    DB_FILE_NAME, JournalState, KEY_FILE_NAME, LockedJournal, Passphrase, Store, StoreError,
    journal_state,
};

const SENTINEL: &str = "QUOKKA-SENTINEL-4417";

/// A journal whose note, progress note, private note, intention and client name all carry the sentinel.
fn journal_with_sentinel() -> (common::Journal, kap_journal::domain::SessionId) {
    let mut journal = common::journal();
    let client = journal
        .store
        .record_mut()
        .create_client(
            &kap_journal::domain::NewClient {
                code: "S-0001".to_owned(),
                display_name: Some(format!("Name {SENTINEL}")),
                weight_kg: Some(70.0),
            },
            Utc::now(),
        )
        .unwrap();
    let mut new = common::new_session(&client, TreatmentModel::Kap);
    new.intention = format!("Intention {SENTINEL}");
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = kap_journal::live::LiveSession::start(&mut journal.store, clock, &new).unwrap();
    live.log(
        &mut journal.store,
        LiveCommand::Note(format!("The client said {SENTINEL} twice.")),
    )
    .unwrap();
    let id = live.session().id;
    let note = ProgressNote::new(
        NoteFormat::Soap,
        vec![
            format!("S {SENTINEL}"),
            String::new(),
            String::new(),
            String::new(),
        ],
    )
    .unwrap();
    journal
        .store
        .record_mut()
        .save_progress_note(id, &note, Utc::now())
        .unwrap();
    journal
        .store
        .record_mut()
        .save_private_note(id, &format!("Private {SENTINEL}"), Utc::now())
        .unwrap();
    journal
        .store
        .record_mut()
        .save_draft(id, &format!("Draft {SENTINEL}"), Utc::now())
        .unwrap();
    (journal, id)
}

#[test]
fn the_sentinel_is_in_no_file_on_disk_while_open_or_after_closing() {
    let (journal, id) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    // While open, the newest pages are in the write-ahead log.
    let open_files: Vec<String> = common::folder_snapshot(&dir)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(
        open_files.contains(&format!("{DB_FILE_NAME}-wal")),
        "{open_files:?}"
    );
    assert_eq!(common::files_holding(&dir, SENTINEL), Vec::<String>::new());
    // The store itself reads it back, so the sentinel really was written.
    let events = journal.store.record().events(id).unwrap();
    assert!(
        events.iter().any(
            |event| matches!(&event.kind, EventKind::Note { text } if text.contains(SENTINEL))
        )
    );
    // An automatic backup beside it is encrypted as well.
    let backup = journal
        .store
        .backup_rotating(Utc::now(), 14, |_| {})
        .unwrap();
    assert!(backup.path.starts_with(&dir));
    drop(journal.store);
    let files: Vec<String> = common::folder_snapshot(&dir)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(
        files
            .iter()
            .any(|name| name.starts_with("backups/journal-")),
        "{files:?}"
    );
    assert_eq!(common::files_holding(&dir, SENTINEL), Vec::<String>::new());
    assert!(
        common::files_holding(&dir, "S-0001").is_empty(),
        "client codes are encrypted too"
    );
}

#[test]
fn the_file_cannot_be_opened_without_the_key_or_with_another_journals_key() {
    let (journal, _) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);

    let plain = rusqlite::Connection::open(dir.join(DB_FILE_NAME)).unwrap();
    let error = plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap_err();
    assert_eq!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase),
        "{error}"
    );
    drop(plain);

    // Another journal's key file, with the same passphrase, holds another data key.
    let other = common::journal();
    std::fs::copy(
        other.dir.path().join(KEY_FILE_NAME),
        dir.join(KEY_FILE_NAME),
    )
    .unwrap();
    let error = Store::open(&dir, &common::passphrase()).unwrap_err();
    assert!(matches!(error, StoreError::KeyMismatch), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "journal.key belongs to another journal");
}

#[test]
fn three_wrong_passphrases_change_nothing_and_the_right_one_still_opens() {
    let (journal, id) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let before = common::folder_snapshot(&dir);

    let locked = LockedJournal::claim(&dir).unwrap();
    assert_eq!(locked.state(), JournalState::Encrypted);
    for guess in ["synthetic test passphrasE", "", "something else entirely"] {
        let error = locked
            .unlock(&Passphrase::new(guess.to_owned()))
            .unwrap_err();
        assert!(matches!(error, StoreError::WrongPassphrase), "{error:?}");
        common::assert_one_sentence(&error.to_string(), "does not unlock this journal");
    }
    assert_eq!(
        common::folder_snapshot(&dir),
        before,
        "wrong tries wrote nothing"
    );

    let store = locked.unlock(&common::passphrase()).unwrap();
    assert!(store.record().private_note(id).unwrap().is_some());
}

#[test]
fn a_changed_passphrase_opens_the_same_journal_and_the_old_one_no_longer_does() {
    let (journal, id) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    let new = Passphrase::new("a brand new passphrase".to_owned());

    let error = journal
        .store
        .change_passphrase(&common::passphrase(), &Passphrase::new("short".to_owned()))
        .unwrap_err();
    assert!(
        matches!(error, StoreError::PassphraseTooShort { .. }),
        "{error:?}"
    );
    let error = journal
        .store
        .change_passphrase(&Passphrase::new("not the current one".to_owned()), &new)
        .unwrap_err();
    assert!(matches!(error, StoreError::WrongPassphrase), "{error:?}");

    journal
        .store
        .change_passphrase(&common::passphrase(), &new)
        .unwrap();
    journal.store.check_passphrase(&new).unwrap();
    drop(journal.store);
    let error = Store::open(&dir, &common::passphrase()).unwrap_err();
    assert!(matches!(error, StoreError::WrongPassphrase), "{error:?}");
    let store = Store::open(&dir, &new).unwrap();
    assert_eq!(store.record().events(id).unwrap().len(), 1);
}

#[test]
fn a_short_new_passphrase_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let error = Store::open(dir.path(), &Passphrase::new("too short".to_owned())).unwrap_err();
    assert!(
        matches!(error, StoreError::PassphraseTooShort { min: 10 }),
        "{error:?}"
    );
    common::assert_one_sentence(&error.to_string(), "at least 10 characters");
    assert!(!dir.path().join(KEY_FILE_NAME).exists());
    assert!(!dir.path().join(DB_FILE_NAME).exists());
}

#[test]
fn a_journal_whose_key_file_is_gone_is_refused_with_a_sentence() {
    let (journal, _) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    std::fs::remove_file(dir.join(KEY_FILE_NAME)).unwrap();
    let error = LockedJournal::claim(&dir).unwrap_err();
    assert!(matches!(error, StoreError::KeyMissing { .. }), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "key file journal.key is missing");
}

/// What a journal holds, as the store reads it: every session with its entries and notes.
fn contents(store: &Store) -> String {
    let mut text = String::new();
    for id in store.record().session_ids().unwrap() {
        let session = store.record().session(id).unwrap();
        let events = store.record().events(id).unwrap();
        let progress = store.record().progress_note(id).unwrap();
        let private = store
            .record()
            .private_note(id)
            .unwrap()
            .map(|note| note.text);
        writeln!(text, "{session:?}\n{events:?}\n{progress:?}\n{private:?}").unwrap();
    }
    text
}

#[test]
fn an_unencrypted_journal_from_before_is_encrypted_checked_and_replaced() {
    let (journal, _) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    let expected = contents(&journal.store);
    drop(journal.store);
    common::decrypt_in_place(&dir);
    assert_eq!(journal_state(&dir).unwrap(), JournalState::Unencrypted);
    assert!(
        !common::files_holding(&dir, SENTINEL).is_empty(),
        "the old journal is readable text"
    );
    // (The schema version travels with the copy: were it lost, the migrations would run again on
    // tables that exist and fail.)

    let locked = LockedJournal::claim(&dir).unwrap();
    assert_eq!(locked.state(), JournalState::Unencrypted);
    let error = locked.unlock(&common::passphrase()).unwrap_err();
    assert!(
        matches!(error, StoreError::KeyMissing { .. }),
        "unlocking needs a key file first"
    );
    let store = locked.create(&common::passphrase()).unwrap();
    assert_eq!(contents(&store), expected);
    drop(store);
    drop(locked);

    assert_eq!(common::files_holding(&dir, SENTINEL), Vec::<String>::new());
    let names: Vec<String> = common::folder_snapshot(&dir)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(
        !names.iter().any(|name| name.contains("encrypting")),
        "{names:?}"
    );
    assert_eq!(journal_state(&dir).unwrap(), JournalState::Encrypted);
}

#[test]
fn an_encryption_cut_short_after_the_key_was_written_is_finished_by_the_next_unlock() {
    let (journal, _) = journal_with_sentinel();
    let dir = journal.dir.path().to_path_buf();
    let expected = contents(&journal.store);
    drop(journal.store);
    let key_file = std::fs::read(dir.join(KEY_FILE_NAME)).unwrap();
    common::decrypt_in_place(&dir);
    // The crash: the new key file is in place, the journal still unencrypted, a half copy beside it.
    std::fs::write(dir.join(KEY_FILE_NAME), key_file).unwrap();
    std::fs::write(dir.join("journal.db.encrypting"), b"half a copy").unwrap();

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(contents(&store), expected);
    drop(store);
    assert_eq!(common::files_holding(&dir, SENTINEL), Vec::<String>::new());
    assert!(!dir.join("journal.db.encrypting").exists());
}
