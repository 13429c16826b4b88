//! The notes written about a session after it: the progress note in SOAP, DAP or BIRP, drafted from
//! the timeline, and the private psychotherapy note, read from the journal only when it is opened
//! on purpose and dropped from memory when it is closed. Both are saved as they are typed.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::{format, theme, widgets};
use crate::changes::{SavePrivateNote, SaveProgressNote};
use crate::domain::{NoteFormat, ProgressNote, SessionFacts, SessionId};
use crate::store::{Store, StoreError};
use crate::ui::saved_form::SavedForm;
use crate::ui::status::Status;
use crate::worker::Journal;

/// The shortest time between two writes while typing, in seconds.
const SAVE_INTERVAL_S: f64 = 0.5;

/// Whether a note is saved, beside it; `blank` says the text has nothing in it yet.
fn note_status<T: Clone + PartialEq>(note: &SavedForm<T>, what: &str, blank: bool) -> RichText {
    match &note.status {
        Status::Problem(why) => RichText::new(format!("{what} NOT saved: {why}"))
            .color(theme::warning())
            .strong(),
        _ if note.unsaved() => RichText::new("Saving…").color(theme::muted()),
        Status::Done(said) => RichText::new(said).color(theme::saved()),
        Status::Quiet if blank => RichText::new("Not written yet").color(theme::muted()),
        Status::Quiet => RichText::new(format!("{what} is in the journal")).color(theme::muted()),
    }
}

/// The sentence of a save that failed, if the last one did.
fn refused<T>(note: &SavedForm<T>) -> Option<&str> {
    match &note.status {
        Status::Problem(why) => Some(why),
        Status::Quiet | Status::Done(_) => None,
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
    progress: SavedForm<ProgressNote>,
    facts: SessionFacts,
    /// `None` until the clinician opens the private note, and again once it is closed.
    private: Option<SavedForm<String>>,
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
            .record()
            .progress_note(session)?
            .unwrap_or_else(|| ProgressNote::blank(NoteFormat::default()));
        Ok(Self {
            session,
            progress: SavedForm::new(progress, Status::Quiet),
            facts,
            private: None,
            has_private: store.record().has_private_note(session)?,
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
        (!self.progress.saved().is_blank()).then_some(self.progress.saved())
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
            ui.label(note_status(&self.progress, "Progress note", blank));
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
        if self.progress.is_waiting() {
            let done = format!("Progress note saved {}", format::clock_time(wall));
            self.progress.answer(&done, |()| None);
        }
        let unsaved =
            self.progress
                .keep(journal, (now, SAVE_INTERVAL_S), |note| SaveProgressNote {
                    session,
                    note: note.clone(),
                    at: wall,
                });
        if unsaved {
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
        let note = self.progress.saved();
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
                match journal.read().record().private_note(self.session) {
                    Ok(note) => {
                        let text = note.map(|n| n.text).unwrap_or_default();
                        self.private = Some(SavedForm::new(text, Status::Quiet));
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
        if private.is_waiting() {
            private.answer(&private_saved(wall), |()| None);
        }
        let unsaved = private.keep(journal, (now, SAVE_INTERVAL_S), |text| SavePrivateNote {
            session,
            text: text.clone(),
            at: wall,
        });
        if unsaved {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SAVE_INTERVAL_S));
        }
        let status = note_status(private, "Private note", private.editing.trim().is_empty());
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
            self.has_private = !private.saved().trim().is_empty();
            self.private = None;
        }
    }

    /// Writes whatever is unsaved at once (leaving the view, closing the app).
    pub fn save_now(&mut self, journal: &Journal, wall: DateTime<Utc>) {
        let session = self.session;
        let done = format!("Progress note saved {}", format::clock_time(wall));
        self.progress
            .save_and_wait(journal, &done, |note| SaveProgressNote {
                session,
                note: note.clone(),
                at: wall,
            });
        if let Some(private) = &mut self.private {
            private.save_and_wait(journal, &private_saved(wall), |text| SavePrivateNote {
                session,
                text: text.clone(),
                at: wall,
            });
            self.has_private = !private.editing.trim().is_empty();
        }
    }

    /// A save failed and the words are only on screen.
    pub fn unsaved_error(&self) -> Option<&str> {
        refused(&self.progress).or_else(|| self.private.as_ref().and_then(refused))
    }
}

/// What the private note's status says once it is saved.
fn private_saved(wall: DateTime<Utc>) -> String {
    format!("Private note saved {}", format::clock_time(wall))
}
