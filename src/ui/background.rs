//! Work on a thread of its own with a progress fraction the window can draw each frame: a backup
//! or a restore must never freeze the window.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::store::CopyProgress;

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
                ctx.request_repaint();
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
