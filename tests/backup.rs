//! Backups and restoring: a backup made while a session is being logged restores to exactly the
//! journal as it was at one moment, holds no readable text, and a damaged or foreign backup is
//! refused without touching the journal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use kap_journal::domain::{SessionId, TreatmentModel};
use kap_journal::export::{ExportOptions, write_archive};
use kap_journal::live::LiveCommand;
use kap_journal::store::{KEY_FILE_NAME, LockedJournal, SessionFilter, Store, StoreError};

const SENTINEL: &str = "Zyxolith-backup-sentinel";

/// The whole journal as a JSON archive: what "identical" compares.
fn archive(store: &Store) -> Vec<u8> {
    let ids: Vec<SessionId> = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .iter()
        .map(|row| row.id)
        .collect();
    let mut out = Vec::new();
    let options = ExportOptions {
        include_private: true,
    };
    write_archive(store, &ids, options, &mut out, |_, _| {
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}

/// Restores `backup` into a new folder holding a copy of `source`'s key file.
fn restore_elsewhere(source: &Path, backup: &Path) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(source.join(KEY_FILE_NAME), dir.path().join(KEY_FILE_NAME)).unwrap();
    let store = LockedJournal::claim(dir.path())
        .unwrap()
        .restore_from(backup, &common::passphrase(), |_| {})
        .unwrap();
    (dir, store)
}

#[test]
fn a_backup_during_logging_restores_to_the_journal_at_one_moment() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let backups = tempfile::tempdir().unwrap();
    let target = backups.path().join("during.db");
    let reader = journal.store.reader().unwrap();
    let logging = AtomicBool::new(true);
    let (done, progress) = std::thread::scope(|scope| {
        let target = &target;
        let logging = &logging;
        let backup = scope.spawn(move || {
            let mut reports = Vec::new();
            // Backups one after another for as long as the logging goes on.
            while logging.load(Ordering::Acquire) {
                reader
                    .backup_to(target, |progress| reports.push(progress))
                    .unwrap();
            }
            reports
        });
        for n in 0..150 {
            live.log(
                &mut journal.store,
                LiveCommand::Note(format!("Note {n} {SENTINEL}")),
            )
            .unwrap();
        }
        logging.store(false, Ordering::Release);
        (live.events().len(), backup.join().unwrap())
    });
    let passes = progress
        .iter()
        .filter(|report| report.done == report.total)
        .count();
    assert!(passes >= 2, "{passes} backups overlapped the logging");
    assert!(
        progress
            .last()
            .is_some_and(|last| last.done == last.total && last.total > 0)
    );

    let (_restored_dir, restored) = restore_elsewhere(journal.dir.path(), &target);
    assert!(restored.integrity_problems().unwrap().is_empty());
    assert!(restored.record().audit_problems().unwrap().is_empty());
    let session = live.session().id;
    let kept = restored.record().events(session).unwrap();
    let logged = journal.store.record().events(session).unwrap();
    assert_eq!(logged.len(), done);
    assert_eq!(
        kept,
        logged[..kept.len()],
        "the backup is the journal at one moment: a prefix of the timeline, nothing torn"
    );

    // Made now, with logging over, the backup restores to an identical journal.
    journal.store.backup_to(&target, |_| {}).unwrap();
    let (_dir, restored) = restore_elsewhere(journal.dir.path(), &target);
    assert_eq!(archive(&restored), archive(&journal.store));

    // Encrypted: the notes' words are nowhere in the file.
    let bytes = std::fs::read(&target).unwrap();
    for needle in [SENTINEL.as_bytes().to_vec(), common::utf16(SENTINEL)] {
        assert!(!bytes.windows(needle.len()).any(|window| window == needle));
    }
}

#[test]
fn restoring_replaces_the_journal_and_keeps_the_one_it_replaced() {
    let mut journal = common::journal_with_fixture();
    // Backups go outside the data folder, which only the journal writes to.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("before-import.db");
    journal.store.backup_to(&target, |_| {}).unwrap();
    let before = archive(&journal.store);
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    live.log(
        &mut journal.store,
        LiveCommand::Note("after the backup".into()),
    )
    .unwrap();
    assert_ne!(archive(&journal.store), before);
    let dir = journal.dir;
    drop(journal.store);

    let locked = LockedJournal::claim(dir.path()).unwrap();
    let restored = locked
        .restore_from(&target, &common::passphrase(), |_| {})
        .unwrap();
    assert_eq!(archive(&restored), before);
    assert_eq!(kept_journals(dir.path()).len(), 1);
    assert!(!dir.path().join("journal.db.partial").exists());
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_and_nothing_changes() {
    let journal = common::journal_with_fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("backup.db");
    journal.store.backup_to(&target, |_| {}).unwrap();
    let before = archive(&journal.store);
    let dir = journal.dir;
    drop(journal.store);

    // One flipped bit in the middle of the backup.
    let mut bytes = std::fs::read(&target).unwrap();
    let middle = bytes.len() / 2 + 100;
    bytes[middle] ^= 0x04;
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    let locked = LockedJournal::claim(dir.path()).unwrap();
    let error = locked
        .restore_from(&damaged, &common::passphrase(), |_| {})
        .unwrap_err();
    assert!(matches!(error, StoreError::BackupDamaged), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "nothing was restored");

    // A backup of another journal does not open with this journal's key.
    let other = common::journal_with_fixture();
    let foreign = elsewhere.path().join("foreign.db");
    other.store.backup_to(&foreign, |_| {}).unwrap();
    let error = locked
        .restore_from(&foreign, &common::passphrase(), |_| {})
        .unwrap_err();
    assert!(matches!(error, StoreError::BackupKeyMismatch), "{error:?}");

    let store = locked.unlock(&common::passphrase()).unwrap();
    assert_eq!(archive(&store), before, "the journal is as it was");
    assert!(kept_journals(dir.path()).is_empty());
}

/// Backups keep being made whatever the backup folder holds: a folder or a link under the next
/// backup's name, a backup named in the future (a clock set wrong), a file of the clinician's.
#[test]
fn automatic_backups_go_on_whatever_the_backup_folder_holds() {
    let journal = common::journal_with_fixture();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
        .unwrap()
        .to_utc();
    let folder = journal.dir.path().join("backups");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir(folder.join("journal-20261120-090000.db")).unwrap();
    let first = journal.store.backup_rotating(now, 1, |_| {}).unwrap();
    assert!(first.path.is_file(), "made under the next free name");
    assert_eq!(
        first.path.file_name().unwrap().to_string_lossy(),
        "journal-20261120-090001.db"
    );
    // A backup from a clock set years ahead neither crowds out the newest nor stops rotation.
    std::fs::copy(&first.path, folder.join("journal-20991231-235959.db")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", folder.join("journal-20261121-090000.db")).unwrap();
    let later = now + chrono::Duration::days(1);
    let made = journal.store.backup_rotating(later, 1, |_| {}).unwrap();
    assert!(made.path.is_file());
    assert!(
        kap_journal::store::list_backups(journal.dir.path())
            .unwrap()
            .iter()
            .any(|backup| backup.path == made.path),
        "the backup just made is kept"
    );
    assert!(
        folder.join("journal-20261120-090000.db").is_dir(),
        "left alone"
    );
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(folder.join("journal-20261121-090000.db")).is_ok(),
        "a link named as a backup is not followed, counted or removed"
    );
    let restored = journal.store.newest_good_backup().unwrap().unwrap();
    assert!(restored.path.is_file());
}

#[test]
fn automatic_backups_keep_the_newest_as_many_as_the_clinic_keeps() {
    let journal = common::journal_with_fixture();
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00Z")
        .unwrap()
        .to_utc();
    for day in 0..5 {
        let made = journal
            .store
            .backup_rotating(start + chrono::Duration::days(day), 3, |_| {})
            .unwrap();
        assert_eq!(made.made_at, start + chrono::Duration::days(day));
    }
    let kept = kap_journal::store::list_backups(journal.dir.path()).unwrap();
    let days: Vec<String> = kept
        .iter()
        .map(|backup| backup.made_at.format("%d").to_string())
        .collect();
    assert_eq!(
        days,
        ["24", "23", "22"],
        "newest first, the two oldest removed"
    );
    let names: Vec<String> = kept
        .iter()
        .map(|backup| {
            backup
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names[0], "journal-20261124-090000.db");
    // A file of the clinician's own in the folder is left alone.
    let own = journal.dir.path().join("backups").join("notes.txt");
    std::fs::write(&own, "mine").unwrap();
    journal
        .store
        .backup_rotating(start + chrono::Duration::days(9), 3, |_| {})
        .unwrap();
    assert!(own.exists());
    assert_eq!(
        kap_journal::store::list_backups(journal.dir.path())
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn an_empty_truncated_or_random_file_is_refused_as_a_backup_and_the_journal_is_untouched() {
    let journal = common::journal_with_fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("backup.db");
    journal.store.backup_to(&target, |_| {}).unwrap();
    let before = archive(&journal.store);
    let dir = journal.dir;
    drop(journal.store);
    let outside = tempfile::tempdir().unwrap();
    let whole = std::fs::read(&target).unwrap();
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("one byte", vec![0]),
        ("the first page only", whole[..4096].to_vec()),
        ("cut in half", whole[..whole.len() / 2].to_vec()),
        ("cut mid-page", whole[..whole.len() - 1000].to_vec()),
        (
            "random bytes",
            (0..whole.len()).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("plain text", b"not a backup at all\n".repeat(300)),
    ];
    let locked = LockedJournal::claim(dir.path()).unwrap();
    let files_before = common::folder_snapshot(dir.path());
    for (what, bytes) in hostile {
        let path = outside.path().join(format!("{what}.db"));
        std::fs::write(&path, &bytes).unwrap();
        let error = locked
            .restore_from(&path, &common::passphrase(), |_| {})
            .expect_err(what);
        assert!(
            matches!(
                error,
                StoreError::BackupDamaged | StoreError::NotABackup | StoreError::BackupKeyMismatch
            ),
            "{what}: {error:?}"
        );
        common::assert_one_sentence(&error.to_string(), "nothing was restored");
        assert_eq!(
            common::folder_snapshot(dir.path()),
            files_before,
            "{what}: not a byte of the data folder changed"
        );
    }
    let store = locked.unlock(&common::passphrase()).unwrap();
    assert_eq!(archive(&store), before);
}

#[test]
fn every_journal_a_restore_replaces_is_kept_named_by_time() {
    let journal = common::journal_with_fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("backup.db");
    journal.store.backup_to(&target, |_| {}).unwrap();
    let dir = journal.dir;
    drop(journal.store);
    let locked = LockedJournal::claim(dir.path()).unwrap();
    for _ in 0..2 {
        drop(
            locked
                .restore_from(&target, &common::passphrase(), |_| {})
                .unwrap(),
        );
        // Named to the second: the next restore must not land on the same name.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let kept = kept_journals(dir.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(!dir.path().join("journal.db.partial").exists());
    assert!(dir.path().join("journal.db").is_file());
    // A kept journal is whole: it restores as a backup would.
    let first = dir.path().join(&kept[0]);
    let restored = locked
        .restore_from(&first, &common::passphrase(), |_| {})
        .unwrap();
    assert_eq!(
        restored
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_restore_cut_short_leaves_the_old_journal_and_its_copy_is_removed_at_the_next_start() {
    let journal = common::journal_with_fixture();
    let before = archive(&journal.store);
    let dir = journal.dir;
    drop(journal.store);
    // As a restore killed while copying leaves the folder: the journal untouched, a partial copy.
    let partial = dir.path().join("journal.db.partial");
    std::fs::write(&partial, vec![0x5a; 3 * 4096 + 17]).unwrap();
    let locked = LockedJournal::claim(dir.path()).unwrap();
    assert!(!partial.exists(), "removed when the folder is claimed");
    let store = locked.unlock(&common::passphrase()).unwrap();
    assert_eq!(archive(&store), before);
}

/// The journals restores have replaced and kept, by name.
fn kept_journals(dir: &std::path::Path) -> Vec<String> {
    let mut kept: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("journal.db.before-restore-") && !name.ends_with("-wal"))
        .collect();
    kept.sort();
    kept
}

#[cfg(unix)]
#[test]
fn the_folder_the_journal_backups_and_exports_are_owner_only_even_when_the_folder_was_open() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    // A folder an earlier version, or a person, left readable by everyone.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(mode(dir.path()), 0o700, "the data folder");
    for name in ["journal.db", "journal.key", "journal.lock"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
    }
    let wal = dir.path().join("journal.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "the write-ahead log");
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("copy.db");
    store.backup_to(&backup, |_| {}).unwrap();
    assert_eq!(mode(&backup), 0o600, "a backup");
    let rotated = store
        .backup_rotating(chrono::Utc::now(), 3, |_| {})
        .unwrap();
    assert_eq!(mode(&rotated.path), 0o600, "an automatic backup");
    let export = dir.path().join("exports").join("all.json");
    kap_journal::export::write_atomically(&export, dir.path(), |out| Ok(out.write_all(b"{}")?))
        .unwrap();
    assert_eq!(mode(&export), 0o600, "an export");
}
