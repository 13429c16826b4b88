//! Commands that only read change nothing (no migration, no encryption, no lock, no files beside the
//! journal on read-only media), and commands that write refuse a damaged journal whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use kap_journal::store::{AccessMode, DB_FILE_NAME, Store};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A closed journal holding the fixture.
fn closed_journal() -> tempfile::TempDir {
    let journal = common::journal_with_fixture();
    drop(journal.store);
    journal.dir
}

const READERS: &[&[&str]] = &[
    &["sessions"],
    &["sessions", "--json"],
    &["search", "integration"],
    &["settings"],
    &["check"],
];

#[test]
fn a_plain_sqlite_file_given_to_a_reader_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('synthetic');")
        .unwrap();
    drop(conn);
    let before = common::folder_snapshot(dir.path());
    for args in READERS {
        let output = common::kap_journal(dir.path(), args);
        assert!(!output.status.success(), "{args:?}: {output:?}");
        let said = stderr(&output);
        assert!(said.contains("not encrypted yet"), "{args:?}: {said}");
        assert_eq!(common::folder_snapshot(dir.path()), before, "{args:?}");
    }
}

#[test]
fn an_older_journal_is_not_migrated_by_a_reader() {
    let dir = closed_journal();
    common::rewind_schema(dir.path(), 6);
    let before = common::folder_snapshot(dir.path());
    for args in READERS {
        let output = common::kap_journal(dir.path(), args);
        assert!(!output.status.success(), "{args:?}: {output:?}");
        assert!(
            stderr(&output).contains("made by an older KAP Journal"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(common::folder_snapshot(dir.path()), before, "{args:?}");
    }
    // A writer brings it up to date, as before.
    let output = common::kap_journal(dir.path(), &["settings", "--set", "vitals-every=10"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        common::kap_journal(dir.path(), &["sessions"])
            .status
            .success()
    );
}

#[test]
fn a_reader_never_holds_the_writers_lock() {
    let dir = closed_journal();
    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(reader.access(), AccessMode::ReadOnly);
    let writer = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(writer.access(), AccessMode::Writer);
    // Both read the same journal.
    assert_eq!(
        reader.record().session_ids().unwrap(),
        writer.record().session_ids().unwrap()
    );
}

/// Runs the binary as the `nobody` account, for which a folder can be made read-only (root writes
/// anywhere): how a journal on a read-only disk or share looks to the app.
fn as_nobody(dir: &Path, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env("HOME", dir)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Makes `dir` and its files read-only to `nobody` (their owner), the folder listable.
fn read_only_for_nobody(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let status = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).unwrap();
}

#[test]
fn readers_work_on_read_only_media_and_leave_nothing_behind() {
    // Only root can hand a folder to another account; elsewhere the folder's own permissions are
    // what a read-only disk looks like, and the test is the same without the change of account.
    if !nix_is_root() {
        return;
    }
    let journal = tempfile::tempdir_in("/tmp").unwrap();
    let dir = journal.path().join("read-only journal");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(closed_journal().path()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    // `nobody` must be able to reach the folder through the temporary one.
    std::fs::set_permissions(
        journal.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    read_only_for_nobody(&dir);
    let before = common::folder_snapshot(&dir);
    for args in READERS {
        let output = as_nobody(&dir, args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert_eq!(common::folder_snapshot(&dir), before, "{args:?}");
    }
    let listed = as_nobody(&dir, &["sessions", "--json"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("C-0142"));
    // A writer says in a sentence that it cannot write there, and writes nothing.
    let output = as_nobody(&dir, &["settings", "--set", "vitals-every=10"]);
    assert!(!output.status.success(), "{output:?}");
    assert!(
        stderr(&output).contains("cannot be written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(common::folder_snapshot(&dir), before);
}

fn nix_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0\n"))
}

#[test]
fn a_writing_command_refuses_a_damaged_journal_and_writes_nothing() {
    let dir = closed_journal();
    // One flipped bit in a page of the timeline, as a failing disk leaves it: a page that opening the
    // journal does not read (damage there is refused at open already), so only the start-up check
    // can find it.
    let path = dir.path().join(DB_FILE_NAME);
    let page = common::pages_of(dir.path(), &["events"])[0];
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[usize::try_from(page).unwrap() * 4096 + 700] ^= 0x10;
    std::fs::write(&path, bytes).unwrap();
    let before = common::folder_snapshot(dir.path());
    let archive = dir.path().parent().unwrap().join(format!(
        "{}-fixture.json",
        dir.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&archive, common::FIXTURE).unwrap();
    for args in [
        vec!["settings", "--set", "vitals-every=10"],
        vec!["settings", "--clinician", "R. Example"],
        vec!["import", archive.to_str().unwrap()],
        vec!["demo", "--sessions", "2"],
    ] {
        let output = common::kap_journal(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}: {output:?}");
        let said = stderr(&output);
        assert!(
            said.contains("failed its start-up check, so nothing was written"),
            "{args:?}: {said}"
        );
        let after = common::folder_snapshot(dir.path());
        // The lock file is the only thing a writer may touch before it has looked.
        let journal_files = |files: &[(String, Vec<u8>)]| {
            files
                .iter()
                .filter(|(name, _)| name.starts_with(DB_FILE_NAME) || name == "journal.anchor")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(journal_files(&after), journal_files(&before), "{args:?}");
    }
    std::fs::remove_file(archive).unwrap();
}
