//! The esketamine REMS monitoring form filled from a hand-built timeline: each field from the
//! entries it comes from, what the timeline cannot answer named as missing, and the PDF read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use kap_journal::domain::{
    ClinicZone, Discharge, Dose, EventKind, Instrument, LotCode, Measure, Monitoring, PreSession,
    RemsError, RemsForm, Route, Sedation, Thresholds, TreatmentModel, Vitals, VitalsText,
};
use kap_journal::live::{LiveCommand, LiveSession};

fn reading(journal: &mut common::Journal, live: &mut LiveSession, bp: &str, rate: &str) {
    let vitals = Vitals::read(&VitalsText {
        blood_pressure: bp,
        respiratory_rate: rate,
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

/// An 84 mg esketamine session: checklist with its lot and medicines, blood pressure before, at
/// 40 minutes and before leaving, sedation and dissociation that settle, slow breathing that
/// recovers, and an end with discharge criteria met after `monitored` minutes.
fn esketamine_session(
    journal: &mut common::Journal,
    lot: Option<&str>,
    monitored: u64,
) -> kap_journal::export::SessionRecord {
    let client = common::client(&mut journal.store, "E-0001");
    let mut new = common::new_session(&client, TreatmentModel::Kap);
    new.route = Route::IntranasalEsketamine;
    new.planned_dose = Dose::parse("84 mg").unwrap();
    let checklist = PreSession {
        weight_kg: Some(70.0),
        consent: true,
        medicines: vec![
            "lorazepam 1 mg".into(),
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
    reading(journal, &mut live, "132/84", "14");
    journal.clock.advance(Duration::from_mins(2));
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(20));
    sedation(journal, &mut live, 3);
    cadss(journal, &mut live, vec![2, 2, 1, 2, 1, 2]);
    reading(journal, &mut live, "", "8");
    journal.clock.advance(Duration::from_mins(21));
    reading(journal, &mut live, "158/96", "12");
    journal.clock.advance(Duration::from_mins(30));
    sedation(journal, &mut live, 5);
    cadss(journal, &mut live, vec![0; 6]);
    journal
        .clock
        .advance(Duration::from_mins(monitored.saturating_sub(72)));
    reading(journal, &mut live, "128/80", "15");
    live.end(
        &mut journal.store,
        "Settled; walked out steadily.",
        Some(Discharge {
            criteria_met: true,
            ride_home: true,
            follow_up: String::new(),
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

/// The form with `names` for the monitoring clinician and the healthcare setting.
fn form_of(record: &kap_journal::export::SessionRecord, names: Option<(&str, &str)>) -> RemsForm {
    RemsForm::of(
        &record.session,
        &record.events,
        record.weight_kg(),
        &Thresholds::default(),
        Monitoring {
            clinician: names.map(|(clinician, _)| clinician.to_owned()),
            setting: names.map(|(_, setting)| setting.to_owned()),
            zone: ClinicZone::UTC,
        },
    )
    .unwrap()
}

#[test]
fn every_field_comes_from_the_entry_it_describes() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-24B17"), 125);
    let form = form_of(
        &record,
        Some(("R. Okafor, RN", "Riverside Ketamine Clinic (synthetic)")),
    );

    assert_eq!(form.dose_mg, Some(84.0));
    assert_eq!(form.lots, [LotCode::parse("ESK-24B17").unwrap()]);
    let taken = |index: usize| form.concomitant[index].1.clone();
    assert_eq!(taken(0), ["lorazepam 1 mg"], "sedatives, opioids apart");
    assert!(
        taken(1).is_empty() && taken(2).is_empty(),
        "no stimulant, no MAOI"
    );
    assert_eq!(taken(3), ["oxycodone 5 mg"]);
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
    assert_eq!(form.ready_to_leave, record.session.ended_at);
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
fn what_the_timeline_cannot_answer_is_named_and_the_pdf_says_so() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, None, 100);
    let form = form_of(&record, None);
    let missing = form.missing();
    assert!(missing.iter().any(|name| name.starts_with("lot number")));
    assert!(
        missing
            .iter()
            .any(|name| name.starts_with("monitoring clinician"))
    );
    assert!(
        form.missing()
            .iter()
            .any(|name| name.starts_with("healthcare setting"))
    );
    assert_eq!(
        form.monitoring_minutes,
        Some(99),
        "under the two hours, and said so"
    );

    let context = kap_journal::export::SummaryContext {
        clinician: None,
        ..common::summary_context()
    };
    let mut pdf = Vec::new();
    kap_journal::export::write_record(
        &record,
        kap_journal::export::ExportFormat::Rems,
        &context,
        &mut pdf,
    )
    .unwrap();
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "REMS patient monitoring form",
        "84 mg",
        "MISSING: lot number of the devices",
        "MISSING: healthcare setting",
        "99 min (UNDER the 2 hours required)",
        "158/96 at 41 min",
        "yes: oxycodone 5 mg",
    ] {
        assert!(words.contains(expected), "{expected:?} in {words}");
    }

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
        Monitoring {
            clinician: None,
            setting: None,
            zone: ClinicZone::UTC,
        },
    )
    .unwrap_err();
    assert_eq!(refused, RemsError::NotEsketamine("IV infusion"));
    common::assert_one_sentence(&refused.to_string(), "intranasal esketamine");
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
