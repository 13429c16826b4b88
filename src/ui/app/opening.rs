//! How the window opens its journal: locked, already open or refused, and where the journal worker
//! carries out its writes (a thread of its own; at once for tests driving the window frame by frame).

use std::time::Duration;

use super::open_journal::OpenJournal;
use super::{KapJournalApp, Screen, Shared};
use crate::store::{LockedJournal, Store, StoreError};
use crate::worker::{Journal, Wake};

/// How the window finds the journal when it starts.
pub enum Opening {
    /// Claimed, waiting for its passphrase.
    Locked(LockedJournal),
    /// Already open (tests and benchmarks open it themselves).
    Open(Store),
    /// It cannot be opened; the window says why.
    Refused(StoreError),
}

impl From<Store> for Opening {
    fn from(store: Store) -> Self {
        Self::Open(store)
    }
}

impl From<Result<Store, StoreError>> for Opening {
    fn from(result: Result<Store, StoreError>) -> Self {
        result.map_or_else(Self::Refused, Self::Open)
    }
}

impl From<Result<LockedJournal, StoreError>> for Opening {
    fn from(result: Result<LockedJournal, StoreError>) -> Self {
        result.map_or_else(Self::Refused, Self::Locked)
    }
}

/// Where the journal worker carries out the window's writes (and the passphrase screen its tries).
#[derive(Clone, Copy)]
pub(super) enum WriteMode {
    /// On its own thread: the window never waits for the disk.
    Thread,
    /// At once, inside the frame that asks (tests that drive the window frame by frame).
    Inline,
    /// On its own thread, each commit held up this long (a slow disk made on purpose).
    Slowed(Duration),
}

impl WriteMode {
    pub(super) fn is_inline(self) -> bool {
        matches!(self, Self::Inline)
    }
}

impl Shared {
    /// Hands the opened journal's writer to the journal worker, beside a reader for the views, and
    /// opens its first view; or says why it cannot.
    pub(super) fn open(&mut self, store: Store) -> Screen {
        // Said once: the last run ended in a crash, and where its report is.
        if let Some(crashed) = crate::crash_report::take_notice(store.dir()) {
            self.notice = Some(crashed);
        }
        match self.take_up(store) {
            Ok(journal) => Screen::Open(Box::new(OpenJournal::new(journal, self))),
            Err(problem) => Screen::CannotOpen(problem),
        }
    }

    fn take_up(&self, store: Store) -> Result<Journal, StoreError> {
        let ctx = self.ctx.clone();
        let wake: Wake = Box::new(move || ctx.request_repaint());
        match self.writes {
            WriteMode::Thread => Journal::open(store, wake),
            WriteMode::Inline => Journal::open_inline(store, wake),
            WriteMode::Slowed(delay) => Journal::open_slowed(store, wake, delay),
        }
    }
}

impl KapJournalApp {
    /// Carries out the window's writes (and tries the passphrase) at once, inside the frame that
    /// asks, so a test driving the window frame by frame finds every answer by the next frame. The
    /// window's own default is a thread of their own.
    #[must_use]
    pub fn writes_inline(self) -> Self {
        self.write_mode(WriteMode::Inline)
    }

    /// Holds every commit up by `delay`: a slow disk made on purpose, for the benchmark and the tests
    /// that show the window never waits for it.
    #[doc(hidden)]
    #[must_use]
    pub fn slowed_writes(self, delay: Duration) -> Self {
        self.write_mode(WriteMode::Slowed(delay))
    }

    /// Called as the window is built: an open journal is closed and opened again on the new worker.
    fn write_mode(mut self, mode: WriteMode) -> Self {
        self.shared.writes = mode;
        if mode.is_inline() {
            crate::ui::background::run_inline(&self.shared.ctx);
        }
        self.screen = match self.screen {
            Screen::Open(open) => match open.close(&mut self.shared) {
                Ok(store) => self.shared.open(store),
                Err(problem) => Screen::CannotOpen(problem),
            },
            other => other,
        };
        self
    }
}
