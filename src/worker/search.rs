//! Search as you type, beside the window: a thread with a read-only connection of its own runs each
//! query in the order typed (a few milliseconds each, faster than anyone types), and the frame only
//! sends the query and later takes the hits. A view that typed on simply drops the older answers.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

use super::Wake;
use crate::store::{ReaderSource, SearchHit, SearchQuery, Store, StoreError};

type Answer = Result<Vec<SearchHit>, StoreError>;

/// A search on its way; its hits are taken once.
pub struct Searching {
    answer: Receiver<Answer>,
}

impl Searching {
    /// The hits once the search has run; `None` while it is on its way.
    pub fn poll(&self) -> Option<Answer> {
        match self.answer.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(StoreError::WriterStopped)),
        }
    }
}

/// Where the window's searches run.
pub(super) enum Searcher {
    /// On a thread with a reader of its own.
    Thread {
        requests: Option<Sender<(SearchQuery, Sender<Answer>)>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
    /// At once, on the window's reader (tests that drive the window frame by frame).
    Inline,
}

impl Searcher {
    /// A thread searching a reader it opens from `source` (so the window does not wait for that);
    /// `wake` is called after each answer.
    pub(super) fn start(
        source: ReaderSource,
        wake: std::sync::Arc<Wake>,
    ) -> Result<Self, StoreError> {
        let (requests, inbox) = mpsc::channel::<(SearchQuery, Sender<Answer>)>();
        let thread = std::thread::Builder::new()
            .name("search".to_owned())
            .spawn(move || {
                // Opened here, not on the window's thread; one that could not be opened is tried
                // again at the next query, and its reason is that query's answer.
                let mut reader = source.open().ok();
                while let Ok((query, answer)) = inbox.recv() {
                    let hits = match reader.as_ref() {
                        Some(reader) => reader.search(&query),
                        None => source.open().and_then(|opened| {
                            let hits = opened.search(&query);
                            reader = Some(opened);
                            hits
                        }),
                    };
                    // The view may have typed on or gone; then nobody waits for these hits.
                    let _ = answer.send(hits);
                    wake();
                }
            })
            .map_err(|_| StoreError::WriterStopped)?;
        Ok(Self::Thread {
            requests: Some(requests),
            thread: Some(thread),
        })
    }

    /// Ends the thread and waits for it, so its reader is closed before the journal is replaced.
    pub(super) fn stop(&mut self) {
        if let Self::Thread { requests, thread } = self {
            drop(requests.take());
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }

    /// Sends `query`; `window_reader` runs it at once when the searcher is inline.
    pub(super) fn search(&self, query: SearchQuery, window_reader: &Store) -> Searching {
        let (answer, receiver) = mpsc::channel();
        match self {
            // A thread that has ended answers that it could not search (the sender is dropped).
            Self::Thread { requests, .. } => {
                if let Some(requests) = requests {
                    drop(requests.send((query, answer)));
                }
            }
            Self::Inline => drop(answer.send(window_reader.search(&query))),
        }
        Searching { answer: receiver }
    }
}
