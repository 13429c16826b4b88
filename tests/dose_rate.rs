//! An infusion's dose is a rate: lowering it lowers the rate until the planned end, so lowering can
//! never deliver more than not lowering. The worked example of the user guide, through the live engine,
//! the store's totals, the summary and an older journal's migration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use kap_journal::domain::{
    Asked, CameUp, CurrentDose, Decision, Dose, DoseError, SessionError, TreatmentModel,
};
use kap_journal::live::{LiveCommand, LiveSession};
use kap_journal::store::{SessionFilter, Store, StoreError};

fn lower_now(new_dose: &str) -> LiveCommand {
    LiveCommand::DecisionPoint {
        came_up: CameUp::BodySensation,
        detail: "nausea".into(),
        asked: Asked::ClientAsksToLower,
        decision: Decision::LowerNow,
        new_dose: Some(Dose::parse(new_dose).unwrap()),
        rationale: String::new(),
    }
}

/// 70 kg, 0.5 mg/kg over 40 min, lowered at minute 20 to 0.35 mg/kg over 40 min, ended at minute 90.
fn worked_example(journal: &mut common::Journal) -> LiveSession {
    let mut live = common::live_session(journal, TreatmentModel::Medical);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(20));
    live.log(&mut journal.store, lower_now("0.35 mg/kg over 40 min"))
        .unwrap();
    journal.clock.advance(Duration::from_mins(70));
    live.end(&mut journal.store, "", None).unwrap();
    live
}

#[test]
fn lowering_an_infusion_at_minute_20_delivers_29_75_mg_not_more_than_planned() {
    let mut journal = common::journal();
    let live = worked_example(&mut journal);
    let summary = &journal
        .store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0];
    assert!(
        (summary.delivered_mg.unwrap() - 29.75).abs() < 1e-9,
        "{summary:?}"
    );
    assert!((summary.delivered_mg_per_kg.unwrap() - 0.425).abs() < 1e-9);
    assert_eq!(summary.describe_delivered(), "29.75 mg (0.425 mg/kg)");

    let record = kap_journal::export::SessionRecord::load(
        &journal.store,
        live.session().id,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    let markdown = kap_journal::export::markdown_summary(&record, &common::summary_context());
    assert!(
        markdown.contains("**Delivered:** 29.75 mg (0.425 mg/kg)"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "Rate changed to 0.525 mg/kg/h (36.75 mg/h at 70 kg), typed as 0.35 mg/kg over 40 min"
        ),
        "{markdown}"
    );
}

#[test]
fn the_rate_runs_to_the_planned_end_and_only_an_extension_moves_it() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let extend = |minutes| LiveCommand::ExtendInfusion {
        minutes,
        reason: "Client asked to stay a little longer.".into(),
    };
    let refused = live.log(&mut journal.store, extend(10)).unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Session(SessionError::NothingToExtend)
    ));
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(30));
    for minutes in [0, 121] {
        let refused = live.log(&mut journal.store, extend(minutes)).unwrap_err();
        assert!(matches!(
            refused,
            StoreError::Session(SessionError::ExtensionMinutes)
        ));
    }
    live.log(&mut journal.store, extend(10)).unwrap();
    assert!(matches!(
        live.current_dose(),
        CurrentDose::Infusing { ends_ms: Some(end), .. } if end == 50 * 60_000
    ));
    journal.clock.advance(Duration::from_mins(25));
    assert_eq!(
        live.current_dose(),
        CurrentDose::InfusionComplete {
            ended_ms: 50 * 60_000
        }
    );
    // A new rate once it has run its length would be an extension in disguise: refused, nothing saved.
    let before = journal
        .store
        .record()
        .events(live.session().id)
        .unwrap()
        .len();
    let refused = live
        .log(
            &mut journal.store,
            LiveCommand::ChangeDose {
                dose: Some(Dose::parse("0.3 mg/kg/h").unwrap()),
                reason: String::new(),
            },
        )
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Session(SessionError::InfusionComplete)
    ));
    assert_eq!(
        journal
            .store
            .record()
            .events(live.session().id)
            .unwrap()
            .len(),
        before
    );
    live.end(&mut journal.store, "", None).unwrap();
    let summary = &journal
        .store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0];
    // 0.75 mg/kg/h for 50 minutes.
    assert!(
        (summary.delivered_mg_per_kg.unwrap() - 0.625).abs() < 1e-9,
        "{summary:?}"
    );
    let kinds: Vec<_> = journal
        .store
        .record()
        .events(live.session().id)
        .unwrap()
        .iter()
        .map(|event| event.kind.as_str())
        .collect();
    assert!(kinds.contains(&"infusion_extended"));
}

#[test]
fn absurd_rates_and_rates_above_the_clinic_ceiling_are_refused_and_nothing_is_saved() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    let before = journal
        .store
        .record()
        .events(live.session().id)
        .unwrap()
        .len();
    for typed in [
        "-0.3 mg/kg/h",
        "NaN mg/kg/h",
        "12 mg/kg/h",
        "1 mg/kg over 5 min",
    ] {
        let outcome = Dose::parse(typed)
            .map_err(SessionError::from)
            .and_then(|dose| {
                live.log(
                    &mut journal.store,
                    LiveCommand::ChangeDose {
                        dose: Some(dose),
                        reason: String::new(),
                    },
                )
                .map(|_| ())
                .map_err(|error| match error {
                    StoreError::Session(error) => error,
                    other => panic!("{other}"),
                })
            });
        let error = outcome.unwrap_err();
        assert!(
            matches!(
                error,
                SessionError::Dose(
                    DoseError::NotPositive
                        | DoseError::NotANumber
                        | DoseError::AbsurdRate
                        | DoseError::AboveCeiling { .. }
                )
            ),
            "{typed}: {error}"
        );
        assert!(error.to_string().ends_with('.'), "{error}");
    }
    // 1 mg/kg over 5 min is 12 mg/kg/h; the default ceiling is 3.
    let mut settings = journal.store.clinic_settings().unwrap();
    settings.rate_ceiling_mg_per_kg_h = 1;
    live.set_settings(settings);
    let refused = live
        .log(&mut journal.store, lower_now("1.2 mg/kg/h"))
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "A rate of 1.2 mg/kg/h is above the clinic's ceiling of 1 mg/kg/h; check the amount and the minutes."
    );
    assert_eq!(
        journal
            .store
            .record()
            .events(live.session().id)
            .unwrap()
            .len(),
        before
    );
}

#[test]
fn lower_dose_proposes_the_clinic_share_of_the_running_rate() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Medical);
    assert_eq!(live.proposed_lower(), None, "nothing runs yet");
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    assert_eq!(live.proposed_lower().unwrap().to_string(), "0.56 mg/kg/h");
    let mut settings = journal.store.clinic_settings().unwrap();
    settings.lower_to_percent = 50;
    live.set_settings(settings);
    let proposed = live.proposed_lower().unwrap();
    assert_eq!(proposed.to_string(), "0.38 mg/kg/h");
    live.log(&mut journal.store, lower_now(&proposed.to_string()))
        .unwrap();
    assert!(
        matches!(live.current_dose(), CurrentDose::Infusing { rate, .. } if (rate.per_hour - 0.38).abs() < 1e-9)
    );
}

#[test]
fn an_older_journal_has_its_totals_worked_out_again_with_this_meaning_signed_sessions_too() {
    let mut journal = common::journal();
    let live = worked_example(&mut journal);
    let id = live.session().id;
    journal
        .store
        .record_mut()
        .sign_session(
            id,
            &kap_journal::domain::Clinician {
                name: "R. Example".to_owned(),
                credentials: "PsyD (synthetic)".to_owned(),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    let dir = journal.dir;
    drop(journal.store);
    // The total as the earlier meaning stored it: a fresh 40-minute infusion from the lowering.
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    conn.execute(
        "UPDATE sessions SET delivered_mg = 42.0, delivered_mg_per_kg = 0.6 WHERE id = ?1",
        [id.0],
    )
    .unwrap();
    drop(conn);
    common::rewind_schema(dir.path(), 6);

    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let summary = &store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0];
    assert!(
        (summary.delivered_mg.unwrap() - 29.75).abs() < 1e-9,
        "{summary:?}"
    );
    assert!(store.integrity_problems().unwrap().is_empty());
    assert!(
        store.record().signature_problems().unwrap().is_empty(),
        "the signed record itself is untouched"
    );
    // Its record is still guarded: only the derived total could be rewritten.
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    assert!(
        conn.execute("UPDATE sessions SET intention = 'x' WHERE id = ?1", [id.0])
            .is_err()
    );
    assert!(
        conn.execute("UPDATE sessions SET ended_ms = 1 WHERE id = ?1", [id.0])
            .is_err()
    );
    let kinds: Vec<&str> = store
        .record()
        .events(id)
        .unwrap()
        .iter()
        .map(|event| event.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "dosing_began",
            "decision_point",
            "dose_change",
            "session_ended"
        ],
        "the timeline is read, never rewritten"
    );
}
