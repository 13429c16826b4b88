//! The command line: demo data, the sessions list and its JSON, and refusals as one plain sentence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use kap_journal::domain::{EventKind, Route, TreatmentModel};
use kap_journal::store::{SessionFilter, Store};

#[path = "../common/mod.rs"]
mod common;
mod refusals;

use common::PASSPHRASE;
use common::kap_journal;

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn demo_data_covers_both_models_every_route_and_every_deferral_outcome() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(
        dir.path(),
        &[
            "demo",
            "--clients",
            "12",
            "--sessions",
            "120",
            "--seed",
            "7",
        ],
    ));
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let sessions = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap();
    assert_eq!(sessions.len(), 120);
    let models: BTreeSet<_> = sessions.iter().map(|s| s.model).collect();
    assert_eq!(
        models,
        BTreeSet::from([TreatmentModel::Kap, TreatmentModel::Medical])
    );
    let routes: BTreeSet<_> = sessions.iter().map(|s| s.route).collect();
    assert_eq!(routes, Route::ALL.into_iter().collect());
    let sum = |field: fn(&kap_journal::store::SessionSummary) -> u32| {
        sessions.iter().map(field).sum::<u32>()
    };
    assert!(
        sum(|s| s.worked_through) > 0
            && sum(|s| s.dose_lowered) > 0
            && sum(|s| s.ended_early) > 0
            && sum(|s| s.session_stopped) > 0
    );
    let markers = sessions
        .iter()
        .flat_map(|s| store.record().events(s.id).unwrap())
        .filter(|e| matches!(e.kind, EventKind::Marker { .. }))
        .count();
    assert!(markers > 0);
    // Every deferral ends with an outcome, as the rule says.
    assert_eq!(
        sum(|s| s.deferrals),
        sum(|s| s.worked_through + s.dose_lowered + s.ended_early + s.session_stopped)
    );
}

#[test]
fn sessions_json_keeps_the_models_apart_and_a_seed_gives_the_same_journal() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&first, &second] {
        stdout(&kap_journal(
            dir.path(),
            &["demo", "--clients", "4", "--sessions", "30", "--seed", "11"],
        ));
    }
    let json = stdout(&kap_journal(first.path(), &["sessions", "--json"]));
    assert_eq!(
        json,
        stdout(&kap_journal(second.path(), &["sessions", "--json"]))
    );
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["format_version"], 1);
    let (kap, medical) = (
        document["kap"].as_array().unwrap(),
        document["medical"].as_array().unwrap(),
    );
    assert_eq!(kap.len() + medical.len(), 30);
    assert!(
        kap.iter().all(|row| row["model"] == "kap")
            && medical.iter().all(|row| row["model"] == "medical")
    );
    for key in [
        "id",
        "client_code",
        "route",
        "planned_dose",
        "status",
        "started_at",
        "ended_at",
        "events",
        "decision_points",
        "deferrals",
    ] {
        assert!(kap[0].get(key).is_some(), "documented field {key}");
    }

    let only_medical: serde_json::Value = serde_json::from_str(&stdout(&kap_journal(
        first.path(),
        &[
            "sessions", "--json", "--model", "medical", "--client", "D-0002",
        ],
    )))
    .unwrap();
    assert!(only_medical["kap"].as_array().unwrap().is_empty());
    assert!(
        only_medical["medical"]
            .as_array()
            .unwrap()
            .iter()
            .all(|row| row["client_code"] == "D-0002")
    );
    let table = stdout(&kap_journal(first.path(), &["sessions"]));
    assert!(
        table.starts_with("KAP sessions (") && table.contains("Medical Model sessions ("),
        "{table}"
    );
}

#[test]
fn the_data_folder_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let passphrase_file = dir.path().join("passphrase.txt");
    std::fs::write(&passphrase_file, format!("{PASSPHRASE}\n")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_DATA_DIR", dir.path())
        .env_remove("KAP_JOURNAL_PASSPHRASE")
        .arg("--passphrase-file")
        .arg(&passphrase_file)
        .args(["demo", "--sessions", "3"])
        .output()
        .unwrap();
    stdout(&output);
    assert!(dir.path().join("journal.db").exists());
}

#[test]
fn export_all_then_import_elsewhere_gives_the_same_archive_and_a_bad_file_changes_nothing() {
    let (source, target) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    stdout(&kap_journal(
        source.path(),
        &["demo", "--clients", "4", "--sessions", "30"],
    ));
    let archive = source.path().join("exports").join("all.json");
    let archive_arg = archive.to_str().unwrap();
    stdout(&kap_journal(
        source.path(),
        &["export", "--all", "--format", "json", "--out", archive_arg],
    ));
    let report = stdout(&kap_journal(target.path(), &["import", archive_arg]));
    assert!(report.starts_with("Imported 30 sessions"), "{report}");
    let again = stdout(&kap_journal(
        target.path(),
        &["export", "--all", "--format", "json", "--out", "-"],
    ));
    assert_eq!(again, std::fs::read_to_string(&archive).unwrap());

    // Importing the same file again is refused: nothing is duplicated.
    let refused = kap_journal(target.path(), &["import", archive_arg]);
    assert!(!refused.status.success());
    let message = String::from_utf8(refused.stderr).unwrap();
    assert!(
        message.contains("already in the journal") && message.contains("--skip-existing"),
        "{message}"
    );
    let truncated = target.path().join("cut.json");
    std::fs::write(&truncated, &again[..again.len() / 3]).unwrap();
    let refused = kap_journal(target.path(), &["import", truncated.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8(refused.stderr).unwrap().lines().count(),
        1,
        "one sentence"
    );
    let unchanged = stdout(&kap_journal(
        target.path(),
        &["export", "--all", "--format", "json", "--out", "-"],
    ));
    assert_eq!(unchanged, again);
}

#[test]
fn one_session_exports_to_the_exports_folder_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(
        dir.path(),
        &["demo", "--clients", "2", "--sessions", "3"],
    ));
    for format in ["pdf", "md", "csv", "json"] {
        let path = stdout(&kap_journal(
            dir.path(),
            &["export", "1", "--format", format],
        ));
        let path = Path::new(path.trim());
        assert!(
            path.starts_with(dir.path().join("exports")),
            "{}",
            path.display()
        );
        assert!(path.extension().is_some_and(|ext| ext == format));
        assert!(std::fs::metadata(path).unwrap().len() > 100);
    }
    let unknown = kap_journal(dir.path(), &["export", "999", "--format", "md"]);
    assert!(!unknown.status.success());
}

#[test]
fn settings_are_shown_changed_together_and_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), &common::passphrase()).unwrap());
    let shown = stdout(&kap_journal(dir.path(), &["settings"]));
    assert!(shown.contains("systolic          180"), "{shown}");
    let changed = stdout(&kap_journal(
        dir.path(),
        &[
            "settings",
            "--set",
            "systolic=170",
            "--set",
            "vitals-every=10",
        ],
    ));
    assert!(changed.starts_with("Saved."), "{changed}");
    let settings = Store::open_for_reading(dir.path(), &common::passphrase())
        .unwrap()
        .clinic_settings()
        .unwrap();
    assert_eq!(settings.thresholds.systolic_at_or_above, 170);
    assert_eq!(settings.vitals_every_minutes, 10);

    // One bad change refuses all of them.
    let refused = kap_journal(
        dir.path(),
        &[
            "settings",
            "--set",
            "diastolic=100",
            "--set",
            "spo2-below=100",
        ],
    );
    assert!(!refused.status.success());
    assert_eq!(
        String::from_utf8(refused.stderr).unwrap(),
        "kap-journal: The SpO2 threshold is 80–99 %.\n"
    );
    let kept = Store::open_for_reading(dir.path(), &common::passphrase())
        .unwrap()
        .clinic_settings()
        .unwrap();
    assert_eq!(kept, settings, "nothing was saved");
}

#[test]
fn a_summary_exported_on_the_command_line_names_the_clinician_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(
        dir.path(),
        &["demo", "--sessions", "30", "--seed", "3"],
    ));
    // A session not yet signed: a signed one is headed by its signer, whoever exports it.
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&kap_journal(dir.path(), &["sessions", "--json"]))).unwrap();
    let unsigned = ["kap", "medical"]
        .iter()
        .flat_map(|model| listed[model].as_array().unwrap().clone())
        .find(|session| session["status"] == "ended")
        .unwrap()["id"]
        .to_string();
    stdout(&kap_journal(
        dir.path(),
        &[
            "settings",
            "--clinician",
            "R. Example",
            "--credentials",
            "PsyD (synthetic)",
        ],
    ));
    let summary = stdout(&kap_journal(
        dir.path(),
        &["export", &unsigned, "--format", "md", "--out", "-"],
    ));
    assert!(
        summary.contains("- **Clinician:** R. Example, PsyD (synthetic)"),
        "{summary}"
    );
    let named = stdout(&kap_journal(
        dir.path(),
        &[
            "export",
            &unsigned,
            "--format",
            "md",
            "--out",
            "-",
            "--clinician",
            "Dr. Other",
        ],
    ));
    assert!(
        named.contains("- **Clinician:** Dr. Other"),
        "an explicit name still wins"
    );
}

#[test]
fn a_closed_output_ends_quietly_and_a_finished_import_still_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    stdout(&kap_journal(
        dir.path(),
        &["demo", "--sessions", "2", "--seed", "5"],
    ));
    let archive = dir.path().join("exports").join("all.json");
    stdout(&kap_journal(
        dir.path(),
        &[
            "export",
            "--all",
            "--format",
            "json",
            "--out",
            archive.to_str().unwrap(),
        ],
    ));
    let other = tempfile::tempdir().unwrap();
    for (folder, args) in [
        (dir.path(), vec!["settings"]),
        (dir.path(), vec!["sessions"]),
        (other.path(), vec!["import", archive.to_str().unwrap()]),
    ] {
        // As `kap-journal settings | head -0` does: the reader is gone before anything is written.
        let mut child = Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", PASSPHRASE)
            .arg("--data-dir")
            .arg(folder)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let store = Store::open_for_reading(other.path(), &common::passphrase()).unwrap();
    assert_eq!(
        store
            .record()
            .session_summaries(&kap_journal::store::SessionFilter::default())
            .unwrap()
            .len(),
        2,
        "the import finished although its report could not be printed"
    );
}
