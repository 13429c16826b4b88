//! Handing what the clinician submitted to the live engine, which owns each entry's life
//! (`live/sending.rs`): the composer's entry, a soft stop gone past, the end of the session. The view
//! gives the engine the note field's words with each entry from it, empties the field, and puts the
//! words back should the engine say the entry was refused.

use super::LiveView;
use super::forms::{Form, Intent};
use crate::live::{LiveCommand, Memo, Refused, Submitted};
use crate::store::StoreError;
use crate::worker::Journal;

/// What the note field held when its words became an entry: given back if the entry is refused.
struct Returned {
    words: String,
    form: Form,
}

impl LiveView {
    pub(super) fn submit(&mut self, mut journal: &Journal) {
        self.error = None;
        // Nothing follows the end; if it is refused, the form comes back to be sent again.
        if self.live.ending() {
            return;
        }
        if self.live.asks().is_some() {
            return self.go_ahead(journal);
        }
        match self.composer.intent() {
            Err(error) => self.error = Some(error.to_string()),
            Ok(Intent::Log(command)) => self.log(journal, command, true),
            Ok(Intent::End(note, discharge)) => {
                let memo = Some(self.memo());
                let submitted = self.live.submit_end(&mut journal, note, discharge, memo);
                self.after(submitted, true);
            }
        }
    }

    /// Carries out what a soft stop held, with an entry for each sentence the clinician went past.
    pub(super) fn go_ahead(&mut self, mut journal: &Journal) {
        let from_composer = self.live.held_from_composer();
        let memo = from_composer.then(|| self.memo());
        let sent = self.live.go_ahead(&mut journal, memo);
        self.after(sent.map(|()| Submitted::Sent), from_composer);
    }

    /// Ends this journal's part of a colleague's session with the session.
    pub(super) fn end_joined_part(&mut self, mut journal: &Journal) {
        let sent = self.live.end_with_author(&mut journal);
        self.after(sent.map(|()| Submitted::Sent), false);
    }

    /// Logs a command, unless a soft stop holds it until the clinician goes ahead.
    /// `from_composer` when the note field's words are in it.
    pub(super) fn log(&mut self, mut journal: &Journal, command: LiveCommand, from_composer: bool) {
        let memo = from_composer.then(|| self.memo());
        let submitted = self.live.submit(&mut journal, command, memo);
        self.after(submitted, from_composer);
    }

    /// Entries on their way empty the note field they came from; a command that is not valid says
    /// why and leaves the field as it is.
    fn after(&mut self, submitted: Result<Submitted, StoreError>, from_composer: bool) {
        match submitted {
            Ok(Submitted::Sent) => {
                if from_composer {
                    self.composer.reset();
                }
                self.take_answers();
            }
            Ok(Submitted::Held) => {}
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    fn memo(&self) -> Memo {
        Box::new(Returned {
            words: self.composer.text.clone(),
            form: self.composer.form.clone(),
        })
    }

    /// Reads the answers that have come: entries become saved, or a refusal gives words back.
    pub(super) fn take_answers(&mut self) {
        let on_their_way = self.live.pending().len();
        match self.live.take_answers() {
            Some(refused) => self.refused(refused),
            None if self.live.pending().len() < on_their_way => self.resumed_notice = None,
            None => {}
        }
    }

    /// A write was refused, so every one after it was too: the composer gets back the first refused
    /// entry's form with the words of all of them before what was typed since.
    fn refused(&mut self, refused: Refused) {
        let mut returned = refused
            .given_back
            .into_iter()
            .filter_map(|memo| memo.downcast::<Returned>().ok());
        if let Some(first) = returned.next() {
            let typed = std::mem::take(&mut self.composer.text);
            self.composer.text = std::iter::once(first.words)
                .chain(returned.map(|returned| returned.words))
                .chain(std::iter::once(typed))
                .filter(|words| !words.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            self.composer.open(first.form);
        }
        self.error = Some(refused.error.to_string());
    }
}
