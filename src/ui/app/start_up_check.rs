//! The check of a journal too large to check before the window shows. At start-up it waits until the
//! first view has read what it shows, then runs on a thread of its own at a lower priority, so it
//! never competes with the clinician's first frames; it reads only what changed since the last full
//! check when one is recent (seconds at 100,000 sessions otherwise). While the window is locked, a
//! full check runs when the last is more than a day old. A full check that found nothing is recorded.

use crate::store::{CheckFound, StartUpCheck, StoreError};
use crate::ui::background::Job;

/// What the check found.
type Found = Result<CheckFound, StoreError>;

pub(super) struct StartUpChecking {
    /// Its reader is open; it starts once the first view is drawn with what it shows.
    waiting: Option<StartUpCheck>,
    running: Option<Job<Found>>,
}

impl StartUpChecking {
    /// A check to start once the view is ready.
    pub(super) fn new(check: StartUpCheck) -> Self {
        Self {
            waiting: Some(check),
            running: None,
        }
    }

    /// Starts the waiting check once `view_ready`.
    pub(super) fn start_when(&mut self, ctx: &egui::Context, view_ready: bool) {
        if !view_ready {
            return;
        }
        let Some(check) = self.waiting.take() else {
            return;
        };
        let interrupt = check.interrupt();
        let job = Job::start(ctx, "start-up check", |_| {
            crate::ui::background::yield_to_the_window();
            check.run()
        });
        self.running = Some(job.interrupted_by(move || interrupt.interrupt()));
    }

    /// What the check found, once it has finished (given once).
    pub(super) fn take(&self) -> Option<Found> {
        self.running
            .as_ref()?
            .take(|| Err(StoreError::BackgroundStopped))
    }

    /// Stops a running check and waits for its thread (before the journal is closed).
    pub(super) fn stop(self) {
        if let Some(job) = self.running {
            job.stop();
        }
    }
}
