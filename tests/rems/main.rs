//! The esketamine REMS monitoring form filled from a hand-built timeline: each field from the
//! entries it comes from, what the timeline cannot answer named as missing, and the PDF read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod due;
mod form;

use std::time::Duration;

use kap_journal::domain::{
    ClinicZone, Discharge, Dose, EventKind, Instrument, LotCode, Measure, PreSession, RemsContact,
    RemsContext, RemsError, RemsForm, RemsPatient, RemsSex, Route, Sedation, Thresholds,
    TreatmentModel, Vitals, VitalsText,
};
use kap_journal::live::{LiveCommand, LiveSession};

fn reading(
    journal: &mut common::Journal,
    live: &mut LiveSession,
    bp: &str,
    rate: &str,
    spo2: &str,
) {
    let vitals = Vitals::read(&VitalsText {
        blood_pressure: bp,
        respiratory_rate: rate,
        spo2,
        ..VitalsText::default()
    })
    .unwrap();
    live.log(
        &mut journal.store,
        LiveCommand::Reading {
            vitals: Some(vitals),
            sedation: None,
            note: String::new(),
        },
    )
    .unwrap();
}

fn sedation(journal: &mut common::Journal, live: &mut LiveSession, score: u8) {
    live.log(
        &mut journal.store,
        LiveCommand::Reading {
            vitals: None,
            sedation: Some(Sedation::new(score).unwrap()),
            note: String::new(),
        },
    )
    .unwrap();
}

fn cadss(journal: &mut common::Journal, live: &mut LiveSession, answers: Vec<u8>) {
    live.log(
        &mut journal.store,
        LiveCommand::Measure {
            measure: Measure::new(Instrument::Cadss6, answers).unwrap(),
            note: String::new(),
        },
    )
    .unwrap();
}

/// An 84 mg esketamine session (56 mg, then one more 28 mg device): checklist with its lot and
/// medicines, blood pressure before, at 40 minutes and before leaving, sedation and dissociation
/// that settle, slow breathing that recovers with SpO2 down to 91 %, and an end with discharge
/// criteria met after `monitored` minutes, monitored by R. Okafor, ready after 95 minutes.
fn esketamine_session(
    journal: &mut common::Journal,
    lot: Option<&str>,
    monitored: u64,
) -> kap_journal::export::SessionRecord {
    let client = match journal.store.record().client_by_code("E-0001").unwrap() {
        Some(client) => client,
        None => common::client(&mut journal.store, "E-0001"),
    };
    let mut new = common::new_session(&client, TreatmentModel::Kap);
    new.route = Route::IntranasalEsketamine;
    new.planned_dose = Dose::parse("56 mg").unwrap();
    let checklist = PreSession {
        weight_kg: Some(70.0),
        consent: true,
        medicines: vec![
            "lorazepam 1 mg".into(),
            "zolpidem 5 mg".into(),
            "oxycodone 5 mg".into(),
            "sertraline 50 mg".into(),
        ],
        lot: lot.map(|lot| LotCode::parse(lot).unwrap()),
        ..PreSession::default()
    };
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = LiveSession::start_with(
        &mut journal.store,
        clock,
        &new,
        vec![EventKind::PreSession(checklist)],
    )
    .unwrap();
    reading(journal, &mut live, "132/84", "14", "");
    journal.clock.advance(Duration::from_mins(2));
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(5));
    live.log(
        &mut journal.store,
        LiveCommand::ChangeDose {
            dose: Some(Dose::parse("28 mg").unwrap()),
            reason: "One more device".into(),
        },
    )
    .unwrap();
    journal.clock.advance(Duration::from_mins(15));
    sedation(journal, &mut live, 3);
    cadss(journal, &mut live, vec![2, 2, 1, 2, 1, 2]);
    reading(journal, &mut live, "", "8", "91");
    journal.clock.advance(Duration::from_mins(21));
    reading(journal, &mut live, "158/96", "12", "96");
    journal.clock.advance(Duration::from_mins(30));
    sedation(journal, &mut live, 5);
    cadss(journal, &mut live, vec![0; 6]);
    journal
        .clock
        .advance(Duration::from_mins(monitored.saturating_sub(72)));
    reading(journal, &mut live, "128/80", "15", "98");
    live.end(
        &mut journal.store,
        "Settled; walked out steadily.",
        Some(Discharge {
            criteria_met: true,
            ride_home: true,
            follow_up: String::new(),
            monitored_by: Some("R. Okafor, RN".into()),
            ready_after_minutes: Some(95),
            serious_adverse_event: Some(false),
            suicide_safety_assessment: None,
        }),
    )
    .unwrap();
    kap_journal::export::SessionRecord::load(
        &journal.store,
        live.session().id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap()
}

/// The clinic's contact details and the client's, all given.
fn full_context() -> RemsContext {
    RemsContext {
        setting: Some("Riverside Ketamine Clinic (synthetic)".into()),
        contact: RemsContact {
            telephone: "+1 555 010 0199".into(),
            email: "front.desk@clinic.example".into(),
            address: "12 Example Street, Springfield".into(),
        },
        patient: Some(patient()),
        first_treatment: Some(true),
        signed_by: None,
        zone: ClinicZone::UTC,
    }
}

fn patient() -> RemsPatient {
    RemsPatient {
        first_name: "Alex".into(),
        last_name: "Example".into(),
        birth_date: Some("1984-03-02".parse().unwrap()),
        sex: Some(RemsSex::Female),
        enrolled: Some(true),
    }
}

#[test]
fn the_rems_details_are_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("journal");
    let made = common::kap_journal(
        &data,
        &[
            "settings",
            "--clinic-telephone",
            "+1 555 010 0199",
            "--clinic-email",
            "desk@clinic.example",
            "--clinic-address",
            "12 Example Street",
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let shown = String::from_utf8_lossy(&made.stdout).to_string();
    assert!(
        shown.contains("clinic-telephone +1 555 010 0199"),
        "{shown}"
    );
    assert!(
        shown.contains("clinic-address   12 Example Street"),
        "{shown}"
    );
    let refused = common::kap_journal(&data, &["settings", "--clinic-email", "desk"]);
    assert!(!refused.status.success());
    common::assert_one_sentence(
        String::from_utf8_lossy(&refused.stderr).trim(),
        "email address",
    );

    {
        let mut store = kap_journal::store::Store::open(&data, &common::passphrase()).unwrap();
        common::client(&mut store, "E-0001");
    }
    let set = common::kap_journal(
        &data,
        &[
            "rems",
            "patient",
            "E-0001",
            "--first-name",
            "Alex",
            "--birth-date",
            "1984-03-02",
            "--sex",
            "F",
            "--enrolled",
            "yes",
        ],
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let shown = String::from_utf8_lossy(&set.stdout).to_string();
    for expected in [
        "first-name  Alex",
        "last-name   not set",
        "birth-date  1984-03-02",
        "sex         Female",
        "enrolled    yes",
    ] {
        assert!(shown.contains(expected), "{expected:?} in {shown}");
    }
    for (args, says) in [
        (
            vec!["rems", "patient", "E-0001", "--birth-date", "2 March"],
            "YYYY-MM-DD",
        ),
        (
            vec!["rems", "patient", "E-0001", "--birth-date", "2999-01-01"],
            "birthdate",
        ),
        (
            vec!["rems", "patient", "E-0001", "--sex", "unknown"],
            "female or male",
        ),
        (vec!["rems", "patient", "E-9999"], "No client"),
    ] {
        let refused = common::kap_journal(&data, &args);
        assert!(!refused.status.success(), "{args:?}");
        common::assert_one_sentence(String::from_utf8_lossy(&refused.stderr).trim(), says);
    }
    let cleared = common::kap_journal(&data, &["rems", "patient", "E-0001", "--first-name", ""]);
    assert!(String::from_utf8_lossy(&cleared.stdout).contains("first-name  not set"));
}

#[test]
fn esketamine_totals_kept_before_devices_added_up_are_worked_out_again() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let dir = journal.dir;
    drop(journal.store);
    common::rewind_schema(dir.path(), 20);
    let raw = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    // What the journal kept when the last device alone counted.
    raw.execute(
        "UPDATE sessions SET delivered_mg = 28 WHERE id = ?1",
        [record.session.id.0],
    )
    .unwrap();
    drop(raw);
    let store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
    let listed = store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap();
    assert_eq!(listed[0].delivered().mg, Some(84.0));
}

#[test]
fn a_clinics_name_and_contact_are_saved_together_or_not_at_all() {
    let mut journal = common::journal();
    let riverside = kap_journal::domain::ClinicName::parse("Riverside (synthetic)").unwrap();
    journal
        .store
        .registers_mut()
        .save_clinic(Some(&riverside), &full_context().contact)
        .unwrap();
    // The name and the contact are saved together, or neither: a contact that does not read
    // keeps the name as it was.
    let other = kap_journal::domain::ClinicName::parse("Hillside (synthetic)").unwrap();
    // As the window's Settings sends them.
    let refused = kap_journal::worker::Change::apply(
        kap_journal::changes::SaveClinic {
            name: Some(other),
            contact: RemsContact {
                email: "front desk".into(),
                ..RemsContact::default()
            },
        },
        &mut journal.store,
    );
    assert!(matches!(
        refused,
        Err(kap_journal::store::StoreError::RemsContact(_))
    ));
    assert_eq!(
        journal
            .store
            .clinic_name()
            .unwrap()
            .map(|name| name.as_str().to_owned())
            .as_deref(),
        Some("Riverside (synthetic)")
    );
    assert_eq!(
        journal.store.registers().rems_contact().unwrap().email,
        full_context().contact.email,
        "the contact as it was too"
    );
}
