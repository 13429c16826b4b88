//! The data every benchmark runs on: `kap-journal demo --clients 400 --sessions 20000 --seed 1`.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Instant;

use kap_journal::demo::{DemoPlan, generate};
use kap_journal::store::{Passphrase, Store};

/// The passphrase of every benchmark journal.
pub fn passphrase() -> Passphrase {
    Passphrase::new("synthetic bench passphrase".to_owned())
}

/// A fresh journal of 20,000 synthetic sessions (the practice demo: about 0.73 M entries) in a
/// temporary folder.
pub fn demo_journal_20k() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), &passphrase()).unwrap();
    let started = Instant::now();
    let report = generate(
        &mut store,
        DemoPlan {
            clients: 400,
            sessions: 20_000,
            seed: 1,
        },
        |_, _| {},
    )
    .unwrap();
    eprintln!(
        "data: {} sessions, {} events, written in {:.1} s",
        report.sessions,
        report.events,
        started.elapsed().as_secs_f64()
    );
    dir
}

/// A long, ended KAP session of 300 entries in `dir`'s journal: notes of a few sentences, a decision
/// point with a "sit with it" deferral and its outcome every 20 entries, markers. Returns its id.
pub fn session_of_300_entries(dir: &std::path::Path) -> kap_journal::domain::SessionId {
    use std::sync::Arc;
    use std::time::Duration;

    use kap_journal::domain::{
        Asked, CameUp, Decision, DeferralOutcome, Dose, NewClient, NewSession, Route,
        TreatmentModel,
    };
    use kap_journal::live::{Clock, LiveCommand, LiveSession, ManualClock};

    let mut store = Store::open(dir, &passphrase()).unwrap();
    let client = store
        .record_mut()
        .create_client(
            &NewClient {
                code: "B-0300".into(),
                display_name: None,
                weight_kg: Some(72.0),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let new = NewSession {
        client_id: client.id,
        model: TreatmentModel::Kap,
        route: Route::IvInfusion,
        planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
        intention: "Meet the grief about my father without running from it.".into(),
        comfort_plan: "Hand on shoulder if asked; remind to breathe out slowly.".into(),
    };
    let shared: Arc<dyn Clock> = clock.clone();
    let mut live = LiveSession::start(&mut store, shared, &new).unwrap();
    live.log(&mut store, LiveCommand::BeginDosing).unwrap();
    // 299 entries, then the closing one.
    while live.events().len() < 299 {
        clock.advance(Duration::from_secs(15));
        let seq = live.events().len() + 1;
        if seq.is_multiple_of(20) {
            let committed = live
                .log(
                    &mut store,
                    LiveCommand::DecisionPoint {
                        came_up: CameUp::Memory,
                        detail: format!("memory {seq} of the accident on the bridge"),
                        asked: Asked::ClientAsksToLower,
                        decision: Decision::SitWithIt { minutes: 5 },
                        new_dose: None,
                        rationale: "Agreed in preparation to stay with hard material first.".into(),
                    },
                )
                .unwrap()
                .to_vec();
            clock.advance(Duration::from_mins(2));
            live.log(
                &mut store,
                LiveCommand::DeferralOutcome {
                    deferral: committed[1].seq,
                    outcome: DeferralOutcome::WorkedThrough,
                    new_dose: None,
                    note: "Found words for the fear; breathing slower.".into(),
                },
            )
            .unwrap();
        } else if seq.is_multiple_of(37) {
            let target = kap_journal::domain::Seq(u32::try_from(seq - 1).unwrap());
            live.log(&mut store, LiveCommand::ToggleMarker { target })
                .unwrap();
        } else {
            live.log(
                &mut store,
                LiveCommand::Note(format!(
                    "Observation {seq}: describes warmth in the chest, then a memory of the old \
                     kitchen; tearful, says it feels safe to stay with it. Shoulders drop."
                )),
            )
            .unwrap();
        }
    }
    live.end(
        &mut store,
        "Calm and oriented; integration next week.",
        None,
    )
    .unwrap();
    live.session().id
}

/// A live KAP infusion in the journal in `dir` (a new one, or the 20k practice demo, whose audit log
/// and search index are large), for a client of its own.
pub fn live_session_in(dir: &std::path::Path) -> (Store, kap_journal::live::LiveSession) {
    let mut store = Store::open(dir, &passphrase()).unwrap();
    let live = another_live_session(&mut store);
    (store, live)
}

/// Logs one note in `live`, in a new session of `store` once `live` holds nearly the most entries a
/// session keeps (a benchmark's ten thousand iterations would fill it).
pub fn log_note(store: &mut Store, live: &mut kap_journal::live::LiveSession, note: &str) -> usize {
    // The last places of a session are kept for the entries that end it.
    if live.events().len() >= kap_journal::domain::MAX_SESSION_ENTRIES - 100 {
        *live = another_live_session(store);
    }
    live.log(store, kap_journal::live::LiveCommand::Note(note.to_owned()))
        .unwrap()
        .len()
}

/// A new live KAP infusion in `store`, for a client of its own.
pub fn another_live_session(store: &mut Store) -> kap_journal::live::LiveSession {
    static CLIENTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let number = CLIENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let client = store
        .record_mut()
        .create_client(
            &kap_journal::domain::NewClient {
                code: format!("B-{number}"),
                display_name: None,
                weight_kg: Some(70.0),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    let new = kap_journal::domain::NewSession {
        client_id: client.id,
        model: kap_journal::domain::TreatmentModel::Kap,
        route: kap_journal::domain::Route::IvInfusion,
        planned_dose: kap_journal::domain::Dose::parse("0.5 mg/kg over 40 min").unwrap(),
        intention: String::new(),
        comfort_plan: String::new(),
    };
    // A journal that keeps the clinic's consent text (the practice demo) asks for a consent first.
    if store.registers().consent_text().ok().flatten().is_some() {
        store
            .registers_mut()
            .record_consent(
                &kap_journal::domain::NewConsent {
                    client_id: client.id,
                    items: vec![(kap_journal::domain::ConsentItem::OffLabelUse, true)],
                    recorded_by: "R. Example (synthetic)".to_owned(),
                    withdrawn: false,
                },
                chrono::Utc::now(),
            )
            .unwrap();
    }
    kap_journal::live::LiveSession::start(
        store,
        std::sync::Arc::new(kap_journal::live::SystemClock::new()),
        &new,
    )
    .unwrap()
}

/// The practice demo of `clients` and `sessions` (seed 1), written once into `target/bench-data/` and
/// reused by later runs (the 100,000-session demo takes minutes to write). A folder whose demo did not
/// finish has no `complete` mark and is written again.
pub fn cached_demo_journal(clients: usize, sessions: usize) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("demo-{clients}-{sessions}-seed1"));
    let mark = dir.join("complete");
    if mark.exists() {
        return dir;
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(&dir, &passphrase()).unwrap();
    let started = Instant::now();
    let report = generate(
        &mut store,
        DemoPlan {
            clients,
            sessions,
            seed: 1,
        },
        |_, _| {},
    )
    .unwrap();
    drop(store);
    eprintln!(
        "data: {} sessions, {} events, written in {:.1} s into {}",
        report.sessions,
        report.events,
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    std::fs::write(
        &mark,
        format!("{clients} clients, {sessions} sessions, seed 1\n"),
    )
    .unwrap();
    dir
}
pub mod figures;

#[path = "../../tests/common/copy_folder.rs"]
mod copy_folder_file;
use copy_folder_file::copy_folder;

/// A copy of the journal folder `dir`, on the same disk (the system's temporary folder may be
/// memory), for a bench that writes into it.
pub fn copy_of(dir: &std::path::Path) -> tempfile::TempDir {
    let copied = scratch();
    copy_folder(dir, copied.path());
    copied
}

/// A new folder on the same disk as the demos (the system's temporary folder may be memory).
pub fn scratch() -> tempfile::TempDir {
    let parent = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&parent).unwrap();
    tempfile::tempdir_in(parent).unwrap()
}

/// The journal sizes the scale benches measure: sessions, and the clients they are spread over (the
/// issue's demos). `KAP_BENCH_SIZES=20000` measures the smaller alone.
pub fn sizes() -> Vec<(usize, usize)> {
    let all = [(20_000, 400), (100_000, 2_000)];
    match std::env::var("KAP_BENCH_SIZES") {
        Ok(only) => all
            .into_iter()
            .filter(|(sessions, _)| only.split(',').any(|s| s.trim() == sessions.to_string()))
            .collect(),
        Err(_) => all.to_vec(),
    }
}
