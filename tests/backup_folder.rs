//! Automatic backups go to a folder the clinician chooses (an external drive, a synced folder), with a
//! warning while it shares the journal's disk; a folder that cannot take them is refused in a
//! sentence, and backups left beside the journal are still found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use kap_journal::store::{
    BACKUPS_DIR_NAME, Store, backup_folder, choose_backup_folder, list_backups,
    shares_disk_with_journal,
};

fn settings_output(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = common::kap_journal(dir, args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_chosen_folder_takes_the_automatic_backups_and_the_old_ones_stay_listed() {
    let journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    let before = journal
        .store
        .backup_rotating(chrono::Utc::now() - chrono::Duration::days(1), 14, |_| {})
        .unwrap();
    assert!(before.path.starts_with(dir.join(BACKUPS_DIR_NAME)));

    let external = tempfile::tempdir().unwrap();
    choose_backup_folder(&dir, Some(external.path())).unwrap();
    assert_eq!(backup_folder(&dir), external.path().canonicalize().unwrap());
    let made = journal
        .store
        .backup_rotating(chrono::Utc::now(), 1, |_| {})
        .unwrap();
    assert!(
        made.path
            .starts_with(external.path().canonicalize().unwrap())
    );
    // Rotation keeps one in the chosen folder and leaves the one beside the journal alone; both are
    // listed, newest first, and the newest good one is the chosen folder's.
    let listed = list_backups(&dir).unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0].path, made.path);
    assert_eq!(listed[1].path, before.path);
    assert_eq!(
        journal.store.newest_good_backup().unwrap().unwrap().path,
        made.path
    );
    // Back beside the journal.
    choose_backup_folder(&dir, None).unwrap();
    assert_eq!(backup_folder(&dir), dir.join(BACKUPS_DIR_NAME));
}

#[test]
fn the_same_disk_is_told_apart_from_another() {
    let journal = common::journal();
    let beside = tempfile::tempdir_in(journal.dir.path().parent().unwrap()).unwrap();
    assert!(shares_disk_with_journal(journal.dir.path(), beside.path()));
    // /dev/shm is memory, another device than the temporary folder's disk wherever it exists.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() && !shares_disk_with_journal(Path::new("/"), shm) {
        let other = tempfile::tempdir_in(shm).unwrap();
        assert!(!shares_disk_with_journal(journal.dir.path(), other.path()));
    }
}

#[test]
fn the_command_line_chooses_shows_and_refuses_folders_with_a_sentence() {
    let journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let (ok, shown, _) = settings_output(&dir, &["settings"]);
    assert!(ok);
    assert!(shown.contains("backup-folder"), "{shown}");
    assert!(shown.contains("on the journal's own disk"), "{shown}");

    let external = tempfile::tempdir().unwrap();
    let (ok, shown, said) = settings_output(
        &dir,
        &[
            "settings",
            "--backup-folder",
            external.path().to_str().unwrap(),
        ],
    );
    assert!(ok, "{said}");
    assert!(shown.contains(external.path().file_name().unwrap().to_str().unwrap()));

    let file = external.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    for (folder, why) in [
        ("relative/folder", "it is not a full path"),
        ("/no/such/folder/anywhere", "it does not exist"),
        (file.to_str().unwrap(), "it is not a folder"),
        (dir.to_str().unwrap(), "it is the data folder itself"),
    ] {
        let before = common::folder_snapshot(&dir);
        let (ok, _, said) = settings_output(&dir, &["settings", "--backup-folder", folder]);
        assert!(!ok, "{folder}");
        common::assert_one_sentence(said.trim().trim_start_matches("kap-journal: "), why);
        assert_eq!(common::folder_snapshot(&dir), before, "{folder}");
    }
    let (ok, shown, _) = settings_output(&dir, &["settings", "--backup-folder", ""]);
    assert!(ok);
    assert!(
        shown.contains(&format!("{}", dir.join(BACKUPS_DIR_NAME).display())),
        "{shown}"
    );
    drop(Store::open(&dir, &common::passphrase()).unwrap());
}
