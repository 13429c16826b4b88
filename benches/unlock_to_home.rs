//! Passphrase typed to home list drawn, in the real window driven frame by frame: from the Enter that
//! submits the passphrase to the first frame that shows the session lists with their rows, on the
//! 20,000- and 100,000-session practice demos. Everything between counts: deriving the key (Argon2id),
//! opening the journal, handing it to the worker, reading what the home screen shows, and the frames
//! drawn meanwhile (the window repaints as an answer arrives; between frames the loop sleeps a
//! millisecond, as an idle window would). The start-up check starts as it does in the app.
//!
//! The 100,000-session demo takes minutes to write; it is written once into `target/bench-data/` and
//! reused. `KAP_BENCH_SIZES=20000` measures the smaller journal alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use common::figures;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kap_journal::live::{Clock, SystemClock};
use kap_journal::store::LockedJournal;
use kap_journal::ui::KapJournalApp;

/// The window on the locked journal, its passphrase typed and not yet submitted.
fn typed(dir: &std::path::Path) -> Harness<'static, KapJournalApp> {
    let journal = LockedJournal::claim(dir);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| KapJournalApp::new(cc, journal, clock).automatic_backups(false));
    harness.step();
    harness.get_by_label("Passphrase").click();
    harness.step();
    harness
        .get_by_label("Passphrase")
        .type_text("synthetic bench passphrase");
    harness.step();
    harness
}

/// Whether the home screen shows its session lists with rows in them.
fn home_drawn(harness: &Harness<'_, KapJournalApp>) -> bool {
    let shown = |text: &str| harness.query_all_by_label_contains(text).next().is_some();
    shown("KAP sessions (") && shown("Medical Model sessions (") && shown("D-")
}

/// Steps the window until `done`, sleeping a millisecond between frames; how long it took from
/// `started`.
fn step_until(
    harness: &mut Harness<'_, KapJournalApp>,
    started: Instant,
    done: impl Fn(&Harness<'_, KapJournalApp>) -> bool,
) -> Duration {
    loop {
        harness.step();
        if done(harness) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_mins(2),
            "the home screen never showed"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// From the Enter to the frame that shows the lists (and what is due), and to the frame that has
/// every session (read beside the window).
fn enter_to_home(harness: &mut Harness<'_, KapJournalApp>) -> (Duration, Duration) {
    let started = Instant::now();
    harness.key_press(egui::Key::Enter);
    let drawn = step_until(harness, started, home_drawn);
    let complete = step_until(harness, started, |harness| {
        harness
            .query_all_by_label_contains("reading the rest")
            .next()
            .is_none()
    });
    (drawn, complete)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("unlock_to_home");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    let mut recorded = Vec::new();
    for (sessions, clients) in common::sizes() {
        let dir = common::cached_demo_journal(clients, sessions);
        // Once outside the timing: the journal is migrated, and what it shows is checked.
        let mut first = typed(&dir);
        let took = enter_to_home(&mut first);
        eprintln!("{sessions} sessions, first unlock: {took:?}");
        drop(first);
        let (mut times, mut complete) = (Vec::new(), Vec::new());
        group.bench_function(format!("passphrase_to_home_{sessions}_sessions"), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let mut harness = typed(&dir);
                    let (took, all_read) = enter_to_home(&mut harness);
                    times.push(took);
                    complete.push(all_read);
                    total += took;
                    // The window closes (its start-up check interrupted) before the next one opens.
                    drop(harness);
                }
                total
            });
        });
        // The floor: deriving the key alone, which every unlock must do first.
        let key_alone: Vec<Duration> = (0..10)
            .map(|_| {
                let started = Instant::now();
                kap_journal::store::unlock_key(&dir, &common::passphrase()).unwrap();
                started.elapsed()
            })
            .collect();
        let (median, p95) = figures::median_and(&times, 0.95);
        let (all_median, all_p95) = figures::median_and(&complete, 0.95);
        let (key_median, _) = figures::median_and(&key_alone, 0.5);
        eprintln!(
            "{sessions} sessions: {} unlocks, lists drawn median {median:.1} ms p95 {p95:.1} ms; \
             everything read median {all_median:.1} ms p95 {all_p95:.1} ms; key alone {key_median:.1} ms",
            times.len(),
        );
        let thousands = sessions / 1000;
        let floor = figures::Floor {
            what: "deriving the key alone (Argon2id)".to_owned(),
            median_ms: key_median,
        };
        recorded.push(figures::Figure {
            id: format!("unlock_to_home_{thousands}k"),
            what: format!("passphrase typed → home lists drawn, {thousands}k sessions"),
            median_ms: median,
            tail: Some(("p95".to_owned(), p95)),
            floor: Some(floor.clone()),
            peak_mb: None,
            goal: "≤ 300 ms at 100k".to_owned(),
            measured: figures::today(),
        });
        recorded.push(figures::Figure {
            id: format!("unlock_to_home_complete_{thousands}k"),
            what: format!("the same until every session is read (beside the window), {thousands}k"),
            median_ms: all_median,
            tail: Some(("p95".to_owned(), all_p95)),
            floor: Some(floor),
            peak_mb: None,
            goal: "–".to_owned(),
            measured: figures::today(),
        });
    }
    figures::record("unlock_to_home", &recorded);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
