//! Who the client is in a bundle: a code, one patient per journal's client, named once in a practice's.

use super::*;

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
        .sharing_mut()
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
    let ids = journal.store.record().session_ids().unwrap();
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
