//! The FHIR R4 export: each resource drawn from a hand-built timeline, references that resolve inside
//! the bundle, no code from an unknown system, no private note, and every bundle of a demo practice
//! validated by an independent validator (fhirkit, `pip install fhirkit-rs==0.1.0`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

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
        .adopt_consent_text("Synthetic consent text.", 180, now)
        .unwrap();
    journal
        .store
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
        .save_private_note(id, PRIVATE_WORDS, Utc::now())
        .unwrap();
    store
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

/// Observations whose code has `code` (LOINC or the journal's own).
fn observations<'a>(bundle: &'a Value, code: &str) -> Vec<&'a Value> {
    resources(bundle, "Observation")
        .into_iter()
        .filter(|observation| observation["code"]["coding"][0]["code"] == code)
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

/// The full URL of the first entry whose resource satisfies `found`.
fn url_of(bundle: &Value, found: impl Fn(&Value) -> bool) -> Value {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| found(&entry["resource"]))
        .unwrap()["fullUrl"]
        .clone()
}

#[test]
fn the_client_is_a_code_and_the_bundle_holds_itself_together() {
    let (journal, id, text, bundle) = exported();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert_self_contained(&bundle);
    assert!(
        !text.contains("lake house"),
        "the private note is never in a bundle"
    );

    let patient = resources(&bundle, "Patient");
    assert_eq!(patient.len(), 1);
    assert_eq!(patient[0]["identifier"][0]["value"], "F-0001");
    assert!(patient[0].get("name").is_none(), "known by code only");

    let encounter = resources(&bundle, "Encounter");
    assert_eq!(encounter[0]["status"], "finished");
    assert_eq!(encounter[0]["type"][0]["coding"][0]["code"], "kap");
    assert_eq!(encounter[0]["period"]["start"], "2026-11-24T09:00:00.000Z");
    assert_eq!(
        resources(&bundle, "CodeSystem").len(),
        1,
        "the bundle explains its own codes"
    );
    // The same session exports to the same bytes: ids come from the session, not from chance.
    assert_eq!(bundle_of(&journal, id).0, text);
}

/// The Patient of `bundle`: its identifier's system and its full URL.
fn patient_identity(bundle: &Value) -> (String, String) {
    let entry = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["resource"]["resourceType"] == "Patient")
        .unwrap();
    (
        entry["resource"]["identifier"][0]["system"]
            .as_str()
            .unwrap()
            .to_owned(),
        entry["fullUrl"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn two_journals_clients_of_one_code_are_two_patients_and_a_practice_names_its_own() {
    let (mut journal, id, _, bundle) = exported();
    let (system, url) = patient_identity(&bundle);
    assert!(system.starts_with("urn:kap-journal:journal:"), "{system}");
    // Another journal's F-0001 is another person: another system, another Patient.
    let (other, _, _, other_bundle) = exported();
    let (other_system, other_url) = patient_identity(&other_bundle);
    assert_ne!(system, other_system);
    assert_ne!(url, other_url);
    // The same journal names the same Patient every time, opened again or not.
    drop(other);
    assert_eq!(patient_identity(&bundle_of(&journal, id).1), (system, url));
    // Connected to a practice that names itself, the code is the practice's.
    let practice = uuid::Uuid::new_v4();
    journal
        .store
        .save_practice_membership(&kap_journal::domain::PracticeMembership {
            url: "postgres://r_example@127.0.0.1/practice".into(),
            login: "r_example".into(),
            password: "synthetic password".into(),
            name: "R. Example".into(),
            role: kap_journal::domain::PracticeRole::Therapist,
            joined_at: Utc::now(),
            last_sync: None,
            practice_id: Some(practice),
        })
        .unwrap();
    let (practice_system, _) = patient_identity(&bundle_of(&journal, id).1);
    assert_eq!(
        practice_system,
        format!("urn:kap-journal:practice:{practice}:client-code")
    );
}

#[test]
fn each_rate_is_an_administration_of_the_lot_given() {
    let (_journal, _, _, bundle) = exported();
    let medication = resources(&bundle, "Medication");
    assert_eq!(medication[0]["batch"]["lotNumber"], "KET-2611A");
    assert_eq!(medication[0]["code"]["text"], "Ketamine");

    // 0.5 mg/kg over 40 min (0.75 mg/kg/h) for 26 min, then 0.35 mg/kg over 40 min
    // (0.525 mg/kg/h) until the planned end at 40 min.
    let given = resources(&bundle, "MedicationAdministration");
    let rates: Vec<(&Value, &Value, &Value)> = given
        .iter()
        .map(|each| {
            (
                &each["dosage"]["rateQuantity"]["value"],
                &each["effectivePeriod"]["start"],
                &each["effectivePeriod"]["end"],
            )
        })
        .collect();
    assert_eq!(
        rates,
        vec![
            (
                &Value::from(0.75),
                &Value::from("2026-11-24T09:00:00.000Z"),
                &Value::from("2026-11-24T09:26:00.000Z")
            ),
            (
                &Value::from(0.525),
                &Value::from("2026-11-24T09:26:00.000Z"),
                &Value::from("2026-11-24T09:40:00.000Z")
            ),
        ]
    );
    assert_eq!(given[0]["dosage"]["rateQuantity"]["code"], "mg/kg/h");
    assert_eq!(given[0]["dosage"]["route"]["text"], "IV infusion");
    assert!(given.iter().all(|each| each["status"] == "completed"));
    let statements = resources(&bundle, "MedicationStatement");
    assert_eq!(
        statements[0]["medicationCodeableConcept"]["text"],
        "sertraline 50 mg"
    );
}

#[test]
fn vital_signs_carry_their_loinc_codes_and_units() {
    let (_journal, _, _, bundle) = exported();
    let pressure = observations(&bundle, "85354-9");
    assert_eq!(pressure.len(), 1);
    let components = &pressure[0]["component"];
    assert_eq!(components[0]["code"]["coding"][0]["code"], "8480-6");
    assert_eq!(components[0]["valueQuantity"]["value"], 128);
    assert_eq!(components[1]["code"]["coding"][0]["code"], "8462-4");
    assert_eq!(components[1]["valueQuantity"]["value"], 82);
    assert_eq!(components[1]["valueQuantity"]["code"], "mm[Hg]");
    assert_eq!(pressure[0]["note"][0]["text"], "before dosing");
    for (code, value, unit) in [
        ("8867-4", 74, "/min"),
        ("9279-1", 14, "/min"),
        ("2708-6", 97, "%"),
        ("29463-7", 70, "kg"),
    ] {
        let found = observations(&bundle, code);
        assert_eq!(found.len(), 1, "{code}");
        assert_eq!(found[0]["valueQuantity"]["value"], value, "{code}");
        assert_eq!(found[0]["valueQuantity"]["code"], unit, "{code}");
        assert_eq!(found[0]["category"][0]["coding"][0]["code"], "vital-signs");
    }
    let oxygen: Vec<&Value> = resources(&bundle, "Observation")
        .into_iter()
        .filter(|each| each["code"]["text"] == "Supplemental oxygen flow")
        .collect();
    assert_eq!(oxygen[0]["valueQuantity"]["value"], 2);
    assert!(
        oxygen[0]["code"].get("coding").is_none(),
        "a code we cannot verify stays text"
    );
}

#[test]
fn a_questionnaire_total_is_derived_from_its_item_answers() {
    let (_journal, _, _, bundle) = exported();
    let phq9 = observations(&bundle, "44261-6");
    assert_eq!(phq9[0]["valueInteger"], 11);
    let answers = resources(&bundle, "QuestionnaireResponse");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["item"].as_array().unwrap().len(), 9);
    assert_eq!(answers[0]["item"][8]["linkId"], "phq9-9");
    assert_eq!(answers[0]["item"][8]["answer"][0]["valueInteger"], 1);
    let answers_url = url_of(&bundle, |resource| {
        resource["resourceType"] == "QuestionnaireResponse"
    });
    assert_eq!(phq9[0]["derivedFrom"][0]["reference"], answers_url);
}

#[test]
fn decision_points_deferrals_and_marks_use_the_journal_codes() {
    let (_journal, _, _, bundle) = exported();
    let decision = observations(&bundle, "decision-point");
    assert_eq!(decision.len(), 1);
    let parts: Vec<&Value> = decision[0]["component"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| {
            part.get("valueCodeableConcept")
                .map_or(&part["valueQuantity"]["value"], |concept| {
                    &concept["coding"][0]["code"]
                })
        })
        .collect();
    assert_eq!(
        parts,
        vec![
            &Value::from("came-up-memory"),
            &Value::from("client-asks-to-lower"),
            &Value::from("decided-sit-with-it"),
            &Value::from(5),
        ]
    );
    assert_eq!(decision[0]["valueString"], "the hospital corridor");
    assert_eq!(decision[0]["note"][0]["text"], "Agreed in preparation.");

    let deferral = observations(&bundle, "sit-with-it");
    assert_eq!(deferral.len(), 1);
    assert_eq!(
        deferral[0]["valueCodeableConcept"]["coding"][0]["code"],
        "dose-lowered"
    );
    assert_eq!(
        deferral[0]["effectivePeriod"],
        serde_json::json!({"start": "2026-11-24T09:20:00.000Z", "end": "2026-11-24T09:26:00.000Z"})
    );
    let decision_url = url_of(&bundle, |resource| {
        resource["code"]["coding"][0]["code"] == "decision-point"
    });
    assert_eq!(deferral[0]["derivedFrom"][0]["reference"], decision_url);

    let marker = observations(&bundle, "bring-to-integration");
    assert_eq!(marker.len(), 1);
    let note_url = url_of(&bundle, |resource| {
        resource["valueString"] == "Named the fear out loud."
    });
    assert_eq!(marker[0]["focus"][0]["reference"], note_url);
}

#[test]
fn adverse_events_consent_and_the_signature() {
    let (_journal, _, _, bundle) = exported();
    let adverse = resources(&bundle, "AdverseEvent");
    assert_eq!(adverse[0]["severity"]["coding"][0]["code"], "moderate");
    assert_eq!(
        adverse[0]["event"]["text"],
        "Nausea/vomiting: nausea at 30 min. Action: ondansetron 4 mg"
    );
    let consent = resources(&bundle, "Consent");
    assert_eq!(consent[0]["scope"]["coding"][0]["code"], "treatment");
    assert_eq!(
        consent[0]["policyRule"]["text"],
        "The clinic's consent to ketamine treatment, version 1"
    );
    assert_eq!(consent[0]["dateTime"], "2026-11-24T09:00:00.000Z");
    assert_eq!(consent[0]["provision"]["period"]["end"], "2027-05-23");
    let items: Vec<(&Value, &Value)> = consent[0]["provision"]["provision"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (&item["type"], &item["code"][0]["text"]))
        .collect();
    assert_eq!(
        items,
        vec![
            (
                &Value::from("permit"),
                &Value::from("Off-label use of ketamine")
            ),
            (&Value::from("deny"), &Value::from("Supportive touch")),
            (&Value::from("permit"), &Value::from("Music")),
            (&Value::from("deny"), &Value::from("Recording")),
        ]
    );
    let provenance = resources(&bundle, "Provenance");
    assert_eq!(
        provenance[0]["agent"][0]["who"]["display"],
        "R. Example, PsyD (synthetic)"
    );
    assert_eq!(
        provenance[0]["signature"][0]["data"]
            .as_str()
            .unwrap()
            .len(),
        88,
        "the 64-byte Ed25519 signature, in base64"
    );
    let encounter_url = url_of(&bundle, |resource| resource["resourceType"] == "Encounter");
    assert_eq!(provenance[0]["target"][0]["reference"], encounter_url);
}

#[test]
fn a_practice_bundle_names_each_client_once_and_stays_self_contained() {
    let mut journal = common::journal();
    generate(
        &mut journal.store,
        DemoPlan {
            clients: 4,
            sessions: 12,
            seed: 7,
        },
        |_, _| {},
    )
    .unwrap();
    let ids = journal.store.session_ids().unwrap();
    let mut out = Vec::new();
    write_bundle(&journal.store, &ids, &mut out, |_, _| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    let bundle: Value = serde_json::from_slice(&out).unwrap();
    assert_self_contained(&bundle);
    assert_eq!(resources(&bundle, "Patient").len(), 4);
    assert_eq!(resources(&bundle, "Encounter").len(), 12);
    let models: HashSet<&str> = resources(&bundle, "Encounter")
        .iter()
        .map(|encounter| encounter["type"][0]["coding"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(models, HashSet::from(["kap", "medical-model"]));
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

#[test]
fn check_ins_done_after_the_session_are_in_its_bundle() {
    use kap_journal::domain::{CheckIn, Ebi};
    let mut journal = common::journal();
    let id = hand_built_session(&mut journal);
    let planned = journal.store.follow_ups(id).unwrap();
    let at = journal.clock.wall() + chrono::TimeDelta::hours(20);
    journal
        .store
        .record_check_in(
            planned[0].id,
            &CheckIn {
                at,
                ebi: Some(Ebi::parse("70 60 80 50 40 60").unwrap()),
                phq9: None,
                note: "slept well".into(),
            },
        )
        .unwrap();
    journal
        .store
        .record_check_in(
            planned[1].id,
            &CheckIn {
                at: at + chrono::TimeDelta::days(6),
                ebi: None,
                phq9: Some(
                    Measure::new(Instrument::Phq9, vec![1, 1, 1, 1, 1, 1, 0, 0, 0]).unwrap(),
                ),
                note: String::new(),
            },
        )
        .unwrap();
    let (_, bundle) = bundle_of(&journal, id);
    assert_self_contained(&bundle);
    let score = observations(&bundle, "ebi-score");
    assert_eq!(score.len(), 1);
    assert_eq!(score[0]["valueQuantity"]["value"], 60);
    let answers_url = score[0]["derivedFrom"][0]["reference"].clone();
    let answers = resources(&bundle, "QuestionnaireResponse")
        .into_iter()
        .find(|response| response["item"][0]["linkId"] == "ebi-1")
        .unwrap();
    assert_eq!(answers["item"].as_array().unwrap().len(), 6);
    assert_eq!(answers["item"][2]["answer"][0]["valueInteger"], 80);
    assert!(
        answers_url
            .as_str()
            .unwrap()
            .ends_with(answers["id"].as_str().unwrap())
    );
    let notes = observations(&bundle, "integration-check-in");
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["valueString"], "slept well");
    // The session's PHQ-9 (11) and the one a week on (6).
    let totals: Vec<&Value> = observations(&bundle, "44261-6")
        .iter()
        .map(|total| &total["valueInteger"])
        .collect();
    assert_eq!(totals, [&Value::from(11), &Value::from(6)]);
}
