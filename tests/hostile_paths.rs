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
        assert_eq!(store.record().session_ids().unwrap().len(), 2);
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
        assert!(
            store.record().session_ids().unwrap().is_empty()
                && !store.record().is_synthetic().unwrap()
        );
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
    assert!(store.record().is_synthetic().unwrap());
    let raw = kap_journal::store::connect_raw(demo.dir.path(), &common::passphrase()).unwrap();
    for sql in [
        "DELETE FROM journal_marks",
        "UPDATE journal_marks SET mark = 'x'",
    ] {
        let error = raw.execute_batch(sql).unwrap_err();
        assert!(error.to_string().contains("for good"), "{sql}: {error}");
    }

    // Every export of it says so.
    let id = store.record().session_ids().unwrap()[0];
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
    assert!(real_store.record().session_ids().unwrap().is_empty());
    assert!(!real_store.record().is_synthetic().unwrap());
    let mut fresh = common::journal();
    import_archive(
        &mut fresh.store,
        archive.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert!(fresh.store.record().is_synthetic().unwrap());
}

#[test]
fn a_writer_that_cannot_anchor_its_commits_says_so_and_stops() {
    let data = tempfile::tempdir().unwrap();
    demo_journal(data.path());
    let anchor = data.path().join(kap_journal::store::ANCHOR_FILE_NAME);

    // At the start: journal.anchor made a folder.
    std::fs::remove_file(&anchor).unwrap();
    std::fs::create_dir(&anchor).unwrap();
    let output = kap_journal(
        data.path(),
        &[
            "lots",
            "receive",
            "KET-9",
            "--substance",
            "ketamine",
            "--mg",
            "500",
        ],
    );
    assert!(!output.status.success());
    common::assert_one_sentence(stderr(&output).trim_end(), "cannot be written");
    std::fs::remove_dir(&anchor).unwrap();
    let output = kap_journal(data.path(), &["lots", "log", "--lot", "KET-9"]);
    assert!(!output.status.success(), "nothing was received");

    // While writing: the commit that could not be anchored stands, the next write is refused, and
    // once the anchor can be written again the journal goes on, guarded.
    let mut store = Store::open(data.path(), &common::passphrase()).unwrap();
    std::fs::remove_file(&anchor).unwrap();
    std::fs::create_dir(&anchor).unwrap();
    common::client(&mut store, "C-0500");
    let refused = store
        .record_mut()
        .create_client(
            &kap_journal::domain::NewClient::parse("C-0501", "", "").unwrap(),
            Utc::now(),
        )
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::AnchorUnwritable { .. }),
        "{refused}"
    );
    std::fs::remove_dir(&anchor).unwrap();
    common::client(&mut store, "C-0501");
    drop(store);
    let output = kap_journal(data.path(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_data_folder_open_to_all_or_a_file_is_refused_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt as _;
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let output = kap_journal(shared.path(), &["demo", "--sessions", "1"]);
    assert!(!output.status.success());
    common::assert_one_sentence(stderr(&output).trim_end(), "every account on this computer");
    let mode = std::fs::metadata(shared.path())
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(
        mode, 0o1777,
        "the sticky bit and the mode stay as they were"
    );
    assert_eq!(
        std::fs::read_dir(shared.path()).unwrap().count(),
        0,
        "nothing was made"
    );

    let file = tempfile::NamedTempFile::new().unwrap();
    for args in [&["sessions"][..], &["demo", "--sessions", "1"][..]] {
        let output = kap_journal(file.path(), args);
        assert!(!output.status.success());
        common::assert_one_sentence(stderr(&output).trim_end(), "is a file, not a folder");
    }
}

#[test]
fn a_lot_or_a_session_that_does_not_exist_is_named() {
    let data = tempfile::tempdir().unwrap();
    demo_journal(data.path());
    let output = kap_journal(data.path(), &["lots", "log", "--lot", "NOPE"]);
    assert!(!output.status.success());
    common::assert_one_sentence(stderr(&output).trim_end(), "The log has no lot NOPE");
    let output = kap_journal(data.path(), &["rems", "submitted", "99999"]);
    assert!(!output.status.success());
    common::assert_one_sentence(stderr(&output).trim_end(), "There is no session 99999");
}

#[test]
fn every_csv_row_of_a_synthetic_journal_says_so() {
    let demo = common::journal();
    let mut store = demo.store;
    let plan = DemoPlan {
        clients: 1,
        sessions: 2,
        seed: 5,
    };
    generate(&mut store, plan, |_, _| {}).unwrap();
    let id = store.record().session_ids().unwrap()[0];
    let mut out = Vec::new();
    kap_journal::export::write_session(
        &store,
        id,
        ExportFormat::Csv,
        kap_journal::export::ExportOptions::default(),
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    let csv = String::from_utf8(out).unwrap();
    // Every CSV row, of the session and of the controlled-substance log, so a row copied alone
    // is still marked.
    let rows: Vec<&str> = csv.split("\r\n").filter(|row| !row.is_empty()).collect();
    assert!(rows[0].ends_with(",synthetic"), "{}", rows[0]);
    assert!(rows.len() > 2);
    assert!(rows[1..].iter().all(|row| row.ends_with(",yes")), "{csv}");
    let log = store.registers().substance_log(None).unwrap();
    assert!(!log.is_empty());
    let mut log_csv = Vec::new();
    kap_journal::export::write_substance_log(
        &log,
        store.record().is_synthetic().unwrap(),
        &mut log_csv,
    )
    .unwrap();
    let log_csv = String::from_utf8(log_csv).unwrap();
    let rows: Vec<&str> = log_csv
        .split("\r\n")
        .filter(|row| !row.is_empty())
        .collect();
    assert!(
        rows[1..].iter().all(|row| row.ends_with(",yes")),
        "{log_csv}"
    );
}
