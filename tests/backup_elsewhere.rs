//! A backup carries the journal's key sealed under the passphrase, so it restores into an empty
//! folder on another computer with the passphrase alone; anything less is refused with a sentence
//! and leaves the folder as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use kap_journal::store::{DB_FILE_NAME, KEY_FILE_NAME};

fn with_passphrase(dir: &Path, passphrase: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", passphrase)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A backup of the fixture journal, made through the binary, in a folder of its own.
fn backup() -> (tempfile::TempDir, std::path::PathBuf) {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("journal-backup.db");
    let output = common::kap_journal(dir.path(), &["backup", "--out", path.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    (files, path)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_restores_on_a_new_computer_with_the_passphrase_alone() {
    let (_files, backup) = backup();
    let new_computer = tempfile::tempdir().unwrap();
    let folder = new_computer.path().join("KAP Journal");

    let output = with_passphrase(
        &folder,
        "not the passphrase",
        &["restore", backup.to_str().unwrap()],
    );
    assert!(!output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    common::assert_one_sentence(
        said.trim().trim_start_matches("kap-journal: "),
        "That passphrase does not unlock",
    );
    // Nothing of a journal was left: no key, no journal (the claim's lock file is all).
    assert_eq!(names(&folder), ["journal.lock"]);

    let output = common::kap_journal(&folder, &["restore", backup.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(folder.join(KEY_FILE_NAME).exists());
    let output = common::kap_journal(&folder, &["sessions", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed["kap"].as_array().unwrap().len(), 1);
    assert_eq!(listed["medical"].as_array().unwrap().len(), 1);
    let output = common::kap_journal(&folder, &["check"]);
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn a_cut_or_keyless_file_is_refused_in_a_new_folder_and_leaves_it_empty() {
    let (files, backup) = backup();
    let bytes = std::fs::read(&backup).unwrap();
    let cases = [
        ("cut short", bytes[..bytes.len() - 10].to_vec()),
        ("empty", Vec::new()),
        (
            "the pages alone",
            bytes[..bytes.len() / 4096 * 4096].to_vec(),
        ),
    ];
    for (what, content) in cases {
        let path = files.path().join(format!("{what}.db"));
        std::fs::write(&path, content).unwrap();
        let folder = tempfile::tempdir().unwrap();
        let output = common::kap_journal(folder.path(), &["restore", path.to_str().unwrap()]);
        assert!(!output.status.success(), "{what}: {output:?}");
        let said = String::from_utf8_lossy(&output.stderr);
        common::assert_one_sentence(
            said.trim().trim_start_matches("kap-journal: "),
            "carries no key of its own",
        );
        assert_eq!(names(folder.path()), ["journal.lock"], "{what}");
    }
    // A trailer whose key file is damaged is not a backup.
    let mut damaged = bytes.clone();
    let at = bytes.len() - 24 - 40;
    damaged[at] = b'#';
    let path = files.path().join("damaged-key.db");
    std::fs::write(&path, damaged).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let output = common::kap_journal(folder.path(), &["restore", path.to_str().unwrap()]);
    assert!(!output.status.success(), "{output:?}");
    assert!(!folder.path().join(DB_FILE_NAME).exists());
    assert!(!folder.path().join(KEY_FILE_NAME).exists());
}

#[test]
fn the_journals_own_folder_restores_its_backups_as_before() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir;
    drop(journal.store);
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("backups-by-hand.db");
    assert!(
        common::kap_journal(dir.path(), &["backup", "--out", backup.to_str().unwrap()])
            .status
            .success()
    );
    let output = common::kap_journal(dir.path(), &["restore", backup.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(common::kap_journal(dir.path(), &["check"]).status.success());
}
