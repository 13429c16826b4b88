//! A "sit with it" asked past a safety flag belongs to its own decision point: in the record, in every
//! summary and in the prep view; a record written before that was so is set right by migration 16 and
//! on import, and a signed one is read right while its sealed bytes stay as they were.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod before_the_fix;
#[path = "../common/mod.rs"]
mod common;

use std::time::Duration;

use chrono::Utc;
use kap_journal::domain::{
    Asked, CameUp, Clinician, Decision, DecisionPoint, DeferralOutcome, Dose, EventKind, Seq,
    SessionId, TreatmentModel,
};
use kap_journal::export::{
    ExportFormat, ExportOptions, OnExisting, SessionRecord, Summary, import_archive, write_session,
};
use kap_journal::live::LiveCommand;
use kap_journal::review::PrepSheet;
use kap_journal::store::{NewEvent, Store};

fn sit_with_it() -> LiveCommand {
    LiveCommand::DecisionPoint {
        came_up: CameUp::Emotion,
        detail: "fear of the dark".into(),
        asked: Asked::ClientAsksToLower,
        decision: Decision::SitWithIt { minutes: 5 },
        new_dose: None,
        rationale: "Agreed to stay a few minutes.".into(),
    }
}

fn past_the_flag(then: LiveCommand) -> LiveCommand {
    LiveCommand::GoAhead {
        warnings: vec!["SpO2 89 %".into(), "Heart rate 131".into()],
        then: Some(Box::new(then)),
    }
}

/// The decision of each summary line that has a deferral, with its outcome.
fn summary_outcomes(store: &Store, id: SessionId) -> Vec<(Decision, Option<DeferralOutcome>)> {
    let record = SessionRecord::load(store, id, ExportOptions::default()).unwrap();
    Summary::of(&record, &common::summary_context())
        .decisions
        .iter()
        .filter_map(|line| {
            line.deferral
                .as_ref()
                .map(|deferral| (line.point.decision, deferral.outcome))
        })
        .collect()
}

fn archive_of(store: &Store, id: SessionId) -> Vec<u8> {
    let mut out = Vec::new();
    write_session(
        store,
        id,
        ExportFormat::Json,
        ExportOptions::default(),
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    out
}

#[test]
fn a_sit_with_it_asked_past_a_safety_flag_keeps_its_outcome_everywhere() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    let committed = live
        .log(&mut journal.store, past_the_flag(sit_with_it()))
        .unwrap()
        .to_vec();
    let kinds: Vec<&str> = committed.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "went_ahead",
            "went_ahead",
            "decision_point",
            "deferral_start"
        ]
    );
    let (decision, start) = (&committed[2], &committed[3]);
    assert_eq!(
        start.kind,
        EventKind::DeferralStart {
            decision_seq: decision.seq,
            minutes: 5
        },
        "the deferral names the decision point, not the first went-ahead entry"
    );
    assert_eq!(live.state().open_deferrals[0].decision_seq, decision.seq);

    journal.clock.advance(Duration::from_mins(5));
    live.log(
        &mut journal.store,
        past_the_flag(LiveCommand::DeferralOutcome {
            deferral: start.seq,
            outcome: DeferralOutcome::DoseLowered,
            new_dose: Some(Dose::parse("0.35 mg/kg over 40 min").unwrap()),
            note: "Still frightened.".into(),
        }),
    )
    .unwrap();
    let lowered = live
        .log(
            &mut journal.store,
            past_the_flag(LiveCommand::DecisionPoint {
                came_up: CameUp::BodySensation,
                detail: "nausea".into(),
                asked: Asked::ClientAsksToLower,
                decision: Decision::LowerNow,
                new_dose: Some(Dose::parse("0.25 mg/kg over 40 min").unwrap()),
                rationale: String::new(),
            }),
        )
        .unwrap()
        .to_vec();
    assert!(matches!(
        &lowered[3].kind,
        EventKind::DoseChange { reason, .. } if *reason == format!("Lowered at decision point {}", lowered[2].seq)
    ));
    live.end(&mut journal.store, "Calm at discharge.", None)
        .unwrap();
    let id = live.session().id;

    assert_eq!(
        summary_outcomes(&journal.store, id),
        [(
            Decision::SitWithIt { minutes: 5 },
            Some(DeferralOutcome::DoseLowered)
        )]
    );
    let markdown = kap_journal::export::markdown_summary(
        &SessionRecord::load(&journal.store, id, ExportOptions::default()).unwrap(),
        &common::summary_context(),
    );
    assert!(
        markdown.contains("Sat with it (5 min agreed): dose lowered after all"),
        "{markdown}"
    );

    let client = journal.store.record().session(id).unwrap().client_id;
    let prep = PrepSheet::load(&journal.store, client).unwrap();
    let decisions = &prep.sessions[0].decisions;
    assert_eq!(decisions.len(), 2);
    assert_eq!(
        decisions[0].outcome.as_ref().map(|(outcome, _)| *outcome),
        Some(DeferralOutcome::DoseLowered)
    );

    // The session travels: its own archive imports.
    let archive = archive_of(&journal.store, id);
    let mut elsewhere = common::journal();
    let report = import_archive(
        &mut elsewhere.store,
        archive.as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert_eq!((report.sessions, report.links_repaired), (1, 0));
}

/// One keystroke of the property test, perhaps past `warnings` soft stops.
#[derive(Debug, Clone)]
enum Keystroke {
    Note,
    Decide { decision: u8, warnings: usize },
    Outcome { outcome: usize, warnings: usize },
    Wait,
}

fn keystroke() -> impl proptest::strategy::Strategy<Value = Keystroke> {
    use proptest::prelude::*;
    prop_oneof![
        Just(Keystroke::Note),
        (0u8..4, 0usize..3)
            .prop_map(|(decision, warnings)| Keystroke::Decide { decision, warnings }),
        (0usize..4, 0usize..3)
            .prop_map(|(outcome, warnings)| Keystroke::Outcome { outcome, warnings }),
        Just(Keystroke::Wait),
    ]
}

fn command_for(keystroke: &Keystroke, live: &kap_journal::live::LiveSession) -> LiveCommand {
    let lower = || Some(Dose::parse("0.25 mg/kg/h").unwrap());
    let (command, warnings) = match keystroke {
        Keystroke::Note | Keystroke::Wait => (LiveCommand::Note("Breathing slowly.".into()), 0),
        Keystroke::Decide { decision, warnings } => {
            let decision = match decision {
                0 => Decision::SitWithIt { minutes: 3 },
                1 => Decision::LowerNow,
                2 => Decision::Hold,
                _ => Decision::Stop,
            };
            let command = LiveCommand::DecisionPoint {
                came_up: CameUp::Memory,
                detail: "an old room".into(),
                asked: Asked::ClientAsksToLower,
                decision,
                new_dose: lower(),
                rationale: String::new(),
            };
            (command, *warnings)
        }
        Keystroke::Outcome { outcome, warnings } => {
            let deferral = live
                .state()
                .open_deferrals
                .first()
                .map_or(Seq(1), |open| open.seq);
            let command = LiveCommand::DeferralOutcome {
                deferral,
                outcome: DeferralOutcome::ALL[*outcome],
                new_dose: lower(),
                note: String::new(),
            };
            (command, *warnings)
        }
    };
    if warnings == 0 {
        command
    } else {
        LiveCommand::GoAhead {
            warnings: (0..warnings).map(|n| format!("flag {n}")).collect(),
            then: Some(Box::new(command)),
        }
    }
}

/// Any sequence of soft stops, decisions, deferrals and outcomes links every deferral to its
/// decision point, and the summary, the prep view and the list count the same outcomes.
#[test]
fn every_deferral_links_to_its_decision_and_every_reader_agrees() {
    use proptest::test_runner::{Config, TestRunner};
    // Two journals for every case (each is a key derivation): one to log in, one to import into.
    let journals = std::cell::RefCell::new((common::journal(), common::journal(), 0_u32));
    let mut runner = TestRunner::new(Config::with_cases(48));
    let strategy = proptest::collection::vec(keystroke(), 1..24);
    let outcome = runner.run(&strategy, |keystrokes| {
        let (journal, elsewhere, cases) = &mut *journals.borrow_mut();
        *cases += 1;
        let client = common::client(&mut journal.store, &format!("P-{cases:04}"));
        let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
        let mut live = kap_journal::live::LiveSession::start(
            &mut journal.store,
            clock,
            &common::new_session(&client, TreatmentModel::Kap),
        )
        .unwrap();
        live.log(&mut journal.store, LiveCommand::BeginDosing).unwrap();
        for keystroke in &keystrokes {
            if matches!(keystroke, Keystroke::Wait) {
                journal.clock.advance(Duration::from_secs(50));
                continue;
            }
            // Refusals (a second deferral, an outcome with none open, a stopped infusion) are part
            // of the sequence: they leave nothing behind.
            let _ = live.log(&mut journal.store, command_for(keystroke, &live));
        }
        if let Some(open) = live.state().open_deferrals.first().copied() {
            live.log(&mut journal.store, LiveCommand::DeferralOutcome {
                deferral: open.seq,
                outcome: DeferralOutcome::EndedEarly,
                new_dose: None,
                note: String::new(),
            }).unwrap();
        }
        live.end(&mut journal.store, "", None).unwrap();
        let id = live.session().id;
        let events = journal.store.record().events(id).unwrap();
        let kind_at = |seq: Seq| &events[seq.0 as usize - 1].kind;
        let mut outcomes = [0u32; 4];
        for event in &events {
            match &event.kind {
                EventKind::DeferralStart { decision_seq, .. } => {
                    proptest::prop_assert_eq!(decision_seq.0 + 1, event.seq.0);
                    let is_sit_with_it = matches!(
                        kind_at(*decision_seq),
                        EventKind::DecisionPoint(point) if matches!(point.decision, Decision::SitWithIt { .. })
                    );
                    proptest::prop_assert!(is_sit_with_it);
                }
                EventKind::DoseChange { reason, .. } if reason.contains("decision point") => {
                    let decision = Seq(event.seq.0 - 1).to_string();
                    proptest::prop_assert!(reason.ends_with(&decision), "{} {}", reason, decision);
                }
                EventKind::DeferralOutcome { outcome, .. } => {
                    let index = DeferralOutcome::ALL.iter().position(|o| o == outcome).unwrap();
                    outcomes[index] += 1;
                }
                _ => {}
            }
        }

        let listed = journal
            .store
            .record().session_summaries(&kap_journal::store::SessionFilter::default())
            .unwrap()
            .into_iter()
            .find(|summary| summary.id == id)
            .unwrap();
        proptest::prop_assert_eq!(
            [listed.worked_through, listed.dose_lowered, listed.ended_early, listed.session_stopped],
            outcomes
        );
        let record = SessionRecord::load(&journal.store, id, ExportOptions::default()).unwrap();
        let summary = Summary::of(&record, &common::summary_context());
        let mut summarised = [0u32; 4];
        for (outcome, count) in &summary.outcome_counts {
            let index = DeferralOutcome::ALL.iter().position(|o| o == outcome).unwrap();
            summarised[index] = u32::try_from(*count).unwrap();
        }
        proptest::prop_assert_eq!(summarised, outcomes);
        let client = journal.store.record().session(id).unwrap().client_id;
        let prep = PrepSheet::load(&journal.store, client).unwrap();
        let mut prepared = [0u32; 4];
        for decision in &prep.sessions[0].decisions {
            if let Some((outcome, _)) = &decision.outcome {
                let index = DeferralOutcome::ALL.iter().position(|o| o == outcome).unwrap();
                prepared[index] += 1;
            }
        }
        proptest::prop_assert_eq!(prepared, outcomes);

        let report = import_archive(
            &mut elsewhere.store,
            archive_of(&journal.store, id).as_slice(),
            OnExisting::Refuse,
            Utc::now(),
        );
        proptest::prop_assert!(report.is_ok(), "{:?}", report.err());
        Ok(())
    });
    assert!(outcome.is_ok(), "{outcome:?}");
}
