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
            Err(TryRecvError::Disconnected) => Some(Err(StoreError::BackgroundStopped)),
        }
    }
}

/// Where the window's searches run.
pub(super) enum Searcher {
    /// On a thread with a reader of its own, started at the first search (the window's first frame
    /// never waits for it).
    Thread {
        source: ReaderSource,
        wake: std::sync::Arc<Wake>,
        running: std::cell::OnceCell<Running>,
    },
    /// At once, on the window's reader (tests that drive the window frame by frame).
    Inline,
}

/// The search thread and the way to it.
pub(super) struct Running {
    requests: Option<Sender<(SearchQuery, Sender<Answer>)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Searcher {
    /// Searches on a thread of its own, with a reader it opens from `source`; `wake` is called after
    /// each answer.
    pub(super) fn on_thread(source: ReaderSource, wake: std::sync::Arc<Wake>) -> Self {
        Self::Thread {
            source,
            wake,
            running: std::cell::OnceCell::new(),
        }
    }

    /// Ends the thread, if it started, and waits for it, so its reader is closed before the journal
    /// is replaced.
    pub(super) fn stop(&mut self) {
        if let Self::Thread { running, .. } = self
            && let Some(running) = running.get_mut()
        {
            drop(running.requests.take());
            if let Some(thread) = running.thread.take() {
                let _ = thread.join();
            }
        }
    }

    /// Sends `query`; `window_reader` runs it at once when the searcher is inline.
    pub(super) fn search(&self, query: SearchQuery, window_reader: &Store) -> Searching {
        let (answer, receiver) = mpsc::channel();
        match self {
            // A thread that has ended answers that it could not search (the sender is dropped).
            Self::Thread {
                source,
                wake,
                running,
            } => {
                let running =
                    running.get_or_init(|| start(source.clone(), std::sync::Arc::clone(wake)));
                if let Some(requests) = &running.requests {
                    drop(requests.send((query, answer)));
                }
            }
            Self::Inline => drop(answer.send(window_reader.search(&query))),
        }
        Searching { answer: receiver }
    }
}

/// The search thread, which opens its reader itself; one that could not be opened is tried again at
/// the next query, and its reason is that query's answer. Should no thread start, every search
/// answers that it could not be made.
fn start(source: ReaderSource, wake: std::sync::Arc<Wake>) -> Running {
    let (requests, inbox) = mpsc::channel::<(SearchQuery, Sender<Answer>)>();
    let thread = std::thread::Builder::new()
        .name("search".to_owned())
        .spawn(move || {
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
        .ok();
    Running {
        requests: thread.is_some().then_some(requests),
        thread,
    }
}
