//! Where a live session's changes go: the journal worker in the window (answered on a later frame),
//! or the store itself on the command line and in tests (answered at once). The engine sends and
//! reads answers the same way through either, so all three share one path from a command to the
//! disk.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::store::Store;
use crate::worker::{Change, Journal, Pending};

/// Carries out changes and answers each through a [`Pending`].
pub trait Sender {
    fn send<C: Change>(&mut self, change: C) -> Pending<C::Answer>;
}

/// The window: the journal worker, on its own thread.
impl Sender for &Journal {
    fn send<C: Change>(&mut self, change: C) -> Pending<C::Answer> {
        Journal::send(self, change)
    }
}

/// The command line and tests: the change is carried out on the store before `send` returns.
impl Sender for Store {
    fn send<C: Change>(&mut self, change: C) -> Pending<C::Answer> {
        // Answers are numbered in the order they were made, as the worker numbers its own.
        static ORDER: AtomicU64 = AtomicU64::new(1);
        let result = change.apply(self);
        Pending::answered(ORDER.fetch_add(1, Ordering::Relaxed), result)
    }
}
