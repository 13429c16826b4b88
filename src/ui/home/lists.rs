//! The home screen's sessions, read in the order the clinician needs them: each model's newest and the
//! counts at once (an index read of a millisecond or two, however large the journal), then every
//! session in a job beside the window (a quarter of a second at 100,000 sessions), which replaces the
//! first page when it comes. Until then the headings say the lists hold the newest only, and the
//! sessions shown are not exported (an export of the first page would leave sessions out).

use super::super::background::Job;
use crate::domain::{SessionStatus, TreatmentModel};
use crate::store::{ReaderSource, SessionCounts, SessionFilter, SessionSummary, Store, StoreError};

/// The name of the job that reads every session (tests hold it by this name).
pub const READING_JOB: &str = "home lists";

/// How many sessions of each model are read before the window shows the lists.
pub const FIRST_PAGE: usize = 100;

/// The sessions the lists show, as far as they have been read.
#[derive(Default)]
pub struct SessionLists {
    /// Every session once `complete`; before that, each model's newest (and any kept from the
    /// last complete read).
    pub all: Vec<SessionSummary>,
    /// Sessions still live (the banner offers to resume them).
    pub live: Vec<SessionSummary>,
    pub counts: SessionCounts,
    /// `all` holds every session.
    pub complete: bool,
    /// Set by a refresh: the job is started by the next frame (which has the context to wake).
    wanted: bool,
    reading: Option<Job<Result<Vec<SessionSummary>, StoreError>>>,
}

impl SessionLists {
    /// Reads the first page now and asks for everything beside the window. A list read completely
    /// before stays whole and sortable meanwhile, the newest sessions brought up to date in it.
    pub fn refresh(&mut self, store: &Store) -> Result<(), StoreError> {
        if let Some(running) = self.reading.take() {
            running.cancel();
        }
        self.wanted = true;
        let record = store.record();
        self.counts = record.session_counts()?;
        self.live = record.live_summaries()?;
        let mut newest = record.newest_sessions(TreatmentModel::Kap, FIRST_PAGE)?;
        newest.extend(record.newest_sessions(TreatmentModel::Medical, FIRST_PAGE)?);
        if self.complete {
            for fresh in newest {
                match self.all.iter_mut().find(|kept| kept.id == fresh.id) {
                    Some(kept) => *kept = fresh,
                    None => self.all.push(fresh),
                }
            }
            // A session deleted meanwhile cannot be told from the first page: the complete read
            // says so a moment later.
        } else {
            self.all = newest;
        }
        Ok(())
    }

    /// Starts the job a refresh asked for.
    pub fn start_reading(&mut self, ctx: &egui::Context, source: impl FnOnce() -> ReaderSource) {
        if !std::mem::take(&mut self.wanted) {
            return;
        }
        let source = source();
        self.reading = Some(Job::start(ctx, READING_JOB, move |_| {
            every_session(&source)
        }));
    }

    /// Every session, once the job has read them (given once): they replace the lists. On an
    /// error what was shown stays.
    pub fn take_read(&mut self) -> Option<Result<(), StoreError>> {
        let read = self
            .reading
            .as_ref()?
            .take(|| Err(StoreError::BackgroundStopped))?;
        self.reading = None;
        Some(read.map(|sessions| {
            self.live = sessions
                .iter()
                .filter(|s| s.status == SessionStatus::Live)
                .cloned()
                .collect();
            let kap = sessions
                .iter()
                .filter(|s| s.model == TreatmentModel::Kap)
                .count();
            self.counts = SessionCounts {
                kap,
                medical: sessions.len() - kap,
            };
            self.all = sessions;
            self.complete = true;
        }))
    }

    /// Whether the complete read is still to come.
    pub fn is_reading(&self) -> bool {
        self.wanted || self.reading.is_some()
    }
}

impl Drop for SessionLists {
    /// Waits for the job, so its reader is closed with the view (before a restore replaces the
    /// journal).
    fn drop(&mut self) {
        if let Some(running) = self.reading.take() {
            running.stop();
        }
    }
}

/// Every session, newest first, on a reader of the job's own.
fn every_session(source: &ReaderSource) -> Result<Vec<SessionSummary>, StoreError> {
    source
        .open()?
        .record()
        .session_summaries(&SessionFilter::default())
}
