//! Two clinicians, one live session, against a PostgreSQL of the test's own: a session running in
//! one journal is shown to its client's care team at the journal's sync, who may join it; the
//! author sees who joined; a login off the care team sees and joins nothing; the end takes it off
//! the list, and nobody joins it after.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod merged;
mod signatures;
mod window;

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

/// Ends the session `id` in the journal in `dir`, after `written` entries.
fn end_in_journal(dir: &Path, id: kap_journal::domain::SessionId, written: u32) {
    open(dir)
        .end_session(
            id,
            Seq(written + 1),
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

/// The therapist `t_one`'s journal: client D-0001 in a live session, linked to the practice's D-0001.
fn therapist_in_a_live_session(
    server: &TestServer,
) -> (tempfile::TempDir, kap_journal::domain::Session) {
    let therapist = joined_journal(server, "t_one");
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
    (therapist, session)
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
    let (therapist, session) = therapist_in_a_live_session(&server);
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
    assert_eq!(seen[0]["comfort_plan"], session.comfort_plan);
    assert_eq!(
        serde_json::from_value::<kap_journal::domain::Dose>(seen[0]["planned_dose"].clone())
            .unwrap(),
        session.planned_dose,
        "the care team can follow the dose"
    );
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
    end_in_journal(therapist.path(), session.id, 0);
    ok(&cli(therapist.path(), &["sync"]));
    assert!(live(nurse.path()).is_empty());
    assert!(live(therapist.path()).is_empty());
    let late = LiveConnection::open(&open(nurse.path()))
        .unwrap()
        .join(session.uuid)
        .unwrap_err();
    assert!(matches!(late, PracticeError::CannotJoin), "{late}");
    // Followed after its end, the timeline is printed whole, each entry to the second, and ends.
    let followed = ok(&cli(
        nurse.path(),
        &["live", "follow", &session.uuid.to_string()],
    ));
    let first = followed.lines().next().unwrap_or_default();
    let time = first.split(' ').nth(1).unwrap_or_default();
    assert!(
        first.starts_with("#1 ")
            && time.len() == 8
            && time.matches(':').count() == 2
            && first.contains("Dr. t_one (synthetic): "),
        "{followed}"
    );
    assert!(followed.ends_with("The session has ended.\n"), "{followed}");
    let none = ok(&cli(nurse.path(), &["live"]));
    assert!(none.contains("No session is live"), "{none}");
}

#[test]
fn a_server_from_before_live_sessions_syncs_as_before_and_its_upgrade_adds_them() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist")]);
    server.share("D-0001", &["t_one"]);
    let (therapist, _) = therapist_in_a_live_session(&server);
    // The server as a build before live sessions left it.
    server
        .superuser()
        .batch_execute(
            "DROP TABLE kap.live_signatures, kap.live_entries, kap.live_ends, kap.live_joins,
                        kap.live_sessions;
             DROP FUNCTION kap.notify_live(), kap.place_live_entry();",
        )
        .unwrap();
    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(!synced.contains("live sessions"), "{synced}");

    let owner = server.url(common::pg_server::OWNER);
    let upgraded = ok(&cli(therapist.path(), &["practice", "upgrade", &owner]));
    assert!(
        upgraded.contains("shows a session while it runs")
            && upgraded.contains("nothing else changed")
            && upgraded.contains("signatures of sessions logged together")
            && !upgraded.contains("code each signature"),
        "{upgraded}"
    );
    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(synced.contains("1 live sessions are shown"), "{synced}");
    let again = cli(therapist.path(), &["practice", "upgrade", &owner]);
    assert!(!again.status.success(), "already current");
}

/// Appends `count` notes to the session `id` in the journal in `dir`, after `written` entries.
fn write_notes(dir: &Path, id: kap_journal::domain::SessionId, written: u32, count: u32) {
    let notes: Vec<NewEvent> = (1..=count)
        .map(|n| NewEvent {
            wall_time: Utc::now(),
            elapsed_ms: i64::from(written + n) * 1_000,
            kind: EventKind::Note {
                text: format!("Synthetic note {}.", written + n),
            },
        })
        .collect();
    open(dir)
        .record_mut()
        .append_events(id, Seq(written + 1), &notes)
        .unwrap();
}

#[test]
fn a_follower_reads_the_whole_timeline_in_order_across_a_server_restart() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    server.share("D-0001", &["t_one", "n_one"]);
    let (therapist, session) = therapist_in_a_live_session(&server);
    write_notes(therapist.path(), session.id, 0, 10);
    let synced = ok(&cli(therapist.path(), &["sync"]));
    assert!(synced.contains("1 live sessions are shown"), "{synced}");
    let nurse = joined_journal(&server, "n_one");

    // The nurse follows; what the follower prints is read on a thread of its own.
    let mut follower = std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(nurse.path())
        .args(["live", "follow", &session.uuid.to_string(), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = follower.stdout.take().unwrap();
    let (lines, arrived) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let _ = lines.send(line.unwrap());
        }
    });
    let take = |n: usize| -> Vec<serde_json::Value> {
        (0..n)
            .map(|_| {
                let line = arrived
                    .recv_timeout(std::time::Duration::from_secs(30))
                    .expect("an entry within 30 s");
                serde_json::from_str(&line).unwrap()
            })
            .collect()
    };
    let mut seen = take(10);

    // More while it follows; then the server stops, more are written, and it comes back twice.
    write_notes(therapist.path(), session.id, 10, 5);
    ok(&cli(therapist.path(), &["sync"]));
    seen.extend(take(5));
    let mut written = 15;
    for _ in 0..2 {
        server.stop();
        write_notes(therapist.path(), session.id, written, 7);
        written += 7;
        server.start_again();
        ok(&cli(therapist.path(), &["sync"]));
        seen.extend(take(7));
    }

    // The end is said at the next sync, and the follower stops by itself.
    end_in_journal(therapist.path(), session.id, written);
    ok(&cli(therapist.path(), &["sync"]));
    let status = follower.wait().unwrap();
    assert!(status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut follower.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    assert!(stderr.contains("again"), "{stderr}");
    // The end itself is the therapist's last entry, after every note.
    seen.extend(
        std::iter::from_fn(|| arrived.recv_timeout(std::time::Duration::from_secs(5)).ok())
            .map(|line| serde_json::from_str::<serde_json::Value>(&line).unwrap()),
    );
    let positions: Vec<i64> = seen
        .iter()
        .map(|entry| entry["position"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = (1..=i64::from(written) + 1).collect();
    assert_eq!(
        positions, expected,
        "every entry once, in the server's order"
    );
    let seqs: Vec<i64> = seen
        .iter()
        .map(|entry| entry["author_seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, expected, "the author's order kept");
    assert!(seen.iter().all(|entry| entry["author"]["login"] == "t_one"));
    assert_eq!(seen[0]["entry"]["kind"], "note");
    assert_eq!(seen[0]["entry"]["text"], "Synthetic note 1.");
    assert_eq!(seen.last().unwrap()["kind"], "session_ended");
}

#[test]
fn two_clinicians_writing_at_once_get_one_order_with_no_gap_and_keep_their_own() {
    let server = TestServer::start();
    let _admin = practice(
        &server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("t_two", "therapist"),
        ],
    );
    server.share("D-0001", &["t_one", "n_one", "t_two"]);
    let password = common::pg_server::CLINICIAN_PASSWORD;
    let uuid = uuid::Uuid::new_v4();
    server
        .connect("t_one", password)
        .execute(
            "INSERT INTO kap.live_sessions (uuid, client_code, model, route, planned_dose,
                                            intention, comfort_plan, started_at)
             VALUES ($1, 'D-0001', 'kap', 'iv_infusion', '{}', '', '', now())",
            &[&uuid],
        )
        .unwrap();
    server
        .connect("n_one", password)
        .execute(
            "INSERT INTO kap.live_joins (session_uuid) VALUES ($1)",
            &[&uuid],
        )
        .unwrap();
    // Each writes 100 entries of their own, one transaction each, both at once.
    let writers: Vec<_> = ["t_one", "n_one"]
        .into_iter()
        .map(|login| {
            let mut client = server.connect(login, password);
            std::thread::spawn(move || {
                for seq in 1..=100_i32 {
                    client
                        .execute(
                            "INSERT INTO kap.live_entries
                                 (session_uuid, author_seq, wall_time, elapsed_ms, kind, payload)
                             VALUES ($1, $2, now(), 0, 'note', '{}')",
                            &[&uuid, &seq],
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let rows = server
        .connect("n_one", password)
        .query(
            "SELECT position, author::text, author_seq FROM kap.live_entries
             WHERE session_uuid = $1 ORDER BY position",
            &[&uuid],
        )
        .unwrap();
    let positions: Vec<i32> = rows.iter().map(|row| row.get(0)).collect();
    assert_eq!(
        positions,
        (1..=200).collect::<Vec<_>>(),
        "one order, no gap"
    );
    for login in ["t_one", "n_one"] {
        let own: Vec<i32> = rows
            .iter()
            .filter(|row| row.get::<_, String>(1) == login)
            .map(|row| row.get(2))
            .collect();
        assert_eq!(
            own,
            (1..=100).collect::<Vec<_>>(),
            "{login}'s own order kept"
        );
    }
    // One on the care team who did not join writes nothing into it; nobody changes what is there.
    let mut outsider = server.connect("t_two", password);
    assert!(
        outsider
            .execute(
                "INSERT INTO kap.live_entries
                     (session_uuid, author_seq, wall_time, elapsed_ms, kind, payload)
                 VALUES ($1, 1, now(), 0, 'note', '{}')",
                &[&uuid],
            )
            .is_err()
    );
    assert!(
        server
            .connect("t_one", password)
            .execute(
                "UPDATE kap.live_entries SET payload = '{}' WHERE session_uuid = $1",
                &[&uuid]
            )
            .is_err()
    );
}
