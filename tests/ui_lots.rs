//! The controlled-substance log in the window: stock received, waste refused without a witness
//! and recorded with one, the balances on screen and in the journal, and the log saved as CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::Store;
use kap_journal::ui::{KapJournalApp, disable_file_dialogs};

use common::ui::{click, type_into};

fn shows(harness: &Harness<'_, KapJournalApp>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

fn balances(dir: &std::path::Path) -> Vec<(String, f64)> {
    let store = Store::open_for_reading(dir, &common::passphrase()).unwrap();
    store
        .registers()
        .lot_balances()
        .unwrap()
        .into_iter()
        .map(|lot| (lot.lot.to_string(), lot.balance_mg))
        .collect()
}

#[test]
fn stock_is_received_waste_needs_a_witness_and_the_log_is_saved_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &common::passphrase());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = common::ui::harness().build_eframe(move |cc| {
        disable_file_dialogs(&cc.egui_ctx);
        KapJournalApp::new(cc, store, clock)
            .automatic_backups(false)
            .writes_inline()
    });
    harness.run();
    click(&mut harness, "Lots");
    assert!(shows(&harness, "No lots yet"));

    type_into(&mut harness, "Lot", "KX-5");
    type_into(&mut harness, "Amount (mg)", "500");
    type_into(&mut harness, "Note", "invoice 881");
    click(&mut harness, "Record");
    assert!(shows(
        &harness,
        "Recorded: lot KX-5 received 500 mg; the balance is 500 mg."
    ));
    assert_eq!(balances(dir.path()), [("KX-5".to_owned(), 500.0)]);

    harness.get_by_label("Waste (witnessed)").click();
    harness.run();
    type_into(&mut harness, "Lot", "KX-5");
    type_into(&mut harness, "Amount (mg)", "2.5");
    click(&mut harness, "Record");
    assert!(shows(&harness, "Waste is destroyed before a witness"));
    assert_eq!(
        balances(dir.path()),
        [("KX-5".to_owned(), 500.0)],
        "nothing recorded"
    );
    type_into(&mut harness, "Witness", "A. Lee, RN");
    click(&mut harness, "Record");
    assert!(shows(&harness, "the balance is 497.5 mg"));
    assert_eq!(balances(dir.path()), [("KX-5".to_owned(), 497.5)]);
    assert!(
        shows(&harness, "witness A. Lee, RN"),
        "the entry list says who saw it"
    );

    click(&mut harness, "Save the log as CSV");
    assert!(shows(&harness, "Saved 2 entries to"));
    let exports = dir.path().join("exports");
    let file = std::fs::read_dir(&exports)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .expect("a CSV in the exports folder");
    let csv = std::fs::read_to_string(file).unwrap();
    assert!(
        csv.contains(",KX-5,ketamine,wasted,-2.5,497.5,,\"A. Lee, RN\","),
        "{csv}"
    );

    // Back goes to the session list, as from any reading view.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Controlled substances"));
}
