//! Co-session latency on loopback, against a real PostgreSQL started for the run
//! (`tests/common/pg_server.rs`): an entry written in one journal (its local durable commit, then
//! the exchange the window's job makes: the push and the read back of the merged timeline) until
//! a colleague's journal has read it from the server the way its window's job does (waiting for
//! the NOTIFY, then reading what is after the last position it holds). Beside it, in the
//! same run and alternating with it, the floor: a bare INSERT of a row into a plain table with a
//! NOTIFY in the same transaction, until a listener has read the row. Prints p50 and p95 of each.
//! Run: `cargo bench --bench co_session` (needs PostgreSQL's server programs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../tests/common/pg_server.rs"]
#[allow(dead_code)]
mod pg_server;

use std::time::{Duration, Instant};

use chrono::Utc;
use kap_journal::domain::{
    Dose, EventKind, NewClient, NewSession, PracticeRole, Route, Seq, TreatmentModel,
};
use kap_journal::practice::{LiveConnection, PracticeAddress};
use kap_journal::store::{NewEvent, Store};
use pg_server::{CLINICIAN_PASSWORD as PASSWORD, TestServer};
use postgres::fallible_iterator::FallibleIterator as _;

const ROUNDS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at].as_secs_f64() * 1_000.0
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} rounds)",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
        times.len()
    );
}

/// Waits for the next signal on `listener`.
/// The nurse's journal and a connection of hers listening from now on, as the window's job does
/// from its first wait.
fn nurse_listening(server: &TestServer) -> (tempfile::TempDir, LiveConnection) {
    let dir = tempfile::tempdir().unwrap();
    let mut nurse = Store::open(dir.path(), &common::passphrase()).unwrap();
    let address = PracticeAddress::parse(&server.url("n_one")).unwrap();
    kap_journal::practice::connect(&mut nurse, &address, PASSWORD, Utc::now()).unwrap();
    let mut listener = LiveConnection::open(&nurse).unwrap();
    listener
        .wait_for_entry(Duration::from_millis(1), &|| true)
        .unwrap();
    (dir, listener)
}

fn signalled(listener: &mut postgres::Client) {
    listener
        .notifications()
        .timeout_iter(Duration::from_secs(10))
        .next()
        .unwrap()
        .expect("a signal within 10 s");
}

fn main() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("n_one", PracticeRole::Nurse);
    server.share("D-0001", &["t_one", "n_one"]);

    // The therapist's journal, a live session of D-0001 shown to its care team.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let address = PracticeAddress::parse(&server.url("t_one")).unwrap();
    kap_journal::practice::connect(&mut store, &address, PASSWORD, Utc::now()).unwrap();
    let client = store
        .record_mut()
        .create_client(
            &NewClient {
                code: "D-0001".into(),
                display_name: None,
                weight_kg: Some(70.0),
            },
            Utc::now(),
        )
        .unwrap();
    kap_journal::practice::link(&mut store, "D-0001", "D-0001", Utc::now()).unwrap();
    let session = store
        .record_mut()
        .start_session(
            &NewSession {
                client_id: client.id,
                model: TreatmentModel::Kap,
                route: Route::IvInfusion,
                planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
                intention: String::new(),
                comfort_plan: String::new(),
            },
            Utc::now(),
        )
        .unwrap();
    let mut writer = LiveConnection::open(&store).unwrap();
    writer.share(&store, session.uuid).unwrap();

    // The nurse's connection, and the floor's table, writer and listener.
    let (_nurse_dir, mut listener) = nurse_listening(&server);
    let mut floor_writer = server.superuser();
    floor_writer
        .batch_execute("CREATE TABLE floor_rows (id bigserial PRIMARY KEY, payload jsonb NOT NULL)")
        .unwrap();
    let mut floor_listener = server.superuser();
    floor_listener.batch_execute("LISTEN floor").unwrap();

    let mut entries = Vec::with_capacity(ROUNDS);
    let mut floor = Vec::with_capacity(ROUNDS);
    let mut seen = 0_i32;
    let mut floor_seen = 0_i64;
    for round in 0..ROUNDS {
        let started = Instant::now();
        store
            .record_mut()
            .append_events(
                session.id,
                Seq(u32::try_from(round).unwrap() + 1),
                &[NewEvent {
                    wall_time: Utc::now(),
                    elapsed_ms: i64::try_from(round).unwrap() * 1_000,
                    kind: EventKind::Note {
                        text: format!("Synthetic note {round}: breathing slow and even."),
                    },
                }],
            )
            .unwrap();
        writer.exchange(&store, session.uuid).unwrap();
        let mut read = Vec::new();
        while read.is_empty() {
            listener
                .wait_for_entry(Duration::from_secs(1), &|| false)
                .unwrap();
            read = listener.catch_up(session.uuid, seen).unwrap().0;
        }
        seen = read.last().expect("the entry").position;
        entries.push(started.elapsed());

        let started = Instant::now();
        floor_writer
            .batch_execute(&format!(
                "BEGIN; INSERT INTO floor_rows (payload) VALUES ('{{\"kind\": \"note\", \"text\": \"Synthetic note {round}: breathing slow and even.\"}}'); SELECT pg_notify('floor', ''); COMMIT;"
            ))
            .unwrap();
        signalled(&mut floor_listener);
        let rows = floor_listener
            .query(
                "SELECT id, payload FROM floor_rows WHERE id > $1 ORDER BY id",
                &[&floor_seen],
            )
            .unwrap();
        floor_seen = rows.last().expect("the row").get(0);
        floor.push(started.elapsed());
    }
    report(
        "entry written here, read there (journal commit, exchange, signal, read)",
        entries,
    );
    report("floor: bare INSERT + NOTIFY, signal, read", floor);
}
