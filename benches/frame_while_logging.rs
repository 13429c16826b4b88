//! Frames of the live view drawn while notes are logged, with the disk made slow on purpose: the
//! journal worker holds every commit up by 20 ms. The frame that takes the Enter and every frame while
//! the commit is on its way are timed; the goal is every frame under 4 ms. Beside them, in the same
//! run: the same frames with the writes carried out inside the frame on the normal disk (what every
//! Enter cost the frame before the worker), and one Enter's cost on the normal disk before (the entry,
//! then clearing the draft: two commits) and after (one transaction).
//!
//! Every frame of 3 ms or more is listed with where its time went (Linux's per-thread scheduler
//! statistics), so a slow frame caused by the code is told apart from one whose core was taken by
//! another thread or by the virtual machine's host.
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

/// CPU time the virtual machine's host took from this machine so far, in clock ticks (the `steal`
/// column of /proc/stat).
fn steal_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines()
        .find(|line| line.starts_with("cpu "))?
        .split_whitespace()
        .nth(8)?
        .parse()
        .ok()
}

/// The window as eframe drives it: an egui context, frame after frame, with no screen reader
/// asking for the accessibility tree (the test harness always builds it, which costs more than the
/// frame itself).
struct Window {
    ctx: egui::Context,
    app: KapJournalApp,
    frame: eframe::Frame,
    started: Instant,
    /// Frames of 3 ms or more.
    slow: Vec<SlowFrame>,
    frames: usize,
}

/// A slow frame as the scheduler saw the window's thread: how long it ran on a core, and how long
/// it was ready to run but waited for one (another thread had both cores).
#[derive(Debug)]
struct SlowFrame {
    kind: &'static str,
    number: usize,
    wall: Duration,
    on_cpu: Duration,
    waiting: Duration,
    /// Times the thread blocked (a lock, the disk) during the frame.
    gave_up_core: u64,
    /// Page faults that had to read the disk.
    major_faults: u64,
}

/// This thread's time on a core and time waiting for one, in nanoseconds (Linux schedstat); how
/// often it gave up its core (to wait for a lock or the disk); and its page faults that read the
/// disk.
fn schedstat() -> Option<(u64, u64, u64, u64)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text.split_whitespace().map(str::parse::<u64>);
    let (on_cpu, waiting) = (fields.next()?.ok()?, fields.next()?.ok()?);
    let sched = std::fs::read_to_string("/proc/thread-self/sched").ok()?;
    let voluntary = sched
        .lines()
        .find(|line| line.starts_with("nr_voluntary_switches"))?
        .rsplit(':')
        .next()?
        .trim()
        .parse()
        .ok()?;
    // /proc/thread-self/stat: the 12th field is majflt (after the name in parentheses).
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_name = stat.rsplit(')').next()?;
    let major_faults = after_name.split_whitespace().nth(9)?.parse().ok()?;
    Some((on_cpu, waiting, voluntary, major_faults))
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
            slow: Vec::new(),
            frames: 0,
        }
    }

    /// Draws one frame with `events` as its input; returns how long it took, and keeps a frame of
    /// 3 ms or more with what the scheduler says of it.
    fn frame(&mut self, events: Vec<egui::Event>) -> Duration {
        let kind = match events.first() {
            None => "no input",
            Some(egui::Event::Text(_)) => "typing",
            Some(_) => "Enter",
        };
        let before = schedstat();
        let took = self.frame_only(events);
        let after = schedstat();
        if took >= Duration::from_millis(3)
            && let (Some(before), Some(after)) = (before, after)
        {
            self.slow.push(SlowFrame {
                kind,
                number: self.frames,
                wall: took,
                on_cpu: Duration::from_nanos(after.0 - before.0),
                waiting: Duration::from_nanos(after.1 - before.1),
                gave_up_core: after.2 - before.2,
                major_faults: after.3 - before.3,
            });
        }
        self.frames += 1;
        took
    }

    fn frame_only(&mut self, events: Vec<egui::Event>) -> Duration {
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
            .record()
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
fn frames_while_logging(slowed: bool) -> (Vec<Duration>, Vec<Duration>, Vec<SlowFrame>) {
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
    (enter_frames, other_frames, window.slow)
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

/// Every frame of 3 ms or more (the first, which lays everything out, included), with where its
/// time went: on a core (work), waiting for a core (another thread of this machine had both), and
/// the rest, off a core without waiting for one: blocked, when the frame blocked (a lock, the
/// disk), or else taken by the virtual machine's host (steal time, which a guest's thread
/// accounting cannot see).
fn report_slow(label: &str, slow: &[SlowFrame]) {
    eprintln!("{label}: {} frames of 3 ms or more", slow.len());
    for frame in slow {
        let stolen = frame.wall.saturating_sub(frame.on_cpu + frame.waiting);
        eprintln!(
            "    frame {:>4} ({:<8}) wall {:>9.3?}: on a core {:>9.3?}, waiting for one {:>9.3?}, \
             blocked {} times ({} page faults from disk), off a core {:>9.3?}",
            frame.number,
            frame.kind,
            frame.wall,
            frame.on_cpu,
            frame.waiting,
            frame.gave_up_core,
            frame.major_faults,
            stolen,
        );
    }
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
                store
                    .record_mut()
                    .save_draft(session, NOTE, chrono::Utc::now())
                    .unwrap();
                let start = Instant::now();
                live.log(&mut store, LiveCommand::Note(NOTE.to_owned()))
                    .unwrap();
                store
                    .record_mut()
                    .save_draft(session, "", chrono::Utc::now())
                    .unwrap();
                took += start.elapsed();
            }
            took
        });
    });
    group.bench_function("after: entry and draft cleared in one transaction", |b| {
        b.iter_custom(|iterations| {
            let mut took = Duration::ZERO;
            for _ in 0..iterations {
                store
                    .record_mut()
                    .save_draft(session, NOTE, chrono::Utc::now())
                    .unwrap();
                let start = Instant::now();
                let Prepared {
                    session,
                    expected_next,
                    events,
                } = live.prepare(LiveCommand::Note(NOTE.to_owned())).unwrap();
                let committed = store
                    .record_mut()
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
    let steal_before = steal_ticks();
    let (enter, after, slow) = frames_while_logging(true);
    report("worker, commits slowed by 20 ms: Enter frame", enter);
    report("worker, commits slowed by 20 ms: next frames", after);
    report_slow("worker, commits slowed by 20 ms", &slow);
    if let (Some(before), Some(after)) = (steal_before, steal_ticks()) {
        eprintln!(
            "the host took {} ticks (1/100 s) of CPU from this machine while those frames were drawn",
            after - before
        );
    }
    let (enter, after, slow) = frames_while_logging(false);
    report("written inside the frame, normal disk: Enter", enter);
    report("written inside the frame, normal disk: next", after);
    report_slow("written inside the frame, normal disk", &slow);
    let mut criterion = Criterion::default().configure_from_args();
    enter_cost(&mut criterion);
    criterion.final_summary();
}
