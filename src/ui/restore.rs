//! Restoring a backup from the window: the journal is closed (its folder stays claimed), the backup
//! checked and copied over it on a thread, and a progress screen shown meanwhile.

use std::path::PathBuf;

use super::background::{Job, Poll};
use crate::store::{DataKey, LockedJournal, Store};

/// The journal opened from the backup, or why not with the old journal opened again (if it could be).
type Restored = Result<Store, (String, Option<Box<Store>>)>;

/// How a restore ended.
pub enum RestoreOutcome {
    Restored(Store),
    /// Nothing was restored; `reopened` is the journal as it was, when it could be opened again.
    Failed {
        problem: String,
        reopened: Option<Store>,
    },
}

/// A restore running on its thread.
pub struct Restoring(Job<Restored>);

impl Restoring {
    /// Closes `store` and starts restoring `backup` over it. When the journal cannot be closed for
    /// it, the store comes back with the sentence saying why.
    pub fn start(ctx: &egui::Context, store: Store, backup: PathBuf) -> Result<Self, String> {
        let (journal, key) = store
            .close_for_restore()
            .map_err(|error| error.to_string())?;
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
        Self(Job::spawn(ctx, move |report| {
            let restored = journal.restore_with_key(&backup, key.clone(), report);
            restored.map_err(|error| (error.to_string(), journal.open_with(key).ok().map(Box::new)))
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
            Poll::Finished(Err((problem, reopened))) => Some(RestoreOutcome::Failed {
                problem,
                reopened: reopened.map(|store| *store),
            }),
            Poll::Lost => Some(RestoreOutcome::Failed {
                problem: "The restore stopped unexpectedly; start KAP Journal again.".to_owned(),
                reopened: None,
            }),
        }
    }
}
