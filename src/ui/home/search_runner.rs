//! Search as you type, as background jobs: each query runs on a reader of its own beside the window
//! (a few milliseconds), the frame only starts it and later takes the hits. A newer query stops an
//! older one still running (SQLite's interrupt), so only the newest is ever answered, and the reader
//! is handed from one job to the next rather than opened for each.

use super::super::background::Job;
use crate::store::{
    COUNTED_PAST_HITS, Interrupt, MatchCount, ReaderSource, SearchHit, SearchQuery, Store,
    StoreError,
};

/// The hits shown, and how many entries match (counted a thousand past the hits asked for).
type Answer = Result<(Vec<SearchHit>, MatchCount), StoreError>;

/// The searches of one search field.
#[derive(Default)]
pub struct SearchRunner {
    /// The reader between searches; opened by the first search's job, not in a frame.
    idle: Option<Store>,
    running: Option<Job<(Option<Store>, Answer)>>,
    /// The newest query, waiting for the running search to give the reader back.
    waiting: Option<SearchQuery>,
    /// Where the first reader comes from (the journal's folder and key).
    source: Option<ReaderSource>,
}

impl SearchRunner {
    /// Searches for `query` from the journal `source` opens; a search still running for an older
    /// query is stopped, and its hits are never given.
    pub fn search(
        &mut self,
        ctx: &egui::Context,
        source: impl FnOnce() -> ReaderSource,
        query: SearchQuery,
    ) {
        self.waiting = Some(query);
        if let Some(running) = &self.running {
            running.cancel();
        }
        if self.idle.is_none() && self.source.is_none() {
            self.source = Some(source());
        }
        self.start_waiting(ctx);
    }

    /// No query any more: a running search is stopped and nothing is answered.
    pub fn clear(&mut self) {
        self.waiting = None;
        if let Some(running) = &self.running {
            running.cancel();
        }
    }

    /// The hits of the newest query, once they have come (taken: they are given once).
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Answer> {
        let running = self.running.as_ref()?;
        let lost = || (None, Err(StoreError::BackgroundStopped));
        let (reader, answer) = running.take(lost)?;
        let stale = running.is_cancelled();
        self.running = None;
        self.idle = reader;
        if self.waiting.is_some() {
            self.start_waiting(ctx);
        }
        (!stale).then_some(answer)
    }

    fn start_waiting(&mut self, ctx: &egui::Context) {
        if self.running.is_some() {
            return;
        }
        let Some(query) = self.waiting.take() else {
            return;
        };
        let reader = self.idle.take();
        let interrupt: Option<Interrupt> = reader.as_ref().map(Store::interrupt_handle);
        let source = self.source.clone();
        let job = Job::start(ctx, "search", move |_| {
            // A reader that could not be opened is tried again by the next search.
            let opened = match (reader, source) {
                (Some(reader), _) => Ok(reader),
                (None, Some(source)) => source.open(),
                (None, None) => Err(StoreError::BackgroundStopped),
            };
            match opened {
                Ok(reader) => {
                    let found = reader.search(&query).and_then(|hits| {
                        let cap = query.limit.saturating_add(COUNTED_PAST_HITS);
                        Ok((hits, reader.search_count_up_to(&query, cap)?))
                    });
                    (Some(reader), found)
                }
                Err(error) => (None, Err(error)),
            }
        });
        self.running = Some(match interrupt {
            Some(interrupt) => job.interrupted_by(move || interrupt.interrupt()),
            None => job,
        });
    }
}

impl Drop for SearchRunner {
    /// Waits for a running search, so its reader is closed with the view (before a restore
    /// replaces the journal).
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop();
        }
    }
}
