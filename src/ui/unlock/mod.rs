//! The first screen: choose the journal's passphrase (a new journal, or one from before encryption) or
//! unlock it. Nothing of the journal is read before the passphrase is right.

pub(super) mod lock_screen;
pub(super) mod restore;
pub(super) mod restore_elsewhere;

use egui::{RichText, TextEdit, Ui};

use self::restore_elsewhere::RestoreElsewhere;
use super::background::{Job, Poll, Progress};
use super::{format, theme};
use crate::store::{
    BackupFile, DataKey, JournalState, LockedJournal, MIN_PASSPHRASE_CHARS, Passphrase, Store,
    StoreError, unlock_key,
};

/// What the screen gives the window.
pub enum Unlocked {
    /// The passphrase opened the journal.
    Open(Box<Store>),
    /// The journal is too damaged to open and the clinician chose to restore its newest good
    /// backup; [`UnlockView::into_rescue`] hands over what the restore needs.
    RestoreBackup,
    /// A new folder, and the clinician chose to restore a backup from another computer into it;
    /// [`UnlockView::into_restore_elsewhere`] hands over the folder, the file and the passphrase.
    RestoreElsewhere,
}

/// The passphrase being typed, and what the last try said.
pub struct UnlockView {
    journal: LockedJournal,
    passphrase: String,
    again: String,
    error: Option<String>,
    fields: Vec<egui::Id>,
    /// Set when the screen appears and after a refused try, so typing goes straight to the field.
    focus_first: bool,
    /// When the passphrase was right but the journal too damaged to open: the key (wiped on drop)
    /// and the newest backup that passes every check.
    rescue: Option<(DataKey, BackupFile)>,
    /// A new folder's other way in: a backup from another computer.
    elsewhere: RestoreElsewhere,
    /// The backup and passphrase chosen there, until the window takes them.
    elsewhere_chosen: Option<(std::path::PathBuf, Passphrase)>,
    /// The passphrase being tried on a thread of its own: deriving the key takes a quarter of a
    /// second, and finding a good backup for a damaged journal seconds.
    trying: Option<Job<Tried>>,
}

/// What a try at the passphrase gave.
struct Tried {
    store: Result<Store, StoreError>,
    /// When the passphrase was right but the journal too damaged to open.
    rescue: Option<(DataKey, BackupFile)>,
}

impl UnlockView {
    pub fn new(journal: LockedJournal) -> Self {
        Self {
            journal,
            passphrase: String::new(),
            again: String::new(),
            error: None,
            fields: Vec::new(),
            focus_first: true,
            rescue: None,
            elsewhere: RestoreElsewhere::default(),
            elsewhere_chosen: None,
            trying: None,
        }
    }

    /// The screen again after a restore from another computer failed, saying why.
    pub fn after_failed_restore(
        journal: LockedJournal,
        backup: &std::path::Path,
        problem: &StoreError,
    ) -> Self {
        let mut view = Self::new(journal);
        view.elsewhere.tried(backup, problem.to_string());
        view
    }

    /// The folder, the backup and its passphrase, once the clinician chose to restore one here.
    pub fn into_restore_elsewhere(self) -> Option<(LockedJournal, std::path::PathBuf, Passphrase)> {
        let (backup, passphrase) = self.elsewhere_chosen?;
        Some((self.journal, backup, passphrase))
    }

    /// The folder, the key and the backup to restore, once the clinician chose the rescue.
    pub fn into_rescue(self) -> Option<(LockedJournal, DataKey, std::path::PathBuf)> {
        let (key, backup) = self.rescue?;
        Some((self.journal, key, backup.path))
    }

    /// Draws the screen; returns the journal once the passphrase opens it.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<Unlocked> {
        let mut opened = self.take_try();
        let trying = self.trying.is_some();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(80.0);
            ui.vertical_centered(|ui| {
                ui.set_max_width(440.0);
                let choosing = self.journal.state() != JournalState::Encrypted;
                let (heading, explanation, action) = match self.journal.state() {
                    JournalState::New => (
                        "Choose a passphrase for this journal",
                        "Everything KAP Journal stores is encrypted with it. It cannot be recovered \
                         if forgotten: keep it where you keep your other clinical credentials.",
                        "Create journal",
                    ),
                    JournalState::Unencrypted => (
                        "Encrypt this journal",
                        "This journal was written by a version without encryption. Choose a \
                         passphrase: the journal is copied into an encrypted file, the copy is \
                         checked, and only then is the unencrypted file replaced.",
                        "Encrypt journal",
                    ),
                    JournalState::Encrypted => (
                        "Unlock KAP Journal",
                        "Type the journal's passphrase.",
                        "Unlock",
                    ),
                };
                ui.heading(heading);
                ui.add_space(theme::GAP);
                ui.label(RichText::new(explanation).color(theme::muted()));
                ui.add_space(2.0 * theme::GAP);
                self.fields.clear();
                let first = passphrase_field(ui, "Passphrase", &mut self.passphrase);
                let mut submitted = first.lost_focus() && enter_pressed(ui);
                if std::mem::take(&mut self.focus_first) {
                    first.request_focus();
                }
                self.fields.push(first.id);
                if choosing {
                    let again = passphrase_field(ui, "Passphrase again", &mut self.again);
                    self.fields.push(again.id);
                    submitted |= again.lost_focus() && enter_pressed(ui);
                    ui.label(
                        RichText::new(format!("At least {MIN_PASSPHRASE_CHARS} characters."))
                            .small()
                            .color(theme::muted()),
                    );
                }
                ui.add_space(theme::GAP);
                let action = if trying { "Unlocking…" } else { action };
                if (ui.add_enabled(!trying, egui::Button::new(action)).clicked() || submitted)
                    && !trying
                {
                    self.submit(ui.ctx(), choosing);
                }
                if let Some(error) = &self.error {
                    ui.add_space(theme::GAP);
                    ui.label(RichText::new(error).color(theme::warning()).strong());
                }
                if let Some((_, backup)) = &self.rescue {
                    ui.add_space(theme::GAP);
                    let label = format!(
                        "Restore the backup of {}",
                        format::date_time(backup.made_at)
                    );
                    if ui.button(label).clicked() {
                        opened = Some(Unlocked::RestoreBackup);
                    }
                }
                if self.journal.state() == JournalState::New {
                    ui.add_space(3.0 * theme::GAP);
                    ui.separator();
                    ui.add_space(theme::GAP);
                    if let Some(chosen) = self.elsewhere.ui(ui) {
                        self.elsewhere_chosen = Some(chosen);
                        opened = Some(Unlocked::RestoreElsewhere);
                    }
                }
                ui.add_space(2.0 * theme::GAP);
                ui.label(
                    RichText::new(format!("Data folder: {}", self.journal.dir().display()))
                        .small()
                        .color(theme::muted()),
                );
            });
        });
        opened
    }

    /// Starts trying the typed passphrase (choosing it, for a new journal); the answer comes on a
    /// later frame.
    fn submit(&mut self, ctx: &egui::Context, choosing: bool) {
        // The typed text moves into the passphrase, which wipes it when dropped.
        let passphrase = Passphrase::new(std::mem::take(&mut self.passphrase));
        let again = Passphrase::new(std::mem::take(&mut self.again));
        forget_typing(ctx, &self.fields);
        self.focus_first = true;
        if choosing && passphrase.as_bytes() != again.as_bytes() {
            self.error = Some("The two passphrases differ; type them again.".to_owned());
            return;
        }
        self.error = None;
        self.rescue = None;
        let journal = self.journal.clone();
        let work = move |_: &Progress| {
            if choosing {
                Tried {
                    store: journal.create(&passphrase),
                    rescue: None,
                }
            } else {
                unlock(&journal, &passphrase)
            }
        };
        self.trying = Some(Job::start(ctx, "unlock", work));
        // The button says what is happening, and an answer already there is taken.
        ctx.request_repaint();
    }

    /// The journal once the try has opened it; a refusal is said on the screen.
    fn take_try(&mut self) -> Option<Unlocked> {
        let poll = self.trying.as_ref()?.poll();
        let tried = match poll {
            Poll::Running(_) => return None,
            Poll::Finished(tried) => tried,
            Poll::Lost => Tried {
                store: Err(StoreError::BackgroundStopped),
                rescue: None,
            },
        };
        self.trying = None;
        match tried.store {
            Ok(store) => Some(Unlocked::Open(Box::new(store))),
            Err(error) => {
                self.error = Some(error.to_string());
                self.rescue = tried.rescue;
                None
            }
        }
    }
}

/// Unlocks the journal; when the passphrase is right but the journal cannot be opened, finds the
/// newest good backup to offer.
fn unlock(journal: &LockedJournal, passphrase: &Passphrase) -> Tried {
    let key = match unlock_key(journal.dir(), passphrase) {
        Ok(key) => key,
        Err(error) => {
            return Tried {
                store: Err(error),
                rescue: None,
            };
        }
    };
    let store = journal.open_with(key.clone());
    let rescue = match &store {
        Err(StoreError::Corrupt | StoreError::KeyMismatch | StoreError::JournalEmptied) => journal
            .newest_good_backup(&key)
            .ok()
            .flatten()
            .map(|backup| (key, backup)),
        _ => None,
    };
    Tried { store, rescue }
}

/// A masked one-line field named by its label.
pub fn passphrase_field(ui: &mut Ui, label: &str, text: &mut String) -> egui::Response {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(text)
            .password(true)
            .desired_width(320.0),
    )
    .labelled_by(label.id)
}

/// Enter this frame, for a one-line field that lost focus to it.
pub fn enter_pressed(ui: &Ui) -> bool {
    ui.input(|input| input.key_pressed(egui::Key::Enter))
}

/// Drops the fields' undo history, which keeps copies of what was typed.
pub fn forget_typing(ctx: &egui::Context, fields: &[egui::Id]) {
    for id in fields {
        if let Some(mut state) = TextEdit::load_state(ctx, *id) {
            state.clear_undoer();
            state.store(ctx, *id);
        }
    }
}
