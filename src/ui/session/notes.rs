//! The notes written about a session after it: the progress note in SOAP, DAP or BIRP, drafted from
//! the timeline, and the private psychotherapy note, read from the journal only when it is opened
//! on purpose and dropped from memory when it is closed. Both are saved as they are typed.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::{format, theme, widgets};
use crate::changes::{SavePrivateNote, SaveProgressNote};
use crate::domain::{NoteFormat, ProgressNote, SessionFacts, SessionId};
use crate::store::{Store, StoreError};
use crate::worker::{Ack, Journal, Pending};

/// The shortest time between two writes while typing, in seconds.
const SAVE_INTERVAL_S: f64 = 0.5;

/// A text being edited and what the journal holds of it. While typing, one write at a time is on its
/// way to the journal worker and the frame never waits for it; leaving the note waits for the last.
struct Kept<T> {
    editing: T,
    saved: T,
    saved_at: Option<DateTime<Utc>>,
    error: Option<String>,
    last_write_s: f64,
    /// The value sent, when it was typed, and the worker's answer to come.
    sending: Option<(T, DateTime<Utc>, Pending<()>)>,
}

impl<T: Clone + PartialEq> Kept<T> {
    fn new(value: T) -> Self {
        Self {
            editing: value.clone(),
            saved: value,
            saved_at: None,
            error: None,
            last_write_s: f64::NEG_INFINITY,
            sending: None,
        }
    }

    fn unsaved(&self) -> bool {
        self.editing != self.saved
    }

    /// Sends the edited value with `send` when it changed, the last write is long enough ago and
    /// has been answered.
    fn keep(&mut self, now_s: f64, wall: DateTime<Utc>, send: impl FnOnce(&T) -> Pending<()>) {
        self.take_answer();
        if !self.unsaved() || self.sending.is_some() || now_s - self.last_write_s < SAVE_INTERVAL_S
        {
            return;
        }
        self.last_write_s = now_s;
        self.sending = Some((self.editing.clone(), wall, send(&self.editing)));
        self.take_answer();
    }

    /// Writes what is unsaved and waits for the answer (leaving the view, closing the note or the app).
    fn save_and_wait(&mut self, wall: DateTime<Utc>, send: impl FnOnce(&T) -> Pending<()>) {
        if let Some((value, at, answer)) = self.sending.take() {
            self.answered(value, at, answer.wait());
        }
        if self.unsaved() {
            let value = self.editing.clone();
            let answer = send(&value).wait();
            self.answered(value, wall, answer);
        }
    }

    fn take_answer(&mut self) {
        let Some(ack) = self
            .sending
            .as_ref()
            .and_then(|(_, _, answer)| answer.poll())
        else {
            return;
        };
        if let Some((value, at, _)) = self.sending.take() {
            self.answered(value, at, ack);
        }
    }

    fn answered(&mut self, value: T, at: DateTime<Utc>, ack: Ack<()>) {
        match ack.result {
            Ok(()) => {
                self.saved = value;
                self.saved_at = Some(at);
                self.error = None;
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// Whether the note is saved; `blank` says the text has nothing in it yet.
    fn status(&self, what: &str, blank: bool) -> RichText {
        if let Some(error) = &self.error {
            return RichText::new(format!("{what} NOT saved: {error}"))
                .color(theme::warning())
                .strong();
        }
        if self.unsaved() {
            return RichText::new("Saving…").color(theme::muted());
        }
        match self.saved_at {
            Some(at) => RichText::new(format!("{what} saved {}", format::clock_time(at)))
                .color(theme::saved()),
            None if blank => RichText::new("Not written yet").color(theme::muted()),
            None => RichText::new(format!("{what} is in the journal")).color(theme::muted()),
        }
    }
}

/// Why a session's progress note is not edited here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadOnly {
    Signed,
    /// A colleague's session copied from the practice, signed or not.
    Copied,
}

/// The two notes of one session.
pub struct SessionNotes {
    session: SessionId,
    progress: Kept<ProgressNote>,
    facts: SessionFacts,
    /// `None` until the clinician opens the private note, and again once it is closed.
    private: Option<Kept<String>>,
    has_private: bool,
    /// Why the progress note is shown and never edited, if it is.
    read_only: Option<ReadOnly>,
    error: Option<String>,
    /// Set when the private note was just opened, so typing goes into it.
    focus_private: bool,
}

impl SessionNotes {
    /// The progress note as stored (or a blank SOAP note); the private note is not read.
    pub fn load(
        store: &Store,
        session: SessionId,
        facts: SessionFacts,
        (signed, copied): (bool, bool),
    ) -> Result<Self, StoreError> {
        let progress = store
            .progress_note(session)?
            .unwrap_or_else(|| ProgressNote::blank(NoteFormat::default()));
        Ok(Self {
            session,
            progress: Kept::new(progress),
            facts,
            private: None,
            has_private: store.has_private_note(session)?,
            read_only: if copied {
                Some(ReadOnly::Copied)
            } else {
                signed.then_some(ReadOnly::Signed)
            },
            error: None,
            focus_private: false,
        })
    }

    /// The progress note as saved, for exports made from the screen.
    pub fn saved_progress(&self) -> Option<&ProgressNote> {
        (!self.progress.saved.is_blank()).then_some(&self.progress.saved)
    }

    /// Whether the session has a private note (without reading it).
    pub fn has_private(&self) -> bool {
        self.has_private
    }

    /// The progress note editor; for a signed session, the note as signed.
    pub fn progress_ui(&mut self, ui: &mut Ui, journal: &Journal, wall: DateTime<Utc>) {
        if self.read_only.is_some() {
            self.signed_progress_ui(ui);
            return;
        }
        ui.horizontal(|ui| {
            let mut format = self.progress.editing.format();
            let options: Vec<_> = NoteFormat::ALL.iter().map(|f| (*f, f.label())).collect();
            widgets::chips(ui, "Format", &mut format, &options);
            if format != self.progress.editing.format() {
                self.progress.editing = self.progress.editing.convert(format);
            }
            if ui
                .button("Fill empty sections from the timeline")
                .on_hover_text("Sections with writing in them are left as they are.")
                .clicked()
            {
                self.progress.editing.fill_empty(&self.facts);
            }
            let blank = self.progress.editing.is_blank();
            ui.label(self.progress.status("Progress note", blank));
        });
        ui.add_space(theme::GAP);
        let headings = self.progress.editing.format().sections();
        for (heading, text) in headings
            .iter()
            .zip(self.progress.editing.sections_mut().iter_mut())
        {
            widgets::labelled_multiline(ui, heading, text, "", 4);
            ui.add_space(4.0);
        }
        let now = ui.input(|input| input.time);
        let session = self.session;
        self.progress.keep(now, wall, |note| {
            send_progress(journal, session, note, wall)
        });
        if self.progress.unsaved() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SAVE_INTERVAL_S));
        }
    }

    /// A signed progress note, read-only; corrections are addenda, under the timeline.
    fn signed_progress_ui(&self, ui: &mut Ui) {
        let (about, blank) = if self.read_only == Some(ReadOnly::Copied) {
            (
                "A colleague's session, read-only: its progress note comes with their signature.",
                "No progress note has come with this session.",
            )
        } else {
            (
                "Signed: this note no longer changes. Add a correction as an addendum, under the \
                 timeline.",
                "No progress note was written before signing.",
            )
        };
        ui.label(RichText::new(about).color(theme::muted()));
        let note = &self.progress.saved;
        if note.is_blank() {
            ui.label(blank);
            return;
        }
        ui.label(RichText::new(note.format().label()).strong());
        for (heading, text) in note.headed() {
            ui.add_space(theme::GAP);
            ui.label(RichText::new(heading).strong());
            ui.label(if text.trim().is_empty() {
                "(left blank)"
            } else {
                text
            });
        }
    }

    /// The private note: closed until opened on purpose.
    pub fn private_ui(&mut self, ui: &mut Ui, journal: &Journal, wall: DateTime<Utc>) {
        ui.label(
            RichText::new(
                "The private psychotherapy note is kept apart from the progress record. It is not \
                 searched, listed, summarised or exported unless you ask for it.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        widgets::error_line(ui, self.error.as_deref());
        let Some(private) = &mut self.private else {
            let label = if self.has_private {
                "Open private note"
            } else {
                "Write a private note"
            };
            if ui.button(label).clicked() {
                match journal.read().private_note(self.session) {
                    Ok(note) => {
                        self.private = Some(Kept::new(note.map(|n| n.text).unwrap_or_default()));
                        self.error = None;
                        self.focus_private = true;
                    }
                    Err(error) => self.error = Some(error.to_string()),
                }
            }
            return;
        };
        let field = widgets::labelled_multiline(
            ui,
            "Private psychotherapy note",
            &mut private.editing,
            "",
            12,
        );
        // Opening the note is for writing in it: the typing goes there at once.
        if std::mem::take(&mut self.focus_private) {
            field.request_focus();
        }
        let now = ui.input(|input| input.time);
        let session = self.session;
        private.keep(now, wall, |text| send_private(journal, session, text, wall));
        if private.unsaved() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SAVE_INTERVAL_S));
        }
        let status = private.status("Private note", private.editing.trim().is_empty());
        let close = ui
            .horizontal(|ui| {
                ui.label(status);
                ui.button("Close private note").clicked()
            })
            .inner;
        if close {
            self.close_private(journal, wall);
        }
    }

    /// Saves what is typed and takes the private note off the screen and out of memory.
    pub fn close_private(&mut self, journal: &Journal, wall: DateTime<Utc>) {
        self.save_now(journal, wall);
        if let Some(private) = &self.private
            && !private.unsaved()
        {
            self.has_private = !private.saved.trim().is_empty();
            self.private = None;
        }
    }

    /// Writes whatever is unsaved at once (leaving the view, closing the app).
    pub fn save_now(&mut self, journal: &Journal, wall: DateTime<Utc>) {
        let session = self.session;
        self.progress
            .save_and_wait(wall, |note| send_progress(journal, session, note, wall));
        if let Some(private) = &mut self.private {
            private.save_and_wait(wall, |text| send_private(journal, session, text, wall));
            self.has_private = !private.editing.trim().is_empty();
        }
    }

    /// A save failed and the words are only on screen.
    pub fn unsaved_error(&self) -> Option<&str> {
        self.progress
            .error
            .as_deref()
            .or_else(|| self.private.as_ref().and_then(|p| p.error.as_deref()))
    }
}

/// Sends the progress note to the journal worker.
fn send_progress(
    journal: &Journal,
    session: SessionId,
    note: &ProgressNote,
    at: DateTime<Utc>,
) -> Pending<()> {
    journal.send(SaveProgressNote {
        session,
        note: note.clone(),
        at,
    })
}

/// Sends the private note to the journal worker.
fn send_private(
    journal: &Journal,
    session: SessionId,
    text: &str,
    at: DateTime<Utc>,
) -> Pending<()> {
    journal.send(SavePrivateNote {
        session,
        text: text.to_owned(),
        at,
    })
}
