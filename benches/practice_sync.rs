//! Practice sync against a real PostgreSQL started for the run (loopback, `tests/common/pg_server.rs`):
//! the first sync of the 20,000-session demo journal to an empty server, an incremental sync of one
//! new session, a psychiatrist's journal copying all 20,000, and beside them, in the same run, a bare
//! INSERT of the same rows (no constraints, row-level security, triggers or ON CONFLICT) in batches
//! of the same size, the time connecting alone takes (the floor of a sync with nothing to do), and
//! an `import` of the same sessions as a JSON archive (the floor of the psychiatrist's pull).
//! Run: `cargo bench --bench practice_sync` (needs PostgreSQL's server programs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../tests/common/pg_server.rs"]
#[allow(dead_code)]
mod pg_server;

use std::time::Instant;

use chrono::{Duration, Utc};
use kap_journal::domain::{
    Dose, EventKind, NewSession, PracticeRole, Route, SessionStatus, TreatmentModel,
};
use kap_journal::practice::{PracticeAddress, SESSIONS_PER_BATCH};
use kap_journal::store::{CompleteSession, NewEvent, Store};
use pg_server::{CLINICIAN_PASSWORD as PASSWORD, TestServer};

fn connect(store: &mut Store, server: &TestServer, login: &str) {
    kap_journal::practice::connect(
        store,
        &PracticeAddress::parse(&server.url(login)).unwrap(),
        PASSWORD,
        Utc::now(),
    )
    .unwrap();
}

/// One more ended session of the journal's first client.
fn one_new_session(store: &mut Store) {
    let client = store.record().clients().unwrap().remove(0);
    let started = Utc::now() - Duration::hours(2);
    let mut events: Vec<NewEvent> = (0..36)
        .map(|minute| NewEvent {
            wall_time: started + Duration::minutes(minute),
            elapsed_ms: minute * 60_000,
            kind: EventKind::Note {
                text: format!("Minute {minute}: breathing slow and even."),
            },
        })
        .collect();
    events.push(NewEvent {
        wall_time: started + Duration::minutes(40),
        elapsed_ms: 40 * 60_000,
        kind: EventKind::SessionEnded {
            note: "Went home with a friend.".to_owned(),
            discharge: None,
        },
    });
    store
        .insert_complete_sessions(&[CompleteSession {
            weight_kg: client.weight_kg,
            zone: None,
            new: NewSession {
                client_id: client.id,
                model: TreatmentModel::Kap,
                route: Route::IvInfusion,
                planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
                intention: "Stay with what comes up.".to_owned(),
                comfort_plan: "Hand on shoulder if asked.".to_owned(),
            },
            uuid: uuid::Uuid::new_v4(),
            status: SessionStatus::Ended,
            started_at: started,
            ended_at: Some(started + Duration::minutes(40)),
            events,
        }])
        .unwrap();
}

/// The same rows as the server now holds, inserted again into bare tables in batches of the
/// sync's size; returns the seconds the inserts took.
fn bare_insert(server: &TestServer) -> f64 {
    let mut client = server.superuser();
    client
        .batch_execute(
            "CREATE TABLE bare_sessions AS SELECT * FROM kap.sessions WITH NO DATA;
             CREATE TABLE bare_entries AS SELECT * FROM kap.entries WITH NO DATA;",
        )
        .unwrap();
    let sessions: Vec<uuid::Uuid> = client
        .query("SELECT uuid FROM kap.sessions ORDER BY started_at", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut seconds = 0.0;
    for batch in sessions.chunks(SESSIONS_PER_BATCH) {
        // Read the batch out first (not timed), then time the plain INSERTs of it.
        let session_rows = client
            .query("SELECT * FROM kap.sessions WHERE uuid = ANY($1)", &[&batch])
            .unwrap();
        let entry_rows = client
            .query("SELECT session_uuid, seq, wall_time, elapsed_ms, kind, payload FROM kap.entries WHERE session_uuid = ANY($1)", &[&batch])
            .unwrap();
        let started = Instant::now();
        let mut tx = client.transaction().unwrap();
        let uuids: Vec<uuid::Uuid> = session_rows.iter().map(|r| r.get("uuid")).collect();
        let authors: Vec<String> = session_rows
            .iter()
            .map(|r| r.get::<_, String>("author"))
            .collect();
        let text = |name: &str| -> Vec<String> {
            session_rows
                .iter()
                .map(|r| r.get::<_, String>(name))
                .collect()
        };
        let doses: Vec<serde_json::Value> =
            session_rows.iter().map(|r| r.get("planned_dose")).collect();
        let times = |name: &str| -> Vec<chrono::DateTime<Utc>> {
            session_rows.iter().map(|r| r.get(name)).collect()
        };
        let weights: Vec<Option<f64>> = session_rows.iter().map(|r| r.get("weight_kg")).collect();
        tx.execute(
            "INSERT INTO bare_sessions (uuid, author, client_code, model, route, planned_dose, intention,
                 comfort_plan, started_at, ended_at, weight_kg, pushed_at)
             SELECT *, now() FROM unnest($1::uuid[], $2::name[], $3::text[], $4::text[], $5::text[],
                 $6::jsonb[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::float8[])",
            &[&uuids, &authors, &text("client_code"), &text("model"), &text("route"), &doses,
              &text("intention"), &text("comfort_plan"), &times("started_at"), &times("ended_at"), &weights],
        )
        .unwrap();
        let e_uuid: Vec<uuid::Uuid> = entry_rows.iter().map(|r| r.get(0)).collect();
        let e_seq: Vec<i32> = entry_rows.iter().map(|r| r.get(1)).collect();
        let e_wall: Vec<chrono::DateTime<Utc>> = entry_rows.iter().map(|r| r.get(2)).collect();
        let e_elapsed: Vec<i64> = entry_rows.iter().map(|r| r.get(3)).collect();
        let e_kind: Vec<String> = entry_rows.iter().map(|r| r.get(4)).collect();
        let e_payload: Vec<serde_json::Value> = entry_rows.iter().map(|r| r.get(5)).collect();
        tx.execute(
            "INSERT INTO bare_entries SELECT * FROM unnest($1::uuid[], $2::int4[], $3::timestamptz[],
                 $4::int8[], $5::text[], $6::jsonb[])",
            &[&e_uuid, &e_seq, &e_wall, &e_elapsed, &e_kind, &e_payload],
        )
        .unwrap();
        tx.commit().unwrap();
        seconds += started.elapsed().as_secs_f64();
    }
    seconds
}

/// The same rows as the server now holds, copied again into bare tables with `COPY … FROM STDIN`
/// (CSV), batch by batch as the sync sends them: the fastest way PostgreSQL takes rows in. Returns
/// the seconds the copies took (formatting the CSV included; reading the rows out is not).
/// The median of three such copies, each into new tables (the floor varies from run to run with
/// the server's checkpoints).
fn bare_copy(server: &TestServer) -> f64 {
    let mut runs: Vec<f64> = (0..3).map(|_| bare_copy_once(server)).collect();
    runs.sort_by(f64::total_cmp);
    eprintln!(
        "  bare COPY runs: {}",
        runs.iter()
            .map(|s| format!("{s:.1} s"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    runs[1]
}

fn bare_copy_once(server: &TestServer) -> f64 {
    use std::io::Write as _;
    let mut client = server.superuser();
    client
        .batch_execute(
            "DROP TABLE IF EXISTS copied_sessions, copied_entries;
             CREATE TABLE copied_sessions AS SELECT * FROM kap.sessions WITH NO DATA;
             CREATE TABLE copied_entries AS SELECT * FROM kap.entries WITH NO DATA;",
        )
        .unwrap();
    let sessions: Vec<uuid::Uuid> = client
        .query("SELECT uuid FROM kap.sessions ORDER BY started_at", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut seconds = 0.0;
    for batch in sessions.chunks(SESSIONS_PER_BATCH) {
        // Read out as text first (not timed), as the journal holds its rows before it sends them.
        let session_rows: Vec<Vec<Option<String>>> = client
            .query(
                "SELECT uuid::text, author::text, client_code, model, route, planned_dose::text,
                        intention, comfort_plan, started_at::text, ended_at::text,
                        weight_kg::text, zone, seal_key, seal, pushed_at::text
                 FROM kap.sessions WHERE uuid = ANY($1)",
                &[&batch],
            )
            .unwrap()
            .iter()
            .map(|row| (0..15).map(|i| row.get(i)).collect())
            .collect();
        let entry_rows: Vec<Vec<Option<String>>> = client
            .query(
                "SELECT session_uuid::text, seq::text, wall_time::text, elapsed_ms::text, kind,
                        payload::text
                 FROM kap.entries WHERE session_uuid = ANY($1)",
                &[&batch],
            )
            .unwrap()
            .iter()
            .map(|row| (0..6).map(|i| row.get(i)).collect())
            .collect();
        let started = Instant::now();
        let mut tx = client.transaction().unwrap();
        for (table, rows) in [
            ("copied_sessions", &session_rows),
            ("copied_entries", &entry_rows),
        ] {
            let mut writer = tx
                .copy_in(&format!("COPY {table} FROM STDIN (FORMAT csv)"))
                .unwrap();
            let mut text = String::new();
            for row in rows {
                // An empty unquoted field is NULL in PostgreSQL's CSV; every value is quoted.
                for (index, cell) in row.iter().enumerate() {
                    if index > 0 {
                        text.push(',');
                    }
                    if let Some(value) = cell {
                        text.push('"');
                        text.push_str(&value.replace('"', "\"\""));
                        text.push('"');
                    }
                }
                text.push('\n');
            }
            writer.write_all(text.as_bytes()).unwrap();
            writer.finish().unwrap();
        }
        tx.commit().unwrap();
        seconds += started.elapsed().as_secs_f64();
    }
    seconds
}

/// The median time of `runs` runs of `run`, in milliseconds.
fn median_ms(runs: usize, mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// The median of five connections as `login` (TLS off, on the loopback address): what every sync
/// pays before it does anything.
fn connecting_ms(server: &TestServer, login: &str) -> f64 {
    let address = PracticeAddress::parse(&server.url(login)).unwrap();
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            drop(address.connect(PASSWORD).unwrap());
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}

/// Exports every session of `journal` as a JSON archive and imports it into an empty journal;
/// the seconds the import took.
fn import_of_the_same_sessions(journal: &std::path::Path) -> f64 {
    use kap_journal::export::{ExportOptions, OnExisting, import_file, write_archive};
    let store = Store::open_for_reading(journal, &common::passphrase()).unwrap();
    let ids = store.record().session_ids().unwrap();
    let archive = tempfile::tempdir().unwrap();
    let path = archive.path().join("all.json");
    let file = std::fs::File::create(&path).unwrap();
    write_archive(
        &store,
        &ids,
        ExportOptions::default(),
        std::io::BufWriter::new(file),
        |_, _| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    drop(store);
    let target = tempfile::tempdir().unwrap();
    let mut fresh = Store::open(target.path(), &common::passphrase()).unwrap();
    let started = Instant::now();
    import_file(&mut fresh, &path, OnExisting::Refuse, Utc::now()).unwrap();
    started.elapsed().as_secs_f64()
}

fn main() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("p_one", PracticeRole::Psychiatrist);

    let dir = common::demo_journal_20k();
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    connect(&mut store, &server, "t_one");
    // Every client enrolled with the therapist on its care team, and linked in the journal.
    let codes: Vec<String> = store
        .record()
        .clients()
        .unwrap()
        .into_iter()
        .map(|client| client.code)
        .collect();
    for code in &codes {
        server.share(code, &["t_one"]);
        kap_journal::practice::link(&mut store, code, code, Utc::now()).unwrap();
    }
    eprintln!("first sync begins");
    let started = Instant::now();
    let first = kap_journal::practice::sync(&mut store, Utc::now(), &|| false).unwrap();
    let first_s = started.elapsed().as_secs_f64();
    eprintln!(
        "first sync to an empty server: {first_s:.1} s ({} sessions, {} entries, {} signatures, {} check-ins)",
        first.pushed.sessions,
        first.pushed.entries,
        first.pushed.signatures,
        first.pushed.check_ins
    );

    // For a profile of the first sync alone (`perf record`), stop here.
    if std::env::var_os("KAP_BENCH_FIRST_SYNC_ONLY").is_some() {
        return;
    }
    // After a bulk load PostgreSQL's autovacuum gathers the new tables' statistics within a minute;
    // a practice's everyday syncs run on a server that has them.
    server.superuser().batch_execute("ANALYZE").unwrap();
    let connecting = connecting_ms(&server, "t_one");
    eprintln!("connecting alone (SCRAM login, loopback, TLS off), median of 5: {connecting:.0} ms");
    let nothing_ms = median_ms(5, || {
        let nothing = kap_journal::practice::sync(&mut store, Utc::now(), &|| false).unwrap();
        assert_eq!(nothing.pushed.sessions, 0);
    });
    eprintln!(
        "sync with nothing new, median of 5: {nothing_ms:.0} ms, {:.0} ms beyond connecting",
        nothing_ms - connecting,
    );
    let one_ms = median_ms(5, || {
        one_new_session(&mut store);
        let one = kap_journal::practice::sync(&mut store, Utc::now(), &|| false).unwrap();
        assert_eq!(one.pushed.sessions, 1);
    });
    eprintln!(
        "incremental sync of one new session (37 entries), median of 5: {one_ms:.0} ms, {:.0} ms beyond connecting",
        one_ms - connecting,
    );
    drop(store);

    let bare_s = bare_insert(&server);
    eprintln!(
        "bare INSERT of the same rows (no constraints, RLS, triggers or ON CONFLICT), same batches: {bare_s:.1} s; the first sync took {:.1}x",
        first_s / bare_s
    );

    let copy_s = bare_copy(&server);
    eprintln!(
        "bare COPY of the same rows (CSV, no constraints, RLS or triggers), same batches, median of 3: {copy_s:.1} s; the first sync took {:.1}x",
        first_s / copy_s
    );

    let reader_dir = tempfile::tempdir().unwrap();
    let mut reader = Store::open(reader_dir.path(), &common::passphrase()).unwrap();
    connect(&mut reader, &server, "p_one");
    for code in &codes {
        kap_journal::practice::link(&mut reader, code, code, Utc::now()).unwrap();
    }
    let started = Instant::now();
    let pulled = kap_journal::practice::sync(&mut reader, Utc::now(), &|| false).unwrap();
    let pull_s = started.elapsed().as_secs_f64();
    let import_s = import_of_the_same_sessions(dir.path());
    eprintln!(
        "a psychiatrist's empty journal copying everything: {pull_s:.1} s, {:.2}x an import of the same sessions as an archive ({import_s:.1} s) ({} sessions, {} entries, {} signatures verified, {} refused)",
        pull_s / import_s,
        pulled.pulled.sessions,
        pulled.pulled.entries,
        pulled.pulled.signatures,
        pulled.refused.len()
    );
    server.superuser().batch_execute("ANALYZE").unwrap();
    let reader_nothing = median_ms(5, || {
        kap_journal::practice::sync(&mut reader, Utc::now(), &|| false).unwrap();
    });
    eprintln!("the psychiatrist's next sync with nothing new, median of 5: {reader_nothing:.0} ms");
}
