//! Frames of the live view drawn while notes are logged, with the disk made slow on purpose: the
//! journal worker holds every commit up by 20 ms. The frame that takes the Enter and every frame while
//! the commit is on its way are timed; the goal is every frame under 4 ms. Beside them, in the same
//! run: the same frames with the writes carried out inside the frame on the normal disk (what every
//! Enter cost the frame before the worker), and one Enter's cost on the normal disk before (the entry,
//! then clearing the draft: two commits) and after (one transaction).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kap_journal::live::{Clock, LiveCommand, LiveSession, Prepared, SystemClock};
use kap_journal::store::Store;
use kap_journal::ui::KapJournalApp;

const NOTE: &str = "Client describes a wave of warmth through the chest; breathing slow and even.";
const SLOW_DISK: Duration = Duration::from_millis(20);
const NOTES: usize = 150;
/// Frames drawn after each Enter while its commit is on its way (about 60 frames a second).
const FRAMES_AFTER_ENTER: usize = 3;

/// A new journal with a live KAP session, which the window resumes when it opens.
fn journal_with_live_session() -> (tempfile::TempDir, Store, LiveSession) {
    let dir = tempfile::tempdir().unwrap();
    let (store, live) = common::live_session_in(dir.path());
    (dir, store, live)
}

/// The window as eframe drives it: an egui context, frame after frame, with no screen reader
/// asking for the accessibility tree (the test harness always builds it, which costs more than the
/// frame itself).
struct Window {
    ctx: egui::Context,
    app: KapJournalApp,
    frame: eframe::Frame,
    started: Instant,
}

impl Window {
    fn open(store: Store, slowed: bool) -> Self {
        let ctx = egui::Context::default();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
        let cc = eframe::CreationContext::_new_kittest(ctx.clone());
        let app = KapJournalApp::new(&cc, store, clock)
            .automatic_backups(false)
            .alert_sound(false);
        let app = if slowed {
            app.slowed_writes(SLOW_DISK)
        } else {
            app.writes_inline()
        };
        Self {
            ctx,
            app,
            frame: eframe::Frame::_new_kittest(),
            started: Instant::now(),
        }
    }

    /// Draws one frame with `events` as its input; returns how long it took.
    fn frame(&mut self, events: Vec<egui::Event>) -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            time: Some(self.started.elapsed().as_secs_f64()),
            events,
            ..Default::default()
        };
        let Self {
            ctx, app, frame, ..
        } = self;
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            eframe::App::logic(app, ui.ctx(), frame);
            eframe::App::ui(app, ui, frame);
        });
        let took = start.elapsed();
        drop(output);
        took
    }

    fn saved_entries(&self) -> usize {
        self.app
            .journal()
            .unwrap()
            .read()
            .events(kap_journal::domain::SessionId(1))
            .unwrap()
            .len()
    }
}

fn enter() -> egui::Event {
    egui::Event::Key {
        key: egui::Key::Enter,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

/// Logs `NOTES` notes by typing and Enter; returns the time of each Enter's frame and of the frames
/// after it while its commit is on the way.
fn frames_while_logging(slowed: bool) -> (Vec<Duration>, Vec<Duration>) {
    let (_dir, store, live) = journal_with_live_session();
    drop(live);
    let mut window = Window::open(store, slowed);
    // The note field takes the focus on the first frames.
    for _ in 0..3 {
        window.frame(Vec::new());
    }
    let (mut enter_frames, mut other_frames) = (Vec::new(), Vec::new());
    for n in 0..NOTES {
        window.frame(vec![egui::Event::Text(format!("{NOTE} ({n})"))]);
        enter_frames.push(window.frame(vec![enter()]));
        for _ in 0..FRAMES_AFTER_ENTER {
            other_frames.push(window.frame(Vec::new()));
            std::thread::sleep(Duration::from_millis(16));
        }
    }
    // Every note must have landed, or the frames were cheap for the wrong reason.
    let deadline = Instant::now() + Duration::from_secs(30);
    while window.saved_entries() < NOTES {
        assert!(Instant::now() < deadline, "the notes never finished saving");
        window.frame(Vec::new());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(window.saved_entries(), NOTES, "every note saved, once");
    (enter_frames, other_frames)
}

fn report(label: &str, mut samples: Vec<Duration>) {
    // The timeline grows by one entry per note: the first and last thirds show what that costs.
    let third = samples.len() / 3;
    let median_of = |part: &[Duration]| {
        let mut part = part.to_vec();
        part.sort();
        part[part.len() / 2]
    };
    eprintln!(
        "{label:<46} median of the first third {:.3?}, of the last third {:.3?}",
        median_of(&samples[..third]),
        median_of(&samples[samples.len() - third..])
    );
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    let over = samples
        .iter()
        .filter(|frame| **frame >= Duration::from_millis(4))
        .count();
    eprintln!(
        "{label:<46} n={:<4} median={:>9.3?} p99={:>9.3?} max={:>9.3?} frames of 4 ms or more: {over}",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0),
    );
}

/// One Enter on the normal disk, as the store does it, with the typed words in the draft row as the
/// draft keeper leaves them: before, the entry and then the draft cleared (two commits); after, both
/// in one transaction. Saving the draft first is not timed.
fn enter_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_enter_normal_disk");
    let (_dir, mut store, mut live) = journal_with_live_session();
    let session = live.session().id;
    group.bench_function("before: entry, then draft cleared (two commits)", |b| {
        b.iter_custom(|iterations| {
            let mut took = Duration::ZERO;
            for _ in 0..iterations {
                store.save_draft(session, NOTE, chrono::Utc::now()).unwrap();
                let start = Instant::now();
                live.log(&mut store, LiveCommand::Note(NOTE.to_owned()))
                    .unwrap();
                store.save_draft(session, "", chrono::Utc::now()).unwrap();
                took += start.elapsed();
            }
            took
        });
    });
    group.bench_function("after: entry and draft cleared in one transaction", |b| {
        b.iter_custom(|iterations| {
            let mut took = Duration::ZERO;
            for _ in 0..iterations {
                store.save_draft(session, NOTE, chrono::Utc::now()).unwrap();
                let start = Instant::now();
                let Prepared {
                    session,
                    expected_next,
                    events,
                } = live.prepare(LiveCommand::Note(NOTE.to_owned())).unwrap();
                let committed = store
                    .append_events_clearing_draft(session, expected_next, &events)
                    .unwrap();
                live.confirm(committed);
                took += start.elapsed();
            }
            took
        });
    });
    group.finish();
}

fn main() {
    let (enter, after) = frames_while_logging(true);
    report("worker, commits slowed by 20 ms: Enter frame", enter);
    report("worker, commits slowed by 20 ms: next frames", after);
    let (enter, after) = frames_while_logging(false);
    report("written inside the frame, normal disk: Enter", enter);
    report("written inside the frame, normal disk: next", after);
    let mut criterion = Criterion::default().configure_from_args();
    enter_cost(&mut criterion);
    criterion.final_summary();
}
