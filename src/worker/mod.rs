//! The journal worker: the one place the journal is written. It owns the writer connection on a
//! thread of its own; the window and the live engine send it [`Write`]s and read each answer when it
//! comes ([`Pending`]), so a slow disk never holds up a frame. Writes are carried out one at a time,
//! in the order they were sent, and each answer carries its place in that order.
//!
//! Dropping or stopping the worker carries out every write already sent before the connection
//! closes: nothing the clinician was shown as on its way is dropped at exit.

mod journal;
mod write;

use std::cell::RefCell;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

pub use journal::Journal;
pub use write::{PracticeWrite, Write, Written};

use crate::store::{Store, StoreError};

/// The answer to one write.
#[derive(Debug)]
pub struct Ack {
    /// Its place among every write this worker carried out: later writes have larger numbers.
    pub order: u64,
    pub result: Result<Written, StoreError>,
}

/// A write on its way; its answer is taken once.
pub struct Pending {
    answer: Receiver<Ack>,
}

impl Pending {
    /// The answer, once the write was carried out; `None` while it is still on its way.
    pub fn poll(&self) -> Option<Ack> {
        match self.answer.try_recv() {
            Ok(ack) => Some(ack),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(stopped()),
        }
    }

    /// Waits for the answer (the command line, and tests).
    pub fn wait(self) -> Ack {
        self.answer.recv().unwrap_or_else(|_| stopped())
    }
}

/// The answer when the worker's thread ended before the write: it was not made.
fn stopped() -> Ack {
    Ack {
        order: u64::MAX,
        result: Err(StoreError::WriterStopped),
    }
}

struct Request {
    write: Write,
    answer: Sender<Ack>,
}

/// Called after every answer, so the window draws it (a repaint); it must not block.
pub type Wake = Box<dyn Fn() + Send + Sync>;

/// Where the writes are carried out.
enum Runner {
    /// On the worker's own thread: the window's case.
    Thread {
        requests: Option<Sender<Request>>,
        thread: Option<JoinHandle<Store>>,
    },
    /// At once, on the thread that sends them: for tests that drive the window frame by frame and
    /// must know every answer is there by the next frame.
    Inline {
        store: Box<RefCell<Store>>,
        order: std::cell::Cell<u64>,
    },
}

/// The owner of the journal's writer connection.
pub struct JournalWorker {
    runner: Runner,
    wake: std::sync::Arc<Wake>,
}

impl JournalWorker {
    /// Moves `store` onto a thread of its own. `wake` is called after each answer.
    pub fn start(store: Store, wake: Wake) -> Result<Self, StoreError> {
        Self::start_slowed(store, wake, Duration::ZERO)
    }

    /// [`start`](Self::start) with every commit held up by `delay` first: a slow disk made on
    /// purpose, for the benchmark and tests that show the window does not wait for it.
    #[doc(hidden)]
    pub fn start_slowed(store: Store, wake: Wake, delay: Duration) -> Result<Self, StoreError> {
        let wake = std::sync::Arc::new(wake);
        let (requests, inbox) = mpsc::channel::<Request>();
        let thread_wake = std::sync::Arc::clone(&wake);
        let thread = std::thread::Builder::new()
            .name("journal worker".to_owned())
            .spawn(move || serve(store, &inbox, thread_wake.as_ref(), delay))
            .map_err(|_| StoreError::WriterStopped)?;
        Ok(Self {
            runner: Runner::Thread {
                requests: Some(requests),
                thread: Some(thread),
            },
            wake,
        })
    }

    /// A worker that carries each write out at once, inside [`send`](Self::send).
    pub fn inline(store: Store, wake: Wake) -> Self {
        Self {
            runner: Runner::Inline {
                store: Box::new(RefCell::new(store)),
                order: std::cell::Cell::new(0),
            },
            wake: std::sync::Arc::new(wake),
        }
    }

    /// Sends a write; its answer comes through the [`Pending`] returned.
    pub fn send(&self, write: Write) -> Pending {
        let (answer, pending) = mpsc::channel();
        match &self.runner {
            Runner::Thread { requests, .. } => {
                let sent = requests
                    .as_ref()
                    .is_some_and(|requests| requests.send(Request { write, answer }).is_ok());
                // A worker whose thread ended answers at once that nothing was written.
                if !sent {
                    (self.wake)();
                }
            }
            Runner::Inline { store, order } => {
                let result = write.apply(&mut store.borrow_mut());
                order.set(order.get() + 1);
                let _ = answer.send(Ack {
                    order: order.get(),
                    result,
                });
                (self.wake)();
            }
        }
        Pending { answer: pending }
    }

    /// Sends a write and waits for its answer (tests; the window waits only when leaving a note,
    /// locking or closing, through [`Pending::wait`]).
    pub fn write(&self, write: Write) -> Result<Written, StoreError> {
        self.send(write).wait().result
    }

    /// Carries out every write already sent, closes the worker and gives the connection back (a
    /// restore takes it to replace the journal).
    pub fn stop(mut self) -> Result<Store, StoreError> {
        self.close().ok_or(StoreError::WriterStopped)
    }

    fn close(&mut self) -> Option<Store> {
        match &mut self.runner {
            Runner::Thread { requests, thread } => {
                drop(requests.take());
                thread.take().and_then(|thread| thread.join().ok())
            }
            Runner::Inline { .. } => {
                let placeholder = Runner::Thread {
                    requests: None,
                    thread: None,
                };
                match std::mem::replace(&mut self.runner, placeholder) {
                    Runner::Inline { store, .. } => Some(store.into_inner()),
                    Runner::Thread { .. } => None,
                }
            }
        }
    }
}

impl Drop for JournalWorker {
    fn drop(&mut self) {
        // Every write already sent is carried out before the connection closes.
        drop(self.close());
    }
}

/// The worker's thread: writes in the order they came, until every sender is gone.
fn serve(mut store: Store, inbox: &Receiver<Request>, wake: &Wake, delay: Duration) -> Store {
    for (order, Request { write, answer }) in (1..).zip(inbox) {
        if !delay.is_zero() && write.is_commit() {
            std::thread::sleep(delay);
        }
        let result = write.apply(&mut store);
        // Whoever sent it may have gone (a view closed); the write stands all the same.
        let _ = answer.send(Ack { order, result });
        wake();
    }
    store
}
