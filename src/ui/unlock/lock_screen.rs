//! What the window shows while locked: no client data, only the passphrase field. The views behind it
//! stay as they were, and a running session keeps its timers and autosave.

use egui::{RichText, Ui};

use super::super::background::{Job, Poll};
use super::super::live::glance;
use super::super::theme;
use super::{enter_pressed, forget_typing, passphrase_field};
use crate::live::LiveSession;
use crate::store::{Passphrase, Store, StoreError};

/// The passphrase being typed to unlock, and what the last try said.
#[derive(Default)]
pub struct LockScreen {
    passphrase: String,
    /// Words typed while a session runs behind the lock: the note field has the focus, so the next
    /// note is never taken for a passphrase try, and it goes to the session once unlocked.
    held_note: String,
    /// Set when the screen appears with a session running: the note field takes the focus once.
    focus_note: bool,
    error: Option<String>,
    /// Set when the screen appears and after a refused try, so typing goes straight to the field.
    focus_field: bool,
    /// The passphrase being checked on a thread of its own; the window stays locked meanwhile.
    checking: Option<Job<Result<(), StoreError>>>,
}

impl LockScreen {
    pub fn new() -> Self {
        Self {
            focus_field: true,
            focus_note: true,
            ..Self::default()
        }
    }

    /// What was typed into the note field while locked, for the session's note (taken once).
    pub fn take_held_note(&mut self) -> String {
        std::mem::take(&mut self.held_note)
    }

    /// True once the passphrase being checked turned out right.
    fn take_check(&mut self) -> bool {
        let Some(poll) = self.checking.as_ref().map(Job::poll) else {
            return false;
        };
        let checked = match poll {
            Poll::Running(_) => return false,
            Poll::Finished(checked) => checked,
            Poll::Lost => Err(StoreError::BackgroundStopped),
        };
        self.checking = None;
        match checked {
            Ok(()) => true,
            Err(error) => {
                self.error = Some(error.to_string());
                self.focus_field = true;
                false
            }
        }
    }

    /// Draws the screen; `true` once the passphrase is right. With a session `running`, its safety
    /// flags, countdowns and what is due stay on screen above the field (never whose session it is).
    pub fn ui(&mut self, ui: &mut Ui, store: &Store, running: Option<&LiveSession>) -> bool {
        let unlocked = self.take_check();
        let checking = self.checking.is_some();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(if running.is_some() { 40.0 } else { 120.0 });
            ui.vertical_centered(|ui| {
                // Wide enough that a safety flag reads on one line across the room.
                ui.set_max_width(if running.is_some() { 900.0 } else { 440.0 });
                ui.heading("KAP Journal is locked");
                ui.add_space(theme::GAP);
                ui.label(
                    RichText::new(if running.is_some() {
                        "Words typed now go to the session's note; the passphrase field unlocks."
                    } else {
                        "Type the passphrase to return to where you were."
                    })
                    .color(theme::muted()),
                );
                if let Some(live) = running {
                    ui.label(
                        RichText::new("A session is running: its timers go on while locked.")
                            .color(theme::muted()),
                    );
                    ui.add_space(theme::GAP);
                    let color = theme::model_color(live.session().model);
                    for line in glance::all(live) {
                        glance::show(ui, &line, color);
                    }
                    // The countdown ticks on the lock screen too.
                    let into_second = live.elapsed_ms().rem_euclid(1000).unsigned_abs();
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(
                            1000 - into_second,
                        ));
                }
                ui.add_space(2.0 * theme::GAP);
                // With a session running, typing goes to a note first: the words are the session's,
                // kept for it, and never a passphrase tried by mistake.
                let note_focus = running.is_some() && std::mem::take(&mut self.focus_note);
                if running.is_some() {
                    let label = ui.label(
                        RichText::new("Note for the session (added to its note when unlocked)")
                            .strong(),
                    );
                    let note = ui.add(
                        egui::TextEdit::multiline(&mut self.held_note)
                            .desired_rows(2)
                            .desired_width(f32::INFINITY)
                            .hint_text("Type here; click the passphrase field to unlock"),
                    );
                    let note = note.labelled_by(label.id);
                    if note_focus {
                        note.request_focus();
                    }
                    ui.add_space(theme::GAP);
                }
                let field = passphrase_field(ui, "Passphrase", &mut self.passphrase);
                let entered = field.lost_focus() && enter_pressed(ui);
                if std::mem::take(&mut self.focus_field) && !note_focus {
                    field.request_focus();
                }
                ui.add_space(theme::GAP);
                let label = if checking { "Unlocking…" } else { "Unlock" };
                if (ui
                    .add_enabled(!checking, egui::Button::new(label))
                    .clicked()
                    || entered)
                    && !checking
                {
                    let passphrase = Passphrase::new(std::mem::take(&mut self.passphrase));
                    forget_typing(ui.ctx(), &[field.id]);
                    self.error = None;
                    let check = store.passphrase_check();
                    self.checking = Some(Job::start(ui.ctx(), "unlock", move |_| {
                        check.check(&passphrase)
                    }));
                    // The button says what is happening, and an answer already there is taken.
                    ui.ctx().request_repaint();
                }
                if let Some(error) = &self.error {
                    ui.add_space(theme::GAP);
                    ui.label(RichText::new(error).color(theme::warning()).strong());
                }
            });
        });
        unlocked
    }
}
