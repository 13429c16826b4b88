//! An imported session arrives as it was recorded: its doses worked out with the weight it was dosed
//! by (never the importing journal's weight for that client), its times to the millisecond or not at
//! all, and absurd times refused with a sentence before anything is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use chrono::Utc;
use kap_journal::domain::NewClient;
use kap_journal::store::Store;

/// The ended KAP session of the fixture as `sessions --json` lists it.
fn fixture_session(dir: &Path) -> serde_json::Value {
    let output = common::kap_journal(dir, &["sessions", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    document["kap"]
        .as_array()
        .unwrap()
        .iter()
        .find(|session| session["client_code"] == "C-0142")
        .unwrap()
        .clone()
}

/// The Markdown summary of session `id`, through the binary.
fn markdown(dir: &Path, id: &str) -> String {
    let out = dir.join("exports").join(format!("summary-{id}.md"));
    let output = common::kap_journal(
        dir,
        &[
            "export",
            id,
            "--format",
            "md",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    std::fs::read_to_string(out).unwrap()
}

fn write_fixture(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("archive.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_imported_session_keeps_the_weight_it_was_dosed_by() {
    let files = tempfile::tempdir().unwrap();
    let archive = write_fixture(files.path(), common::FIXTURE);

    // The journal it came from: the client at 70 kg.
    let source = tempfile::tempdir().unwrap();
    assert!(
        common::kap_journal(source.path(), &["import", archive.to_str().unwrap()])
            .status
            .success()
    );
    let recorded = fixture_session(source.path());
    let recorded_mg = recorded["delivered_mg"].as_f64().unwrap();
    assert!(recorded_mg > 0.0);

    // A journal that knows the same client at 95 kg today.
    let other = tempfile::tempdir().unwrap();
    let mut store = Store::open(other.path(), &common::passphrase()).unwrap();
    store
        .record_mut()
        .create_client(
            &NewClient {
                code: "C-0142".into(),
                display_name: Some("Alex (synthetic)".into()),
                weight_kg: Some(95.0),
            },
            Utc::now(),
        )
        .unwrap();
    drop(store);
    let output = common::kap_journal(other.path(), &["import", archive.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let imported = fixture_session(other.path());
    // The same computation on the same record: equal to the last bit.
    assert_eq!(
        imported["delivered_mg"].as_f64().unwrap().to_bits(),
        recorded_mg.to_bits()
    );

    // The summary says the same total and the weight it was dosed by, in both journals.
    let id = |session: &serde_json::Value| session["id"].as_i64().unwrap().to_string();
    let there = markdown(source.path(), &id(&recorded));
    let here = markdown(other.path(), &id(&imported));
    let total_line = |text: &str| {
        text.lines()
            .find(|line| line.contains("**Delivered:**"))
            .unwrap_or_else(|| panic!("no total in {text}"))
            .to_owned()
    };
    assert_eq!(total_line(&here), total_line(&there));
    assert!(here.contains("70 kg"), "{here}");
    assert!(!here.contains("95 kg"), "{here}");
}

/// The fixture with its first session changed by `change`.
fn fixture_with(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut archive: serde_json::Value = serde_json::from_str(common::FIXTURE).unwrap();
    change(&mut archive["sessions"][0]);
    serde_json::to_string_pretty(&archive).unwrap()
}

#[test]
fn absurd_or_rounded_times_are_refused_and_nothing_is_imported() {
    let cases: Vec<(&str, String)> = vec![
        (
            "its start time is outside the years 2000 to 2100",
            fixture_with(|session| session["started_at"] = "9999-11-20T14:00:00Z".into()),
        ),
        (
            "entry 3 is timed outside the session's first 24 hours",
            fixture_with(|session| {
                for event in session["events"].as_array_mut().unwrap().iter_mut().skip(2) {
                    event["elapsed_ms"] = 1_000_000_000_000_000_i64.into();
                }
            }),
        ),
        (
            "the time of entry 2 is given to less than a millisecond",
            fixture_with(|session| {
                let wall = session["events"][1]["wall_time"].as_str().unwrap();
                let finer = wall.replace('Z', ".000250Z");
                session["events"][1]["wall_time"] = finer.into();
            }),
        ),
        (
            "it ends more than 24 hours after it starts",
            fixture_with(|session| session["ended_at"] = "2026-11-23T15:05:00Z".into()),
        ),
        (
            "entry 1 has a clock time outside the session's first 24 hours",
            fixture_with(|session| {
                session["events"][0]["wall_time"] = "2026-01-01T00:00:00Z".into();
            }),
        ),
    ];
    let files = tempfile::tempdir().unwrap();
    for (expected, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
        common::client(&mut store, "C-0001");
        drop(store);
        let before = common::folder_snapshot(dir.path());
        let archive = write_fixture(files.path(), &text);
        let output = common::kap_journal(dir.path(), &["import", archive.to_str().unwrap()]);
        assert!(!output.status.success(), "{expected}: {output:?}");
        let said = String::from_utf8(output.stderr).unwrap();
        assert!(said.contains(expected), "{expected}: {said}");
        common::assert_one_sentence(said.trim().trim_start_matches("kap-journal: "), expected);
        assert_eq!(common::folder_snapshot(dir.path()), before, "{expected}");
    }
}

/// The report names a client as kept only when the journal had them before, with another name or
/// weight: a client the import itself added, whose later sessions carry other weights (each session
/// keeps its own), is no difference.
#[test]
fn the_report_names_only_clients_the_journal_already_had_as_kept() {
    let run = |dir: &Path, args: &[&str]| {
        let output = common::kap_journal(dir, args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let source = tempfile::tempdir().unwrap();
    run(
        source.path(),
        &["demo", "--clients", "2", "--sessions", "20", "--seed", "3"],
    );
    let archive = source.path().join("exports").join("all.json");
    let archive = archive.to_str().unwrap();
    run(
        source.path(),
        &["export", "--all", "--format", "json", "--out", archive],
    );

    let fresh = tempfile::tempdir().unwrap();
    let report = run(fresh.path(), &["import", archive]);
    assert!(report.contains("2 new clients"), "{report}");
    assert!(!report.contains("kept"), "{report}");

    // A journal that knows D-0001 under another name keeps its own record, and says so. (The
    // archive is synthetic, so only a journal made for synthetic data takes it.)
    let known = tempfile::tempdir().unwrap();
    let mut store = Store::open(known.path(), &common::passphrase()).unwrap();
    store
        .record_mut()
        .claim_for_synthetic_data(Utc::now())
        .unwrap();
    store
        .record_mut()
        .create_client(
            &NewClient {
                code: "D-0001".into(),
                display_name: Some("Another name".into()),
                weight_kg: Some(90.0),
            },
            Utc::now(),
        )
        .unwrap();
    drop(store);
    let report = run(known.path(), &["import", archive]);
    assert!(report.contains("1 new client"), "{report}");
    assert!(report.contains("were kept for D-0001."), "{report}");
}
