//! Hostile round three, from outside: paths that walk into a journal's folders, named files that are
//! pipes, and synthetic data that must never reach a real journal. Each test tries the class, not
//! only the case that was reported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use chrono::Utc;
use common::{folder_snapshot, kap_journal};
use kap_journal::demo::{DemoPlan, generate};
use kap_journal::export::{ExportFormat, OnExisting, import_archive};
use kap_journal::store::{Store, StoreError};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names of the files in `dir` (and below), with the bytes of its key file: what a refused
/// write must leave as it was (SQLite's own files may be checkpointed by any command).
fn names_and_keys(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    folder_snapshot(dir)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("journal.db") && name != "journal.anchor")
        .map(|(name, bytes)| {
            let kept = (name == "journal.key").then_some(bytes);
            (name, kept)
        })
        .collect()
}

/// A journal in `dir` with two synthetic sessions (the demo, so it is marked synthetic).
fn demo_journal(dir: &Path) {
    let output = kap_journal(dir, &["demo", "--sessions", "2", "--clients", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn no_command_writes_into_a_journal_folder_by_any_walk() {
    let data = tempfile::tempdir().unwrap();
    demo_journal(data.path());
    let other = tempfile::tempdir().unwrap();
    demo_journal(other.path());
    let before = names_and_keys(data.path());
    let other_before = names_and_keys(other.path());
    let d = data.path().display().to_string();
    let o = other.path().display().to_string();
    let walks = [
        format!("{d}/nope/../journal.db"),
        format!("{d}/nope/deeper/../../journal.key"),
        format!("{d}/exports/nope/../../backups/journal-1.db"),
        format!("{d}/summary.md"),
        format!("{o}/nope/../journal.db"),
        format!("{o}/backups/new/summary.md"),
    ];
    let commands: [&[&str]; 4] = [
        &["export", "1", "--format", "md", "--out"],
        &["export", "--all", "--format", "json", "--out"],
        &["lots", "log", "--csv", "--out"],
        &["backup", "--out"],
    ];
    for walk in &walks {
        for command in commands {
            let mut args = command.to_vec();
            args.push(walk);
            let output = kap_journal(data.path(), &args);
            assert!(
                !output.status.success(),
                "{args:?} was let through: {}",
                String::from_utf8_lossy(&output.stdout)
            );
            let message = stderr(&output);
            assert!(
                message.contains("inside a journal's data or backups folder")
                    && message.lines().count() == 1,
                "{args:?}: {message}"
            );
        }
    }
    assert!(
        !data.path().join("nope").exists() && !other.path().join("nope").exists(),
        "no folder was made on the way"
    );
    for (dir, before) in [(data.path(), before), (other.path(), other_before)] {
        assert_eq!(names_and_keys(dir), before);
        let output = kap_journal(dir, &["check"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let store = Store::open(dir, &common::passphrase()).unwrap();
        assert_eq!(store.session_ids().unwrap().len(), 2);
    }
    // An ordinary walk still works and lands where the system says.
    let out = tempfile::tempdir().unwrap();
    let output = kap_journal(
        data.path(),
        &[
            "export",
            "1",
            "--format",
            "md",
            "--out",
            &format!("{}/made/../summary.md", out.path().display()),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.path().join("summary.md").is_file());
}

#[cfg(unix)]
#[test]
fn a_pipe_named_as_a_file_to_read_is_refused_at_once() {
    let data = tempfile::tempdir().unwrap();
    demo_journal(data.path());
    let scratch = tempfile::tempdir().unwrap();
    let fifo = scratch.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo_text = fifo.display().to_string();
    let reads: [&[&str]; 3] = [
        &["consent", "text", "--file", &fifo_text],
        &["import", &fifo_text],
        &["restore", &fifo_text],
    ];
    for args in reads {
        // No writer ever opens the pipe: a blocking open would hang here until the test's timeout.
        let output = kap_journal(data.path(), args);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("not a plain file") || message.contains("not a whole backup"),
            "{args:?}: {message}"
        );
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("--passphrase-file")
        .arg(&fifo)
        .arg("sessions")
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("not a plain file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_passphrase_file_saved_with_a_byte_order_mark_unlocks() {
    let data = tempfile::tempdir().unwrap();
    demo_journal(data.path());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("\u{feff}{}\r\n", common::PASSPHRASE)).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("--passphrase-file")
        .arg(file.path())
        .arg("sessions")
        .env_remove("KAP_JOURNAL_PASSPHRASE")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn synthetic_data_only_goes_into_a_new_journal_marked_for_it() {
    // A real journal: one client, nothing else.
    let real = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(real.path(), &common::passphrase()).unwrap();
        common::client(&mut store, "D-0001");
    }
    let output = kap_journal(real.path(), &["demo", "--sessions", "3"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("synthetic data only goes into a new journal"),
        "{}",
        stderr(&output)
    );
    {
        let store = Store::open(real.path(), &common::passphrase()).unwrap();
        assert!(store.session_ids().unwrap().is_empty() && !store.is_synthetic().unwrap());
    }

    // A new journal takes it, is marked for good, and takes more of it.
    let demo = common::journal();
    let mut store = demo.store;
    let plan = DemoPlan {
        clients: 1,
        sessions: 2,
        seed: 3,
    };
    generate(&mut store, plan, |_, _| {}).unwrap();
    generate(&mut store, DemoPlan { seed: 4, ..plan }, |_, _| {}).unwrap();
    assert!(store.is_synthetic().unwrap());
    let raw = kap_journal::store::connect_raw(demo.dir.path(), &common::passphrase()).unwrap();
    for sql in [
        "DELETE FROM journal_marks",
        "UPDATE journal_marks SET mark = 'x'",
    ] {
        let error = raw.execute_batch(sql).unwrap_err();
        assert!(error.to_string().contains("for good"), "{sql}: {error}");
    }

    // Every export of it says so.
    let id = store.session_ids().unwrap()[0];
    let export = |format| {
        let mut out = Vec::new();
        kap_journal::export::write_session(
            &store,
            id,
            format,
            kap_journal::export::ExportOptions::default(),
            &common::summary_context(),
            &mut out,
        )
        .unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    assert!(export(ExportFormat::Markdown).contains("SYNTHETIC DEMO DATA"));
    let archive = export(ExportFormat::Json);
    assert!(archive.contains("\"synthetic\": true"));
    assert!(export(ExportFormat::Fhir).contains("\"code\":\"HTEST\""));
    let pdf = ExportFormat::Pdf;
    let mut pdf_bytes = Vec::new();
    kap_journal::export::write_session(
        &store,
        id,
        pdf,
        kap_journal::export::ExportOptions::default(),
        &common::summary_context(),
        &mut pdf_bytes,
    )
    .unwrap();
    let text = lopdf::Document::load_mem(&pdf_bytes)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    assert!(text.contains("SYNTHETIC DEMO DATA"), "{text}");

    // Its archive does not go into a real journal, and makes a new one synthetic.
    let mut real_store = Store::open(real.path(), &common::passphrase()).unwrap();
    let refused = import_archive(
        &mut real_store,
        archive.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        matches!(
            refused,
            kap_journal::export::ImportError::Store(StoreError::RealRecords)
        ),
        "{refused}"
    );
    assert!(real_store.session_ids().unwrap().is_empty());
    assert!(!real_store.is_synthetic().unwrap());
    let mut fresh = common::journal();
    import_archive(
        &mut fresh.store,
        archive.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert!(fresh.store.is_synthetic().unwrap());
}
