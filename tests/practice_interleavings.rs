//! Three journals of one care team write, sign, add addenda and record check-ins in random order,
//! with clocks that jump back and forth, and sync at random moments; once every journal has synced
//! twice at the end, each holds every colleague's session exactly as its author does. What a sync
//! sends is decided by what the server holds, never by times or counts, so no interleaving loses a
//! row or repeats one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::pg_server::{CLINICIAN_PASSWORD as PASSWORD, TestServer};
use kap_journal::domain::{
    Addendum, CheckIn, CheckInKind, Clinician, EventKind, FollowUp, FollowUpId, NewClient,
    PracticeRole, SessionId, SessionStatus, TreatmentModel,
};
use kap_journal::practice::PracticeAddress;
use kap_journal::store::{CompleteSession, NewEvent, Store};
use proptest::prelude::*;

const CODE: &str = "P-0001";
const LOGINS: [&str; 3] = ["t_one", "n_one", "p_one"];

/// One step of the interleaving.
#[derive(Debug, Clone)]
enum Step {
    /// A journal records an ended session.
    Record(usize),
    /// It signs its oldest unsigned session.
    Sign(usize),
    /// It adds an addendum to one of its signed sessions (picked by the number).
    Addendum(usize, usize),
    /// It records one check-in of one of its sessions: the one-week one first, or the next-day one.
    CheckIn(usize, usize, bool),
    /// Its clock moves by this many minutes (back as well as forth).
    Clock(usize, i64),
    /// It syncs.
    Sync(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let journal = 0..LOGINS.len();
    prop_oneof![
        3 => journal.clone().prop_map(Step::Record),
        2 => journal.clone().prop_map(Step::Sign),
        2 => (journal.clone(), 0..8_usize).prop_map(|(j, n)| Step::Addendum(j, n)),
        2 => (journal.clone(), 0..8_usize, any::<bool>()).prop_map(|(j, n, w)| Step::CheckIn(j, n, w)),
        1 => (journal.clone(), -180..180_i64).prop_map(|(j, m)| Step::Clock(j, m)),
        3 => journal.prop_map(Step::Sync),
    ]
}

/// One clinician's journal and the time its computer believes it is.
struct Journal {
    _dir: tempfile::TempDir,
    store: Store,
    login: &'static str,
    clock: DateTime<Utc>,
}

impl Journal {
    fn clinician(&self) -> Clinician {
        Clinician {
            name: format!("Dr. {} (synthetic)", self.login),
            credentials: String::new(),
        }
    }

    /// This journal's own ended sessions, oldest first.
    fn own_sessions(&self) -> Vec<SessionId> {
        let copied: std::collections::HashSet<SessionId> = self
            .store
            .sharing()
            .practice_copies_held()
            .unwrap()
            .values()
            .map(|copy| copy.id)
            .collect();
        let mut own: Vec<SessionId> = self
            .store
            .record()
            .session_ids()
            .unwrap()
            .into_iter()
            .filter(|id| !copied.contains(id))
            .filter(|id| self.store.record().session(*id).unwrap().ended_at.is_some())
            .collect();
        own.sort_by_key(|id| id.0);
        own
    }

    fn record(&mut self) {
        let client = self.store.record().client_by_code(CODE).unwrap().unwrap();
        let started = self.clock;
        self.clock += Duration::minutes(61);
        let id = self
            .store
            .insert_complete_sessions(&[CompleteSession {
                weight_kg: Some(70.0),
                zone: None,
                new: common::new_session(&client, TreatmentModel::Kap),
                uuid: uuid::Uuid::new_v4(),
                status: SessionStatus::Ended,
                started_at: started,
                ended_at: Some(started + Duration::minutes(60)),
                events: vec![
                    NewEvent {
                        wall_time: started + Duration::minutes(5),
                        elapsed_ms: 300_000,
                        kind: EventKind::Note {
                            text: format!("Note by {} (synthetic).", self.login),
                        },
                    },
                    NewEvent {
                        wall_time: started + Duration::minutes(60),
                        elapsed_ms: 3_600_000,
                        kind: EventKind::SessionEnded {
                            note: "Went home (synthetic).".to_owned(),
                            discharge: None,
                        },
                    },
                ],
            }])
            .unwrap()[0];
        let day = started.date_naive();
        let planned = |kind, days| FollowUp {
            id: FollowUpId(0),
            session_id: id,
            kind,
            due: day + Duration::days(days),
            done: None,
        };
        self.store
            .registers_mut()
            .insert_follow_ups(&[
                planned(CheckInKind::NextDay, 1),
                planned(CheckInKind::OneWeek, 7),
            ])
            .unwrap();
    }

    fn sign(&mut self) {
        let unsigned = self
            .own_sessions()
            .into_iter()
            .find(|id| self.store.record().signature(*id).unwrap().is_none());
        if let Some(id) = unsigned {
            let (clinician, at) = (self.clinician(), self.clock);
            self.store
                .record_mut()
                .sign_session(id, &clinician, at)
                .unwrap();
        }
    }

    fn addendum(&mut self, pick: usize) {
        let signed: Vec<SessionId> = self
            .own_sessions()
            .into_iter()
            .filter(|id| self.store.record().signature(*id).unwrap().is_some())
            .collect();
        if signed.is_empty() {
            return;
        }
        let id = signed[pick % signed.len()];
        self.clock += Duration::seconds(1);
        let addendum = Addendum::new(
            &self.clinician(),
            self.clock,
            "late entry",
            "Added (synthetic).",
        )
        .unwrap();
        self.store.record_mut().add_addendum(id, &addendum).unwrap();
    }

    fn check_in(&mut self, pick: usize, one_week_first: bool) {
        let own = self.own_sessions();
        if own.is_empty() {
            return;
        }
        let id = own[pick % own.len()];
        let open: Vec<FollowUp> = self
            .store
            .registers()
            .follow_ups(id)
            .unwrap()
            .into_iter()
            .filter(|follow_up| follow_up.done.is_none())
            .collect();
        let wanted = if one_week_first {
            CheckInKind::OneWeek
        } else {
            CheckInKind::NextDay
        };
        let Some(follow_up) = open
            .iter()
            .find(|follow_up| follow_up.kind == wanted)
            .or_else(|| open.first())
        else {
            return;
        };
        let check_in = CheckIn {
            at: self.clock,
            ebi: None,
            phq9: None,
            note: "Checked in (synthetic).".to_owned(),
        };
        self.store
            .registers_mut()
            .record_check_in(follow_up.id, &check_in)
            .unwrap();
    }

    fn sync(&mut self) {
        let report = kap_journal::practice::sync(&mut self.store, self.clock, &|| false).unwrap();
        assert!(report.refused.is_empty(), "{}", report.describe());
    }
}

/// What a session is, to compare an author's with a colleague's copy.
fn record_of(store: &Store, id: SessionId) -> String {
    let mut follow_ups: Vec<String> = store
        .registers()
        .follow_ups(id)
        .unwrap()
        .into_iter()
        .filter_map(|follow_up| {
            follow_up
                .done
                .map(|done| format!("{}:{:?}", follow_up.kind.as_str(), done))
        })
        .collect();
    follow_ups.sort();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store
            .record()
            .events(id)
            .unwrap()
            .into_iter()
            .map(|event| (event.seq, event.wall_time, event.kind))
            .collect::<Vec<_>>(),
        store.record().signature(id).unwrap(),
        store.record().addenda(id).unwrap(),
        follow_ups
    )
}

fn journals(server: &TestServer) -> Vec<Journal> {
    let owner = PracticeAddress::parse(&server.url(common::pg_server::OWNER)).unwrap();
    kap_journal::practice::enrol(&owner, common::pg_server::OWNER_PASSWORD, CODE).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    LOGINS
        .iter()
        .zip([
            PracticeRole::Therapist,
            PracticeRole::Nurse,
            PracticeRole::Psychiatrist,
        ])
        .map(|(login, role)| {
            server.add_clinician(login, role);
            kap_journal::practice::assign(
                &owner,
                common::pg_server::OWNER_PASSWORD,
                CODE,
                login,
                kap_journal::practice::Assignment::Assign,
            )
            .unwrap();
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
            store
                .record_mut()
                .create_client(
                    &NewClient {
                        code: CODE.to_owned(),
                        display_name: None,
                        weight_kg: Some(70.0),
                    },
                    start,
                )
                .unwrap();
            kap_journal::practice::connect(
                &mut store,
                &PracticeAddress::parse(&server.url(login)).unwrap(),
                PASSWORD,
                start,
            )
            .unwrap();
            kap_journal::practice::link(&mut store, CODE, CODE, start).unwrap();
            Journal {
                _dir: dir,
                store,
                login,
                clock: start,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn every_copy_equals_its_authors_record_whatever_the_interleaving(
        steps in proptest::collection::vec(step(), 20..40)
    ) {
        let server = TestServer::start();
        server.init_practice();
        let mut journals = journals(&server);
        for step in steps {
            match step {
                Step::Record(j) => journals[j].record(),
                Step::Sign(j) => journals[j].sign(),
                Step::Addendum(j, pick) => journals[j].addendum(pick),
                Step::CheckIn(j, pick, one_week_first) => journals[j].check_in(pick, one_week_first),
                Step::Clock(j, minutes) => journals[j].clock += Duration::minutes(minutes),
                Step::Sync(j) => journals[j].sync(),
            }
        }
        for _ in 0..2 {
            for journal in &mut journals {
                journal.sync();
            }
        }
        for author in &journals {
            for id in author.own_sessions() {
                let uuid = author.store.record().session(id).unwrap().uuid;
                let expected = record_of(&author.store, id);
                for reader in journals.iter().filter(|reader| reader.login != author.login) {
                    let copy = reader.store.sharing().practice_copies_held().unwrap()[&uuid].id;
                    prop_assert_eq!(&record_of(&reader.store, copy), &expected);
                }
            }
        }
    }
}
