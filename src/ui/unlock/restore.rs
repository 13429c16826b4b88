//! Restoring a backup from the window: the journal is closed (its folder stays claimed), the backup
//! checked and copied over it on a thread, and a progress screen shown meanwhile.

use std::path::PathBuf;

use super::super::background::{Job, Poll};
use crate::store::{DataKey, LockedJournal, Passphrase, Store, StoreError};

/// The journal opened from the backup, or why not with what is left.
type Restored = Result<Store, Box<(StoreError, Left)>>;

/// What is left when a restore fails.
enum Left {
    /// The journal as it was, opened again.
    Reopened(Box<Store>),
    /// A folder that had no journal: its first screen again, with the backup that was tried.
    Unlock(LockedJournal, PathBuf),
    /// Nothing could be opened.
    Nothing,
}

/// How a restore ended.
pub enum RestoreOutcome {
    Restored(Store),
    /// Nothing was restored; `reopened` is the journal as it was, when it could be opened again.
    Failed {
        problem: StoreError,
        reopened: Option<Store>,
    },
    /// Nothing was restored into a folder that had no journal; it is the first screen's again.
    NotRestored {
        problem: StoreError,
        journal: LockedJournal,
        backup: PathBuf,
    },
}

/// A restore running on its thread.
pub struct Restoring(Job<Restored>);

impl Restoring {
    /// Closes `store` and starts restoring `backup` over it. When the journal cannot be closed for
    /// it, the store comes back with the sentence saying why.
    pub fn start(ctx: &egui::Context, store: Store, backup: PathBuf) -> Result<Self, StoreError> {
        let (journal, key) = store.close_for_restore()?;
        Ok(Self::start_claimed(ctx, journal, key, backup))
    }

    /// Starts restoring `backup` into a claimed folder whose journal is not open (it was too damaged
    /// to open), with the key its passphrase unwrapped.
    pub fn start_claimed(
        ctx: &egui::Context,
        journal: LockedJournal,
        key: DataKey,
        backup: PathBuf,
    ) -> Self {
        Self(Job::spawn(ctx, "restore", move |progress| {
            let restored = journal.restore_with_key(&backup, key.clone(), progress.copying());
            restored.map_err(|error| {
                let left = journal
                    .open_with(key)
                    .map_or(Left::Nothing, |store| Left::Reopened(Box::new(store)));
                Box::new((error, left))
            })
        }))
    }

    /// Starts restoring `backup`, made on another computer, into a claimed folder that has no
    /// journal, with the passphrase that unwraps the key the backup carries.
    pub fn start_elsewhere(
        ctx: &egui::Context,
        journal: LockedJournal,
        backup: PathBuf,
        passphrase: Passphrase,
    ) -> Self {
        Self(Job::spawn(ctx, "restore", move |progress| {
            let restored = journal.restore_from(&backup, &passphrase, progress.copying());
            restored.map_err(|error| Box::new((error, Left::Unlock(journal, backup))))
        }))
    }

    /// The progress screen; the outcome once the thread is done.
    pub fn ui(&self, ui: &mut egui::Ui) -> Option<RestoreOutcome> {
        match self.0.poll() {
            Poll::Running(fraction) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.add_space(40.0);
                    ui.vertical_centered(|ui| {
                        ui.heading("Restoring the backup");
                        ui.add_space(12.0);
                        ui.add(
                            egui::ProgressBar::new(fraction)
                                .desired_width(320.0)
                                .show_percentage(),
                        );
                    });
                });
                None
            }
            Poll::Finished(Ok(store)) => Some(RestoreOutcome::Restored(store)),
            Poll::Finished(Err(failed)) => Some(match *failed {
                (problem, Left::Unlock(journal, backup)) => RestoreOutcome::NotRestored {
                    problem,
                    journal,
                    backup,
                },
                (problem, Left::Reopened(store)) => RestoreOutcome::Failed {
                    problem,
                    reopened: Some(*store),
                },
                (problem, Left::Nothing) => RestoreOutcome::Failed {
                    problem,
                    reopened: None,
                },
            }),
            Poll::Lost => Some(RestoreOutcome::Failed {
                problem: StoreError::BackgroundStopped,
                reopened: None,
            }),
        }
    }
}
