//! The notes written after a session: the progress note is part of the record and its exports; the
//! private psychotherapy note never appears in a summary, an export, search or a debug print unless
//! it is asked for on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Utc;
use kap_journal::domain::{
    NoteFormat, ProgressNote, SessionFacts, SessionId, Thresholds, TreatmentModel,
};
use kap_journal::export::{
    ExportFormat, ExportOptions, OnExisting, SessionRecord, import_archive, write_session,
};
use kap_journal::store::{SearchQuery, Store};

/// A word found nowhere else, so finding it anywhere means the private note leaked.
const SECRET: &str = "Quillfeather";

fn export(store: &Store, format: ExportFormat, options: ExportOptions) -> Vec<u8> {
    let mut out = Vec::new();
    write_session(
        store,
        SessionId(1),
        format,
        options,
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    out
}

fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).unwrap()
}

#[test]
fn the_private_note_never_appears_in_a_summary_or_export_by_default() {
    let mut journal = common::journal_with_fixture();
    let note = format!("Transference to discuss in supervision: {SECRET}.");
    journal
        .store
        .record_mut()
        .save_private_note(SessionId(1), &note, Utc::now())
        .unwrap();
    assert_eq!(
        journal
            .store
            .record()
            .private_note(SessionId(1))
            .unwrap()
            .unwrap()
            .text,
        note
    );

    let default = ExportOptions::default();
    for format in [
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Json,
    ] {
        let out = String::from_utf8(export(&journal.store, format, default)).unwrap();
        assert!(!out.contains(SECRET), "{format:?} carries the private note");
        assert!(!out.contains("Private psychotherapy note"), "{format:?}");
    }
    let pdf = export(&journal.store, ExportFormat::Pdf, default);
    let text = pdf_text(&pdf);
    assert!(text.contains("Progress note"), "the PDF is read back");
    assert!(!text.contains(SECRET));
    let record = SessionRecord::load(&journal.store, SessionId(1), default).unwrap();
    assert!(record.private_note.is_none(), "not even read into memory");

    let hits = journal
        .store
        .search(&SearchQuery {
            text: SECRET.to_owned(),
            model: None,
            client_code: None,
            limit: 10,
        })
        .unwrap();
    assert!(hits.is_empty(), "search never reads the private note");
    let printed = format!(
        "{:?}",
        journal.store.record().private_note(SessionId(1)).unwrap()
    );
    assert!(!printed.contains(SECRET), "Debug leaves the text out");
}

#[test]
fn asked_for_on_purpose_the_private_note_is_exported_and_imported_again() {
    let mut journal = common::journal_with_fixture();
    journal
        .store
        .record_mut()
        .save_private_note(SessionId(1), SECRET, Utc::now())
        .unwrap();
    let everything = ExportOptions {
        include_private: true,
    };
    let markdown =
        String::from_utf8(export(&journal.store, ExportFormat::Markdown, everything)).unwrap();
    let section = markdown
        .split("## Private psychotherapy note")
        .nth(1)
        .expect("a section of its own");
    assert!(section.contains("Kept apart from the progress record"));
    assert!(section.contains(SECRET));
    assert!(pdf_text(&export(&journal.store, ExportFormat::Pdf, everything)).contains(SECRET));

    let archive = export(&journal.store, ExportFormat::Json, everything);
    common::assert_archive_matches_schema(&String::from_utf8_lossy(&archive));
    let mut other = common::journal();
    import_archive(
        &mut other.store,
        archive.as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(
        other
            .store
            .record()
            .private_note(SessionId(1))
            .unwrap()
            .unwrap()
            .text,
        SECRET
    );
    assert_eq!(
        other.store.record().progress_note(SessionId(1)).unwrap(),
        journal.store.record().progress_note(SessionId(1)).unwrap()
    );
}

#[test]
fn a_progress_note_is_saved_replaced_and_removed_when_blank() {
    let mut journal = common::journal();
    let live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    assert_eq!(journal.store.record().progress_note(id).unwrap(), None);
    let mut note = ProgressNote::blank(NoteFormat::Birp);
    note.sections_mut()[1] = "Offered to sit with it.".to_owned();
    journal
        .store
        .record_mut()
        .save_progress_note(id, &note, Utc::now())
        .unwrap();
    assert_eq!(
        journal.store.record().progress_note(id).unwrap().as_ref(),
        Some(&note)
    );
    let dap = note.convert(NoteFormat::Dap);
    journal
        .store
        .record_mut()
        .save_progress_note(id, &dap, Utc::now())
        .unwrap();
    assert_eq!(journal.store.record().progress_note(id).unwrap(), Some(dap));
    journal
        .store
        .record_mut()
        .save_progress_note(id, &ProgressNote::blank(NoteFormat::Soap), Utc::now())
        .unwrap();
    assert_eq!(journal.store.record().progress_note(id).unwrap(), None);
    journal
        .store
        .record_mut()
        .save_private_note(id, "x", Utc::now())
        .unwrap();
    assert!(journal.store.record().has_private_note(id).unwrap());
    journal
        .store
        .record_mut()
        .save_private_note(id, "  ", Utc::now())
        .unwrap();
    assert!(!journal.store.record().has_private_note(id).unwrap());
}

#[test]
fn a_soap_note_is_drafted_from_the_timeline_facts() {
    let journal = common::journal_with_fixture();
    let record =
        SessionRecord::load(&journal.store, SessionId(1), ExportOptions::default()).unwrap();
    let facts = SessionFacts::gather(
        &record.session,
        &record.events,
        record.client.weight_kg,
        &Thresholds::default(),
    );
    let mut note = ProgressNote::blank(NoteFormat::Soap);
    note.fill_empty(&facts);
    let [subjective, objective, assessment, plan] = note.sections() else {
        panic!("four sections");
    };
    // Sentences, not an entry dump: who brought what, when.
    assert!(
        subjective.starts_with("Came with the intention: Meet the grief about my father"),
        "{subjective}"
    );
    assert!(
        subjective.contains(
            "At 20:00, a memory came up (\"the accident on the bridge\"); the client asked to lower the dose."
        ),
        "{subjective}"
    );
    assert!(
        objective.starts_with(
            "KAP session, IV infusion; planned 0.5 mg/kg over 40 min (35 mg at 70 kg); \
             delivered 32.112 mg (0.459 mg/kg)."
        ),
        "{objective}"
    );
    // What was observed is one paragraph, what was done another, each in the order it happened.
    let [observed, done] =
        <[&str; 2]>::try_from(objective.split("\n\n").collect::<Vec<_>>()).expect("two paragraphs");
    let read_aloud = observed.find("At 0:30, intention read aloud").unwrap();
    let vitals = observed.find("At 44:00, BP 184/112").unwrap();
    assert!(read_aloud < vitals, "{observed}");
    let dosing = done.find("At 2:00, dosing began").unwrap();
    let offer = done
        .find("At 20:00, offered to sit with it for 5 min; accepted.")
        .unwrap();
    assert!(dosing < offer, "{done}");
    assert!(
        done.contains("At 31:00, rate changed to 0.525 mg/kg/h (36.75 mg/h at 70 kg), typed as 0.35 mg/kg over 40 min (Lowered at decision point #7)."),
        "{done}"
    );
    assert!(done.starts_with("Comfort plan: Hand on shoulder"), "{done}");
    // The fixture's timeline: two decision points, one of them a 5-minute deferral.
    assert!(
        assessment.starts_with("2 decision points; sit with it offered 1 time."),
        "{assessment}"
    );
    assert!(
        assessment.contains("Safety: 44:00 Blood pressure 184/112 is high"),
        "{assessment}"
    );
    assert!(
        plan.contains("Discharge criteria met · ride home arranged"),
        "{plan}"
    );
    assert!(
        plan.contains("Bring to integration what was noted at 14:00: # Not a heading"),
        "{plan}"
    );
    assert!(
        !plan.contains("=SUM"),
        "an entry unmarked again is not brought: {plan}"
    );
}
