//! The accounting of disclosures: every export (each format, to a file or standard output) and
//! every backup is recorded in the client's accounting before anything leaves, nothing leaves when
//! it cannot be recorded, and what a command records beside the window is taken in once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{kap_journal, passphrase};
use kap_journal::domain::SessionId;
use kap_journal::store::{OUTBOX_FILE_NAME, Store};

fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A journal of three clients with two sessions each.
fn demo_journal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(&kap_journal(
        dir.path(),
        &["demo", "--clients", "3", "--sessions", "6", "--seed", "7"],
    ));
    dir
}

fn disclosures(dir: &Path, client: Option<&str>) -> Vec<serde_json::Value> {
    let mut args = vec!["disclosures", "--json"];
    args.extend(client);
    serde_json::from_str::<serde_json::Value>(&ok(&kap_journal(dir, &args)))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The uuid and client code of session `id`.
fn session(dir: &Path, id: i64) -> (String, String) {
    let store = Store::open_for_reading(dir, &passphrase()).unwrap();
    let session = store.record().session(SessionId(id)).unwrap();
    let code = store
        .record()
        .clients()
        .unwrap()
        .into_iter()
        .find(|client| client.id == session.client_id)
        .unwrap()
        .code;
    (session.uuid.to_string(), code)
}

#[test]
fn every_export_and_backup_is_in_the_accounting_of_the_clients_it_carried() {
    let journal = demo_journal();
    let dir = journal.path();
    let out = tempfile::tempdir().unwrap();
    let (uuid, code) = session(dir, 1);
    let mut expected = Vec::new();
    for (format, form) in [
        ("pdf", "PDF summary"),
        ("md", "Markdown summary"),
        ("csv", "CSV (one row per entry)"),
        ("json", "JSON archive (lossless)"),
        ("fhir", "FHIR R4 bundle (JSON)"),
    ] {
        let file = out.path().join(format!("one.{format}"));
        ok(&kap_journal(
            dir,
            &[
                "export",
                "1",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        ));
        expected.push((form, file.display().to_string()));
    }
    let printed = ok(&kap_journal(
        dir,
        &["export", "1", "--format", "md", "--out", "-"],
    ));
    assert!(printed.contains("Session"), "the summary went out");
    expected.push(("Markdown summary", "standard output".to_owned()));
    let backup = out.path().join("journal.backup");
    ok(&kap_journal(
        dir,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    let archive = out.path().join("all.json");
    ok(&kap_journal(
        dir,
        &[
            "export",
            "--all",
            "--format",
            "json",
            "--out",
            archive.to_str().unwrap(),
        ],
    ));

    let listed = disclosures(dir, Some(&code));
    let exports: Vec<(String, String)> = listed
        .iter()
        .filter(|d| d["kind"] == "export" && d["session_count"] == 1)
        .map(|d| {
            assert_eq!(d["client"], code.as_str());
            assert_eq!(d["sessions"][0], uuid.as_str(), "{d}");
            (
                d["form"].as_str().unwrap().to_owned(),
                d["recipient"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(form, to)| (form.to_owned(), to))
        .collect();
    assert_eq!(exports, expected);
    let backups: Vec<&serde_json::Value> =
        listed.iter().filter(|d| d["kind"] == "backup").collect();
    assert_eq!(backups.len(), 1, "{listed:?}");
    assert_eq!(backups[0]["client"], serde_json::Value::Null);
    assert_eq!(backups[0]["session_count"], 6);
    assert_eq!(
        backups[0]["recipient"],
        backup.display().to_string().as_str()
    );
    let whole = listed
        .iter()
        .find(|d| d["recipient"] == archive.display().to_string().as_str())
        .unwrap();
    assert_eq!(
        whole["session_count"], 2,
        "{code}'s two sessions of the archive"
    );

    another_clients_accounting_lacks(dir, &code, &uuid);
    // The whole journal's list has every one, once.
    assert_eq!(disclosures(dir, None).len(), 6 + 1 + 3);
    let text = ok(&kap_journal(dir, &["disclosures", &code]));
    assert!(text.contains("Backed up"), "{text}");
    assert!(text.contains(&backup.display().to_string()), "{text}");
}

#[test]
fn nothing_leaves_the_journal_when_its_disclosure_cannot_be_recorded() {
    let journal = demo_journal();
    let dir = journal.path();
    // The outbox cannot be written: something else stands at its name.
    std::fs::create_dir(dir.join(OUTBOX_FILE_NAME)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("summary.pdf");
    let refused = kap_journal(
        dir,
        &[
            "export",
            "1",
            "--format",
            "pdf",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    common::assert_one_sentence(said.trim(), "Nothing was disclosed");
    assert!(!file.exists(), "no file was written");
    let to_stdout = kap_journal(dir, &["export", "1", "--format", "md", "--out", "-"]);
    assert!(!to_stdout.status.success());
    assert!(to_stdout.stdout.is_empty(), "nothing was printed");
    let backup = out.path().join("journal.backup");
    assert!(
        !kap_journal(dir, &["backup", "--out", backup.to_str().unwrap()])
            .status
            .success()
    );
    assert!(!backup.exists());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn beside_the_window_a_disclosure_waits_in_the_outbox_and_is_taken_in_once() {
    let journal = demo_journal();
    let dir = journal.path();
    let writer = Store::open(dir, &passphrase()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("summary.md");
    ok(&kap_journal(
        dir,
        &[
            "export",
            "1",
            "--format",
            "md",
            "--out",
            file.to_str().unwrap(),
        ],
    ));
    let seen = writer.registers().disclosures(None).unwrap();
    assert_eq!(seen.items.len(), 1);
    assert!(seen.items[0].pending, "listed from the outbox");
    writer.registers().take_in_disclosure_outbox().unwrap();
    let taken = writer.registers().disclosures(None).unwrap();
    assert_eq!(taken.items.len(), 1);
    assert!(!taken.items[0].pending);
    assert_eq!(taken.items[0].recipient, file.display().to_string());
    assert_eq!(
        std::fs::metadata(dir.join(OUTBOX_FILE_NAME)).unwrap().len(),
        0
    );

    // One more beside the window, then the window closes without taking it in: the next opening
    // does, and nothing is counted twice.
    ok(&kap_journal(
        dir,
        &["export", "2", "--format", "csv", "--out", "-"],
    ));
    drop(writer);
    let reopened = Store::open(dir, &passphrase()).unwrap();
    let items = reopened.registers().disclosures(None).unwrap().items;
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|item| !item.pending));
    drop(reopened);
    assert_eq!(disclosures(dir, None).len(), 2);

    // A line of the outbox changed by hand is said, not believed, and the rest still listed.
    ok(&kap_journal(
        dir,
        &["export", "2", "--format", "csv", "--out", "-"],
    ));
    let outbox = dir.join(OUTBOX_FILE_NAME);
    let mut text = std::fs::read_to_string(&outbox).unwrap();
    let flipped = if text.starts_with('A') { "B" } else { "A" };
    text.replace_range(0..1, flipped);
    std::fs::write(&outbox, text).unwrap();
    let listed = kap_journal(dir, &["disclosures"]);
    assert!(listed.status.success());
    let said = String::from_utf8_lossy(&listed.stderr);
    assert!(
        said.contains("1 disclosure in the outbox cannot be read"),
        "{said}"
    );
    assert_eq!(disclosures(dir, None).len(), 2);
}

#[test]
fn an_unknown_client_is_said_in_a_sentence() {
    let journal = demo_journal();
    let output = kap_journal(journal.path(), &["disclosures", "D-9999"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    common::assert_one_sentence(said.trim(), "no client D-9999");
}

/// Another client's accounting has the backup and its own share of the archive, nothing of
/// session `uuid` (of client `code`).
fn another_clients_accounting_lacks(dir: &Path, code: &str, uuid: &str) {
    let (_, other) = session(dir, 2);
    let other = if other == code {
        session(dir, 3).1
    } else {
        other
    };
    let theirs = disclosures(dir, Some(&other));
    assert!(
        theirs
            .iter()
            .all(|d| { d["sessions"].as_array().unwrap().iter().all(|s| s != uuid) })
    );
    assert_eq!(theirs.len(), 2, "{theirs:?}");
}
