//! Keeps the half-typed note in the database, at most half a second behind the keyboard, and says
//! honestly whether it is saved: a draft counts as saved only once its answer says so, and the
//! newest answer wins (answers are numbered in the order they were written).

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Sender;
use super::changes::SaveDraft;
use crate::domain::SessionId;
use crate::store::Draft;
use crate::worker::Pending;

/// The shortest time between two draft writes; a fast typist costs two small commits a second.
const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// A draft write on its way: the text, when it was typed, and the answer to come.
struct Sent {
    text: String,
    at: DateTime<Utc>,
    answer: Pending<()>,
}

/// What the database holds of the draft, and when it was last written.
pub(super) struct DraftKeeper {
    /// The draft found when the session was taken up (after a restart, the words to give back).
    found: Option<Draft>,
    saved: String,
    saved_at: Option<DateTime<Utc>>,
    /// The number of the write `saved` came from; an older answer never overrides it.
    saved_order: u64,
    sent: VecDeque<Sent>,
    last_attempt: Option<Duration>,
    error: Option<String>,
}

/// Whether what the clinician typed is safe on the disk, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    /// The last draft write was refused, with why.
    DraftNotSaved(String),
    /// This many entries are still on their way to the disk.
    SavingEntries(usize),
    /// The words in the note field are on their way.
    SavingDraft,
    /// The words in the note field are on the disk (since when, once this engine wrote them).
    DraftSaved(Option<DateTime<Utc>>),
    /// Every entry is committed and the note field is empty.
    AllSaved,
}

impl DraftKeeper {
    /// `found` is the draft as the database held it.
    pub(super) fn new(found: Option<Draft>) -> Self {
        Self {
            saved: found
                .as_ref()
                .map(|draft| draft.text.clone())
                .unwrap_or_default(),
            found,
            saved_at: None,
            saved_order: 0,
            sent: VecDeque::new(),
            last_attempt: None,
            error: None,
        }
    }

    /// The draft found when the session was taken up.
    pub(super) fn found(&self) -> Option<&Draft> {
        self.found.as_ref()
    }

    /// Saves `text` if it changed and the last write is long enough ago and answered. Returns how
    /// long to wait before calling again while unsaved text remains (an answer wakes the window
    /// sooner).
    pub(super) fn keep(
        &mut self,
        sender: &mut impl Sender,
        session: SessionId,
        text: &str,
        (now, wall): (Duration, DateTime<Utc>),
    ) -> Option<Duration> {
        self.take_answers();
        if text == self.saved {
            return None;
        }
        if !self.sent.is_empty() {
            return Some(MIN_INTERVAL);
        }
        if let Some(last) = self.last_attempt {
            let since = now.saturating_sub(last);
            if since < MIN_INTERVAL {
                return Some(MIN_INTERVAL.saturating_sub(since));
            }
        }
        self.last_attempt = Some(now);
        self.force(sender, session, text, wall);
        Some(MIN_INTERVAL)
    }

    /// Sends the draft now, whatever the interval (on lock and exit; the worker writes everything
    /// sent before it closes).
    pub(super) fn force(
        &mut self,
        sender: &mut impl Sender,
        session: SessionId,
        text: &str,
        wall: DateTime<Utc>,
    ) {
        let answer = sender.send(SaveDraft {
            session,
            text: text.to_owned(),
            at: wall,
        });
        self.sent.push_back(Sent {
            text: text.to_owned(),
            at: wall,
            answer,
        });
        self.take_answers();
    }

    /// Reads the answers that have come, oldest first.
    fn take_answers(&mut self) {
        while let Some(ack) = self.sent.front().and_then(|sent| sent.answer.poll()) {
            let Some(sent) = self.sent.pop_front() else {
                break;
            };
            match ack.result {
                Ok(()) => {
                    self.error = None;
                    self.saved_as(sent.text, Some(sent.at), ack.order);
                }
                Err(error) => self.error = Some(error.to_string()),
            }
        }
    }

    fn saved_as(&mut self, text: String, at: Option<DateTime<Utc>>, order: u64) {
        if order > self.saved_order {
            self.saved = text;
            self.saved_at = at;
            self.saved_order = order;
        }
    }

    /// The entry the draft became was committed as the write `order`, and the draft row cleared
    /// with it.
    pub(super) fn committed(&mut self, order: u64) {
        self.last_attempt = None;
        self.take_answers();
        // That transaction wrote the draft row: a failure of an earlier draft write is over.
        self.error = None;
        self.saved_as(String::new(), None, order);
    }

    /// Whether `text` (the note field) and `unsaved` entries on their way are on the disk.
    pub(super) fn status(&self, text: &str, unsaved: usize) -> SaveStatus {
        if let Some(error) = &self.error {
            return SaveStatus::DraftNotSaved(error.clone());
        }
        if unsaved > 0 {
            return SaveStatus::SavingEntries(unsaved);
        }
        if text != self.saved {
            return SaveStatus::SavingDraft;
        }
        if text.is_empty() {
            SaveStatus::AllSaved
        } else {
            SaveStatus::DraftSaved(self.saved_at)
        }
    }
}
