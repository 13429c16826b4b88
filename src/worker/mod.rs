//! The journal worker: the one place the journal is written. It owns the writer connection on a
//! thread of its own; the window and the live engine send it [`Change`]s and read each answer when
//! it comes ([`Pending`]), so a slow disk never holds up a frame. Changes are carried out one at a
//! time, in the order they were sent, and each answer carries its place in that order.
//!
//! The worker knows the store and nothing above it: what a change does is the change's own
//! ([`Change::apply`]); the list of everything a clinician can change is `crate::changes`.
//!
//! Dropping or stopping the worker carries out every change already sent before the connection
//! closes: nothing the clinician was shown as on its way is dropped at exit.

mod change;
mod journal;

use std::cell::RefCell;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

pub use change::Change;
pub use journal::Journal;

use crate::store::{Store, StoreError};

/// The answer to one change.
#[derive(Debug)]
pub struct Ack<T> {
    /// Its place among every change this worker carried out: later changes have larger numbers.
    pub order: u64,
    pub result: Result<T, StoreError>,
}

/// A change on its way; its answer (of the change's own type) is taken once.
pub struct Pending<T> {
    answer: Receiver<Ack<T>>,
}

impl<T> Pending<T> {
    /// A change already carried out, as the `order`th of its sender: its answer is there at once.
    pub fn answered(order: u64, result: Result<T, StoreError>) -> Self {
        let (answer, pending) = mpsc::channel();
        // The receiver is held here, so the answer is kept until it is read.
        let _ = answer.send(Ack { order, result });
        Self { answer: pending }
    }

    /// The answer, once the change was carried out; `None` while it is still on its way.
    pub fn poll(&self) -> Option<Ack<T>> {
        match self.answer.try_recv() {
            Ok(ack) => Some(ack),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(stopped()),
        }
    }

    /// Waits for the answer (the command line, and tests).
    pub fn wait(self) -> Ack<T> {
        self.answer.recv().unwrap_or_else(|_| stopped())
    }
}

/// The answer when the worker's thread ended before the change: it was not made.
fn stopped<T>() -> Ack<T> {
    Ack {
        order: u64::MAX,
        result: Err(StoreError::WriterStopped),
    }
}

/// Carries a change out as the worker's `u64`th and sends its answer back.
type CarryOut = Box<dyn FnOnce(&mut Store, u64) + Send>;

/// A change with its answer's way back, its type forgotten so one queue holds them all.
struct Request {
    carry_out: CarryOut,
    commits: bool,
}

impl Request {
    fn new<C: Change>(change: C, answer: Sender<Ack<C::Answer>>) -> Self {
        let commits = change.commits();
        Self {
            carry_out: Box::new(move |store, order| {
                let result = change.apply(store);
                // Whoever sent it may have gone (a view closed); the change stands all the same.
                let _ = answer.send(Ack { order, result });
            }),
            commits,
        }
    }
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

    /// Sends a change; its answer comes through the [`Pending`] returned.
    pub fn send<C: Change>(&self, change: C) -> Pending<C::Answer> {
        let (answer, pending) = mpsc::channel();
        let request = Request::new(change, answer);
        match &self.runner {
            Runner::Thread { requests, .. } => {
                let sent = requests
                    .as_ref()
                    .is_some_and(|requests| requests.send(request).is_ok());
                // A worker whose thread ended answers at once that nothing was written.
                if !sent {
                    (self.wake)();
                }
            }
            Runner::Inline { store, order } => {
                order.set(order.get() + 1);
                (request.carry_out)(&mut store.borrow_mut(), order.get());
                (self.wake)();
            }
        }
        Pending { answer: pending }
    }

    /// Sends a change and waits for its answer (tests; the window waits only when leaving a note,
    /// locking or closing, through [`Pending::wait`]).
    pub fn write<C: Change>(&self, change: C) -> Result<C::Answer, StoreError> {
        self.send(change).wait().result
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

/// The worker's thread: changes in the order they came, until every sender is gone.
fn serve(mut store: Store, inbox: &Receiver<Request>, wake: &Wake, delay: Duration) -> Store {
    for (order, request) in (1..).zip(inbox) {
        if !delay.is_zero() && request.commits {
            std::thread::sleep(delay);
        }
        (request.carry_out)(&mut store, order);
        wake();
    }
    store
}
