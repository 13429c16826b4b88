//! Replacing the journal with a backup from inside the window: every write already sent lands,
//! the journal is closed, the backup restored on a thread with its progress on screen, and the
//! journal it gave taken up again (or the old one, when the restore failed).

use super::{KapJournalApp, RestoreOutcome, Restoring, UnlockView};
use crate::store::Store;

impl KapJournalApp {
    /// Closes the journal and restores `backup` over it on a thread; the window shows the progress.
    pub(super) fn restore(&mut self, backup: std::path::PathBuf, ctx: &egui::Context) {
        self.save_typing();
        // The check reads the journal about to be replaced; it is stopped first.
        self.start_up_check = None;
        let journal =
            std::mem::replace(&mut self.journal, Err("A backup is being restored.".into()));
        let Ok(journal) = journal else { return };
        // Every write already sent lands first; then the writer is the restore's to close.
        let store = match journal.close() {
            Ok(store) => store,
            Err(error) => {
                self.journal = Err(error.to_string());
                return;
            }
        };
        match Restoring::start(ctx, store, backup) {
            Ok(restoring) => self.restoring = Some(restoring),
            Err(problem) => self.journal = Err(problem),
        }
    }

    /// The window while a backup is restored: its progress, then the journal it gave.
    pub(super) fn restoring_ui(&mut self, ui: &mut egui::Ui) {
        let Some(outcome) = self
            .restoring
            .as_ref()
            .and_then(|restoring| restoring.ui(ui))
        else {
            return;
        };
        match outcome {
            RestoreOutcome::Restored(store) => {
                self.finish_restore(Ok(store), None);
                self.notice = Some(
                    "The backup was restored. The journal it replaced is kept beside it as journal.db.before-restore-<date and time>."
                        .to_owned(),
                );
            }
            RestoreOutcome::Failed { problem, reopened } => {
                self.finish_restore(reopened.ok_or_else(|| problem.clone()), Some(problem));
            }
            RestoreOutcome::NotRestored {
                problem,
                journal,
                backup,
            } => {
                self.restoring = None;
                self.unlock = Some(Box::new(
                    UnlockView::after_failed_restore(journal, &backup, problem)
                        .tried_inline(self.writes.is_inline()),
                ));
            }
        }
    }

    fn finish_restore(&mut self, store: Result<Store, String>, problem: Option<String>) {
        self.restoring = None;
        self.journal = store.and_then(|store| self.take_up(store));
        self.kept_home = None;
        self.aside = None;
        self.backups.reset();
        self.view = self.first_view();
        self.read_lock_after();
        if problem.is_some() {
            self.notice = problem;
        }
    }
}
