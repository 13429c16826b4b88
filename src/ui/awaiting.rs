//! A change a view has sent to the journal worker and waits for without holding up the frame: the
//! view asks each frame whether the answer has come (the answer wakes the window).

use crate::store::StoreError;
use crate::worker::{Change, Journal, Pending};

/// The answer of type `T` a view waits for.
pub struct Awaiting<T> {
    answer: Option<Pending<T>>,
}

impl<T> Default for Awaiting<T> {
    fn default() -> Self {
        Self { answer: None }
    }
}

impl<T> Awaiting<T> {
    /// Sends `change`; its answer replaces any the view was still waiting for.
    pub fn send<C: Change<Answer = T>>(&mut self, journal: &Journal, change: C) {
        self.answer = Some(journal.send(change));
    }

    /// Whether a change is on its way (its button is then disabled).
    pub fn is_waiting(&self) -> bool {
        self.answer.is_some()
    }

    /// Waits for the answer of a change on its way (leaving a view, locking, closing); `None` when
    /// none is.
    pub fn wait(&mut self) -> Option<Result<T, StoreError>> {
        Some(self.answer.take()?.wait().result)
    }

    /// The answer, once it has come; it is given once.
    pub fn answer(&mut self) -> Option<Result<T, StoreError>> {
        let ack = self.answer.as_ref()?.poll()?;
        self.answer = None;
        Some(ack.result)
    }
}
