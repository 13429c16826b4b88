//! What a session's entries become: administrations, vital signs, questionnaires, decisions and events.

use super::*;

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

/// Observations whose code has `code` (LOINC or the journal's own).
fn observations<'a>(bundle: &'a Value, code: &str) -> Vec<&'a Value> {
    resources(bundle, "Observation")
        .into_iter()
        .filter(|observation| observation["code"]["coding"][0]["code"] == code)
        .collect()
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
fn check_ins_done_after_the_session_are_in_its_bundle() {
    use kap_journal::domain::{CheckIn, Ebi};
    let mut journal = common::journal();
    let id = hand_built_session(&mut journal);
    let planned = journal.store.registers().follow_ups(id).unwrap();
    let at = journal.clock.wall() + chrono::TimeDelta::hours(20);
    journal
        .store
        .registers_mut()
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
        .registers_mut()
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
