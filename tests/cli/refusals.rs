//! What the command line refuses: one plain sentence, a failing exit, nothing written, nothing echoed.

use super::*;

/// The binary with the passphrase left to the arguments (no environment variable).
fn kap_journal_with(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env_remove("KAP_JOURNAL_PASSPHRASE")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn refusals_are_one_plain_sentence_with_a_failing_exit_and_write_nothing() {
    let empty = tempfile::tempdir().unwrap();
    let output = kap_journal(empty.path(), &["sessions"]);
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.starts_with("kap-journal: There is no journal in ") && message.lines().count() == 1,
        "{message}"
    );
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "reading created nothing"
    );

    let held = tempfile::tempdir().unwrap();
    let _writer = Store::open(held.path(), &common::passphrase()).unwrap();
    let before = std::fs::read(held.path().join("journal.db")).unwrap();
    let output = kap_journal(held.path(), &["demo", "--sessions", "5"]);
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.contains("Another KAP Journal is already using the data folder")
            && message.lines().count() == 1,
        "{message}"
    );
    assert_eq!(
        std::fs::read(held.path().join("journal.db")).unwrap(),
        before
    );

    let output = kap_journal(held.path(), &["sessions", "--model", "ketamine"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("use medical or kap")
    );
}

#[test]
fn a_missing_or_wrong_passphrase_is_one_sentence_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(dir.path(), &["demo", "--sessions", "2"]));
    let run = |passphrase: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kap-journal"));
        command
            .env_remove("KAP_JOURNAL_PASSPHRASE")
            .arg("--data-dir")
            .arg(dir.path())
            .arg("sessions");
        if let Some(passphrase) = passphrase {
            command.env("KAP_JOURNAL_PASSPHRASE", passphrase);
        }
        command.output().unwrap()
    };
    let missing = run(None);
    assert!(!missing.status.success());
    let message = String::from_utf8(missing.stderr).unwrap();
    assert!(
        message.contains("give its passphrase in KAP_JOURNAL_PASSPHRASE or with --passphrase-file")
            && message.lines().count() == 1,
        "{message}"
    );

    let wrong = run(Some("a guess that is wrong"));
    assert!(!wrong.status.success());
    let message = String::from_utf8(wrong.stderr).unwrap();
    assert_eq!(
        message,
        "kap-journal: That passphrase does not unlock this journal.\n"
    );
    assert!(!message.contains("guess"));

    let right = run(Some(PASSPHRASE));
    assert!(stdout(&right).contains("KAP sessions ("));
}

#[test]
fn check_never_creates_a_journal_and_an_emptied_journal_is_damage() {
    let empty = tempfile::tempdir().unwrap();
    let output = kap_journal(empty.path(), &["check"]);
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "check made nothing in an empty folder"
    );

    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(dir.path(), &["demo", "--sessions", "2"]));
    std::fs::write(dir.path().join("journal.db"), b"").unwrap();
    let gone = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join("journal.key"),
        gone.path().join("journal.key"),
    )
    .unwrap();
    let output = kap_journal(gone.path(), &["sessions"]);
    common::assert_one_sentence(
        String::from_utf8_lossy(&output.stderr).trim(),
        "journal.db is missing or empty",
    );
    assert!(
        !gone.path().join("journal.db").exists(),
        "nothing was created in its place"
    );
    for args in [
        vec!["check"],
        vec!["sessions"],
        vec!["demo", "--sessions", "1"],
    ] {
        let output = kap_journal(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        common::assert_one_sentence(
            String::from_utf8_lossy(&output.stderr).trim(),
            "journal.db is missing or empty",
        );
        assert_eq!(
            std::fs::metadata(dir.path().join("journal.db"))
                .unwrap()
                .len(),
            0,
            "{args:?} wrote nothing over the loss"
        );
    }
}

#[test]
fn outputs_never_land_on_the_journals_own_files_or_on_devices_and_a_bare_name_works() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(
        dir.path(),
        &["demo", "--sessions", "2", "--seed", "9"],
    ));
    let before = common::folder_snapshot(dir.path());
    let inside = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    for target in [
        inside("journal.db"),
        inside("journal.db-wal"),
        inside("journal.key"),
        inside("journal.lock"),
        "/dev/null".to_owned(),
        dir.path().to_string_lossy().into_owned(),
    ] {
        for args in [
            vec!["export", "1", "--format", "md", "--out", target.as_str()],
            vec![
                "export",
                "--all",
                "--format",
                "json",
                "--out",
                target.as_str(),
            ],
            vec!["backup", "--out", target.as_str()],
        ] {
            let output = kap_journal(dir.path(), &args);
            assert!(!output.status.success(), "{args:?}");
            common::assert_one_sentence(
                String::from_utf8_lossy(&output.stderr).trim(),
                "so nothing was written",
            );
        }
    }
    assert_eq!(
        common::folder_snapshot(dir.path()),
        before,
        "not a byte of the journal changed"
    );
    // `--out` with no folder part writes in the current folder.
    let here = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", PASSPHRASE)
        .current_dir(here.path())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["export", "1", "--format", "md", "--out", "summary.md"])
        .output()
        .unwrap();
    stdout(&output);
    assert!(here.path().join("summary.md").is_file());
}

#[test]
fn a_hostile_key_file_or_passphrase_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(dir.path(), &["demo", "--sessions", "1"]));
    let key_path = dir.path().join("journal.key");
    let original = std::fs::read_to_string(&key_path).unwrap();
    let key: serde_json::Value = serde_json::from_str(&original).unwrap();
    for (field, value) in [
        ("memory_kib", u64::from(u32::MAX)),
        ("iterations", 1_000_000_000),
        ("lanes", 4096),
    ] {
        let mut hostile = key.clone();
        hostile["kdf"][field] = value.into();
        std::fs::write(&key_path, hostile.to_string()).unwrap();
        let started = std::time::Instant::now();
        let output = kap_journal(dir.path(), &["sessions"]);
        assert!(!output.status.success(), "{field}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{field}: no hang"
        );
        common::assert_one_sentence(
            String::from_utf8_lossy(&output.stderr).trim(),
            "ask for more than any journal uses",
        );
    }
    std::fs::write(&key_path, original).unwrap();

    let endless = kap_journal_with(dir.path(), &["--passphrase-file", "/dev/zero", "sessions"]);
    assert!(!endless.status.success());
    common::assert_one_sentence(
        String::from_utf8_lossy(&endless.stderr).trim(),
        "is not a plain file",
    );
    let long = dir.path().join("long.txt");
    std::fs::write(&long, vec![b'a'; 5 << 20]).unwrap();
    let output = kap_journal_with(
        dir.path(),
        &["--passphrase-file", long.to_str().unwrap(), "sessions"],
    );
    assert!(!output.status.success());
    common::assert_one_sentence(
        String::from_utf8_lossy(&output.stderr).trim(),
        "has no line break",
    );
    let good = dir.path().join("passphrase.txt");
    std::fs::write(&good, format!("{PASSPHRASE}\r\nsecond line\n")).unwrap();
    stdout(&kap_journal_with(
        dir.path(),
        &["--passphrase-file", good.to_str().unwrap(), "sessions"],
    ));
}

#[test]
fn import_refuses_a_pipe_or_a_device_before_claiming_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(dir.path(), &["demo", "--sessions", "1"]));
    let fifo = dir.path().join("archive.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for source in [
        fifo.to_str().unwrap(),
        "/dev/zero",
        dir.path().to_str().unwrap(),
    ] {
        let started = std::time::Instant::now();
        let output = kap_journal(dir.path(), &["import", source]);
        assert!(!output.status.success(), "{source}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{source}: no wait"
        );
        common::assert_one_sentence(
            String::from_utf8_lossy(&output.stderr).trim(),
            "is not a plain file",
        );
    }
}

#[test]
fn words_from_the_journal_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut journal = common::Journal {
            store: Store::open(dir.path(), &common::passphrase()).unwrap(),
            dir: tempfile::tempdir().unwrap(),
            clock: std::sync::Arc::new(kap_journal::live::ManualClock::new(chrono::Utc::now())),
        };
        let mut live = common::live_session(&mut journal, kap_journal::domain::TreatmentModel::Kap);
        live.log(
            &mut journal.store,
            kap_journal::live::LiveCommand::Note(
                "\u{1b}]0;owned\u{7}\u{1b}[2J kitchen \u{202E}reversed\nnext line".into(),
            ),
        )
        .unwrap();
    }
    let output = stdout(&kap_journal(dir.path(), &["search", "kitchen"]));
    for hidden in ['\u{1b}', '\u{7}', '\u{202E}'] {
        assert!(
            !output.contains(hidden),
            "{hidden:?} reached the terminal: {output:?}"
        );
    }
    assert!(output.contains("[kitchen]"), "{output}");
}
