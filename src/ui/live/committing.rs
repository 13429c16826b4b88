//! Turning what the clinician submitted into entries on their way to the disk: the composer's entry,
//! a soft stop gone past, the end of the session. Each becomes one write to the journal worker; the
//! entries show at once as saving, then as saved when the worker answers. A refused write takes its
//! entries (and every one after it) back off the timeline and puts the words back in the note field.

use super::forms::Form;
use super::soft_stop::{self, Held, Pending};
use super::{Intent, LiveView};
use crate::changes::{AppendEvents, EndSession};
use crate::live::{LiveCommand, Prepared};
use crate::worker::Journal;

/// A write the live view waits on.
pub(super) struct Sending {
    answer: crate::worker::Pending<Vec<crate::domain::Event>>,
    /// The composer as it was when it became this write (its words and form), given back if the
    /// write is refused.
    before: Option<(String, Form)>,
    /// It is the session's end.
    ends: bool,
}

impl LiveView {
    pub(super) fn submit(&mut self, journal: &Journal) {
        self.error = None;
        // Nothing follows the end; if it is refused, the form comes back to be sent again.
        if self.ending() {
            return;
        }
        if let Some(pending) = self.pending.take() {
            return self.go_ahead(journal, pending);
        }
        match self.composer.intent() {
            Err(error) => self.error = Some(error.to_string()),
            Ok(Intent::Log(command)) => self.log(journal, command, true),
            Ok(Intent::End(note, discharge)) => {
                let warnings = self
                    .live
                    .soft_stops(crate::domain::Guarded::End(&discharge));
                if warnings.is_empty() {
                    return self.end(journal, &note, discharge);
                }
                self.pending = Some(Pending {
                    warnings,
                    action: Held::End { note, discharge },
                });
            }
        }
    }

    /// Carries out what a soft stop held, with an entry for each sentence the clinician went past.
    pub(super) fn go_ahead(&mut self, journal: &Journal, pending: Pending) {
        let warnings = pending.warnings;
        match pending.action {
            Held::Log {
                command,
                from_composer,
            } => {
                let then = Some(Box::new(command));
                self.commit(
                    journal,
                    LiveCommand::GoAhead { warnings, then },
                    from_composer,
                );
            }
            Held::End { note, discharge } => {
                let acknowledged = LiveCommand::GoAhead {
                    warnings,
                    then: None,
                };
                if self.commit(journal, acknowledged, false) {
                    self.end(journal, &note, discharge);
                }
            }
        }
    }

    fn end(&mut self, journal: &Journal, note: &str, discharge: crate::domain::Discharge) {
        match self.live.prepare_end(note, Some(discharge)) {
            Ok(Prepared {
                session,
                expected_next,
                events,
            }) => {
                let answer = journal.send(EndSession {
                    session,
                    expected_next,
                    closing: events,
                });
                let before = self.take_composer();
                self.writing.push_back(Sending {
                    answer,
                    before: Some(before),
                    ends: true,
                });
                self.take_answers();
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// Commits a command, unless a soft stop holds it until the clinician goes ahead.
    pub(super) fn log(&mut self, journal: &Journal, command: LiveCommand, from_composer: bool) {
        if let Some(action) = soft_stop::guarded(&command) {
            let warnings = self.live.soft_stops(action);
            if !warnings.is_empty() {
                self.pending = Some(Pending {
                    warnings,
                    action: Held::Log {
                        command,
                        from_composer,
                    },
                });
                return;
            }
        }
        self.commit(journal, command, from_composer);
    }

    /// Sends a command's entries to the worker; true when they were valid and are on their way. A
    /// composer entry is cleared at once (the draft row with it, in the same transaction); on a
    /// refusal its words come back.
    pub(super) fn commit(
        &mut self,
        journal: &Journal,
        command: LiveCommand,
        from_composer: bool,
    ) -> bool {
        match self.live.prepare(command) {
            Ok(Prepared {
                session,
                expected_next,
                events,
            }) => {
                let answer = journal.send(AppendEvents {
                    session,
                    expected_next,
                    events,
                    clear_draft: from_composer,
                });
                let before = from_composer.then(|| self.take_composer());
                self.writing.push_back(Sending {
                    answer,
                    before,
                    ends: false,
                });
                self.take_answers();
                true
            }
            Err(error) => {
                self.error = Some(error.to_string());
                false
            }
        }
    }

    /// Reads the worker's answers that have come, oldest first: entries become saved, or a refusal
    /// takes them back.
    pub(super) fn take_answers(&mut self) {
        while let Some(ack) = self.writing.front().and_then(|sent| sent.answer.poll()) {
            let Some(sent) = self.writing.pop_front() else {
                break;
            };
            match ack.result {
                Ok(closing) if sent.ends => {
                    self.draft.committed(ack.order);
                    self.live.confirm_end(closing);
                }
                Ok(committed) => {
                    self.resumed_notice = None;
                    self.live.confirm(committed);
                    if sent.before.is_some() {
                        self.draft.committed(ack.order);
                    }
                }
                Err(error) => {
                    self.refused(sent, error.to_string());
                    return;
                }
            }
        }
    }

    /// Whether the session's end is on its way.
    pub(super) fn ending(&self) -> bool {
        self.writing.iter().any(|sent| sent.ends)
    }

    /// Empties the composer for the next entry and returns what it held.
    fn take_composer(&mut self) -> (String, Form) {
        let before = (
            std::mem::take(&mut self.composer.text),
            self.composer.form.clone(),
        );
        self.composer.reset();
        before
    }

    /// A write was refused, so every one after it is too (each expects its place in the sequence):
    /// the pending entries leave the timeline, and the composer gets back the first refused entry's
    /// form with the words of all of them before what was typed since.
    fn refused(&mut self, first: Sending, error: String) {
        self.live.refuse();
        let later = std::mem::take(&mut self.writing);
        let mut returned = std::iter::once(first)
            .chain(later)
            .filter_map(|sent| sent.before);
        if let Some((words, form)) = returned.next() {
            let typed = std::mem::take(&mut self.composer.text);
            self.composer.text = std::iter::once(words)
                .chain(returned.map(|(words, _)| words))
                .chain(std::iter::once(typed))
                .filter(|words| !words.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            self.composer.open(form);
        }
        self.error = Some(error);
    }
}
