//! The REMS monitoring form: every field from the entry it describes, and what the journal cannot answer named.

use super::*;

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
        .registers_mut()
        .save_rems_patient(
            client,
            &RemsPatient {
                first_name: "  Alex ".into(),
                ..patient()
            },
        )
        .unwrap();
    assert_eq!(kept, patient(), "trimmed as kept");
    store
        .registers_mut()
        .save_rems_contact(&full_context().contact)
        .unwrap();
    store
        .save_clinic_name(Some(
            &kap_journal::domain::ClinicName::parse("Riverside (synthetic)").unwrap(),
        ))
        .unwrap();
    assert!(matches!(
        store.registers_mut().save_rems_contact(&RemsContact {
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
        .with_contact(store.registers().rems_contact().unwrap());
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
        .registers_mut()
        .save_rems_patient(client, &RemsPatient::default())
        .unwrap();
    assert_eq!(
        journal.store.registers().rems_patient(client).unwrap(),
        None
    );
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
