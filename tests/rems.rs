//! The esketamine REMS monitoring form filled from a hand-built timeline: each field from the
//! entries it comes from, what the timeline cannot answer named as missing, and the PDF read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

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
    let client = match journal.store.client_by_code("E-0001").unwrap() {
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

/// Nothing beyond the timeline is known.
fn bare_context() -> RemsContext {
    RemsContext {
        setting: None,
        contact: RemsContact::default(),
        patient: None,
        first_treatment: None,
        signed_by: None,
        zone: ClinicZone::UTC,
    }
}

fn form_of(record: &kap_journal::export::SessionRecord, context: RemsContext) -> RemsForm {
    RemsForm::of(
        &record.session,
        &record.events,
        record.weight_kg(),
        &Thresholds::default(),
        context,
    )
    .unwrap()
}

#[test]
fn every_field_comes_from_the_entry_it_describes() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-24B17"), 125);
    let form = form_of(&record, full_context());

    assert_eq!(form.dose_mg, Some(84.0), "56 mg and one more device");
    assert_eq!(form.devices(), Some(3));
    assert_eq!(form.lots, [LotCode::parse("ESK-24B17").unwrap()]);
    let taken = |index: usize| form.concomitant[index].1.clone();
    assert_eq!(taken(0), ["lorazepam 1 mg"], "benzodiazepines");
    assert_eq!(
        taken(1),
        ["zolpidem 5 mg"],
        "other sedative hypnotics apart"
    );
    assert!(
        taken(2).is_empty() && taken(3).is_empty(),
        "no stimulant, no MAOI"
    );
    assert_eq!(taken(4), ["oxycodone 5 mg"]);
    assert_eq!(form.patient, patient());
    assert_eq!(form.first_treatment, Some(true));
    let spo2 = form.pulse_oximetry.unwrap();
    assert_eq!(
        (spo2.readings, spo2.lowest, spo2.lowest_at_minutes),
        (3, 91, 20)
    );
    assert_eq!(form.ready_after_minutes, Some(95));
    assert_eq!(form.serious_adverse_event, Some(false));
    assert_eq!(form.monitoring_clinician.as_deref(), Some("R. Okafor, RN"));
    assert_eq!(
        form.healthcare_setting.as_deref(),
        Some("Riverside Ketamine Clinic (synthetic)")
    );
    let bp = |reading: Option<kap_journal::domain::TimedPressure>| {
        reading.map(|bp| (bp.systolic, bp.diastolic, bp.minutes))
    };
    assert_eq!(bp(form.before_dosing), Some((132, 84, -2)));
    assert_eq!(bp(form.at_about_40_minutes), Some((158, 96, 41)));
    assert_eq!(bp(form.before_leaving), Some((128, 80, 124)));
    assert_eq!(form.acceptable_before_dosing, Some(true));
    assert_eq!(form.acceptable_before_leaving, Some(true));
    assert_eq!(form.monitoring_minutes, Some(124));
    for effect in [
        form.sedation,
        form.dissociation,
        form.respiratory_depression,
    ] {
        assert!(
            effect.occurred && effect.resolved == Some(true),
            "{effect:?}"
        );
    }
    assert_eq!(form.missing(), Vec::<&str>::new());
    let zone = record.session.zone.unwrap();
    assert_eq!(
        form.due(),
        zone.date(record.session.started_at) + chrono::Days::new(7)
    );
}

/// The REMS form's PDF read back as one line of words.
fn pdf_words(
    record: &kap_journal::export::SessionRecord,
    context: &kap_journal::export::SummaryContext,
) -> String {
    let mut pdf = Vec::new();
    kap_journal::export::write_record(
        record,
        kap_journal::export::ExportFormat::Rems,
        context,
        &mut pdf,
    )
    .unwrap();
    // Written as PDF/UA-1, which krilla checked as it wrote it (the metadata says so).
    assert!(
        pdf.windows(b"pdfuaid".len()).any(|w| w == b"pdfuaid"),
        "the form is PDF/UA-1"
    );
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn what_the_journal_cannot_answer_is_named_and_the_pdf_says_so() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, None, 100);
    let form = form_of(&record, bare_context());
    let missing = form.missing();
    for expected in [
        "lot number",
        "healthcare setting",
        "patient's first name",
        "patient's last name",
        "patient's birthdate",
        "patient's sex",
        "whether the patient is enrolled",
        "setting address",
        "provider telephone",
        "provider email",
    ] {
        assert!(
            missing.iter().any(|name| name.starts_with(expected)),
            "{expected:?} in {missing:?}"
        );
    }
    assert!(
        !missing
            .iter()
            .any(|name| name.starts_with("monitoring clinician")),
        "recorded when the session ended"
    );
    assert_eq!(
        form.monitoring_minutes,
        Some(99),
        "under the two hours, and said so"
    );

    // Settings now name someone else: the form still names who monitored the session.
    let context = kap_journal::export::SummaryContext {
        clinician: Some("S. Else, MD (synthetic)".into()),
        ..common::summary_context()
    };
    let words = pdf_words(&record, &context);
    for expected in [
        "REMS patient monitoring form",
        "84 mg (3 devices)",
        "MISSING: lot number of the devices",
        "MISSING: healthcare setting",
        "MISSING: patient's first name",
        "Monitoring clinician R. Okafor, RN",
        "99 min (UNDER the 2 hours required)",
        "158/96 at 41 min",
        "Benzodiazepines yes: lorazepam 1 mg",
        "Non-benzodiazepine sedative hypnotics yes: zolpidem 5 mg",
        "Opioids yes: oxycodone 5 mg",
        "Pulse oximetry monitored: 3 readings, lowest 91 % at 20 min",
        "Ready to leave (no 2-hour rule) 95 min after administration",
        "Serious adverse event no",
        "First treatment yes",
    ] {
        assert!(words.contains(expected), "{expected:?} in {words}");
    }
    assert!(!words.contains("S. Else"), "{words}");

    // An IV ketamine session has no REMS form, and says so in one sentence.
    let live = common::live_session(&mut journal, TreatmentModel::Kap);
    let ketamine = kap_journal::export::SessionRecord::load(
        &journal.store,
        live.session().id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let refused = RemsForm::of(
        &ketamine.session,
        &ketamine.events,
        None,
        &Thresholds::default(),
        bare_context(),
    )
    .unwrap_err();
    assert_eq!(refused, RemsError::NotEsketamine("IV infusion"));
    common::assert_one_sentence(&refused.to_string(), "intranasal esketamine");
}

#[test]
fn the_clients_and_clinics_details_fill_the_form_and_only_the_form() {
    let mut journal = common::journal();
    let first = esketamine_session(&mut journal, Some("ESK-24B17"), 125);
    let store = &mut journal.store;
    let client = first.client.id;
    let kept = store
        .save_rems_patient(
            client,
            &RemsPatient {
                first_name: "  Alex ".into(),
                ..patient()
            },
        )
        .unwrap();
    assert_eq!(kept, patient(), "trimmed as kept");
    store.save_rems_contact(&full_context().contact).unwrap();
    store
        .save_clinic_name(Some(
            &kap_journal::domain::ClinicName::parse("Riverside (synthetic)").unwrap(),
        ))
        .unwrap();
    assert!(matches!(
        store.save_rems_contact(&RemsContact {
            email: "front desk".into(),
            ..RemsContact::default()
        }),
        Err(kap_journal::store::StoreError::RemsContact(_))
    ));
    let load = |store: &kap_journal::store::Store, id| {
        kap_journal::export::SessionRecord::load(
            store,
            id,
            kap_journal::export::ExportOptions::default(),
        )
        .unwrap()
    };
    let record = load(store, first.session.id);
    let rems = record.rems.clone().unwrap();
    assert_eq!(rems.patient, Some(patient()));
    assert!(rems.first_treatment);
    let context = common::summary_context()
        .with_clinic(Some("Riverside (synthetic)".into()))
        .with_contact(store.rems_contact().unwrap());
    let words = pdf_words(&record, &context);
    for expected in [
        "First name Alex",
        "Last name Example",
        "Birthdate 1984-03-02",
        "Sex Female",
        "Enrolled in the SPRAVATO REMS yes",
        "Setting address 12 Example Street, Springfield",
        "Telephone +1 555 010 0199",
        "Email front.desk@clinic.example",
        "Every field was filled from the journal.",
    ] {
        assert!(words.contains(expected), "{expected:?} in {words}");
    }

    // No other export carries the names.
    for format in [
        kap_journal::export::ExportFormat::Markdown,
        kap_journal::export::ExportFormat::Json,
        kap_journal::export::ExportFormat::Csv,
        kap_journal::export::ExportFormat::Fhir,
    ] {
        let mut out = Vec::new();
        kap_journal::export::write_record(&record, format, &context, &mut out).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(
            !text.contains("Alex") && !text.contains("1984-03-02"),
            "{format:?} carries the REMS details"
        );
    }

    // The client's next esketamine session is not their first.
    let second = esketamine_session(&mut journal, Some("ESK-24B17"), 125);
    let record = load(&journal.store, second.session.id);
    assert_eq!(record.client.id, client);
    assert!(!record.rems.unwrap().first_treatment);
    assert!(
        load(&journal.store, first.session.id)
            .rems
            .unwrap()
            .first_treatment
    );

    // Emptied details remove the row.
    journal
        .store
        .save_rems_patient(client, &RemsPatient::default())
        .unwrap();
    assert_eq!(journal.store.rems_patient(client).unwrap(), None);
}

#[test]
fn a_session_that_ended_naming_no_one_is_monitored_by_who_signed_it() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let unnamed = kap_journal::export::SessionRecord {
        events: record
            .events
            .iter()
            .cloned()
            .map(|mut event| {
                if let EventKind::SessionEnded {
                    discharge: Some(discharge),
                    ..
                } = &mut event.kind
                {
                    discharge.monitored_by = None;
                }
                event
            })
            .collect(),
        ..record
    };
    let form = form_of(&unnamed, full_context());
    assert_eq!(form.monitoring_clinician, None);
    assert!(
        form.missing()
            .iter()
            .any(|name| name.starts_with("monitoring clinician"))
    );
    let signed = form_of(
        &unnamed,
        RemsContext {
            signed_by: Some("R. Example, PsyD (synthetic)".into()),
            ..full_context()
        },
    );
    assert_eq!(
        signed.monitoring_clinician.as_deref(),
        Some("R. Example, PsyD (synthetic)")
    );
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
fn the_forms_to_submit_are_listed_with_their_due_dates_until_marked() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let id = record.session.id;
    let treated = record.session.started_at;
    let due = record.session.zone.unwrap().date(treated) + chrono::Days::new(7);
    let store = &mut journal.store;

    let listed = store
        .rems_due(treated + chrono::TimeDelta::days(3))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].session_id, listed[0].due, listed[0].overdue),
        (id, due, false)
    );
    let late = store
        .rems_due(treated + chrono::TimeDelta::days(8))
        .unwrap();
    assert!(late[0].overdue, "past its seventh day");

    assert!(matches!(
        store.mark_rems_submitted(kap_journal::domain::SessionId(999), treated),
        Err(kap_journal::store::StoreError::NoSuchSession(999))
    ));
    // A session that is there but is no esketamine session has no form.
    let other = common::client(store, "C-0999");
    let infusion = store
        .start_session(
            &common::new_session(&other, kap_journal::domain::TreatmentModel::Kap),
            treated,
        )
        .unwrap();
    assert!(matches!(
        store.mark_rems_submitted(infusion.id, treated),
        Err(kap_journal::store::StoreError::RemsNotDue)
    ));
    store
        .mark_rems_submitted(id, treated + chrono::TimeDelta::days(2))
        .unwrap();
    assert!(
        store
            .rems_due(treated + chrono::TimeDelta::days(8))
            .unwrap()
            .is_empty()
    );
    let again = store.mark_rems_submitted(id, treated).unwrap_err();
    common::assert_one_sentence(&again.to_string(), "already marked submitted");

    // A mark made in error is withdrawn by a later mark, with why; the form is due again, and can
    // be marked again once it really was submitted.
    let later = treated + chrono::TimeDelta::days(3);
    assert!(matches!(
        store.withdraw_rems_submission(id, later, "  "),
        Err(kap_journal::store::StoreError::RemsWithdrawalReason)
    ));
    store
        .withdraw_rems_submission(id, later, "marked in error: not yet sent")
        .unwrap();
    assert_eq!(store.rems_due(later).unwrap().len(), 1, "due again");
    assert!(matches!(
        store.withdraw_rems_submission(id, later, "twice"),
        Err(kap_journal::store::StoreError::RemsNotSubmitted)
    ));
    store.mark_rems_submitted(id, later).unwrap();
    assert!(store.rems_due(later).unwrap().is_empty());

    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let raw = kap_journal::store::connect_raw(&dir, &common::passphrase()).unwrap();
    let marks: Vec<(i64, String)> = raw
        .prepare("SELECT submitted, reason FROM rems_marks ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        marks,
        [
            (1, String::new()),
            (0, "marked in error: not yet sent".to_owned()),
            (1, String::new())
        ],
        "every mark kept, in order"
    );
    let audited: i64 = raw
        .query_row(
            "SELECT count(*) FROM audit_log WHERE subject LIKE '% REMS mark %'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(audited, 3, "each mark is in the audit log");
    assert!(raw.execute("DELETE FROM rems_marks", []).is_err());
    assert!(
        raw.execute("UPDATE rems_marks SET submitted = 0", [])
            .is_err()
    );
}

#[test]
fn submissions_marked_before_the_log_of_marks_stay_submitted() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let dir = journal.dir;
    drop(journal.store);
    common::rewind_schema(dir.path(), 19);
    let raw = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    raw.execute(
        "INSERT INTO rems_submissions (session_id, submitted_ms, recorded_by) VALUES (?1, 0, 'R. Example')",
        [record.session.id.0],
    )
    .unwrap();
    drop(raw);
    let mut store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
    let later = record.session.started_at + chrono::TimeDelta::days(9);
    assert!(store.rems_due(later).unwrap().is_empty());
    store
        .withdraw_rems_submission(record.session.id, later, "marked in error")
        .unwrap();
    assert_eq!(store.rems_due(later).unwrap().len(), 1);
}

#[test]
fn the_home_screen_lists_an_overdue_form_and_marks_it_submitted() {
    use egui_kittest::kittest::Queryable;
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let dir = journal.dir;
    drop(journal.store);
    let clock = std::sync::Arc::new(kap_journal::live::ManualClock::new(
        record.session.started_at + chrono::TimeDelta::days(9),
    ));
    let mut harness = common::ui::app(dir.path(), &clock);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit: 1 (1 overdue)")
            .is_some()
    );
    assert!(harness.query_by_label_contains("· OVERDUE").is_some());
    // One click asks first, inline; nothing is marked until it is confirmed.
    common::ui::click(&mut harness, "Mark submitted");
    assert!(harness.query_by_label("Submitted to the REMS?").is_some());
    let due = |dir: &std::path::Path| {
        kap_journal::store::Store::open_for_reading(dir, &common::passphrase())
            .unwrap()
            .rems_due(clock_now(&clock))
            .unwrap()
            .len()
    };
    assert_eq!(due(dir.path()), 1, "not marked before it is confirmed");
    common::ui::click(&mut harness, "Yes, mark submitted");
    assert!(
        harness
            .query_by_label_contains("REMS form marked submitted.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit")
            .is_none()
    );
    assert_eq!(due(dir.path()), 0);

    // A mark made in error is taken back, and the form is listed again.
    common::ui::click(&mut harness, "Marked in error: withdraw");
    harness.run();
    assert_eq!(due(dir.path()), 1);
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit: 1")
            .is_some()
    );
}

fn clock_now(clock: &kap_journal::live::ManualClock) -> chrono::DateTime<chrono::Utc> {
    kap_journal::live::Clock::wall(clock)
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
        journal.store.rems_contact().unwrap().email,
        full_context().contact.email,
        "the contact as it was too"
    );
}
