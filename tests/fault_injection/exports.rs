//! Exports killed or interrupted at any point: no plaintext left, nothing half made, another start's output left alone.

use super::*;

#[test]
fn an_export_killed_at_any_point_leaves_no_plaintext_once_kap_journal_starts_again() {
    let template = fixture_folder();
    let points = at_every_kill_point(
        template.path(),
        |scratch| {
            vec![
                "export".into(),
                "--all".into(),
                "--format".into(),
                "json".into(),
                "--out".into(),
                scratch.join("all.json").display().to_string(),
            ]
        },
        |dir, scratch, kill_at| {
            // Any start cleans up, even a command that only reads.
            let output = common::kap_journal(dir, &["sessions"]);
            assert!(output.status.success(), "kill point {kill_at}: {output:?}");
            nothing_partial(scratch, kill_at);
            nothing_partial(dir, kill_at);
            let out = scratch.join("all.json");
            if out.exists() {
                let archive: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
                assert_eq!(archive["sessions"].as_array().unwrap().len(), 2);
            }
        },
    );
    println!("export: {points} kill points, each held");
}

#[test]
fn an_output_still_being_made_beside_another_start_is_left_alone() {
    let dir = fixture_folder();
    let out = tempfile::tempdir().unwrap();
    let in_making = kap_journal::store::export_in_making(out.path());
    std::fs::write(&in_making, b"synthetic plaintext").unwrap();
    let note = kap_journal::store::UnfinishedOutput::begin(dir.path(), &in_making);
    // Another command starts while this process is still writing: its note is locked, so it stays.
    assert!(
        common::kap_journal(dir.path(), &["sessions"])
            .status
            .success()
    );
    assert!(in_making.exists());
    // The note goes with the output; a note that names a file KAP Journal did not make is never
    // followed.
    drop(note);
    let stranger = out.path().join("clinic-notes.txt");
    std::fs::write(&stranger, b"not ours").unwrap();
    let forged = dir
        .path()
        .join(kap_journal::store::UNFINISHED_DIR_NAME)
        .join("x.note");
    std::fs::write(&forged, stranger.as_os_str().as_encoded_bytes()).unwrap();
    assert!(
        common::kap_journal(dir.path(), &["sessions"])
            .status
            .success()
    );
    assert!(stranger.exists());
    assert!(!forged.exists());
}

#[test]
fn ctrl_c_at_any_point_of_an_export_or_a_backup_leaves_nothing_half_made_at_once() {
    const SIGINT: i32 = 2;
    let template = fixture_folder();
    let mut tried = 0;
    for (what, file) in [("export", "all.json"), ("backup", "backup.db")] {
        let args = |scratch: &Path| -> Vec<String> {
            let out = scratch.join(file).display().to_string();
            if what == "export" {
                ["export", "--all", "--format", "json", "--out", &out]
                    .map(String::from)
                    .to_vec()
            } else {
                ["backup", "--out", &out].map(String::from).to_vec()
            }
        };
        let counting = tempfile::tempdir().unwrap();
        let (dir, scratch) = (counting.path().join("journal"), counting.path().join("out"));
        common::copy_folder(template.path(), &dir);
        std::fs::create_dir_all(&scratch).unwrap();
        let count_file = counting.path().join("count");
        assert!(
            run(&dir, &args(&scratch), 0, Some(&count_file))
                .status
                .success()
        );
        let points = common::kill_points::points_in(&count_file);
        for kill_at in 1..=points {
            let round = tempfile::tempdir().unwrap();
            let (dir, scratch) = (round.path().join("journal"), round.path().join("out"));
            common::copy_folder(template.path(), &dir);
            std::fs::create_dir_all(&scratch).unwrap();
            let output = run_signalled(&dir, &args(&scratch), kill_at, None, Some(SIGINT));
            assert!(
                output.status.code() == Some(130) || output.status.success(),
                "{what} interrupted at {kill_at}: {output:?}"
            );
            // Nothing has started since: the interrupted process cleaned up after itself.
            nothing_partial(&scratch, kill_at);
            nothing_partial(&dir, kill_at);
            tried += 1;
        }
    }
    println!("Ctrl+C: {tried} interrupt points, each left nothing half made");
}
