//! Replacing the journal with a backup from inside the window: every write already sent lands,
//! the journal is closed, the backup restored on a thread with its progress on screen, and the
//! journal it gave taken up again (or the old one, when the restore failed).

use super::{KapJournalApp, Screen, Shared};
use crate::ui::unlock::UnlockView;
use crate::ui::unlock::restore::{RestoreOutcome, Restoring};

impl KapJournalApp {
    /// Closes the journal and restores `backup` over it on a thread; the window shows the progress.
    pub(super) fn restore(&mut self, backup: std::path::PathBuf, ctx: &egui::Context) -> Screen {
        let closing = std::mem::replace(&mut self.screen, Screen::closed());
        let Screen::Open(open) = closing else {
            return closing;
        };
        match open.close(&mut self.shared) {
            Ok(store) => match Restoring::start(ctx, store, backup) {
                Ok(restoring) => Screen::Restoring(restoring),
                Err(problem) => Screen::CannotOpen(problem),
            },
            Err(problem) => Screen::CannotOpen(problem),
        }
    }
}

impl Shared {
    /// The screen after a restore: the journal it gave, the old one again (with what went wrong),
    /// or the passphrase screen when the backup could not be read with it.
    pub(super) fn after_restore(&mut self, outcome: RestoreOutcome) -> Screen {
        self.backups.reset();
        match outcome {
            RestoreOutcome::Restored(store) => {
                let screen = self.open(store);
                self.notice = Some(
                    "The backup was restored. The journal it replaced is kept beside it as journal.db.before-restore-<date and time>."
                        .to_owned(),
                );
                screen
            }
            RestoreOutcome::Failed { problem, reopened } => {
                self.notice = Some(problem.to_string());
                match reopened {
                    Some(store) => self.open(store),
                    None => Screen::CannotOpen(problem),
                }
            }
            RestoreOutcome::NotRestored {
                problem,
                journal,
                backup,
            } => Screen::Unlocking(Box::new(UnlockView::after_failed_restore(
                journal, &backup, &problem,
            ))),
        }
    }
}
