//! Review on `demo --sessions 20000`: opening a session of 300 events (read with its progress note,
//! timeline state, dose curve, delivered total, the facts a note is drafted from) and one frame of the
//! home screen with 20,000 sessions listed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use kap_journal::domain::{SessionFacts, TimelineState};
use kap_journal::export::{ExportOptions, SessionRecord};
use kap_journal::live::{Clock, SystemClock};
use kap_journal::review::DoseCurve;
use kap_journal::store::Store;
use kap_journal::ui::KapJournalApp;

fn bench(c: &mut Criterion) {
    let dir = common::demo_journal_20k();
    let long_session = common::session_of_300_entries(dir.path());
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(store.record().events(long_session).unwrap().len(), 300);

    let mut group = c.benchmark_group("review_20k_sessions");
    group.bench_function("open_session_300_events", |b| {
        // What the session view does when it opens a session.
        b.iter(|| {
            let record =
                SessionRecord::load(&store, long_session, ExportOptions::default()).unwrap();
            let state = TimelineState::from_events(record.session.route, &record.events);
            let curve = DoseCurve::of(&record.events, record.session.route, record.weight_kg());
            let delivered = record.delivered().describe();
            let thresholds = store.clinic_settings().unwrap().thresholds;
            let facts = SessionFacts::gather(
                &record.session,
                &record.events,
                record.weight_kg(),
                &thresholds,
            );
            let has_private = store.record().has_private_note(long_session).unwrap();
            (
                state.decision_points,
                curve.steps.len(),
                delivered,
                facts.observed.len(),
                has_private,
            )
        });
    });
    drop(store);

    let store = Store::open(dir.path(), &common::passphrase());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| KapJournalApp::new(cc, store, clock).automatic_backups(false));
    harness.run();
    group.bench_function("home_frame_20k_sessions", |b| b.iter(|| harness.step()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
