//! Export from the window: a session's summary to the clipboard, a session to a file, and the sessions
//! the browser shows as one archive, with no save dialog available (as on a system without a portal).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::ui::click;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use kap_journal::export::{OnExisting, import_archive};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::Store;
use kap_journal::ui::{KapJournalApp, disable_file_dialogs};

const FIXTURE: &str = include_str!("fixtures/two-sessions.json");

/// The fixture with its live Medical Model session ended (a live one would be resumed at start).
fn both_ended() -> String {
    FIXTURE
        .replace("\"status\":\"live\"", "\"status\":\"ended\"")
        .replace("\"ended_at\":null", "\"ended_at\":\"2026-11-21T10:00:00Z\"")
        .replace(
            "}}]}\n  ]",
            "}},{\"seq\":2,\"wall_time\":\"2026-11-21T10:00:00Z\",\"elapsed_ms\":3600000,\"entry\":{\"kind\":\"session_ended\",\"note\":\"\"}}]}\n  ]",
        )
}

/// The app on a journal holding the fixture's two sessions, with save dialogs unavailable.
fn app_with_fixture(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    let mut store = Store::open(dir, &common::passphrase()).unwrap();
    import_archive(
        &mut store,
        both_ended().as_bytes(),
        OnExisting::Refuse,
        chrono::Utc::now(),
    )
    .unwrap();
    drop(store);
    app_on(dir)
}

/// The app on the journal in `dir`, with save dialogs unavailable.
fn app_on(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    app_printing_with(dir, None)
}

/// As [`app_on`], printing with `printer` when given (else the system's ways).
fn app_printing_with(
    dir: &std::path::Path,
    printer: Option<kap_journal::print::Printer>,
) -> Harness<'static, KapJournalApp> {
    let store = Store::open(dir, &common::passphrase());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(chrono::Utc::now()));
    common::ui::harness().build_eframe(move |cc| {
        disable_file_dialogs(&cc.egui_ctx);
        if let Some(printer) = printer {
            kap_journal::ui::use_printer(&cc.egui_ctx, printer);
        }
        KapJournalApp::new(cc, store, clock)
            .automatic_backups(false)
            .writes_inline()
    })
}

/// Steps the app until `text` is on screen (work on another thread), or fails after a few seconds.
/// Waits as a real window does: a frame is drawn only when the app asked for one (at once, from
/// a thread, or after a delay it set), never because the mouse moved.
fn wait_for(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    let started = Instant::now();
    let mut next_frame = Instant::now();
    while harness.query_by_label_contains(text).is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never showed {text} (the window was not woken to show it)"
        );
        std::thread::sleep(Duration::from_millis(20));
        if harness.ctx.has_requested_repaint() || Instant::now() >= next_frame {
            harness.step();
            let delay = harness
                .output()
                .viewport_output
                .get(&egui::ViewportId::ROOT)
                .map_or(Duration::MAX, |viewport| viewport.repaint_delay);
            next_frame = Instant::now()
                .checked_add(delay)
                .unwrap_or(started + Duration::from_hours(1));
        }
    }
}

#[test]
fn a_session_summary_is_copied_and_a_csv_saved_to_the_exports_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_fixture(dir.path());
    harness.get_by_label("C-0142").click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label("Copy summary"))
        .click();
    // The copy is in the output of the frame that sees the click.
    harness.step();
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .expect("the summary went to the clipboard");
    assert!(copied.starts_with("# KAP session summary"));
    assert!(copied.contains("Sat with it (5 min agreed): worked through (no change)"));

    harness.get_by_label("Export as").click();
    harness.run();
    harness.get_by_label("CSV (one row per entry)").click();
    harness.run();
    click(&mut harness, "Export...");
    wait_for(&mut harness, "No save dialog can be shown on this system");
    let exports = dir.path().join("exports");
    let files: Vec<_> = std::fs::read_dir(&exports)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(
        files[0]
            .to_string_lossy()
            .ends_with("session-1-2026-11-20.csv")
    );
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, 19, "one row per entry");
    assert!(
        harness
            .query_by_label_contains(&files[0].display().to_string())
            .is_some()
    );

    // The export is in the client's accounting of disclosures, already in the journal, and on the
    // client's page.
    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let recorded = reader.registers().disclosures(None).unwrap().items;
    assert_eq!(recorded.len(), 1);
    assert!(!recorded[0].pending, "taken in by the worker at once");
    assert_eq!(recorded[0].form, "CSV (one row per entry)");
    assert_eq!(recorded[0].recipient, files[0].display().to_string());
    click(&mut harness, "Client history");
    harness.get_by_label("Disclosures (1)").scroll_to_me();
    harness.run();
    harness.get_by_label("Disclosures (1)").click();
    harness.run();
    assert!(harness.query_by_label("Exported").is_some());
    assert!(harness.query_by_label("1 session").is_some());
    assert_eq!(
        harness
            .query_all_by_label(&files[0].display().to_string())
            .count(),
        1
    );
}

#[test]
fn the_sessions_shown_in_the_browser_are_exported_as_one_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_fixture(dir.path());
    // Only the Medical Model list is shown.
    harness
        .get(By::new().label("Medical Model").role(Role::Button))
        .click();
    harness.run();
    click(&mut harness, "Export shown sessions");
    wait_for(&mut harness, "1 session was saved to");
    let exports = dir.path().join("exports");
    let file = std::fs::read_dir(&exports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let archive = std::fs::read_to_string(file).unwrap();
    assert!(archive.contains("\"model\":\"medical\""));
    assert!(
        !archive.contains("\"model\":\"kap\""),
        "the hidden KAP session stays out"
    );
    // The archive is one the journal reads back.
    let other = tempfile::tempdir().unwrap();
    let mut store = Store::open(other.path(), &common::passphrase()).unwrap();
    let report = import_archive(
        &mut store,
        archive.as_bytes(),
        OnExisting::Refuse,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(report.sessions, 1);
}

#[test]
fn nothing_moves_under_the_pointer_and_the_private_note_is_chosen_for_one_export() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        import_archive(
            &mut store,
            both_ended().as_bytes(),
            OnExisting::Refuse,
            chrono::Utc::now(),
        )
        .unwrap();
        let session = store.record().session_ids().unwrap()[0];
        store
            .record_mut()
            .save_private_note(session, "PRIVATE-WORDS (synthetic)", chrono::Utc::now())
            .unwrap();
    }
    let mut harness = app_on(dir.path());
    harness.get_by_label("C-0142").click();
    harness.run();
    let export_button = |harness: &Harness<'_, KapJournalApp>| {
        harness
            .get(By::new().role(Role::Button).label_contains("Export"))
            .rect()
    };
    let private = By::new()
        .role(Role::CheckBox)
        .label("Include the private psychotherapy note in this export");
    let before = export_button(&harness);
    let checkbox_before = harness.get(private.clone()).rect();
    for format in ["REMS monitoring form", "Markdown summary"] {
        harness.get_by_label("Export as").click();
        harness.run();
        harness.get_by_label_contains(format).click();
        harness.run();
        assert_eq!(export_button(&harness), before, "{format} moved the button");
    }
    // The box is on a line of its own, below what a click meant for Export would hit.
    assert!(
        checkbox_before.top() >= before.bottom(),
        "{checkbox_before:?} {before:?}"
    );

    harness.get(private.clone()).click();
    harness.run();
    click(&mut harness, "Export with private note...");
    wait_for(&mut harness, ".md");
    assert!(
        harness.get(private).accesskit_node().toggled() != Some(egui::accesskit::Toggled::True),
        "unticked once that export is made"
    );
    harness.get_by_label("Export as").click();
    harness.run();
    harness.get_by_label("JSON archive (lossless)").click();
    harness.run();
    click(&mut harness, "Export...");
    wait_for(&mut harness, ".json");
    let exports = dir.path().join("exports");
    let read = |extension: &str| {
        std::fs::read_dir(&exports)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.extension().is_some_and(|found| found == extension))
            .map(|path| std::fs::read_to_string(path).unwrap())
            .unwrap()
    };
    assert!(
        read("md").contains("PRIVATE-WORDS"),
        "the export it was ticked for"
    );
    assert!(
        !read("json").contains("PRIVATE-WORDS"),
        "the next one asks again"
    );
}

/// A stand-in `lp` in a folder of its own that keeps the file it is given; `lpstat` names
/// `Front_Desk` the default printer.
fn fake_lp() -> (tempfile::TempDir, kap_journal::print::Printer) {
    let bin = tempfile::tempdir().unwrap();
    let kept = bin.path().join("printed.pdf");
    for (name, body) in [
        (
            "lpstat",
            "echo 'system default destination: Front_Desk'".to_owned(),
        ),
        (
            "lp",
            format!(
                "for last; do :; done\ncp \"$last\" {}\necho 'request id is Front_Desk-3 (1 file(s))'",
                kept.display()
            ),
        ),
    ] {
        let path = bin.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\nPATH=/usr/bin:/bin\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }
    let printer = kap_journal::print::Printer {
        portal: kap_journal::print::PortalBus::Off,
        commands: kap_journal::print::PrintCommands {
            lp: Some(bin.path().join("lp")),
            lpstat: Some(bin.path().join("lpstat")),
            viewer: None,
        },
        spool_fallback: bin.path().join("spool"),
    };
    (bin, printer)
}

#[test]
fn a_summary_and_a_consent_are_printed_from_the_window_and_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    import_archive(
        &mut store,
        both_ended().as_bytes(),
        OnExisting::Refuse,
        chrono::Utc::now(),
    )
    .unwrap();
    store
        .registers_mut()
        .adopt_consent_text("Synthetic consent text.", 365, chrono::Utc::now())
        .unwrap();
    drop(store);
    let (bin, printer) = fake_lp();
    let mut harness = app_printing_with(dir.path(), Some(printer));
    harness.run();
    harness.get_by_label("C-0142").click();
    harness.run();
    click(&mut harness, "Print session summary...");
    wait_for(&mut harness, "was sent to printer Front_Desk");
    let paper = std::fs::read(bin.path().join("printed.pdf")).unwrap();
    assert!(paper.starts_with(b"%PDF"));
    // The temporary copy is gone once the printing system has it.
    let spool: Vec<_> = std::fs::read_dir(bin.path().join("spool"))
        .map(Iterator::collect)
        .unwrap_or_default();
    assert!(
        std::env::var_os("XDG_RUNTIME_DIR").is_some() || spool.is_empty(),
        "{spool:?}"
    );

    // The consent, from the client's page: a form to sign, since none is recorded.
    click(&mut harness, "Client history");
    harness.get_by_label("Print consent...").scroll_to_me();
    harness.run();
    click(&mut harness, "Print consent...");
    wait_for(&mut harness, "The consent was sent to printer Front_Desk");
    // The client's accounting on the page shows both prints at once.
    harness.run();
    assert!(harness.query_by_label("Disclosures (2)").is_some());

    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let prints: Vec<_> = reader
        .registers()
        .disclosures(None)
        .unwrap()
        .items
        .into_iter()
        .filter(|disclosure| disclosure.kind == kap_journal::domain::DisclosureKind::Print)
        .collect();
    assert_eq!(prints.len(), 2, "{prints:?}");
    assert!(prints.iter().all(|d| d.recipient == "printer Front_Desk"));
    let forms: Vec<_> = prints.iter().map(|d| d.form.as_str()).collect();
    assert!(
        forms.contains(&"PDF summary") && forms.contains(&"Consent (PDF)"),
        "{forms:?}"
    );
}
