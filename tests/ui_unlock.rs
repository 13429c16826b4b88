//! The passphrase screen in the real app: choosing one for a new journal, and unlocking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::{KEY_FILE_NAME, LockedJournal, Passphrase, Store};
use kap_journal::ui::KapJournalApp;

use common::ui::{click, type_into};

fn locked_app(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    let journal = LockedJournal::claim(dir);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| KapJournalApp::new(cc, journal, clock))
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
        type_into(&mut harness, "Passphrase", "not the passphrase");
        harness.key_press(egui::Key::Enter);
        harness.run();
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

    type_into(&mut harness, "Passphrase", common::PASSPHRASE);
    harness.key_press(egui::Key::Enter);
    harness.run();
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
