//! The first screen's other way in: a journal brought from another computer (the old laptop stolen
//! or dead) by restoring one of its backups, which carries the key sealed under the passphrase. The
//! clinician chooses the backup file and types the passphrase the journal had when it was made.

use std::path::PathBuf;

use egui::{RichText, TextEdit, Ui};

use super::super::save_dialog::{SaveChoice, SaveDialog};
use super::super::theme;
use super::{enter_pressed, forget_typing, passphrase_field};
use crate::store::Passphrase;

/// The backup file and passphrase being given.
#[derive(Default)]
pub struct RestoreElsewhere {
    path: String,
    passphrase: String,
    dialog: Option<SaveDialog>,
    error: Option<String>,
}

impl RestoreElsewhere {
    /// The backup tried last and what became of it (a wrong passphrase, a file that is not a
    /// backup), so the clinician only types the passphrase again.
    pub fn tried(&mut self, backup: &std::path::Path, error: String) {
        self.path = backup.display().to_string();
        self.error = Some(error);
    }

    /// Draws the form; returns the backup and passphrase once the clinician asks to restore.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<(PathBuf, Passphrase)> {
        if let Some(dialog) = &self.dialog {
            match dialog.poll() {
                SaveChoice::Waiting => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200)),
                SaveChoice::Chosen(path) => {
                    self.path = path.display().to_string();
                    self.dialog = None;
                }
                SaveChoice::Cancelled | SaveChoice::NoDialog { .. } => self.dialog = None,
            }
        }
        ui.heading("Or restore a backup");
        ui.add_space(theme::GAP);
        ui.label(
            RichText::new(
                "Moving to a new computer? A backup carries the journal's key, sealed under its \
                 passphrase: choose the backup file and type the passphrase the journal had when \
                 the backup was made.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            let label = ui.label("Backup file");
            ui.add(
                TextEdit::singleline(&mut self.path)
                    .desired_width(260.0)
                    .hint_text("journal-….db"),
            )
            .labelled_by(label.id);
            if ui.button("Choose…").clicked() && self.dialog.is_none() {
                self.dialog = Some(SaveDialog::choose_existing(
                    ui.ctx(),
                    ("KAP Journal backup", &["db"]),
                ));
            }
        });
        let field = passphrase_field(ui, "Passphrase of the backup", &mut self.passphrase);
        let submitted = field.lost_focus() && enter_pressed(ui);
        ui.add_space(theme::GAP);
        let mut chosen = None;
        if ui.button("Restore from a backup").clicked() || submitted {
            let path = self.path.trim();
            if path.is_empty() {
                self.error = Some("Choose the backup file first.".to_owned());
            } else {
                let passphrase = Passphrase::new(std::mem::take(&mut self.passphrase));
                forget_typing(ui.ctx(), &[field.id]);
                self.error = None;
                chosen = Some((PathBuf::from(path), passphrase));
            }
        }
        if let Some(error) = &self.error {
            ui.add_space(theme::GAP);
            ui.label(RichText::new(error).color(theme::warning()).strong());
        }
        chosen
    }
}
