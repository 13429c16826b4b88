//! Backups in the real window: one made at start (the daily one) and one when a session ends, both
//! on their own thread; restoring one from Settings replaces the journal and keeps the old one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::ui::{click, start_session, step_until};
use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::{SessionFilter, Store, list_backups};
use kap_journal::ui::KapJournalApp;

#[test]
fn backups_are_made_at_start_and_session_end_and_one_is_restored_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let store = Store::open(dir.path(), &common::passphrase());
    let app_clock: Arc<dyn Clock> = clock.clone();
    let mut harness = common::ui::harness()
        .build_eframe(move |cc| KapJournalApp::new(cc, store, app_clock).writes_inline());
    let backups = || list_backups(dir.path()).unwrap();
    step_until(&mut harness, "the daily backup", |_| backups().len() == 1);

    start_session(&mut harness, "KAP");
    clock.advance(Duration::from_mins(5));
    click(&mut harness, "End session");
    common::ui::end_now(&mut harness);
    step_until(&mut harness, "the session-end backup", |_| {
        backups().len() == 2
    });
    let [newest, oldest] = <[_; 2]>::try_from(backups()).unwrap();
    assert!(newest.made_at > oldest.made_at);

    // Restore the backup made before the session.
    click(&mut harness, "Settings");
    step_until(&mut harness, "the backups listed", |h| {
        h.query_all(By::new().role(Role::Button).label("Restore…"))
            .count()
            == 2
    });
    let oldest_button = || By::new().role(Role::Button).label("Restore…");
    harness
        .query_all(oldest_button())
        .nth(1)
        .unwrap()
        .scroll_to_me();
    harness.run();
    harness.query_all(oldest_button()).nth(1).unwrap().click();
    harness.run();
    harness.get_by_label_contains("Replace the journal with this backup?");
    harness
        .get(By::new().role(Role::Button).label("Restore"))
        .click();
    step_until(&mut harness, "the restore", |h| {
        h.query_by_label_contains("The backup was restored.")
            .is_some()
    });
    assert!(
        std::fs::read_dir(dir.path()).unwrap().any(|entry| entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("journal.db.before-restore-")),
        "the replaced journal is kept"
    );
    drop(harness);

    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert!(
        store
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .is_empty(),
        "the journal is as it was before the session"
    );
}

#[test]
fn a_journal_that_fails_its_start_up_check_offers_the_newest_good_backup() {
    let journal = common::journal_with_fixture();
    let before = journal
        .store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .len();
    journal
        .store
        .backup_rotating(chrono::Utc::now(), 14, |_| {})
        .unwrap();
    let dir = journal.dir;
    drop(journal.store);
    // A failing disk flips one bit in a page of the timeline (one that opening does not read).
    let path = dir.path().join(kap_journal::store::DB_FILE_NAME);
    let page = common::pages_of(dir.path(), &["events"])[0];
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[usize::try_from(page).unwrap() * 4096 + 700] ^= 0x10;
    std::fs::write(&path, bytes).unwrap();

    let mut harness = common::ui::app(dir.path(), &journal.clock);
    // The check reads every page on its own thread; the window is usable meanwhile.
    step_until(&mut harness, "the start-up check", |h| {
        h.query_by_label_contains("failed its start-up check")
            .is_some()
    });
    click(&mut harness, "Restore the backup of");
    step_until(&mut harness, "the restore", |h| {
        h.query_by_label_contains("The backup was restored.")
            .is_some()
    });
    assert!(
        harness
            .query_by_label_contains("failed its start-up check")
            .is_none()
    );
    drop(harness);
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert!(store.damage().is_empty());
    assert!(store.integrity_problems().unwrap().is_empty());
    assert_eq!(
        store
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .len(),
        before
    );
}

#[test]
fn a_journal_too_damaged_to_open_offers_its_newest_good_backup_at_the_passphrase() {
    let journal = common::journal_with_fixture();
    journal
        .store
        .backup_rotating(chrono::Utc::now(), 14, |_| {})
        .unwrap();
    let dir = journal.dir;
    drop(journal.store);
    // Every page after the first fails its HMAC: the schema itself cannot be read.
    let path = dir.path().join(kap_journal::store::DB_FILE_NAME);
    let mut bytes = std::fs::read(&path).unwrap();
    for page in 1..bytes.len() / 4096 {
        bytes[page * 4096 + 700] ^= 0x10;
    }
    std::fs::write(&path, bytes).unwrap();

    let locked = kap_journal::store::LockedJournal::claim(dir.path());
    let app_clock: Arc<dyn Clock> = journal.clock.clone();
    let mut harness = common::ui::harness().build_eframe(move |cc| {
        KapJournalApp::new(cc, locked, app_clock)
            .automatic_backups(false)
            .writes_inline()
    });
    common::ui::type_into(&mut harness, "Passphrase", common::PASSPHRASE);
    click(&mut harness, "Unlock");
    harness.get_by_label_contains("journal.db is damaged where it must be read to open");
    click(&mut harness, "Restore the backup of");
    step_until(&mut harness, "the restore", |h| {
        h.query_by_label_contains("The backup was restored.")
            .is_some()
    });
    drop(harness);
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
    assert_eq!(
        store
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_backup_folder_chosen_in_settings_takes_the_next_backup() {
    let journal = common::journal();
    let dir = journal.dir;
    drop(journal.store);
    let external = tempfile::tempdir().unwrap();
    let mut harness = common::ui::app(dir.path(), &journal.clock);
    harness.run();
    click(&mut harness, "Settings");
    // The backups are the last section of Settings.
    harness.get_by_label("Back up now").scroll_to_me();
    harness.run();
    harness.get_by_label_contains("on the journal's own disk");

    common::ui::field(&harness, "Backup folder").scroll_to_me();
    harness.run();
    common::ui::field(&harness, "Backup folder").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    common::ui::field(&harness, "Backup folder").type_text(external.path().to_str().unwrap());
    harness.run();
    click(&mut harness, "Use this folder");
    harness.get_by_label_contains("Automatic backups now go to");
    click(&mut harness, "Back up now");
    let in_external = || {
        std::fs::read_dir(external.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                // The finished file: not its `.partial` copy, nor SQLite's files beside that.
                name.starts_with("journal-")
                    && std::path::Path::new(&name)
                        .extension()
                        .is_some_and(|extension| extension.eq_ignore_ascii_case("db"))
            })
    };
    step_until(&mut harness, "the backup in the chosen folder", |_| {
        in_external()
    });
    let listed = list_backups(dir.path()).unwrap();
    let names: Vec<_> = std::fs::read_dir(external.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(!listed.is_empty(), "{names:?}");
    assert!(
        listed[0]
            .path
            .starts_with(external.path().canonicalize().unwrap())
    );
}
