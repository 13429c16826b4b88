//! Exports (golden Markdown and CSV, the lossless JSON archive) and the import that must refuse every
//! bad file without changing the journal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bad_archives;
#[path = "../common/mod.rs"]
mod common;

use std::ops::ControlFlow;
use std::path::Path;

use chrono::Utc;
use kap_journal::domain::SessionId;
use kap_journal::export::{
    ExportFormat, ExportOptions, ImportError, MAX_IMPORT_BYTES, OnExisting, import_archive,
    import_file, write_archive, write_session,
};
use kap_journal::store::Store;

use common::{FIXTURE, journal_with_fixture};

/// The whole journal as an archive: equal before and after means the import changed nothing.
fn fingerprint(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    let ids = store.record().session_ids().unwrap();
    write_archive(store, &ids, ExportOptions::default(), &mut out, |_, _| {
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}

fn import(store: &mut Store, json: &str) -> Result<String, ImportError> {
    import_archive(store, json.as_bytes(), OnExisting::Refuse, Utc::now()).map(|r| r.to_string())
}

fn export(store: &Store, id: i64, format: ExportFormat) -> String {
    let mut out = Vec::new();
    write_session(
        store,
        SessionId(id),
        format,
        ExportOptions::default(),
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

/// Compares with a golden file; `UPDATE_GOLDEN=1 cargo test` rewrites it after a deliberate change.
fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn markdown_and_csv_match_their_golden_files() {
    let journal = journal_with_fixture();
    assert_golden(
        "kap-session.md",
        &export(&journal.store, 1, ExportFormat::Markdown),
    );
    assert_golden(
        "kap-session.csv",
        &export(&journal.store, 1, ExportFormat::Csv),
    );
    assert_golden(
        "live-medical-session.md",
        &export(&journal.store, 2, ExportFormat::Markdown),
    );
}

#[test]
fn csv_is_rfc_4180_with_one_row_per_entry() {
    let journal = journal_with_fixture();
    let csv = export(&journal.store, 1, ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 19, "one row per entry");
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    assert_eq!(
        &rows[2][column("text")],
        "# Not a heading: *grief* about father, [old] kitchen.\nSecond line: Γειά σου, привет."
    );
    assert_eq!(&rows[2][column("marked_for_integration")], "yes");
    assert_eq!(
        (&rows[13][column("reading")], &rows[13][column("text")]),
        ("BP 184/112 · HR 96 · SpO2 97 %", "after the infusion")
    );
    assert_eq!(
        &rows[16][column("reading")],
        "PHQ-9 9 (mild) · item 9 above zero · answers 2 1 1 2 1 0 1 0 1"
    );
    assert_eq!(
        &rows[8][column("marked_for_integration")],
        "",
        "unmarked again"
    );
    assert_eq!(
        &rows[8][column("text")],
        "'=SUM(A1) typed by mistake, says 3, 2, 1 and laughs"
    );
    assert_eq!(&rows[5][column("outcome")], "worked_through");
    assert_eq!(&rows[5][column("refers_to_seq")], "5");
    assert_eq!(&rows[7][column("dose_mg")], "24.50");
    assert!(csv.contains("\r\n") && csv.ends_with("\r\n"));
}

#[test]
fn export_then_import_then_export_gives_the_same_bytes() {
    let journal = journal_with_fixture();
    assert_eq!(
        String::from_utf8(fingerprint(&journal.store)).unwrap(),
        FIXTURE
    );
    // One session exported alone is an archive too.
    let single = export(&journal.store, 2, ExportFormat::Json);
    let mut other = common::journal();
    import(&mut other.store, &single).unwrap();
    assert_eq!(export(&other.store, 1, ExportFormat::Json), single);
}

#[test]
fn importing_sessions_the_journal_has_changes_nothing_unless_told_to_skip_them() {
    let mut journal = journal_with_fixture();
    let before = fingerprint(&journal.store);
    let error = import(&mut journal.store, FIXTURE).unwrap_err().to_string();
    assert!(
        error.contains("Session 1 of the file") && error.contains("already in the journal"),
        "{error}"
    );
    assert_eq!(fingerprint(&journal.store), before);
    let report = import_archive(
        &mut journal.store,
        FIXTURE.as_bytes(),
        OnExisting::Skip,
        Utc::now(),
    )
    .unwrap();
    assert_eq!((report.sessions, report.skipped), (0, 2));
    assert_eq!(fingerprint(&journal.store), before);
}

/// An archive of the given session lines, laid out as export writes it.
fn archive(sessions: &str) -> String {
    format!("{{\n  \"format_version\": 1,\n  \"sessions\": [\n    {sessions}\n  ]\n}}\n")
}

#[test]
fn a_cancelled_export_keeps_no_file() {
    let journal = journal_with_fixture();
    let path = journal.dir.path().join("exports/all.json");
    let ids = journal.store.record().session_ids().unwrap();
    let result = kap_journal::export::write_atomically(&path, journal.dir.path(), |out| {
        write_archive(
            &journal.store,
            &ids,
            ExportOptions::default(),
            out,
            |done, _| {
                if done == 1 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
    });
    assert!(matches!(
        result,
        Err(kap_journal::export::ExportError::Cancelled)
    ));
    assert!(!path.exists());
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn every_csv_column_defuses_what_a_spreadsheet_would_run() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "=HYPERLINK(\"x\")");
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = kap_journal::live::LiveSession::start(
        &mut journal.store,
        clock,
        &common::new_session(&client, kap_journal::domain::TreatmentModel::Kap),
    )
    .unwrap();
    live.log(
        &mut journal.store,
        kap_journal::live::LiveCommand::Note("@SUM(1+1)".into()),
    )
    .unwrap();
    let csv = export(&journal.store, live.session().id.0, ExportFormat::Csv);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    for record in reader.records() {
        for cell in &record.unwrap() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(1+1)"), "{csv}");
}

/// A Medical Model session's summary and note speak the Medical Model's words: no integration
/// session, no "sit with it" it never offered.
#[test]
fn a_medical_model_summary_speaks_of_no_integration_and_no_sit_with_it() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, kap_journal::domain::TreatmentModel::Medical);
    live.log(
        &mut journal.store,
        kap_journal::live::LiveCommand::BeginDosing,
    )
    .unwrap();
    live.log(
        &mut journal.store,
        kap_journal::live::LiveCommand::DecisionPoint {
            came_up: kap_journal::domain::CameUp::BodySensation,
            detail: "nausea".into(),
            asked: kap_journal::domain::Asked::ClientAsksToLower,
            decision: kap_journal::domain::Decision::LowerNow,
            new_dose: Some(kap_journal::domain::Dose::parse("0.4 mg/kg/h").unwrap()),
            rationale: String::new(),
        },
    )
    .unwrap();
    live.end(&mut journal.store, "Settled.", None).unwrap();
    let id = live.session().id;
    let record = kap_journal::export::SessionRecord::load(
        &journal.store,
        id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let markdown = kap_journal::export::markdown_summary(&record, &common::summary_context());
    assert!(
        !markdown.to_lowercase().contains("integration"),
        "{markdown}"
    );
    assert!(
        markdown.contains("## Check-ins after the session"),
        "{markdown}"
    );
    let facts = kap_journal::domain::SessionFacts::gather(
        &record.session,
        &record.events,
        record.weight_kg(),
        &kap_journal::domain::Thresholds::default(),
    );
    let assessment: Vec<String> = facts
        .assessment
        .iter()
        .map(|fact| fact.text.clone())
        .collect();
    assert!(
        assessment.iter().all(|line| !line.contains("sit with it")),
        "{assessment:?}"
    );
    assert!(
        assessment[0].starts_with("1 decision point."),
        "{assessment:?}"
    );
}
