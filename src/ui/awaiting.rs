//! A write a view has sent to the journal worker and waits for without holding up the frame: the
//! view asks each frame whether the answer has come (the answer wakes the window).

use crate::store::StoreError;
use crate::worker::{Journal, Pending, Write, Written};

#[derive(Default)]
pub struct Awaiting {
    answer: Option<Pending>,
}

impl Awaiting {
    /// Sends `write`; its answer replaces any the view was still waiting for.
    pub fn send(&mut self, journal: &Journal, write: Write) {
        self.answer = Some(journal.send(write));
    }

    /// Whether a write is on its way (its button is then disabled).
    pub fn is_waiting(&self) -> bool {
        self.answer.is_some()
    }

    /// The answer, once it has come; it is given once.
    pub fn answer(&mut self) -> Option<Result<Written, StoreError>> {
        let ack = self.answer.as_ref()?.poll()?;
        self.answer = None;
        Some(ack.result)
    }
}
