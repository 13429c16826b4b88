//! The witness outside the data folder: a whole data folder put back from an older copy (anchor and
//! all) is found, in the state folder and in a backup folder on another disk; a witness of another
//! journal, another folder or a torn one says nothing; `check --accept` takes the journal as it is;
//! a restore made on purpose is no alarm.
//!
//! Every command here runs the built program with its own state folder (`XDG_STATE_HOME`), so the
//! witnesses it reads are the ones the test made.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

/// Runs `kap-journal` on the journal in `dir`, keeping its state in `state`.
fn run(dir: &Path, state: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env("XDG_STATE_HOME", state)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn succeeds(output: Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn fails(output: Output) -> String {
    assert!(!output.status.success(), "{output:?}");
    String::from_utf8(output.stderr).unwrap()
}

/// A writing command: one change to the clinic's name.
fn write(dir: &Path, state: &Path, name: &str) {
    succeeds(run(dir, state, &["settings", "--clinic-name", name]));
}

/// Replaces the folder `dir` with `older`, as a copy put back would.
fn put_back(older: &Path, dir: &Path) {
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::rename(older, dir).unwrap();
}

struct Setting {
    _root: tempfile::TempDir,
    dir: PathBuf,
    older: PathBuf,
    state: tempfile::TempDir,
}

/// A journal written twice, with a copy of its whole folder taken between the two writes.
fn journal_with_an_older_copy(before_copy: impl FnOnce(&Path, &Path)) -> Setting {
    let root = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    write(&dir, state.path(), "Synthetic Clinic One");
    before_copy(&dir, state.path());
    let older = root.path().join("older");
    common::copy_folder(&dir, &older);
    write(&dir, state.path(), "Synthetic Clinic Two");
    Setting {
        _root: root,
        dir,
        older,
        state,
    }
}

#[test]
fn a_whole_data_folder_put_back_from_an_older_copy_is_found_and_can_be_accepted() {
    let setting = journal_with_an_older_copy(|_, _| {});
    let (dir, state) = (&setting.dir, setting.state.path());
    put_back(&setting.older, dir);

    // The anchor came back with the copy, so only the witness outside the folder tells.
    let said = fails(run(dir, state, &["check"]));
    assert!(
        said.contains("older than the note of its newest change kept outside it"),
        "{said}"
    );
    assert!(said.contains("lacks the newest"), "{said}");
    assert!(said.contains("nothing was deleted"), "{said}");
    // With no backup to compare with, no restore is advised.
    assert!(said.contains("no restore is advised"), "{said}");
    assert!(!said.contains("restore the newest good backup"), "{said}");
    // Nothing is written into it.
    fails(run(
        dir,
        state,
        &["settings", "--clinic-name", "Synthetic Clinic Three"],
    ));

    // Without the witness (another account's state folder), the same folder looks sound: what the
    // witness adds.
    let elsewhere = tempfile::tempdir().unwrap();
    succeeds(run(dir, elsewhere.path(), &["check"]));

    // Once the clinician knows how it came about, the journal is taken as it is.
    let accepted = succeeds(run(dir, state, &["check", "--accept"]));
    assert!(accepted.contains("taken as it is"), "{accepted}");
    assert!(accepted.contains("is sound"), "{accepted}");
    write(dir, state, "Synthetic Clinic Three");
    succeeds(run(dir, state, &["check"]));
}

#[test]
fn a_witness_in_a_backup_folder_on_another_disk_finds_it_without_the_state_folder() {
    let drive = tempfile::tempdir().unwrap();
    let setting = journal_with_an_older_copy(|dir, state| {
        let folder = drive.path().to_str().unwrap();
        succeeds(run(dir, state, &["settings", "--backup-folder", folder]));
    });
    put_back(&setting.older, &setting.dir);

    let fresh_state = tempfile::tempdir().unwrap();
    let said = fails(run(&setting.dir, fresh_state.path(), &["check"]));
    assert!(
        said.contains(&drive.path().canonicalize().unwrap().display().to_string()),
        "the alarm names where the witness is: {said}"
    );
    assert!(said.contains("lacks the newest"), "{said}");
}

#[test]
fn a_witness_of_another_journal_or_a_torn_one_is_no_alarm() {
    let root = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    write(&dir, state.path(), "Synthetic Clinic One");
    write(&dir, state.path(), "Synthetic Clinic Two");

    // Another journal made in the same folder (the first one deleted): its witness is not this one's.
    std::fs::remove_dir_all(&dir).unwrap();
    write(&dir, state.path(), "Synthetic Clinic New");
    succeeds(run(&dir, state.path(), &["check"]));

    // A torn witness says nothing.
    let witnesses: Vec<PathBuf> = std::fs::read_dir(state.path().join("kap-journal/witnesses"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(witnesses.len(), 1, "{witnesses:?}");
    let text = std::fs::read_to_string(&witnesses[0]).unwrap();
    std::fs::write(&witnesses[0], &text[..text.len() / 2]).unwrap();
    succeeds(run(&dir, state.path(), &["check"]));
    // The witness file names neither the journal's folder nor anything in it in plain words.
    assert!(!text.contains("data"), "{text}");
}

#[test]
fn restoring_an_older_backup_on_purpose_is_no_alarm() {
    let root = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    write(&dir, state.path(), "Synthetic Clinic One");
    let backup = root.path().join("older.db");
    succeeds(run(
        &dir,
        state.path(),
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    write(&dir, state.path(), "Synthetic Clinic Two");
    succeeds(run(
        &dir,
        state.path(),
        &["restore", backup.to_str().unwrap()],
    ));
    succeeds(run(&dir, state.path(), &["check"]));
    write(&dir, state.path(), "Synthetic Clinic Three");
}
