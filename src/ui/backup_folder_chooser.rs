//! Choosing where the automatic backups go, in Settings: a folder typed or picked in the system's
//! dialog, checked and kept for this computer, with a warning while it shares the journal's disk.

use super::status::Status;
use std::path::Path;

use egui::{RichText, TextEdit, Ui};

use super::save_dialog::{SaveChoice, SaveDialog};
use super::theme;
use crate::store::{
    backup_folder, choose_backup_folder, chosen_backup_folder, shares_disk_with_journal,
};

/// The folder being typed or picked, and what the last change said.
#[derive(Default)]
pub struct BackupFolderChooser {
    /// The folder as typed; read from the data folder when first shown.
    text: Option<String>,
    dialog: Option<SaveDialog>,
    status: Status,
}

impl BackupFolderChooser {
    /// Draws the chooser for the journal in `dir`; true once the folder changed (the backups listed
    /// are then read again).
    pub fn ui(&mut self, ui: &mut Ui, dir: &Path) -> bool {
        let text = self
            .text
            .get_or_insert_with(|| backup_folder(dir).display().to_string());
        if let Some(dialog) = &self.dialog {
            match dialog.poll() {
                SaveChoice::Waiting => {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(200));
                }
                SaveChoice::Chosen(path) => {
                    *text = path.display().to_string();
                    self.dialog = None;
                }
                SaveChoice::Cancelled | SaveChoice::NoDialog { .. } => self.dialog = None,
            }
        }
        let mut changed = None;
        ui.horizontal(|ui| {
            let label = ui.label("Backup folder");
            ui.add(TextEdit::singleline(text).desired_width(360.0))
                .labelled_by(label.id);
            if ui.button("Choose…").clicked() && self.dialog.is_none() {
                self.dialog = Some(SaveDialog::choose_folder(ui.ctx()));
            }
            if ui.button("Use this folder").clicked() {
                changed = Some(choose_backup_folder(dir, Some(Path::new(text.trim()))));
            }
            if chosen_backup_folder(dir).is_some() && ui.button("Back beside the journal").clicked()
            {
                changed = Some(choose_backup_folder(dir, None));
            }
        });
        let folder = backup_folder(dir);
        if shares_disk_with_journal(dir, &folder) {
            ui.label(
                RichText::new(
                    "These backups are on the journal's own disk: a dead disk or a lost laptop takes \
                     them too. Choose a folder on an external drive or a synced folder.",
                )
                .color(theme::warning()),
            );
        }
        let moved = matches!(changed, Some(Ok(())));
        match changed {
            Some(Ok(())) => {
                self.text = Some(backup_folder(dir).display().to_string());
                self.status =
                    Status::done(format!("Automatic backups now go to {}.", folder.display()));
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        self.status.show(ui);
        moved
    }
}
