//! The merged timeline kept in both journals: the therapist's session and the nurse's part of it,
//! each written to its own journal first and pushed at once, come back in the server's one order;
//! through two server restarts each goes on alone and catches up, and both end with the same
//! timeline byte for byte and the same figures folded from it.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kap_journal::domain::{
    Asked, CameUp, Decision, DeferralOutcome, Dose, LiveEntry, TreatmentModel, Vitals,
};
use kap_journal::live::{Clock as _, LiveCommand, LiveSession, ManualClock};
use kap_journal::practice::{LiveConnection, join_here};
use kap_journal::store::Store;

use super::common::pg_server::TestServer;
use super::common::practice_cli::{cli, ok, open, practice};
use super::joined_journal;

/// One clinician's laptop: their journal, its live engine, and a connection when the server is
/// there.
pub(super) struct Laptop {
    pub(super) dir: tempfile::TempDir,
    pub(super) store: Store,
    pub(super) live: LiveSession,
    pub(super) connection: Option<LiveConnection>,
    /// The live session on the server.
    pub(super) live_uuid: uuid::Uuid,
}

impl Laptop {
    /// Logs `command` in this journal first, then pushes it and takes back what is new.
    pub(super) fn write(&mut self, command: LiveCommand) {
        self.live.log(&mut self.store, command).unwrap();
        self.exchange();
    }

    /// One exchange with the server; `false` when it could not be reached (the journal goes on
    /// alone and connects again next time).
    pub(super) fn exchange(&mut self) -> bool {
        if self.connection.is_none() {
            self.connection = LiveConnection::open(&self.store).ok();
        }
        let Some(connection) = &mut self.connection else {
            return false;
        };
        let Ok(exchanged) = connection.exchange(&self.store, self.live.session().uuid) else {
            self.connection = None;
            return false;
        };
        self.store
            .sharing_mut()
            .keep_live_merged(self.live_uuid, &exchanged.merged)
            .unwrap();
        self.live.take_merged(&exchanged.merged);
        true
    }

    pub(super) fn merged(&self) -> Vec<LiveEntry> {
        self.store.sharing().live_merged(self.live_uuid).unwrap()
    }
}

fn reading(heart_rate: u16) -> LiveCommand {
    LiveCommand::Reading {
        vitals: Some(Vitals::parse("124/78", &heart_rate.to_string(), "98").unwrap()),
        sedation: None,
        note: String::new(),
    }
}

/// The therapist `t_one` in a live session of D-0001 shown to its care team, and the nurse `n_one`
/// joined to it from her own journal; one clock for both laptops.
pub(super) fn therapist_and_nurse(server: &TestServer) -> (Arc<ManualClock>, Laptop, Laptop) {
    let clock = Arc::new(ManualClock::new(Utc::now()));

    // The therapist starts the session; the nurse joins it from her own journal.
    let therapist_dir = joined_journal(server, "t_one");
    let started = {
        let mut store = open(therapist_dir.path());
        let client = super::common::client(&mut store, "D-0001");
        let new = super::common::new_session(&client, TreatmentModel::Kap);
        LiveSession::start(&mut store, clock.clone(), &new)
            .unwrap()
            .session()
            .clone()
    };
    ok(&cli(
        therapist_dir.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    let store = open(therapist_dir.path());
    let mut therapist = Laptop {
        live: LiveSession::resume(&store, clock.clone(), started.id).unwrap(),
        store,
        dir: therapist_dir,
        connection: None,
        live_uuid: started.uuid,
    };
    assert!(therapist.exchange(), "shown to the care team");

    let nurse_dir = joined_journal(server, "n_one");
    let mut store = open(nurse_dir.path());
    let mut connection = LiveConnection::open(&store).unwrap();
    connection.join(started.uuid).unwrap();
    let announced = connection
        .live_sessions()
        .unwrap()
        .into_iter()
        .find(|live| live.uuid == started.uuid)
        .unwrap();
    let part = join_here(&mut store, &announced, clock.wall()).unwrap();
    assert_eq!(
        join_here(&mut store, &announced, clock.wall()).unwrap().id,
        part.id,
        "joining twice is joining once"
    );
    let nurse = Laptop {
        live: LiveSession::resume(&store, clock.clone(), part.id).unwrap(),
        store,
        dir: nurse_dir,
        connection: Some(connection),
        live_uuid: started.uuid,
    };
    assert!(nurse.live.is_joined());

    (clock, therapist, nurse)
}

/// 200 entries, one after the other from each laptop, while the server stops twice on the way:
/// whether the nurse's screen counted down the therapist's sit-with-it, and how many of her entries
/// she wrote alone.
fn write_200(
    server: &TestServer,
    clock: &ManualClock,
    therapist: &mut Laptop,
    nurse: &mut Laptop,
) -> (bool, usize) {
    nurse.write(LiveCommand::BeginDosing);
    let mut countdown_seen_by_nurse = false;
    let mut alone = 0;
    for k in 0..200_u32 {
        clock.advance(Duration::from_secs(5));
        if k == 40 || k == 120 {
            server.stop();
        }
        if k == 70 || k == 150 {
            server.start_again();
        }
        if k % 2 == 0 {
            let command = match k % 40 {
                10 => LiveCommand::DecisionPoint {
                    came_up: CameUp::Memory,
                    detail: "An old memory.".to_owned(),
                    asked: Asked::ClientAsksToLower,
                    decision: Decision::SitWithIt { minutes: 3 },
                    new_dose: None,
                    rationale: "Willing to stay with it.".to_owned(),
                },
                30 => LiveCommand::DeferralOutcome {
                    deferral: therapist.live.state().open_deferrals[0].seq,
                    outcome: DeferralOutcome::WorkedThrough,
                    new_dose: None,
                    note: "Worked through.".to_owned(),
                },
                _ => LiveCommand::Note(format!("Therapist note {k}.")),
            };
            therapist.write(command);
        } else {
            let command = if k % 20 == 1 {
                let rate = format!("0.{} mg/kg/h", 3 + (k / 20) % 4);
                LiveCommand::ChangeDose {
                    dose: Some(Dose::parse(&rate).unwrap()),
                    reason: "Rate adjusted.".to_owned(),
                }
            } else {
                reading(70 + u16::try_from(k % 20).unwrap())
            };
            nurse.write(command);
        }
        let server_down = (40..70).contains(&k) || (120..150).contains(&k);
        if server_down {
            alone += usize::from(nurse.connection.is_none());
        } else {
            // The therapist's sit-with-it counts down on the nurse's screen.
            countdown_seen_by_nurse |= !nurse.live.shown_state().open_deferrals.is_empty()
                && nurse.live.state().open_deferrals.is_empty();
        }
    }
    (countdown_seen_by_nurse, alone)
}

#[test]
fn two_journals_write_200_entries_through_two_restarts_and_hold_one_timeline() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("t_two", "therapist"),
        ],
    );
    server.share("D-0001", &["t_one", "n_one"]);
    let (clock, mut therapist, mut nurse) = therapist_and_nurse(&server);
    let started = therapist.live.session().clone();
    let (countdown_seen_by_nurse, alone) = write_200(&server, &clock, &mut therapist, &mut nurse);
    assert!(
        alone > 0,
        "the nurse went on alone while the server was away"
    );
    assert!(countdown_seen_by_nurse);

    // Once both have caught up, they hold the same timeline, byte for byte.
    for _ in 0..2 {
        assert!(therapist.exchange());
        assert!(nurse.exchange());
    }
    let held = therapist.merged();
    let written = therapist.live.events().len() + nurse.live.events().len();
    assert_eq!(held.len(), written, "every entry once");
    assert_eq!(
        serde_json::to_string(&held).unwrap(),
        serde_json::to_string(&nurse.merged()).unwrap(),
        "byte-identical merged timelines"
    );
    let positions: Vec<i32> = held.iter().map(|entry| entry.position).collect();
    assert_eq!(
        positions,
        (1..=i32::try_from(written).unwrap()).collect::<Vec<_>>()
    );
    for (login, laptop) in [("t_one", &therapist), ("n_one", &nurse)] {
        let own: Vec<i32> = held
            .iter()
            .filter(|entry| entry.author.login == login)
            .map(|entry| entry.author_seq)
            .collect();
        let expected: Vec<i32> = (1..=i32::try_from(laptop.live.events().len()).unwrap()).collect();
        assert_eq!(
            own, expected,
            "{login}'s entries, each once, in their order"
        );
    }

    // Restarted, each laptop folds the same figures from what it keeps: the nurse's rates move
    // the therapist's total, though the therapist gave no dose.
    let until = (clock.wall() - started.started_at).num_milliseconds();
    let figures = |laptop: &Laptop| {
        let live =
            LiveSession::resume(&laptop.store, clock.clone(), laptop.live.session().id).unwrap();
        let team = live.team().expect("a team timeline");
        let events = team.events();
        let delivered =
            kap_journal::domain::delivered(events, live.session().route, Some(70.0), until);
        (
            format!("{delivered:?}"),
            live.shown_state().open_deferrals.len(),
            team.rows.len(),
        )
    };
    // The nurse's laptop dies with a note half typed: her part comes back with it.
    nurse
        .live
        .save_draft_now(&mut nurse.store, "Pupils wide, asks for water");
    let resumed =
        LiveSession::resume(&nurse.store, clock.clone(), nurse.live.session().id).unwrap();
    assert_eq!(
        resumed.draft_found().map(|draft| draft.text.as_str()),
        Some("Pupils wide, asks for water")
    );
    assert!(resumed.is_joined());
    let seen_by_therapist = figures(&therapist);
    assert_eq!(seen_by_therapist, figures(&nurse));
    assert_eq!(seen_by_therapist.2, written);
    assert_eq!(
        seen_by_therapist.1, 0,
        "each sit-with-it's outcome answers its own deferral in the merged order"
    );
    let own_only =
        kap_journal::domain::delivered(therapist.live.events(), started.route, Some(70.0), until);
    assert_ne!(seen_by_therapist.0, format!("{own_only:?}"));
    assert!(therapist.live.state().dosing_began_ms.is_none());
    assert!(therapist.live.shown_state().dosing_began_ms.is_some());

    // A login off the care team reads nothing of it.
    let off_team = joined_journal(&server, "t_two");
    let mut outsider = LiveConnection::open(&open(off_team.path())).unwrap();
    assert!(outsider.live_sessions().unwrap().is_empty());
    assert_eq!(
        outsider.catch_up(started.uuid, 0).unwrap(),
        (Vec::new(), false)
    );
}

#[test]
fn a_join_never_files_the_session_under_a_client_of_the_same_code_not_linked_to_the_practice() {
    let journal = super::common::journal();
    let mut store = journal.store;
    // This journal's own D-0001, never said to be the practice's.
    super::common::client(&mut store, "D-0001");
    let live = kap_journal::practice::LiveInPractice {
        uuid: uuid::Uuid::new_v4(),
        client_code: "D-0001".to_owned(),
        model: "kap".to_owned(),
        route: "iv_infusion".to_owned(),
        planned_dose: serde_json::to_value(Dose::parse("0.5 mg/kg over 40 min").unwrap()).unwrap(),
        weight_kg: Some(70.0),
        intention: String::new(),
        comfort_plan: String::new(),
        started_at: Utc::now(),
        zone: None,
        author: kap_journal::domain::Colleague {
            login: "t_one".to_owned(),
            name: "Dr. t_one (synthetic)".to_owned(),
        },
        joined: Vec::new(),
    };
    let refused = join_here(&mut store, &live, Utc::now()).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("not linked to the practice's client"),
        "{refused}"
    );
    assert!(
        store.record().live_sessions().unwrap().is_empty(),
        "no part started"
    );
    assert!(
        store.sharing().practice_links().unwrap().is_empty(),
        "nothing linked"
    );

    // A code this journal has no client of is the practice's client, added by that code.
    let live = kap_journal::practice::LiveInPractice {
        client_code: "D-0002".to_owned(),
        ..live
    };
    let part = join_here(&mut store, &live, Utc::now()).unwrap();
    assert_eq!(
        store.record().client(part.client_id).unwrap().code,
        "D-0002"
    );
    assert_eq!(
        store
            .sharing()
            .practice_link(part.client_id)
            .unwrap()
            .as_deref(),
        Some("D-0002")
    );
    assert_eq!(
        store
            .sharing()
            .live_part(part.id)
            .unwrap()
            .unwrap()
            .live_uuid,
        live.uuid
    );
}
