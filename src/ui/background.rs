//! Work on a thread of its own with a progress fraction the window can draw each frame: a backup
//! or a restore must never freeze the window.
//!
//! Progress wakes the window at most every [`PROGRESS_REPAINT`], never at once: a copy reports every
//! page, and an immediate repaint per page would keep the window (and a test harness waiting for it
//! to settle) busy drawing for as long as the job runs. Only the finished result asks for a frame now.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use crate::store::CopyProgress;

/// How often a running job's progress bar is redrawn.
pub const PROGRESS_REPAINT: Duration = Duration::from_millis(100);

/// A job running on its thread; its result is taken once, when it is done.
pub struct Job<T> {
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    result: Receiver<T>,
}

/// What a finished or running job has to say this frame.
pub enum Poll<T> {
    Running(f32),
    Finished(T),
    /// The thread stopped without a result (it panicked).
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; it reports progress through the function it is given.
    pub fn spawn(
        ctx: &egui::Context,
        work: impl FnOnce(&mut dyn FnMut(CopyProgress)) -> T + Send + 'static,
    ) -> Self {
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let (send, result) = mpsc::channel();
        let (thread_done, thread_total) = (Arc::clone(&done), Arc::clone(&total));
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let mut report = |progress: CopyProgress| {
                thread_done.store(progress.done, Ordering::Relaxed);
                thread_total.store(progress.total, Ordering::Relaxed);
                ctx.request_repaint_after(PROGRESS_REPAINT);
            };
            let outcome = work(&mut report);
            // The window may have closed; then nobody is waiting for the result.
            let _ = send.send(outcome);
            ctx.request_repaint();
        });
        Self {
            done,
            total,
            result,
        }
    }

    /// Does `work` at once, on this thread: for tests that drive the window frame by frame and must
    /// find the result there by the next frame.
    pub fn inline(work: impl FnOnce(&mut dyn FnMut(CopyProgress)) -> T) -> Self {
        let (send, result) = mpsc::channel();
        // The receiver is right here, so the result cannot be lost.
        let _ = send.send(work(&mut |_| {}));
        Self {
            done: Arc::new(AtomicU64::new(0)),
            total: Arc::new(AtomicU64::new(0)),
            result,
        }
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

    /// How far the job has come (0 to 1), for a progress bar; it leaves the result where it is.
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        }
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
                Job::spawn(ui.ctx(), |report| {
                    for done in 1..=REPORTS {
                        report(CopyProgress {
                            done,
                            total: REPORTS,
                        });
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
}
