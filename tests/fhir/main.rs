//! The FHIR R4 export: each resource drawn from a hand-built timeline, references that resolve inside
//! the bundle, no code from an unknown system, no private note, and every bundle of a demo practice
//! validated by an independent validator (fhirkit, `pip install fhirkit-rs==0.1.0`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod clinical;
#[path = "../common/mod.rs"]
mod common;
mod identity;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use kap_journal::demo::{DemoPlan, generate};
use kap_journal::domain::{
    AdverseCategory, AdverseEvent, AdverseSeverity, Asked, CameUp, Clinician, ConsentItem,
    Decision, DeferralOutcome, Dose, EventKind, Instrument, LotCode, Measure, NewConsent,
    PreSession, SessionId, TreatmentModel, Vitals, VitalsText,
};
use kap_journal::export::{
    ExportFormat, ExportOptions, JOURNAL_CODES, JOURNAL_SYSTEM, KNOWN_SYSTEMS, write_bundle,
    write_session,
};
use kap_journal::live::{Clock as _, LiveCommand, LiveSession};
use serde_json::Value;

const PRIVATE_WORDS: &str = "Private: the dream about the lake house";

/// A signed IV KAP session: checklist with lot and medicine, vitals with breathing and oxygen, a
/// decision to sit with it that ends with the dose lowered, a marked note, a PHQ-9, an adverse
/// event, the end with discharge, a private note.
fn hand_built_session(journal: &mut common::Journal) -> SessionId {
    let client = common::client(&mut journal.store, "F-0001");
    let checklist = PreSession {
        weight_kg: Some(70.0),
        weighed_in: kap_journal::domain::WeightUnit::Kg,
        fasting_hours: Some(6.0),
        consent: true,
        medicines: vec!["sertraline 50 mg".into()],
        lot: Some(LotCode::parse("KET-2611A").unwrap()),
        consent_given: None,
    };
    let now = journal.clock.wall();
    journal
        .store
        .registers_mut()
        .adopt_consent_text("Synthetic consent text.", 180, now)
        .unwrap();
    journal
        .store
        .registers_mut()
        .record_consent(
            &NewConsent {
                client_id: client.id,
                items: vec![(ConsentItem::OffLabelUse, true), (ConsentItem::Music, true)],
                recorded_by: "R. Example".into(),
                withdrawn: false,
            },
            now,
        )
        .unwrap();
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = LiveSession::start_with(
        &mut journal.store,
        clock,
        &common::new_session(&client, TreatmentModel::Kap),
        vec![EventKind::PreSession(checklist)],
    )
    .unwrap();
    before_dosing(&mut journal.store, &mut live);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(20));
    sit_with_it_then_lower(journal, &mut live);
    let store = &mut journal.store;
    let note = live
        .log(store, LiveCommand::Note("Named the fear out loud.".into()))
        .unwrap()[0]
        .seq;
    live.log(store, LiveCommand::ToggleMarker { target: note })
        .unwrap();
    live.log(
        store,
        LiveCommand::AdverseEvent(AdverseEvent {
            category: AdverseCategory::NauseaVomiting,
            severity: AdverseSeverity::Moderate,
            detail: "nausea at 30 min".into(),
            action: "ondansetron 4 mg".into(),
        }),
    )
    .unwrap();
    journal.clock.advance(Duration::from_hours(1));
    live.end(store, "Calm at discharge.", None).unwrap();
    let id = live.session().id;
    store
        .record_mut()
        .save_private_note(id, PRIVATE_WORDS, Utc::now())
        .unwrap();
    store
        .record_mut()
        .sign_session(
            id,
            &Clinician {
                name: "R. Example".into(),
                credentials: "PsyD (synthetic)".into(),
            },
            Utc::now(),
        )
        .unwrap();
    id
}

/// Vitals with breathing and oxygen, and a PHQ-9.
fn before_dosing(store: &mut kap_journal::store::Store, live: &mut LiveSession) {
    let vitals = Vitals::read(&VitalsText {
        blood_pressure: "128/82",
        heart_rate: "74",
        spo2: "97",
        respiratory_rate: "14",
        oxygen: "2",
    })
    .unwrap();
    live.log(
        store,
        LiveCommand::Reading {
            vitals: Some(vitals),
            sedation: None,
            note: "before dosing".into(),
        },
    )
    .unwrap();
    live.log(
        store,
        LiveCommand::Measure {
            measure: Measure::new(Instrument::Phq9, vec![2, 2, 1, 1, 1, 2, 1, 0, 1]).unwrap(),
            note: String::new(),
        },
    )
    .unwrap();
}

/// At 20 minutes a decision to sit with it for 5 minutes; at 26 the dose is lowered after all.
fn sit_with_it_then_lower(journal: &mut common::Journal, live: &mut LiveSession) {
    let store = &mut journal.store;
    let decided = live
        .log(
            store,
            LiveCommand::DecisionPoint {
                came_up: CameUp::Memory,
                detail: "the hospital corridor".into(),
                asked: Asked::ClientAsksToLower,
                decision: Decision::SitWithIt { minutes: 5 },
                new_dose: None,
                rationale: "Agreed in preparation.".into(),
            },
        )
        .unwrap()
        .to_vec();
    let deferral = decided[1].seq;
    journal.clock.advance(Duration::from_mins(6));
    live.log(
        store,
        LiveCommand::DeferralOutcome {
            deferral,
            outcome: DeferralOutcome::DoseLowered,
            new_dose: Some(Dose::parse("0.35 mg/kg over 40 min").unwrap()),
            note: "Still wanted it lower.".into(),
        },
    )
    .unwrap();
}

fn bundle_of(journal: &common::Journal, id: SessionId) -> (String, Value) {
    let mut out = Vec::new();
    // Even an export that asks for the private note leaves it out of FHIR.
    write_session(
        &journal.store,
        id,
        ExportFormat::Fhir,
        ExportOptions {
            include_private: true,
        },
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let bundle = serde_json::from_str(&text).unwrap();
    (text, bundle)
}

fn resources<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["resource"])
        .filter(|resource| resource["resourceType"] == kind)
        .collect()
}

/// Every `reference` in the bundle, and every `system` of a coding or quantity.
fn walk<'a>(value: &'a Value, references: &mut Vec<&'a str>, systems: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                match (key.as_str(), inner) {
                    ("reference", Value::String(reference)) => references.push(reference),
                    ("system", Value::String(system)) => systems.push(system),
                    _ => walk(inner, references, systems),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| walk(item, references, systems)),
        _ => {}
    }
}

/// Every code of the journal's own system that `value` uses.
fn journal_codes<'a>(value: &'a Value, codes: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            if object.get("system").and_then(Value::as_str) == Some(JOURNAL_SYSTEM)
                && let Some(code) = object.get("code").and_then(Value::as_str)
            {
                codes.push(code);
            }
            object
                .values()
                .for_each(|inner| journal_codes(inner, codes));
        }
        Value::Array(items) => items.iter().for_each(|item| journal_codes(item, codes)),
        _ => {}
    }
}

/// Every reference resolves to an entry of the bundle, full URLs are unique, no code comes from a
/// system the export does not document, and every code of the journal's own system is defined in
/// its code system (a new kind of entry whose code is missing there fails here).
fn assert_self_contained(bundle: &Value) {
    let urls: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["fullUrl"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = urls.iter().copied().collect();
    assert_eq!(unique.len(), urls.len(), "full URLs are unique");
    let (mut references, mut systems) = (Vec::new(), Vec::new());
    walk(bundle, &mut references, &mut systems);
    assert!(!references.is_empty());
    for reference in references {
        assert!(
            unique.contains(reference),
            "{reference} resolves in the bundle"
        );
    }
    // A client code's system names the journal (or the practice) it is unique in.
    let client_code = |system: &str| {
        (system.starts_with("urn:kap-journal:journal:")
            || system.starts_with("urn:kap-journal:practice:"))
            && system.ends_with(":client-code")
    };
    for system in systems {
        assert!(
            KNOWN_SYSTEMS.contains(&system) || client_code(system),
            "{system} is a documented code system"
        );
    }
    let mut used = Vec::new();
    journal_codes(bundle, &mut used);
    assert!(!used.is_empty());
    for code in used {
        assert!(
            JOURNAL_CODES.iter().any(|(defined, _, _)| *defined == code),
            "{code} is defined in the journal's code system"
        );
    }
}

/// The hand-built session exported, as text and as JSON.
fn exported() -> (common::Journal, SessionId, String, Value) {
    let mut journal = common::journal();
    let id = hand_built_session(&mut journal);
    let (text, bundle) = bundle_of(&journal, id);
    (journal, id, text, bundle)
}

/// Runs fhirkit over `files`; its exit status and what it printed. `./test` installs it in a virtual
/// environment in target/tools and names its Python in `KAP_JOURNAL_FHIR_PYTHON`.
fn fhirkit(files: &[std::path::PathBuf]) -> (bool, String) {
    let python = std::env::var_os("KAP_JOURNAL_FHIR_PYTHON").unwrap_or_else(|| "python3".into());
    let output = std::process::Command::new(python)
        .args(["-m", "fhirkit.cli", "validate"])
        .args(files)
        .output()
        .expect("python3 runs the FHIR validator");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !printed.contains("No module named"),
        "the FHIR validator is installed (./test installs it; or pip install fhirkit-rs==0.1.0): {printed}"
    );
    (output.status.success(), printed)
}

fn export_with_cli(dir: &Path, args: &[&str]) {
    let output = common::kap_journal(dir, args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_bundle_of_a_demo_practice_passes_an_independent_validator() {
    let journal = common::journal();
    let dir = journal.dir.path().to_owned();
    drop(journal);
    export_with_cli(&dir, &["demo", "--sessions", "24", "--clients", "6"]);
    let out = tempfile::tempdir().unwrap();
    let all = out.path().join("practice.json");
    export_with_cli(
        &dir,
        &[
            "export",
            "--all",
            "--format",
            "fhir",
            "--out",
            all.to_str().unwrap(),
        ],
    );
    let mut files = vec![all];
    for id in 1..=24 {
        let file = out.path().join(format!("session-{id}.json"));
        export_with_cli(
            &dir,
            &[
                "export",
                &id.to_string(),
                "--format",
                "fhir",
                "--out",
                file.to_str().unwrap(),
            ],
        );
        files.push(file);
    }
    let mut journal = common::journal();
    let id = hand_built_session(&mut journal);
    let hand_built = out.path().join("hand-built.json");
    std::fs::write(&hand_built, bundle_of(&journal, id).0).unwrap();
    files.push(hand_built.clone());

    let (valid, printed) = fhirkit(&files);
    assert!(valid, "{printed}");
    assert_eq!(printed.matches(": ok").count(), files.len(), "{printed}");

    // The validator can fail: the same bundle with one time that is not a FHIR dateTime.
    let broken = out.path().join("broken.json");
    let text = std::fs::read_to_string(&hand_built).unwrap();
    std::fs::write(
        &broken,
        text.replacen("\"2026-11-24T09:00:00.000Z\"", "\"24/11/2026 09:00\"", 1),
    )
    .unwrap();
    let (valid, printed) = fhirkit(&[broken]);
    assert!(!valid, "{printed}");
}
