//! The window's one kind of background work: a [`Job`] runs on a thread of its own, reports its
//! progress as a fraction the window draws each frame, can be cancelled, and wakes the window when
//! it is done. Unlocking, backups and restores, the start-up check, finding a good backup, the file
//! dialogs and the exports all run as jobs, so nothing of theirs ever freezes a frame.
//!
//! Progress wakes the window at most every [`PROGRESS_REPAINT`], never at once: a copy reports every
//! page, and an immediate repaint per page would keep the window (and a test harness waiting for it
//! to settle) busy drawing for as long as the job runs. Only the finished result asks for a frame now.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::store::CopyProgress;

/// How often a running job's progress bar is redrawn.
pub const PROGRESS_REPAINT: Duration = Duration::from_millis(100);

/// What a job's work is handed: where to report progress, and whether it was asked to stop.
pub struct Progress {
    shared: Arc<Shared>,
    ctx: Option<egui::Context>,
}

impl Progress {
    /// `done` of `total` steps are done.
    pub fn report(&self, done: u64, total: u64) {
        self.shared.done.store(done, Ordering::Relaxed);
        self.shared.total.store(total, Ordering::Relaxed);
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint_after(PROGRESS_REPAINT);
        }
    }

    /// A report in the store's terms (pages of a copy), for the store's functions that take one.
    pub fn copying(&self) -> impl FnMut(CopyProgress) + '_ {
        |copied: CopyProgress| self.report(copied.done, copied.total)
    }

    /// Whether the job was cancelled: the work stops at its next step and says so in its result.
    pub fn cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }
}

/// Makes every job this window starts with [`Job::start`] run at once, inside the frame that asks,
/// so a test driving the window frame by frame finds each result there by the next frame.
pub fn run_inline(ctx: &egui::Context) {
    ctx.data_mut(|data| data.insert_temp(inline_id(), true));
}

fn inline_id() -> egui::Id {
    egui::Id::unique("kap_journal_jobs_inline")
}

/// What the job's thread and the window share.
#[derive(Default)]
struct Shared {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

/// A job running on its thread; its result is taken once, when it is done.
pub struct Job<T> {
    shared: Arc<Shared>,
    result: Receiver<T>,
    /// Stops work that cannot look at [`Progress::cancelled`] itself (an SQLite statement).
    interrupt: Option<Box<dyn Fn() + Send>>,
    thread: Option<JoinHandle<()>>,
}

/// What a finished or running job has to say this frame.
pub enum Poll<T> {
    Running(f32),
    Finished(T),
    /// The thread stopped without a result (it panicked, or could not be started).
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread named `name`; it reports progress through the [`Progress`] it
    /// is given, and the window is woken when it is done.
    pub fn spawn(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        let shared = Arc::new(Shared::default());
        let (send, result) = mpsc::channel();
        let progress = Progress {
            shared: Arc::clone(&shared),
            ctx: Some(ctx.clone()),
        };
        let gate = ctx.data(|data| data.get_temp::<JobGate>(gate_id(name)));
        let ctx = ctx.clone();
        // Should no thread start, the sender is dropped with the closure and the job reads as lost.
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                if let Some(gate) = gate {
                    gate.wait();
                }
                let outcome = work(&progress);
                // The window may have closed; then nobody is waiting for the result.
                let _ = send.send(outcome);
                ctx.request_repaint();
            })
            .ok();
        Self {
            shared,
            result,
            interrupt: None,
            thread,
        }
    }

    /// Does `work` at once, on this thread: for tests that drive the window frame by frame and must
    /// find the result there by the next frame.
    pub fn inline(work: impl FnOnce(&Progress) -> T) -> Self {
        let shared = Arc::new(Shared::default());
        let (send, result) = mpsc::channel();
        let progress = Progress {
            shared: Arc::clone(&shared),
            ctx: None,
        };
        // The receiver is right here, so the result cannot be lost.
        let _ = send.send(work(&progress));
        Self {
            shared,
            result,
            interrupt: None,
            thread: None,
        }
    }

    /// On a thread, or at once when the window's jobs are made to run inline ([`run_inline`], for
    /// tests that drive the window frame by frame).
    pub fn start(
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        if ctx.data(|data| data.get_temp::<bool>(inline_id()).unwrap_or(false)) {
            Self::inline(work)
        } else {
            Self::spawn(ctx, name, work)
        }
    }

    /// Also calls `interrupt` when the job is cancelled, for work that cannot look at the flag
    /// while it runs (one long SQLite statement).
    #[must_use]
    pub fn interrupted_by(mut self, interrupt: impl Fn() + Send + 'static) -> Self {
        self.interrupt = Some(Box::new(interrupt));
        self
    }

    /// Asks the work to stop; its result still comes, saying it was cancelled.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
        if let Some(interrupt) = &self.interrupt {
            interrupt();
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::Relaxed)
    }

    /// The result once the thread has finished (taken: it is given once), else how far it has
    /// come (0 to 1).
    pub fn poll(&self) -> Poll<T> {
        match self.result.try_recv() {
            Ok(result) => Poll::Finished(result),
            Err(TryRecvError::Disconnected) => Poll::Lost,
            Err(TryRecvError::Empty) => Poll::Running(self.fraction()),
        }
    }

    /// The result, once there is one; `None` while running. A lost thread reads as `lost`.
    pub fn take(&self, lost: impl FnOnce() -> T) -> Option<T> {
        match self.poll() {
            Poll::Running(_) => None,
            Poll::Finished(result) => Some(result),
            Poll::Lost => Some(lost()),
        }
    }

    /// How far the job has come (0 to 1), for a progress bar; it leaves the result where it is.
    pub fn fraction(&self) -> f32 {
        let total = self.shared.total.load(Ordering::Relaxed);
        let done = self.shared.done.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        }
    }

    /// How many steps are done, of how many (as last reported).
    pub fn steps(&self) -> (u64, u64) {
        (
            self.shared.done.load(Ordering::Relaxed),
            self.shared.total.load(Ordering::Relaxed),
        )
    }

    /// Cancels the job and waits for its thread to end, so nothing it holds (a reader of a journal
    /// about to be replaced) outlives it.
    pub fn stop(mut self) {
        self.cancel();
        if let Some(thread) = self.thread.take() {
            // The thread only runs the work; a panic in it has nothing left to clean up.
            let _ = thread.join();
        }
    }
}

impl<T> Drop for Job<T> {
    /// Nobody will take the result: the work is asked to stop (a check or a search interrupted), so
    /// no thread goes on reading the journal for a window or a view that is gone.
    fn drop(&mut self) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
        if let Some(interrupt) = &self.interrupt {
            interrupt();
        }
    }
}

/// Where the jobs of one name wait at their start until released: for tests that look at the window
/// before a job's answer has come (the home lists before every session is read).
#[derive(Clone, Default)]
struct JobGate(Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>);

/// The test's hold on a gate: released by [`release`](Self::release) or when dropped (a failed
/// assertion must not leave a job waiting for ever, and the window waiting for it on close).
#[doc(hidden)]
pub struct JobHold(JobGate);

impl JobHold {
    /// Lets the held jobs (and every later one of the name) go on.
    pub fn release(&self) {
        self.0.release();
    }
}

impl Drop for JobHold {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl JobGate {
    fn release(&self) {
        let (open, changed) = &*self.0;
        if let Ok(mut open) = open.lock() {
            *open = true;
        }
        changed.notify_all();
    }

    fn wait(&self) {
        let (open, changed) = &*self.0;
        let Ok(guard) = open.lock() else {
            return;
        };
        // A poisoned lock lets the job go on rather than hold it for ever.
        drop(changed.wait_while(guard, |open| !*open));
    }
}

fn gate_id(name: &str) -> egui::Id {
    egui::Id::unique(("kap_journal_held_jobs", name))
}

/// Holds every job named `name` the window starts on a thread until the returned gate is released
/// (jobs run inline are not held).
#[doc(hidden)]
pub fn hold_jobs(ctx: &egui::Context, name: &str) -> JobHold {
    let gate = JobGate::default();
    ctx.data_mut(|data| data.insert_temp(gate_id(name), gate.clone()));
    JobHold(gate)
}

/// Lowers the calling thread below the window's: long reading beside it (the start-up check) takes
/// a core only when the window does not need one. Where it cannot, the thread keeps its priority.
pub fn yield_to_the_window() {
    #[cfg(target_os = "linux")]
    {
        // On Linux a thread has a nice value of its own, set through its thread id.
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Instant;

    use super::*;

    /// A job that reports progress thousands of times while the window waits to settle: each wait
    /// (`Harness::run`) must end within its step budget, as the UI tests' clicks do while a backup runs.
    #[test]
    fn a_job_reporting_progress_never_keeps_the_window_from_settling() {
        // Many reports, as fast as the thread can make them: however the machine is loaded, the
        // window must settle between them (Harness::run panics when repaints never stop).
        const REPORTS: u64 = 20_000;
        let job: std::cell::RefCell<Option<Job<u64>>> = std::cell::RefCell::new(None);
        let mut harness = egui_kittest::Harness::new_ui(|ui| {
            let mut job = job.borrow_mut();
            let running = job.get_or_insert_with(|| {
                Job::spawn(ui.ctx(), "test", |progress| {
                    for done in 1..=REPORTS {
                        progress.report(done, REPORTS);
                        if done % 64 == 0 {
                            std::thread::yield_now();
                        }
                    }
                    REPORTS
                })
            });
            ui.label(format!("{:.0} %", running.fraction() * 100.0));
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let finished = loop {
            if let Some(Poll::Finished(reports)) = job.borrow().as_ref().map(Job::poll) {
                break reports;
            }
            assert!(Instant::now() < deadline, "the job did not finish");
            harness.run();
        };
        assert_eq!(finished, REPORTS);
    }

    /// Cancelling reaches the work through its flag and through the interrupt, and stopping waits
    /// for the thread, whose result says it stopped early.
    #[test]
    fn a_cancelled_job_stops_at_its_next_step_and_stop_waits_for_its_thread() {
        let ctx = egui::Context::default();
        let interrupted = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&interrupted);
        let (started, wait_started) = mpsc::channel();
        let (steps_send, steps) = mpsc::channel();
        let job = Job::spawn(&ctx, "test", move |progress| {
            let mut step = 0_u64;
            started.send(()).unwrap();
            while !progress.cancelled() {
                step += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            steps_send.send(step).unwrap();
            step
        })
        .interrupted_by(move || seen.store(true, Ordering::Relaxed));
        wait_started.recv().unwrap();
        assert!(matches!(job.poll(), Poll::Running(_)));
        job.stop();
        assert!(interrupted.load(Ordering::Relaxed));
        // The thread has ended: its last word is already there.
        assert!(steps.try_recv().is_ok());
    }

    /// A job nobody waits for any more (its window or view is gone) is asked to stop, so it does not
    /// go on reading the journal beside the next one (the start-up check of a large journal takes
    /// seconds).
    #[test]
    fn a_dropped_job_is_asked_to_stop() {
        let ctx = egui::Context::default();
        let (ended_send, ended) = mpsc::channel();
        let interrupted = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&interrupted);
        let job = Job::spawn(&ctx, "test", move |progress| {
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while !progress.cancelled() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            ended_send.send(progress.cancelled()).unwrap();
        })
        .interrupted_by(move || seen.store(true, Ordering::Relaxed));
        drop(job);
        assert!(interrupted.load(Ordering::Relaxed));
        assert!(
            ended.recv_timeout(Duration::from_secs(10)).unwrap(),
            "the work saw it was cancelled"
        );
    }
}
