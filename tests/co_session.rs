//! Two clinicians, one live session, against a PostgreSQL of the test's own: a session running in
//! one journal is shown to its client's care team at the journal's sync, who may join it; the
//! author sees who joined; a login off the care team sees and joins nothing; the end takes it off
//! the list, and nobody joins it after.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use chrono::Utc;
use common::pg_server::TestServer;
use common::practice_cli::{cli, ok, open, practice};
use kap_journal::domain::{EventKind, Seq, TreatmentModel};
use kap_journal::practice::{LiveConnection, PracticeError};
use kap_journal::store::{NewEvent, Store};
use postgres::fallible_iterator::FallibleIterator as _;

/// `live --json` in the journal in `dir`: its sessions.
fn live(dir: &Path) -> Vec<serde_json::Value> {
    let printed: serde_json::Value =
        serde_json::from_str(&ok(&cli(dir, &["live", "--json"]))).unwrap();
    assert_eq!(printed["format_version"], 1);
    printed["sessions"].as_array().unwrap().clone()
}

/// A journal joined to the practice as `login`, with nothing in it yet.
fn joined_journal(server: &TestServer, login: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), &common::passphrase()).unwrap());
    ok(&cli(
        dir.path(),
        &["practice", "connect", &server.url(login)],
    ));
    dir
}

/// Ends the session `id` in the journal in `dir`, its first entry the end.
fn end_in_journal(dir: &Path, id: kap_journal::domain::SessionId) {
    open(dir)
        .end_session(
            id,
            Seq(1),
            &[NewEvent {
                wall_time: Utc::now(),
                elapsed_ms: 60_000,
                kind: EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            }],
        )
        .unwrap();
}

#[test]
fn a_live_session_is_shown_to_its_care_team_who_may_join_it_until_it_ends() {
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
    // The therapist's journal: client D-0001 in a live session, linked to the practice's D-0001.
    let therapist = joined_journal(&server, "t_one");
    let session = {
        let mut store = open(therapist.path());
        let client = common::client(&mut store, "D-0001");
        store
            .record_mut()
            .start_session(
                &common::new_session(&client, TreatmentModel::Kap),
                Utc::now(),
            )
            .unwrap()
    };
    ok(&cli(
        therapist.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    let nurse = joined_journal(&server, "n_one");
    let off_team = joined_journal(&server, "t_two");
    assert!(
        live(nurse.path()).is_empty(),
        "nothing before the sync announces it"
    );
    // A listener is signalled which session changed, and nothing more.
    let mut listener = server.connect("n_one", common::pg_server::CLINICIAN_PASSWORD);
    listener.batch_execute("LISTEN kap_live").unwrap();

    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(synced.contains("1 live sessions are shown"), "{synced}");
    let signal = listener
        .notifications()
        .timeout_iter(std::time::Duration::from_secs(10))
        .next()
        .unwrap()
        .expect("a signal on kap_live");
    assert_eq!(signal.payload(), session.uuid.to_string());
    let seen = live(nurse.path());
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["uuid"], session.uuid.to_string());
    assert_eq!(seen[0]["client_code"], "D-0001");
    assert_eq!(seen[0]["model"], "kap");
    assert_eq!(seen[0]["author"]["login"], "t_one");
    assert!(seen[0]["joined"].as_array().unwrap().is_empty());
    assert!(
        live(off_team.path()).is_empty(),
        "off the care team: nothing"
    );

    // The nurse joins (twice is once); the login off the team cannot, whatever it knows.
    for _ in 0..2 {
        LiveConnection::open(&open(nurse.path()))
            .unwrap()
            .join(session.uuid)
            .unwrap();
    }
    let refused = LiveConnection::open(&open(off_team.path()))
        .unwrap()
        .join(session.uuid)
        .unwrap_err();
    assert!(matches!(refused, PracticeError::CannotJoin), "{refused}");
    common::assert_one_sentence(&refused.to_string(), "care team");

    // The author is told who joined.
    let told = live(therapist.path());
    assert_eq!(told.len(), 1);
    let joined = told[0]["joined"].as_array().unwrap();
    assert_eq!(joined.len(), 1, "{joined:?}");
    assert_eq!(joined[0]["colleague"]["login"], "n_one");
    let line = ok(&cli(therapist.path(), &["live"]));
    assert!(
        line.contains("D-0001 · KAP")
            && line.contains("by Dr. t_one (synthetic)")
            && line.contains("joined by Dr. n_one (synthetic)")
            && line.contains(&session.uuid.to_string()),
        "{line}"
    );

    // Ended in the journal, the session leaves the list at the next sync; joining it is refused.
    end_in_journal(therapist.path(), session.id);
    ok(&cli(therapist.path(), &["sync"]));
    assert!(live(nurse.path()).is_empty());
    assert!(live(therapist.path()).is_empty());
    let late = LiveConnection::open(&open(nurse.path()))
        .unwrap()
        .join(session.uuid)
        .unwrap_err();
    assert!(matches!(late, PracticeError::CannotJoin), "{late}");
    let none = ok(&cli(nurse.path(), &["live"]));
    assert!(none.contains("No session is live"), "{none}");
}

#[test]
fn a_server_from_before_live_sessions_syncs_as_before_and_its_upgrade_adds_them() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist")]);
    server.share("D-0001", &["t_one"]);
    let therapist = joined_journal(&server, "t_one");
    {
        let mut store = open(therapist.path());
        let client = common::client(&mut store, "D-0001");
        store
            .record_mut()
            .start_session(
                &common::new_session(&client, TreatmentModel::Kap),
                Utc::now(),
            )
            .unwrap();
    }
    ok(&cli(
        therapist.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    // The server as a build before live sessions left it.
    server
        .superuser()
        .batch_execute(
            "DROP TABLE kap.live_ends, kap.live_joins, kap.live_sessions;
             DROP FUNCTION kap.notify_live();",
        )
        .unwrap();
    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(!synced.contains("live sessions"), "{synced}");

    let owner = server.url(common::pg_server::OWNER);
    let upgraded = ok(&cli(therapist.path(), &["practice", "upgrade", &owner]));
    assert!(
        upgraded.contains("shows a session while it runs")
            && upgraded.contains("nothing else changed")
            && !upgraded.contains("signature"),
        "{upgraded}"
    );
    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(synced.contains("1 live sessions are shown"), "{synced}");
    let again = cli(therapist.path(), &["practice", "upgrade", &owner]);
    assert!(!again.status.success(), "already current");
}
