//! The archive is a contract: docs/archive.schema.json is the schema the types make, and archives
//! the journal exports (every kind of entry, signatures, addenda, check-ins, private notes, zones)
//! validate against it, while one a hand-written tool gets wrong does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ops::ControlFlow;

use kap_journal::demo::{DemoPlan, generate};
use kap_journal::export::{ExportOptions, archive_schema_json, write_archive};

#[test]
fn the_published_schema_is_the_one_the_types_make() {
    let published = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/archive.schema.json"),
    )
    .unwrap();
    assert!(
        published == archive_schema_json(),
        "docs/archive.schema.json is out of date: run \
         `cargo run --example archive_schema > docs/archive.schema.json`"
    );
}

/// A demo practice's archive, with the private notes asked for.
fn demo_archive(seed: u64) -> String {
    let mut journal = common::journal();
    generate(
        &mut journal.store,
        DemoPlan {
            clients: 12,
            sessions: 120,
            seed,
        },
        |_, _| {},
    )
    .unwrap();
    let ids = journal.store.record().session_ids().unwrap();
    let mut out = Vec::new();
    write_archive(
        &journal.store,
        &ids,
        ExportOptions {
            include_private: true,
        },
        &mut out,
        |_, _| ControlFlow::Continue(()),
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn demo_practices_export_archives_that_validate() {
    for seed in [1, 7, 2026] {
        let archive = demo_archive(seed);
        // The demo holds every part the schema describes, so each is checked.
        for part in [
            "\"signature\"",
            "\"addenda\"",
            "\"follow_ups\"",
            "\"private_note\"",
            "\"progress_note\"",
            "\"suicide_screen\"",
            "\"safety_plan\"",
            "\"ready_after_minutes\"",
            "\"zone\"",
            "\"synthetic\": true",
        ] {
            assert!(archive.contains(part), "seed {seed}: no {part}");
        }
        common::assert_archive_matches_schema(&archive);
    }
}

#[test]
fn an_archive_a_tool_gets_wrong_is_refused_by_the_schema_as_by_import() {
    let archive = demo_archive(7);
    let mut value: serde_json::Value = serde_json::from_str(&archive).unwrap();
    let validator = common::archive_validator();
    assert!(validator.is_valid(&value));

    let first_entry =
        |value: &mut serde_json::Value| value["sessions"][0]["events"][0]["entry"].take();
    let entry = first_entry(&mut value);
    for (what, broken) in [
        ("an unknown field", {
            let mut entry = entry.clone();
            entry["mood"] = "fine".into();
            entry
        }),
        ("an unknown kind", {
            let mut entry = entry.clone();
            entry["kind"] = "telepathy".into();
            entry
        }),
        ("a missing field", {
            let mut entry = entry.clone();
            entry.as_object_mut().unwrap().remove("medicines");
            entry
        }),
    ] {
        let mut wrong = value.clone();
        wrong["sessions"][0]["events"][0]["entry"] = broken;
        assert!(!validator.is_valid(&wrong), "{what} passes the schema");
        let text = serde_json::to_string(&wrong).unwrap();
        let mut journal = common::journal();
        let refused = kap_journal::export::import_archive(
            &mut journal.store,
            text.as_bytes(),
            kap_journal::export::OnExisting::Refuse,
            chrono::Utc::now(),
        );
        assert!(refused.is_err(), "{what} is imported");
    }
    let mut wrong = value;
    wrong["format_version"] = 2.into();
    assert!(!validator.is_valid(&wrong), "another format version");
}

#[test]
fn a_live_sessions_archive_with_deferral_changes_and_soft_stops_validates() {
    use kap_journal::domain::{Asked, CameUp, Decision, DeferralOutcome};
    use kap_journal::live::LiveCommand;

    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, kap_journal::domain::TreatmentModel::Kap);
    let store = &mut journal.store;
    live.log(
        store,
        LiveCommand::GoAhead {
            warnings: vec!["No baseline vitals yet.".into()],
            then: Some(Box::new(LiveCommand::BeginDosing)),
        },
    )
    .unwrap();
    live.log(
        store,
        LiveCommand::DecisionPoint {
            came_up: CameUp::NotStated,
            detail: "nausea and fear".into(),
            asked: Asked::NotStated,
            decision: Decision::SitWithIt { minutes: 5 },
            new_dose: None,
            rationale: String::new(),
        },
    )
    .unwrap();
    let deferral = live.state().open_deferrals[0].seq;
    let decision = live.state().open_deferrals[0].decision_seq;
    live.log(
        store,
        LiveCommand::DecisionDetail {
            decision,
            came_up: CameUp::Emotion,
            asked: Asked::ClientAsksToLower,
        },
    )
    .unwrap();
    live.log(
        store,
        LiveCommand::AdjustDeferral {
            deferral,
            by_minutes: 3,
        },
    )
    .unwrap();
    live.log(
        store,
        LiveCommand::DeferralOutcome {
            deferral,
            outcome: DeferralOutcome::WorkedThrough,
            new_dose: None,
            note: "The wave passed.".into(),
        },
    )
    .unwrap();
    let id = live.session().id;
    let mut out = Vec::new();
    write_archive(
        &journal.store,
        &[id],
        ExportOptions::default(),
        &mut out,
        |_, _| ControlFlow::Continue(()),
    )
    .unwrap();
    let archive = String::from_utf8(out).unwrap();
    for part in [
        "deferral_minutes",
        "went_ahead",
        "not_stated",
        "deferral_outcome",
        "decision_detail",
    ] {
        assert!(archive.contains(part), "no {part} in {archive}");
    }
    common::assert_archive_matches_schema(&archive);

    // A detail that names an entry other than a decision point is refused by import.
    let aimed_wrong = archive.replace(
        &format!("\"decision_seq\":{},\"came_up\":\"emotion\"", decision.0),
        "\"decision_seq\":1,\"came_up\":\"emotion\"",
    );
    assert_ne!(
        aimed_wrong, archive,
        "the detail was found to aim elsewhere"
    );
    let mut other = common::journal();
    let refused = kap_journal::export::import_archive(
        &mut other.store,
        aimed_wrong.as_bytes(),
        kap_journal::export::OnExisting::Refuse,
        chrono::Utc::now(),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("decision point"), "{refused}");
}
