//! An entry's whole life in the engine: validated, asked about at a soft stop, sent, then confirmed
//! or refused when its answer comes, with the draft kept beside it. The window, the command line and
//! tests all go this way; only where the changes go differs ([`Sender`]).

use std::any::Any;
use std::time::Duration;

use super::changes::{AppendEvents, EndSession};
use super::draft::SaveStatus;
use super::soft_stop::{Held, HeldAction, guarded};
use super::{LiveCommand, LiveSession, Prepared, Sender};
use crate::domain::{Discharge, Event, Guarded};
use crate::store::StoreError;
use crate::worker::{Ack, Pending};

/// What the sender of an entry wants back should it be refused (the window: the note field's words
/// and the form they were typed in). The engine only keeps it and gives it back.
pub type Memo = Box<dyn Any>;

/// Entries sent and not yet answered, oldest first.
pub(super) struct InFlight {
    answer: Pending<Vec<Event>>,
    sent: Sent,
}

/// What the engine keeps of entries it sent, to settle their answer.
struct Sent {
    /// Given back if refused.
    memo: Option<Memo>,
    /// The entries are what the draft became (the draft row is cleared with them).
    clears_draft: bool,
    /// They end the session.
    ends: bool,
}

/// What became of a command submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// Its entries are on their way (shown as saving).
    Sent,
    /// A soft stop holds it: [`LiveSession::asks`] has the sentences.
    Held,
}

/// A refused write: every entry on its way after it was refused too (each expects its place in the
/// sequence) and is off the timeline; the memos of all of them, oldest first.
pub struct Refused {
    pub error: StoreError,
    pub given_back: Vec<Memo>,
}

impl LiveSession {
    /// Sends `command`'s entries, unless a soft stop holds it until [`go_ahead`](Self::go_ahead).
    /// `memo` is given when the note field's words are in it: the draft is cleared with the entries.
    pub fn submit(
        &mut self,
        sender: &mut impl Sender,
        command: LiveCommand,
        memo: Option<Memo>,
    ) -> Result<Submitted, StoreError> {
        if let Some(action) = guarded(&command) {
            let warnings = self.soft_stops(action);
            if !warnings.is_empty() {
                self.held = Some(Held {
                    warnings,
                    action: HeldAction::Log {
                        command,
                        from_composer: memo.is_some(),
                    },
                });
                return Ok(Submitted::Held);
            }
        }
        self.send(sender, command, memo).map(|()| Submitted::Sent)
    }

    /// Ends the session with its closing note and discharge, unless a soft stop holds it.
    pub fn submit_end(
        &mut self,
        sender: &mut impl Sender,
        note: String,
        discharge: Discharge,
        memo: Option<Memo>,
    ) -> Result<Submitted, StoreError> {
        let warnings = self.soft_stops(Guarded::End(&discharge));
        if warnings.is_empty() {
            return self
                .send_end(sender, &note, Some(discharge), memo)
                .map(|()| Submitted::Sent);
        }
        self.held = Some(Held {
            warnings,
            action: HeldAction::End { note, discharge },
        });
        Ok(Submitted::Held)
    }

    /// The sentences a soft stop asks before the action it holds.
    pub fn asks(&self) -> Option<&[String]> {
        self.held.as_ref().map(|held| held.warnings.as_slice())
    }

    /// Whether going ahead sends the note field's words (the window then gives a memo).
    pub fn held_from_composer(&self) -> bool {
        self.held
            .as_ref()
            .is_some_and(|held| held.action.sends_composer())
    }

    /// Lets go of the action a soft stop held; nothing is recorded.
    pub fn go_back(&mut self) {
        self.held = None;
    }

    /// Carries out what a soft stop held, with an entry for each sentence the clinician went past.
    pub fn go_ahead(
        &mut self,
        sender: &mut impl Sender,
        memo: Option<Memo>,
    ) -> Result<(), StoreError> {
        let Some(Held { warnings, action }) = self.held.take() else {
            return Ok(());
        };
        match action {
            HeldAction::Log { command, .. } => {
                let then = Some(Box::new(command));
                self.send(sender, LiveCommand::GoAhead { warnings, then }, memo)
            }
            HeldAction::End { note, discharge } => {
                let acknowledged = LiveCommand::GoAhead {
                    warnings,
                    then: None,
                };
                self.send(sender, acknowledged, None)?;
                self.send_end(sender, &note, Some(discharge), memo)
            }
        }
    }

    /// Validates `command` and sends its entries, shown at once as saving; no soft stop asked.
    pub fn send(
        &mut self,
        sender: &mut impl Sender,
        command: LiveCommand,
        memo: Option<Memo>,
    ) -> Result<(), StoreError> {
        let Prepared {
            session,
            expected_next,
            events,
        } = self.prepare(command)?;
        let clears_draft = memo.is_some();
        let answer = sender.send(AppendEvents {
            session,
            expected_next,
            events,
            clear_draft: clears_draft,
        });
        self.in_flight.push_back(InFlight {
            answer,
            sent: Sent {
                memo,
                clears_draft,
                ends: false,
            },
        });
        Ok(())
    }

    pub(super) fn send_end(
        &mut self,
        sender: &mut impl Sender,
        note: &str,
        discharge: Option<Discharge>,
        memo: Option<Memo>,
    ) -> Result<(), StoreError> {
        let Prepared {
            session,
            expected_next,
            events,
        } = self.prepare_end(note, discharge)?;
        let answer = sender.send(EndSession {
            session,
            expected_next,
            closing: events,
        });
        self.in_flight.push_back(InFlight {
            answer,
            sent: Sent {
                memo,
                clears_draft: true,
                ends: true,
            },
        });
        Ok(())
    }

    /// Reads the answers that have come, oldest first: entries become saved, or a refusal takes
    /// them and every later one back.
    pub fn take_answers(&mut self) -> Option<Refused> {
        while let Some(ack) = self.in_flight.front().and_then(|sent| sent.answer.poll()) {
            let InFlight { sent, .. } = self.in_flight.pop_front()?;
            if let Some(refused) = self.answered(sent, ack) {
                return Some(refused);
            }
        }
        None
    }

    /// Waits for every answer (the command line and tests); a refusal is the error.
    pub fn wait_for_answers(&mut self) -> Result<(), StoreError> {
        while let Some(InFlight { answer, sent }) = self.in_flight.pop_front() {
            if let Some(refused) = self.answered(sent, answer.wait()) {
                return Err(refused.error);
            }
        }
        Ok(())
    }

    fn answered(&mut self, sent: Sent, ack: Ack<Vec<Event>>) -> Option<Refused> {
        match ack.result {
            Ok(closing) if sent.ends => {
                self.draft.committed(ack.order);
                self.confirm_end(closing);
                None
            }
            Ok(committed) => {
                self.confirm(committed);
                if sent.clears_draft {
                    self.draft.committed(ack.order);
                }
                None
            }
            Err(error) => {
                self.refuse();
                let later = std::mem::take(&mut self.in_flight);
                let given_back = std::iter::once(sent.memo)
                    .chain(later.into_iter().map(|later| later.sent.memo))
                    .flatten()
                    .collect();
                Some(Refused { error, given_back })
            }
        }
    }

    /// Whether the session's end is on its way.
    pub fn ending(&self) -> bool {
        self.in_flight.iter().any(|in_flight| in_flight.sent.ends)
    }

    /// Keeps the note field's `text` as the draft, at most half a second behind; returns how long to
    /// wait before calling again while unsaved words remain.
    pub fn keep_draft(&mut self, sender: &mut impl Sender, text: &str) -> Option<Duration> {
        let at = (self.clock().monotonic(), self.clock().wall());
        let session = self.session().id;
        self.draft.keep(sender, session, text, at)
    }

    /// Sends the draft at once (on lock and exit).
    pub fn save_draft_now(&mut self, sender: &mut impl Sender, text: &str) {
        let wall = self.clock().wall();
        let session = self.session().id;
        self.draft.force(sender, session, text, wall);
    }

    /// Whether the note field's `text` and every entry are on the disk.
    pub fn save_status(&self, text: &str) -> SaveStatus {
        self.draft.status(text, self.pending().len())
    }
}
