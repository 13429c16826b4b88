//! The controlled-substance log: what a session gave enters it when the session ends, stock and
//! waste keep its rules, nothing in it ever changes, and it leaves as CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chrono::Utc;
use kap_journal::domain::{
    EventKind, LotCode, Micrograms, Movement, NewSubstanceEntry, PreSession, SessionId, Substance,
    SubstanceLogError, TreatmentModel,
};
use kap_journal::live::{LiveCommand, LiveSession};
use kap_journal::store::{Store, StoreError};

fn lot(code: &str) -> LotCode {
    LotCode::parse(code).unwrap()
}

fn entry(code: &str, movement: Movement, mg: f64, note: &str) -> NewSubstanceEntry {
    NewSubstanceEntry {
        lot: lot(code),
        substance: Substance::Ketamine,
        movement,
        amount: Micrograms::from_mg(mg).unwrap(),
        note: note.to_owned(),
    }
}

/// A KAP session on IV ketamine with `lot` on its checklist, dosed 0.5 mg/kg over 40 min for 20
/// minutes at 70 kg, then ended.
fn session_from(journal: &mut common::Journal, lot: Option<&str>) -> SessionId {
    let client = common::client(&mut journal.store, &format!("C-{}", lot.unwrap_or("none")));
    let checklist = PreSession {
        weight_kg: Some(70.0),
        consent: true,
        lot: lot.map(self::lot),
        ..PreSession::default()
    };
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = LiveSession::start_with(
        &mut journal.store,
        clock,
        &common::new_session(&client, TreatmentModel::Kap),
        vec![EventKind::PreSession(checklist)],
    )
    .unwrap();
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(20));
    live.end(&mut journal.store, "", None).unwrap();
    live.session().id
}

#[test]
fn a_session_with_a_lot_enters_what_it_delivered_when_it_ends() {
    let mut journal = common::journal();
    // Received before the session, on the session's clock.
    let received_at = kap_journal::live::Clock::wall(journal.clock.as_ref());
    journal
        .store
        .registers_mut()
        .record_substance(
            &entry("KX-1", Movement::Received, 1000.0, "invoice 88"),
            received_at,
        )
        .unwrap();
    let given = session_from(&mut journal, Some("KX-1"));
    let without = session_from(&mut journal, None);

    let log = journal
        .store
        .registers()
        .substance_log(Some(&lot("KX-1")))
        .unwrap();
    let [received, administered] = log.as_slice() else {
        panic!("received, then what the session gave: {log:?}");
    };
    assert_eq!(received.movement, "received");
    assert_eq!(administered.movement, "administered");
    assert_eq!(administered.session, Some(given));
    // 0.5 mg/kg over 40 min at 70 kg is 52.5 mg/h; 20 minutes of it is 17.5 mg.
    assert!(
        (administered.change_mg + 17.5).abs() < 0.001,
        "{administered:?}"
    );
    assert!((administered.balance_mg - 982.5).abs() < 0.001);
    let all = journal.store.registers().substance_log(None).unwrap();
    assert!(
        all.iter().all(|entry| entry.session != Some(without)),
        "a session with no lot on its checklist enters nothing"
    );
    let balances = journal.store.registers().lot_balances().unwrap();
    assert_eq!(balances.len(), 1);
    assert!((balances[0].administered_mg - 17.5).abs() < 0.001);
}

#[test]
fn waste_needs_a_witness_and_nothing_takes_a_lot_below_nothing() {
    let mut journal = common::journal();
    let store = &mut journal.store;
    let now = Utc::now();
    store
        .registers_mut()
        .record_substance(&entry("KX-2", Movement::Received, 10.0, ""), now)
        .unwrap();
    let refused = |store: &mut Store, new: NewSubstanceEntry| {
        let before = store.registers().substance_log(None).unwrap().len();
        let error = store
            .registers_mut()
            .record_substance(&new, now)
            .unwrap_err();
        assert_eq!(
            store.registers().substance_log(None).unwrap().len(),
            before,
            "nothing written"
        );
        error
    };
    let witnessed = |witness: &str| Movement::Wasted {
        witness: witness.into(),
    };
    assert!(matches!(
        refused(store, entry("KX-2", witnessed("  "), 2.0, "")),
        StoreError::SubstanceLog(SubstanceLogError::Witness)
    ));
    let error = refused(store, entry("KX-2", witnessed("A. Lee, RN"), 12.0, ""));
    common::assert_one_sentence(&error.to_string(), "its balance is 10 mg");
    assert!(matches!(
        refused(store, entry("NEW-1", witnessed("A. Lee, RN"), 1.0, "")),
        StoreError::SubstanceLog(SubstanceLogError::UnknownLot(_))
    ));
    let mut other = entry("KX-2", Movement::Received, 5.0, "");
    other.substance = Substance::Esketamine;
    common::assert_one_sentence(
        &refused(store, other).to_string(),
        "Lot KX-2 holds ketamine, not esketamine",
    );
    assert!(matches!(
        refused(store, entry("KX-2", Movement::Correction, 1.0, " ")),
        StoreError::SubstanceLog(SubstanceLogError::CorrectionReason)
    ));
    // Allowed: waste within the balance, then a correction taking away what a count did not find.
    store
        .registers_mut()
        .record_substance(
            &entry("KX-2", witnessed("A. Lee, RN"), 2.5, "not given"),
            now,
        )
        .unwrap();
    let mut recount = entry("KX-2", Movement::Correction, 1.0, "count found 6.5 mg");
    recount.amount = Micrograms(-1_000);
    let corrected = store
        .registers_mut()
        .record_substance(&recount, now)
        .unwrap();
    assert!((corrected.balance_mg - 6.5).abs() < 0.001, "{corrected:?}");
    assert_eq!(corrected.witness, "");
}

#[test]
fn the_log_is_append_only_and_every_entry_is_in_the_audit_log() {
    let mut journal = common::journal();
    journal
        .store
        .registers_mut()
        .record_substance(&entry("KX-3", Movement::Received, 100.0, ""), Utc::now())
        .unwrap();
    let dir = journal.dir.path().to_path_buf();
    let tail = journal.store.record().audit_tail(1).unwrap();
    assert_eq!(tail[0].subject, "controlled-substance log entry 1");
    drop(journal.store);
    let raw = kap_journal::store::connect_raw(&dir, &common::passphrase()).unwrap();
    for sql in [
        "UPDATE substance_log SET micrograms = 1",
        "DELETE FROM substance_log",
        "INSERT INTO substance_log (at_ms, lot, substance, movement, micrograms) VALUES (0, 'KX-3', 'ketamine', 'wasted', 5)",
        "INSERT INTO substance_log (at_ms, lot, substance, movement, micrograms) VALUES (0, 'KX-3', 'ketamine', 'received', -5)",
    ] {
        assert!(raw.execute(sql, []).is_err(), "refused: {sql}");
    }
    drop(raw);
    let output = common::kap_journal(&dir, &["check"]);
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn the_command_line_receives_wastes_and_writes_the_log_as_csv() {
    let journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let run = |args: &[&str]| common::kap_journal(&dir, args);
    let ok = |args: &[&str]| {
        let output = run(args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    ok(&[
        "lots",
        "receive",
        "ESK-7",
        "--substance",
        "esketamine",
        "--mg",
        "280",
    ]);
    let saved = ok(&[
        "lots",
        "waste",
        "ESK-7",
        "--mg",
        "28",
        "--witness",
        "A. Lee, RN",
        "--note",
        "=HYPERLINK(1)",
    ]);
    assert!(saved.contains("balance 252 mg"), "{saved}");
    let refused = run(&["lots", "waste", "ESK-7", "--mg", "28"]);
    assert!(!refused.status.success(), "clap asks for the witness");
    let refused = run(&[
        "lots",
        "receive",
        "bad lot",
        "--substance",
        "ketamine",
        "--mg",
        "5",
    ]);
    assert!(!refused.status.success());
    common::assert_one_sentence(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "A lot number is 1 to 40 letters",
    );
    let corrected = ok(&[
        "lots",
        "correct",
        "ESK-7",
        "--mg",
        "-2",
        "--note",
        "count found 250 mg",
    ]);
    assert!(
        corrected.contains("correction -2 mg; balance 250 mg"),
        "{corrected}"
    );
    let listed = ok(&["lots"]);
    assert!(
        listed.contains("ESK-7") && listed.contains("250 mg"),
        "{listed}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&["lots", "--json"])).unwrap();
    assert_eq!(json[0]["balance_mg"], 250.0);
    assert_eq!(json[0]["substance"], "esketamine");

    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("log.csv");
    ok(&["lots", "log", "--csv", "--out", csv_path.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(
        lines[0],
        "entry,time_utc,lot,substance,movement,change_mg,balance_mg,session_id,witness,recorded_by,note,clock_earlier,synthetic"
    );
    assert!(
        lines[1].contains(",ESK-7,esketamine,received,280,280,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",wasted,-28,252,,\"A. Lee, RN\",,'=HYPERLINK(1)"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains(",correction,-2,250,,,,count found 250 mg"),
        "{}",
        lines[3]
    );
}

#[test]
fn a_journal_from_before_the_log_gets_it_when_opened() {
    let journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    common::rewind_schema(&dir, 9);
    let mut store = Store::open(&dir, &common::passphrase()).unwrap();
    store
        .registers_mut()
        .record_substance(&entry("KX-9", Movement::Received, 50.0, ""), Utc::now())
        .unwrap();
    assert_eq!(store.registers().lot_balances().unwrap().len(), 1);
}

/// An imported session gave from another clinic's vial: importing it enters nothing in this
/// clinic's log, neither a debit of a lot with the same number nor a second row for that number.
#[test]
fn an_imported_session_takes_nothing_from_this_clinics_stock() {
    let mut source = common::journal();
    source
        .store
        .registers_mut()
        .record_substance(
            &entry("KX-1", Movement::Received, 1000.0, "their invoice"),
            Utc::now(),
        )
        .unwrap();
    let given = session_from(&mut source, Some("KX-1"));
    let mut archive = Vec::new();
    kap_journal::export::write_session(
        &source.store,
        given,
        kap_journal::export::ExportFormat::Json,
        kap_journal::export::ExportOptions::default(),
        &common::summary_context(),
        &mut archive,
    )
    .unwrap();

    let mut here = common::journal();
    let mut esketamine = entry("KX-1", Movement::Received, 560.0, "our own lot KX-1");
    esketamine.substance = Substance::Esketamine;
    here.store
        .registers_mut()
        .record_substance(&esketamine, Utc::now())
        .unwrap();
    let before = here.store.registers().substance_log(None).unwrap();
    kap_journal::export::import_archive(
        &mut here.store,
        archive.as_slice(),
        kap_journal::export::OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(here.store.registers().substance_log(None).unwrap(), before);
    let balances = here.store.registers().lot_balances().unwrap();
    assert_eq!(balances.len(), 1, "no second row for the lot number");
    assert!((balances[0].balance_mg - 560.0).abs() < 0.001);
}

/// The lot on the checklist is in the session's summary, Markdown and PDF alike.
#[test]
fn the_summary_names_the_lot_the_session_was_given_from() {
    let mut journal = common::journal();
    let given = session_from(&mut journal, Some("KX-1"));
    let export = |format| {
        let mut out = Vec::new();
        kap_journal::export::write_session(
            &journal.store,
            given,
            format,
            kap_journal::export::ExportOptions::default(),
            &common::summary_context(),
            &mut out,
        )
        .unwrap();
        out
    };
    let markdown = String::from_utf8(export(kap_journal::export::ExportFormat::Markdown)).unwrap();
    assert!(markdown.contains("- **Lot:** KX-1"), "{markdown}");
    let pdf = export(kap_journal::export::ExportFormat::Pdf);
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(text.contains("KX-1"), "{text}");
}

#[test]
fn the_log_keeps_its_own_order_and_marks_an_entry_whose_clock_went_back() {
    let mut journal = common::journal();
    let store = &mut journal.store;
    let noon = Utc::now();
    store
        .registers_mut()
        .record_substance(
            &entry("KET-CLOCK", Movement::Received, 100.0, "invoice"),
            noon,
        )
        .unwrap();
    // The computer's clock set back a day: the waste is recorded after the receipt, dated before it.
    let wasted = Movement::Wasted {
        witness: "A. Witness, RN".to_owned(),
    };
    store
        .registers_mut()
        .record_substance(
            &entry("KET-CLOCK", wasted, 10.0, "drawn up, not given"),
            noon - chrono::TimeDelta::days(1),
        )
        .unwrap();
    store
        .registers_mut()
        .record_substance(
            &entry("KET-CLOCK", Movement::Received, 50.0, "second vial"),
            noon + chrono::TimeDelta::hours(1),
        )
        .unwrap();

    let log = store.registers().substance_log(None).unwrap();
    let seen: Vec<(&str, f64, bool)> = log
        .iter()
        .map(|entry| (entry.movement, entry.balance_mg, entry.clock_earlier))
        .collect();
    // In the order recorded, the balance never below nothing; the entry dated back is marked.
    assert_eq!(
        seen,
        [
            ("received", 100.0, false),
            ("wasted", 90.0, true),
            ("received", 140.0, false)
        ]
    );
    let mut csv = Vec::new();
    kap_journal::export::write_substance_log(&log, false, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        rows[0].ends_with(",note,clock_earlier,synthetic"),
        "{}",
        rows[0]
    );
    assert!(rows[2].ends_with(",yes,"), "{}", rows[2]);
    assert!(rows[1].ends_with(",,"), "{}", rows[1]);
}
