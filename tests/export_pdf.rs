//! The PDF summary, read back as a PDF reader would: every section's words are in its text (Greek and
//! Cyrillic included), and a long session runs over numbered pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kap_journal::domain::{SessionId, TreatmentModel};
use kap_journal::export::{ExportFormat, ExportOptions, write_session};
use kap_journal::live::LiveCommand;
use kap_journal::store::Store;

fn pdf(store: &Store, id: i64) -> Vec<u8> {
    let mut out = Vec::new();
    write_session(
        store,
        SessionId(id),
        ExportFormat::Pdf,
        ExportOptions::default(),
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    out
}

/// The pages and their text, as a reader's copy gets it.
fn read(bytes: &[u8]) -> (usize, String) {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF any reader opens");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("extractable text");
    (pages.len(), text)
}

#[test]
fn every_section_of_the_summary_is_in_the_pdf_text() {
    let journal = common::journal_with_fixture();
    let bytes = pdf(&journal.store, 1);
    assert!(bytes.starts_with(b"%PDF-"));
    let (pages, text) = read(&bytes);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "KAP session summary",
        "C-0142 · Alex (synthetic)",
        "Dr. R. Example, MD (synthetic)",
        "Ketamine-Assisted Psychotherapy",
        "IV infusion",
        // 29 min at 0.5 mg/kg per 40 min + 11 min at 0.35 per 40 = 0.45875 mg/kg, x 70 kg.
        "32.112 mg (0.459 mg/kg)",
        "Meet the grief about my father without running.",
        "Hand on shoulder if asked",
        "Dose over time",
        "minutes since start",
        "Dosing began: 0.5 mg/kg over 40 min (35 mg at 70 kg)",
        "Dosing stopped. Reason: Infusion complete",
        "1. Memory: the accident on the bridge",
        "Asked: Client asks to lower; decided: sit with it 5 min",
        "Sat with it (5 min agreed): worked through (no change) at 25:30: Found words for the fear.",
        "2. Body sensation: nausea",
        "Intention read aloud; client settled, \"ready\".",
        "Second line: Γειά σου, привет.",
        "Bring to integration",
        "Calm, oriented; picked up by partner.",
        &format!("Page 1 of {pages}"),
    ] {
        assert!(
            flat.contains(expected),
            "the PDF text lacks {expected:?}:\n{flat}"
        );
    }
    // The marker was taken off entry 9, so it is listed once, under Notes only.
    assert_eq!(flat.matches("=SUM(A1)").count(), 1);
}

#[test]
fn a_long_session_runs_over_numbered_pages_with_every_note() {
    let mut journal = common::journal();
    let mut session = common::live_session(&mut journal, TreatmentModel::Medical);
    let long_note =
        "Long reflection on the week, the drive here, the weather and the music; ".repeat(6);
    for index in 0..300 {
        journal.clock.advance(std::time::Duration::from_secs(20));
        session
            .log(
                &mut journal.store,
                LiveCommand::Note(format!("Entry {index}: {long_note}")),
            )
            .unwrap();
    }
    let (pages, text) = read(&pdf(&journal.store, 1));
    assert!(
        pages >= 20,
        "300 notes of six lines each take many pages, not {pages}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for page in 1..=pages {
        assert!(
            flat.contains(&format!("Page {page} of {pages}")),
            "page {page} is numbered"
        );
    }
    assert!(flat.contains("Entry 0:") && flat.contains("Entry 299:"));
    assert!(flat.contains("Medical Model session summary"));
}

/// Every word's box on each page, as `pdftotext -bbox` (poppler) reads them back from the PDF.
fn word_boxes(bytes: &[u8]) -> Vec<Vec<(String, [f32; 4])>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.pdf");
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the words' positions back");
    assert!(output.status.success());
    let xhtml = String::from_utf8(output.stdout).unwrap();
    let number = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    xhtml
        .split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|word| {
                    let (tag, rest) = word.split_once('>').unwrap();
                    let text = rest.split_once("</word>").unwrap().0.to_owned();
                    let bbox = ["xMin", "yMin", "xMax", "yMax"].map(|name| number(tag, name));
                    (text, bbox)
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_words_are_drawn_over_other_words() {
    let journal = common::journal_with_fixture();
    let pages = word_boxes(&pdf(&journal.store, 1));
    let words: usize = pages.iter().map(Vec::len).sum();
    assert!(words > 300, "the summary's words were read back ({words})");
    let flat: Vec<&str> = pages
        .iter()
        .flatten()
        .map(|(text, _)| text.as_str())
        .collect();
    for label in ["Discharge", "criteria", "Ride", "arranged"] {
        assert!(
            flat.iter().any(|word| word.starts_with(label)),
            "{label} is on the page"
        );
    }
    for (number, page) in pages.iter().enumerate() {
        for (index, (text, a)) in page.iter().enumerate() {
            for (other, b) in &page[index + 1..] {
                // Boxes may touch; a clash covers more than a fifth of the smaller word.
                let width = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
                let height = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
                let smaller = ((a[2] - a[0]) * (a[3] - a[1])).min((b[2] - b[0]) * (b[3] - b[1]));
                assert!(
                    width * height <= 0.2 * smaller,
                    "page {}: {text:?} at {a:?} is drawn over {other:?} at {b:?}",
                    number + 1
                );
            }
        }
    }
}

/// A note that begins in Hebrew keeps its Latin words and numbers as typed: the Unicode
/// bidirectional algorithm orders each line, so "BP 120/80" never prints as "08/021 PB".
#[test]
fn a_note_mixing_right_to_left_and_left_to_right_text_reads_as_typed() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    for note in ["שלום world 123", "הערה: BP 120/80 stable"] {
        live.log(&mut journal.store, LiveCommand::Note(note.into()))
            .unwrap();
    }
    live.end(&mut journal.store, "", None).unwrap();
    let pages = word_boxes(&pdf(&journal.store, live.session().id.0));
    let words: Vec<&(String, [f32; 4])> = pages.iter().flatten().collect();
    let at = |text: &str| match words.iter().find(|(word, _)| word == text) {
        Some((_, bbox)) => *bbox,
        None => panic!("{text} is not in the PDF: {words:?}"),
    };
    for mirrored in ["dlrow", "321", "08/021", "PB"] {
        assert!(
            words.iter().all(|(word, _)| word != mirrored),
            "{mirrored} printed mirrored"
        );
    }
    // Left to right inside each left-to-right run, on one line.
    let (world, number) = (at("world"), at("123"));
    assert!(world[0] < number[0] && (world[1] - number[1]).abs() < 1.0);
    let (bp, pressure, stable) = (at("BP"), at("120/80"), at("stable"));
    assert!(bp[0] < pressure[0] && pressure[0] < stable[0]);
}

/// Each structure element of a tagged PDF in reading order: its type, and its text alternative.
fn structure(bytes: &[u8]) -> Vec<(String, Option<String>)> {
    fn walk(
        document: &lopdf::Document,
        object: &lopdf::Object,
        out: &mut Vec<(String, Option<String>)>,
    ) {
        let object = match object {
            lopdf::Object::Reference(id) => document.get_object(*id).unwrap(),
            other => other,
        };
        match object {
            lopdf::Object::Array(items) => {
                for item in items {
                    walk(document, item, out);
                }
            }
            lopdf::Object::Dictionary(dictionary) => {
                if let Ok(kind) = dictionary.get(b"S").and_then(lopdf::Object::as_name) {
                    let alt = dictionary
                        .get(b"Alt")
                        .ok()
                        .and_then(|alt| alt.as_str().ok())
                        .map(|alt| String::from_utf8_lossy(alt).into_owned());
                    out.push((String::from_utf8_lossy(kind).into_owned(), alt));
                }
                if let Ok(kids) = dictionary.get(b"K") {
                    walk(document, kids, out);
                }
            }
            _ => {}
        }
    }
    let document = lopdf::Document::load_mem(bytes).unwrap();
    let catalog = document.catalog().unwrap();
    let root = catalog
        .get(b"StructTreeRoot")
        .expect("a structure tree: the PDF is tagged");
    let mut out = Vec::new();
    walk(&document, root, &mut out);
    out
}

#[test]
fn the_summary_is_tagged_for_a_screen_reader_with_the_chart_described() {
    let journal = common::journal_with_fixture();
    let bytes = pdf(&journal.store, 1);
    let document = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = document.catalog().unwrap();
    let marked = catalog
        .get(b"MarkInfo")
        .and_then(|info| document.dereference(info).map(|(_, info)| info.clone()))
        .and_then(|info| info.as_dict().cloned())
        .and_then(|info| info.get(b"Marked").and_then(lopdf::Object::as_bool))
        .unwrap();
    assert!(marked, "MarkInfo says the PDF is tagged");
    assert_eq!(
        catalog.get(b"Lang").unwrap().as_str().unwrap(),
        b"en",
        "its language is given"
    );
    // Written as PDF/UA-1, which krilla checked as it wrote it (the metadata says so).
    assert!(
        bytes.windows(b"pdfuaid".len()).any(|w| w == b"pdfuaid"),
        "the summary is PDF/UA-1"
    );
    let elements = structure(&bytes);
    let kinds: Vec<&str> = elements.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(
        kinds
            .iter()
            .find(|kind| **kind != "StructTreeRoot" && **kind != "Document"),
        Some(&"H1"),
        "the title comes first: {kinds:?}"
    );
    assert!(
        kinds.iter().filter(|kind| **kind == "H2").count() >= 4,
        "{kinds:?}"
    );
    assert!(
        kinds.iter().filter(|kind| **kind == "P").count() >= 10,
        "{kinds:?}"
    );
    let figures: Vec<&Option<String>> = elements
        .iter()
        .filter(|(kind, _)| kind == "Figure")
        .map(|(_, alt)| alt)
        .collect();
    assert_eq!(figures.len(), 1, "the chart is one figure: {kinds:?}");
    let alt = figures[0].as_deref().unwrap();
    assert!(
        alt.starts_with("Dose over time, at most")
            && alt.contains("1 \"sit with it\" (worked through"),
        "{alt}"
    );
    // poppler agrees.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(file.path())
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|line| line.starts_with("Tagged:") && line.ends_with("yes")),
        "{info}"
    );
}
