//! The passphrase screen in the real app: choosing one for a new journal, and unlocking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod locking;

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::{KEY_FILE_NAME, LockedJournal, Passphrase, Store};
use kap_journal::ui::KapJournalApp;

use common::ui::{click, step_until, type_into};

fn locked_app(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    let journal = LockedJournal::claim(dir);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    common::ui::harness().build_eframe(move |cc| {
        KapJournalApp::new(cc, journal, clock)
            .automatic_backups(false)
            .writes_inline()
    })
}

/// Types into the passphrase field and presses Enter, as at the unlock and lock screens.
fn submit_passphrase(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    type_into(harness, "Passphrase", text);
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn a_new_journal_asks_for_a_passphrase_twice_and_refuses_a_short_or_mismatched_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = locked_app(dir.path());
    harness.run();
    assert!(
        harness
            .query_by_label("Choose a passphrase for this journal")
            .is_some()
    );

    type_into(&mut harness, "Passphrase", "too short");
    type_into(&mut harness, "Passphrase again", "too short");
    click(&mut harness, "Create journal");
    assert!(
        harness
            .query_by_label("A passphrase needs at least 10 characters.")
            .is_some()
    );
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing written");

    type_into(&mut harness, "Passphrase", "long enough passphrase");
    type_into(&mut harness, "Passphrase again", "long enough passphrasE");
    click(&mut harness, "Create journal");
    assert!(
        harness
            .query_by_label("The two passphrases differ; type them again.")
            .is_some()
    );
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing written");

    type_into(&mut harness, "Passphrase", "long enough passphrase");
    type_into(&mut harness, "Passphrase again", "long enough passphrase");
    click(&mut harness, "Create journal");
    assert!(harness.query_by_label("No sessions yet").is_some());
    drop(harness);

    let store = Store::open(
        dir.path(),
        &Passphrase::new("long enough passphrase".to_owned()),
    );
    assert!(store.is_ok(), "the chosen passphrase opens the journal");
}

#[test]
fn a_wrong_passphrase_gets_one_sentence_and_the_right_one_opens_the_journal() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let before = common::folder_snapshot(dir.path());

    let mut harness = locked_app(dir.path());
    harness.run();
    assert!(harness.query_by_label("Unlock KAP Journal").is_some());
    assert!(harness.query_by_label("Passphrase again").is_none());
    for attempt in 0..3 {
        submit_passphrase(&mut harness, "not the passphrase");
        assert!(
            harness
                .query_by_label("That passphrase does not unlock this journal.")
                .is_some(),
            "attempt {attempt}"
        );
        assert!(
            harness.query_by_label_contains("C-").is_none(),
            "no client data shown"
        );
    }
    assert_eq!(
        common::folder_snapshot(dir.path()),
        before,
        "wrong tries wrote nothing"
    );

    submit_passphrase(&mut harness, common::PASSPHRASE);
    assert!(harness.query_by_label("Unlock KAP Journal").is_none());
    assert!(harness.query_by_label_contains("Sessions").is_some());
}

#[test]
fn the_passphrase_is_changed_in_the_settings_and_the_old_one_stops_working() {
    let journal = common::journal();
    let dir = journal.dir;
    drop(journal.store);
    let mut harness = common::ui::app(dir.path(), &journal.clock);
    click(&mut harness, "Settings");

    type_into(&mut harness, "Current passphrase", "not the passphrase");
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase");
    click(&mut harness, "Change passphrase");
    assert!(
        harness
            .query_by_label("That passphrase does not unlock this journal.")
            .is_some()
    );

    type_into(&mut harness, "Current passphrase", common::PASSPHRASE);
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase!");
    click(&mut harness, "Change passphrase");
    assert!(
        harness
            .query_by_label("The two new passphrases differ; nothing was changed.")
            .is_some()
    );

    type_into(&mut harness, "Current passphrase", common::PASSPHRASE);
    type_into(&mut harness, "New passphrase", "a fresh passphrase");
    type_into(&mut harness, "New passphrase again", "a fresh passphrase");
    click(&mut harness, "Change passphrase");
    assert!(harness.query_by_label("Passphrase changed.").is_some());
    drop(harness);

    assert!(Store::open(dir.path(), &common::passphrase()).is_err());
    assert!(
        Store::open(
            dir.path(),
            &Passphrase::new("a fresh passphrase".to_owned())
        )
        .is_ok()
    );
}

#[test]
fn a_new_folder_restores_a_backup_from_another_computer_with_its_passphrase() {
    // The backup of a journal on the old computer.
    let old = common::journal_with_fixture();
    let files = tempfile::tempdir().unwrap();
    let backup = files.path().join("journal-20261130-180000.db");
    old.store.backup_to(&backup, |_| {}).unwrap();
    drop(old);

    let dir = tempfile::tempdir().unwrap();
    let mut harness = locked_app(dir.path());
    harness.run();
    harness.get_by_label("Or restore a backup");
    type_into(&mut harness, "Backup file", backup.to_str().unwrap());
    type_into(
        &mut harness,
        "Passphrase of the backup",
        "not the passphrase at all",
    );
    click(&mut harness, "Restore from a backup");
    step_until(&mut harness, "the refusal", |h| {
        h.query_by_label("That passphrase does not unlock this journal.")
            .is_some()
    });
    assert!(!dir.path().join(KEY_FILE_NAME).exists(), "nothing kept");

    type_into(&mut harness, "Passphrase of the backup", common::PASSPHRASE);
    click(&mut harness, "Restore from a backup");
    step_until(&mut harness, "the restored journal", |h| {
        h.query_by_label_contains("The backup was restored.")
            .is_some()
    });
    harness.run();
    // The fixture's live session is taken up again, as after any start.
    assert!(
        harness
            .query_all_by_label_contains("C-0007")
            .next()
            .is_some()
    );
    assert!(dir.path().join(KEY_FILE_NAME).exists());
}

/// The key is derived on a thread of its own: the frame that takes the passphrase only starts the
/// try, the button says so meanwhile, and the journal opens when the try is done.
#[test]
fn the_passphrase_is_tried_beside_the_window_which_keeps_drawing() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let locked = LockedJournal::claim(dir.path());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::harness()
        .build_eframe(move |cc| KapJournalApp::new(cc, locked, clock).automatic_backups(false));
    harness.run();
    type_into(&mut harness, "Passphrase", common::PASSPHRASE);
    harness.key_press(egui::Key::Enter);
    harness.step();
    assert!(
        harness.query_by_label("Unlocking…").is_some(),
        "the frame started the try and went on"
    );
    step_until(&mut harness, "the journal to open", |harness| {
        harness.query_by_label("Unlock KAP Journal").is_none()
    });
    harness.run();
    assert!(harness.state().journal().is_some());
}
