//! Review read models against hand-computed fixtures: outcome counts per client and model, and the
//! prep sheet's sessions, markers and open themes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use kap_journal::domain::{Asked, CameUp, Client, Decision, DeferralOutcome, Dose, TreatmentModel};
use kap_journal::live::{Clock, LiveCommand, LiveSession};
use kap_journal::review::{OutcomeCounts, PrepSheet, Statistics};
use kap_journal::store::SessionFilter;

/// What happens at one decision point of a fixture session.
enum Step {
    SitWithIt(&'static str, DeferralOutcome),
    Hold(&'static str),
    LowerNow(&'static str),
    Note(&'static str),
    MarkLast,
}

fn decision(detail: &str, decision: Decision, new_dose: Option<Dose>) -> LiveCommand {
    LiveCommand::DecisionPoint {
        came_up: CameUp::Emotion,
        detail: detail.into(),
        asked: Asked::ClientAsksToLower,
        decision,
        new_dose,
        rationale: String::new(),
    }
}

fn session(journal: &mut common::Journal, client: &Client, model: TreatmentModel, steps: &[Step]) {
    journal.clock.advance(Duration::from_hours(24));
    let clock: Arc<dyn Clock> = journal.clock.clone();
    let mut live = LiveSession::start(
        &mut journal.store,
        clock,
        &common::new_session(client, model),
    )
    .unwrap();
    let store = &mut journal.store;
    live.log(store, LiveCommand::BeginDosing).unwrap();
    let lower = || Some(Dose::parse("0.3 mg/kg over 40 min").unwrap());
    for step in steps {
        journal.clock.advance(Duration::from_mins(3));
        match step {
            Step::SitWithIt(detail, outcome) => {
                let deferral = live
                    .log(
                        store,
                        decision(detail, Decision::SitWithIt { minutes: 5 }, None),
                    )
                    .unwrap()[1]
                    .seq;
                let new_dose = (*outcome == DeferralOutcome::DoseLowered)
                    .then(lower)
                    .flatten();
                live.log(
                    store,
                    LiveCommand::DeferralOutcome {
                        deferral,
                        outcome: *outcome,
                        new_dose,
                        note: format!("after {detail}"),
                    },
                )
                .unwrap();
            }
            Step::Hold(detail) => {
                live.log(store, decision(detail, Decision::Hold, None))
                    .unwrap();
            }
            Step::LowerNow(detail) => {
                live.log(store, decision(detail, Decision::LowerNow, lower()))
                    .unwrap();
            }
            Step::Note(text) => {
                live.log(store, LiveCommand::Note((*text).into())).unwrap();
            }
            Step::MarkLast => {
                let last = live.events().last().unwrap().seq;
                live.log(store, LiveCommand::ToggleMarker { target: last })
                    .unwrap();
            }
        }
    }
    live.end(store, "", None).unwrap();
}

/// Client A: two KAP sessions, then one Medical Model session. Client B: one KAP session.
fn fixture() -> (common::Journal, Client, Client) {
    use DeferralOutcome::{DoseLowered, EndedEarly, SessionStopped, WorkedThrough};
    let mut journal = common::journal();
    let a = common::client(&mut journal.store, "C-000A");
    let b = common::client(&mut journal.store, "C-000B");
    session(
        &mut journal,
        &a,
        TreatmentModel::Kap,
        &[
            Step::SitWithIt("grief", WorkedThrough),
            Step::SitWithIt("shame", DoseLowered),
        ],
    );
    session(
        &mut journal,
        &a,
        TreatmentModel::Kap,
        &[
            Step::Note("Saw the old house."),
            Step::MarkLast,
            Step::SitWithIt("fear of falling", SessionStopped),
            Step::Hold("tight chest"),
        ],
    );
    session(
        &mut journal,
        &a,
        TreatmentModel::Medical,
        &[
            Step::LowerNow("dizzy"),
            Step::SitWithIt("anger", EndedEarly),
        ],
    );
    session(
        &mut journal,
        &b,
        TreatmentModel::Kap,
        &[Step::SitWithIt("loneliness", WorkedThrough)],
    );
    (journal, a, b)
}

#[test]
fn deferral_outcome_counts_per_client_and_model_match_the_hand_computed_fixture() {
    let (journal, _, _) = fixture();
    let of = |client: Option<&str>| {
        let filter = SessionFilter {
            client_code: client.map(str::to_owned),
            ..SessionFilter::default()
        };
        Statistics::of(&journal.store.record().session_summaries(&filter).unwrap())
    };
    let client_a = of(Some("C-000A"));
    let kap = client_a.model(TreatmentModel::Kap);
    assert_eq!((kap.sessions, kap.decision_points), (2, 4));
    assert_eq!(
        kap.outcomes,
        OutcomeCounts {
            deferrals: 3,
            worked_through: 1,
            dose_lowered: 1,
            ended_early: 0,
            session_stopped: 1
        }
    );
    assert_eq!(kap.outcomes.worked_through_share(), Some(1.0 / 3.0));
    let medical = client_a.model(TreatmentModel::Medical);
    assert_eq!((medical.sessions, medical.decision_points), (1, 2));
    assert_eq!(
        medical.outcomes,
        OutcomeCounts {
            deferrals: 1,
            worked_through: 0,
            dose_lowered: 0,
            ended_early: 1,
            session_stopped: 0
        }
    );

    let client_b = of(Some("C-000B"));
    assert_eq!(
        client_b.model(TreatmentModel::Kap).outcomes.worked_through,
        1
    );
    assert_eq!(
        client_b.model(TreatmentModel::Medical).sessions,
        0,
        "no Medical Model sessions"
    );

    let everyone = of(None).model(TreatmentModel::Kap);
    assert_eq!((everyone.sessions, everyone.decision_points), (3, 5));
    assert_eq!(
        everyone.outcomes,
        OutcomeCounts {
            deferrals: 4,
            worked_through: 2,
            dose_lowered: 1,
            ended_early: 0,
            session_stopped: 1
        }
    );
}

#[test]
fn the_prep_sheet_shows_recent_sessions_markers_with_context_and_open_themes() {
    let (journal, a, _) = fixture();
    let sheet = PrepSheet::load(&journal.store, a.id).unwrap();
    let models: Vec<_> = sheet
        .sessions
        .iter()
        .map(|session| session.summary.model)
        .collect();
    assert_eq!(
        models,
        [
            TreatmentModel::Medical,
            TreatmentModel::Kap,
            TreatmentModel::Kap
        ],
        "newest first"
    );
    assert_eq!(sheet.sessions[0].intention, "Stay with what comes up.");

    let marked = &sheet.sessions[1].marked;
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].entry.kind.describe(), "Saw the old house.");
    assert!(
        marked[0]
            .context
            .as_ref()
            .unwrap()
            .kind
            .describe()
            .starts_with("Dosing began")
    );

    let outcomes: Vec<_> = sheet.sessions[1]
        .decisions
        .iter()
        .map(|d| d.outcome.as_ref().map(|(o, _)| *o))
        .collect();
    assert_eq!(outcomes, [Some(DeferralOutcome::SessionStopped), None]);
    // Open: lowered or stopped, or a deferral not worked through; newest session first.
    assert_eq!(
        sheet.open_themes,
        ["dizzy", "anger", "fear of falling", "shame"]
    );
    assert_eq!(
        sheet
            .statistics
            .model(TreatmentModel::Kap)
            .outcomes
            .deferrals,
        3
    );
}

#[test]
fn suicide_risk_follows_the_client_into_the_prep_sheet_with_the_newest_plan() {
    use kap_journal::domain::{AsqScreen, EventKind, Instrument, Measure, SafetyPlan};
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "R-0001");
    let other = common::client(&mut journal.store, "R-0002");
    let session = |journal: &mut common::Journal,
                   client: &Client,
                   first: Vec<EventKind>,
                   then: Vec<LiveCommand>| {
        let clock: Arc<dyn Clock> = journal.clock.clone();
        let mut live = LiveSession::start_with(
            &mut journal.store,
            clock,
            &common::new_session(client, TreatmentModel::Kap),
            first,
        )
        .unwrap();
        for command in then {
            live.log(&mut journal.store, command).unwrap();
        }
        live.end(&mut journal.store, "", None).unwrap();
        journal.clock.advance(Duration::from_hours(24 * 7));
    };
    let plan = |contacts: &str| {
        LiveCommand::SafetyPlan(SafetyPlan {
            contacts: contacts.into(),
            ..SafetyPlan::default()
        })
    };
    // Week 1: a positive screen and a plan; week 2: PHQ-9 item 9 above zero, no plan that
    // session; week 3: a plan made in a quiet session; week 4: nothing.
    let screen = EventKind::SuicideScreen {
        screen: AsqScreen::parse("ynnn n").unwrap(),
        note: String::new(),
    };
    session(
        &mut journal,
        &client,
        vec![screen],
        vec![plan("first plan: sister")],
    );
    let item9 = LiveCommand::Measure {
        measure: Measure::new(Instrument::Phq9, vec![1, 1, 1, 1, 1, 1, 1, 1, 2]).unwrap(),
        note: String::new(),
    };
    session(&mut journal, &client, Vec::new(), vec![item9]);
    session(
        &mut journal,
        &client,
        Vec::new(),
        vec![plan("second plan: partner; 988")],
    );
    session(&mut journal, &client, Vec::new(), Vec::new());
    session(&mut journal, &other, Vec::new(), Vec::new());

    let sheet = PrepSheet::load(&journal.store, client.id).unwrap();
    let risk = sheet.suicide_risk.expect("the flag follows the client");
    assert_eq!(risk.sessions, 2);
    assert_eq!(risk.signals, ["PHQ-9 10 (moderate) · item 9 above zero"]);
    assert_eq!(risk.plan.unwrap().1.contacts, "second plan: partner; 988");
    assert!(
        PrepSheet::load(&journal.store, other.id)
            .unwrap()
            .suicide_risk
            .is_none()
    );
}
