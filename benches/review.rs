//! Review on `demo --sessions 20000`: opening a session of 300 events (read, timeline state, dose
//! curve) and one frame of the home screen with 20,000 sessions listed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use kap_journal::domain::{Dose, NewSession, Route, TimelineState, TreatmentModel};
use kap_journal::live::{Clock, LiveCommand, LiveSession, ManualClock, SystemClock};
use kap_journal::review::DoseCurve;
use kap_journal::store::Store;
use kap_journal::ui::KapJournalApp;

fn bench(c: &mut Criterion) {
    let dir = common::demo_journal_20k();
    let long_session = {
        let mut store = Store::open(dir.path()).unwrap();
        // A long session: 300 entries.
        let client = store.client_by_code("D-0001").unwrap().unwrap();
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let new = NewSession {
            client_id: client.id,
            model: TreatmentModel::Kap,
            route: Route::IvInfusion,
            planned_dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
            intention: "Benchmark".into(),
            comfort_plan: String::new(),
        };
        let shared: Arc<dyn Clock> = clock.clone();
        let mut live = LiveSession::start(&mut store, shared, &new).unwrap();
        live.log(&mut store, LiveCommand::BeginDosing).unwrap();
        for n in 0..298 {
            clock.advance(Duration::from_secs(20));
            live.log(
                &mut store,
                LiveCommand::Note(format!(
                    "Observation {n}: breathing slow, describes warmth."
                )),
            )
            .unwrap();
        }
        live.end(&mut store, "").unwrap();
        live.session().id
    };
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.events(long_session).unwrap().len(), 300);

    let mut group = c.benchmark_group("review_20k_sessions");
    group.bench_function("open_session_300_events", |b| {
        b.iter(|| {
            let session = store.session(long_session).unwrap();
            let client = store.client(session.client_id).unwrap();
            let events = store.events(long_session).unwrap();
            let state = TimelineState::from_events(&events);
            let curve = DoseCurve::of(&events, client.weight_kg);
            (state.decision_points, curve.steps.len())
        });
    });
    drop(store);

    let store = Store::open(dir.path());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| KapJournalApp::new(cc, store, clock));
    harness.run();
    group.bench_function("home_frame_20k_sessions", |b| b.iter(|| harness.step()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
