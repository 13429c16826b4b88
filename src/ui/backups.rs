//! Backups in the window: made automatically on a thread of their own (when a session ends, and
//! once a day), listed in Settings with "Back up now" and a progress bar, and restored from there or,
//! when the journal fails its start-up check, from the newest good one.

use super::status::Status;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::background::{Job, Poll};
use super::backup_folder_chooser::BackupFolderChooser;
use super::{format, theme, widgets};
use crate::store::{BackupFile, Store, StoreError, list_backups};

/// How often the window looks whether today's backup is due.
const DAILY_CHECK_EVERY: Duration = Duration::from_mins(30);

/// A backup is made when the newest is older than this.
const DAILY: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The window's backups: the one being made, the last outcome, and a restore being confirmed.
pub struct Backups {
    /// Whether backups are made on session end and daily without being asked.
    automatic: bool,
    running: Option<Job<Result<BackupFile, StoreError>>>,
    status: Status,
    next_check: Option<Instant>,
    /// "Restore…" was pressed on this backup and the inline question is showing.
    confirming: Option<PathBuf>,
    /// The newest backup that passes its check, looked for once when the journal is damaged.
    good_for_damaged: Option<GoodBackup>,
    /// The backups on disk as Settings lists them; read again when a backup is made or Settings is
    /// opened, not every frame.
    listed: Option<Result<Vec<BackupFile>, String>>,
    /// Where the automatic backups go.
    folder: BackupFolderChooser,
    /// How many backups are kept (the clinic setting `backups-kept`), pushed by the app.
    keep: u32,
    /// A backup asked for while another was being made (a session ended during the daily one):
    /// made as soon as that one is done, as of this time, so the session is in a backup.
    again: Option<DateTime<Utc>>,
    /// A backup that could not even start, said once in the window.
    unsaid: Option<String>,
}

impl Default for Backups {
    fn default() -> Self {
        Self {
            automatic: true,
            running: None,
            status: Status::Quiet,
            next_check: None,
            confirming: None,
            good_for_damaged: None,
            listed: None,
            folder: BackupFolderChooser::default(),
            keep: crate::domain::ClinicSettings::default().backups_kept,
            again: None,
            unsaid: None,
        }
    }
}

impl Backups {
    /// Follows the clinic settings: how many backups are kept.
    pub fn follow(&mut self, settings: &crate::domain::ClinicSettings) {
        self.keep = settings.backups_kept;
    }

    pub fn set_automatic(&mut self, on: bool) {
        self.automatic = on;
    }

    /// Forgets what it knew of the journal that was open (a backup was restored over it), keeping
    /// whether backups are automatic.
    pub fn reset(&mut self) {
        *self = Self {
            automatic: self.automatic,
            ..Self::default()
        };
    }

    /// Reads the list of backups again the next time Settings shows it.
    pub fn relist(&mut self) {
        self.listed = None;
    }

    /// Starts an automatic backup (a session ended), when they are on.
    pub fn start_automatic(&mut self, ctx: &egui::Context, store: &Store, now: DateTime<Utc>) {
        if self.automatic {
            self.start(ctx, store, now);
        }
    }

    /// Starts a backup on its own thread; one asked for while another is being made follows it. A
    /// backup that cannot be made is said, never skipped without a word.
    pub fn start(&mut self, ctx: &egui::Context, store: &Store, now: DateTime<Utc>) {
        if self.running.is_some() {
            self.again = Some(now);
            return;
        }
        if !store.damage().is_empty() {
            return self.not_made(
                "the journal failed its start-up check, and a backup of it would copy the damage",
            );
        }
        let keep = self.keep;
        let reader = match store.reader() {
            Ok(reader) => reader,
            Err(error) => return self.not_made(&error.to_string()),
        };
        self.running = Some(Job::spawn(ctx, "backup", move |progress| {
            reader.backup_rotating(now, keep, progress.copying())
        }));
    }

    /// A backup that could not start: said in Settings and, once for each reason, in the window.
    fn not_made(&mut self, why: &str) {
        let sentence = format!("No backup was made: {}.", why.trim_end_matches('.'));
        // The same reason again (the daily check every half hour) is not said again.
        if self.status.sentence() == Some(sentence.as_str()) {
            return;
        }
        self.status = Status::problem(sentence.clone());
        self.unsaid = Some(sentence);
    }

    /// Starts the backup asked for while the last one was made, once it is done; and today's
    /// backup when the newest is a day old (looked at every half hour).
    pub fn start_if_due(&mut self, ctx: &egui::Context, store: &Store, now: DateTime<Utc>) {
        if self.running.is_none()
            && let Some(asked) = self.again.take()
        {
            return self.start(ctx, store, asked);
        }
        if !self.automatic || self.next_check.is_some_and(|at| Instant::now() < at) {
            return;
        }
        self.next_check = Some(Instant::now() + DAILY_CHECK_EVERY);
        let newest = list_backups(store.dir())
            .ok()
            .and_then(|list| list.into_iter().next());
        if newest.is_none_or(|backup| now - backup.made_at >= DAILY) {
            self.start(ctx, store, now);
        }
    }

    /// Takes the result of a finished backup; returns a sentence for the window when it failed.
    pub fn poll(&mut self) -> Option<String> {
        if let Some(sentence) = self.unsaid.take() {
            return Some(sentence);
        }
        let job = self.running.as_ref()?;
        let outcome = match job.poll() {
            Poll::Running(_) => return None,
            Poll::Finished(outcome) => outcome,
            Poll::Lost => Err(StoreError::BackgroundStopped),
        };
        self.running = None;
        self.relist();
        match outcome {
            Ok(backup) => {
                self.status = Status::done(format!(
                    "Backed up at {}.",
                    format::clock_time(backup.made_at)
                ));
                None
            }
            Err(error) => {
                let sentence = format!("The automatic backup failed: {error}");
                self.status = Status::problem(sentence.clone());
                Some(sentence)
            }
        }
    }

    /// The Backups section of Settings. Returns the backup to restore once the clinician confirmed.
    pub fn settings_ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        now: DateTime<Utc>,
        keep: u32,
    ) -> Option<PathBuf> {
        ui.heading("Backups");
        ui.label(
            RichText::new(format!(
                "Made when a session ends and once a day, encrypted like the journal, checked, and \
                 kept in the backup folder (the newest {keep}). Each carries the journal's key \
                 sealed under the passphrase, so it restores on this computer or a new one with \
                 the passphrase the journal had when it was made."
            ))
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        if self.folder.ui(ui, store.dir()) {
            self.relist();
        }
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            // Only the progress is read here; the result is taken by `poll`.
            if let Some(job) = &self.running {
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(240.0)
                        .show_percentage(),
                );
                ui.label("Backing up…");
            } else if ui.button("Back up now").clicked() {
                self.start(ui.ctx(), store, now);
            }
        });
        self.status.show(ui);
        ui.add_space(theme::GAP);
        let listed = self
            .listed
            .get_or_insert_with(|| list_backups(store.dir()).map_err(|error| error.to_string()));
        let backups = match listed {
            Ok(backups) => backups,
            Err(error) => {
                widgets::error_line(ui, Some(error.as_str()));
                return None;
            }
        };
        if backups.is_empty() {
            ui.label(RichText::new("No backups yet.").color(theme::muted()));
        }
        let mut chosen = None;
        egui::Grid::new("backups_grid")
            .num_columns(3)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for backup in backups.iter() {
                    ui.label(format::date_time(backup.made_at));
                    ui.label(format!("{:.1} MB", backup.bytes as f64 / 1e6));
                    if let Some(path) = restore_button(ui, &mut self.confirming, backup) {
                        chosen = Some(path);
                    }
                    ui.end_row();
                }
            });
        chosen
    }

    /// Under the top bar of a journal that failed its start-up check: what happened, and the newest
    /// good backup to restore. Returns it once clicked.
    pub fn damaged_ui(&mut self, ui: &mut Ui, store: &Store) -> Option<PathBuf> {
        if store.damage().is_empty() {
            return None;
        }
        if !store.restore_advised() {
            // The journal lacks a change no backup holds: a restore would only lose records.
            ui.colored_label(
                theme::warning(),
                "This journal failed its start-up check: it can be read but not changed. No backup holds what it lacks, so none is offered.",
            );
            if let Some(first) = store.damage().first() {
                ui.weak(crate::format::sentence(first));
            }
            return None;
        }
        let good = self.good_for_damaged.get_or_insert_with(|| {
            let source = store.reader_source();
            GoodBackup::Looking(Job::start(ui.ctx(), "good backup", move |_| {
                source.newest_good_backup().ok().flatten()
            }))
        });
        if let GoodBackup::Looking(job) = good
            && let Some(found) = job.take(|| None)
        {
            *good = GoodBackup::Found(found);
        }
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                theme::warning(),
                "This journal failed its start-up check: it can be read but not changed.",
            );
            match good {
                GoodBackup::Looking(_) => {
                    ui.spinner();
                    ui.label("Looking for the newest backup that passes its check...");
                }
                GoodBackup::Found(Some(backup)) => {
                    let label = format!(
                        "Restore the backup of {}",
                        format::date_time(backup.made_at)
                    );
                    if ui.button(label).clicked() {
                        chosen = Some(backup.path.clone());
                    }
                }
                GoodBackup::Found(None) => {
                    ui.label("No backup passes its check; run kap-journal check for details.");
                }
            }
        });
        // What was found, in the store's words (page numbers and counts, never content).
        if let Some(first) = store.damage().first() {
            ui.weak(crate::format::sentence(first));
        }
        chosen
    }
}

/// The newest backup that passes its check, for a damaged journal.
enum GoodBackup {
    /// Checking the backups, newest first (seconds), beside the window.
    Looking(Job<Option<BackupFile>>),
    Found(Option<BackupFile>),
}

/// "Restore…", then the inline question; returns the backup once confirmed.
fn restore_button(
    ui: &mut Ui,
    confirming: &mut Option<PathBuf>,
    backup: &BackupFile,
) -> Option<PathBuf> {
    if confirming.as_ref() != Some(&backup.path) {
        if ui.button("Restore…").clicked() {
            *confirming = Some(backup.path.clone());
        }
        return None;
    }
    let mut chosen = None;
    ui.horizontal(|ui| {
        ui.label("Replace the journal with this backup? The current one is kept beside it, named by the time of the restore.");
        if ui.button("Restore").clicked() {
            chosen = confirming.take();
        }
        if ui.button("Cancel").clicked() {
            *confirming = None;
        }
    });
    chosen
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::Passphrase;

    fn journal() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let passphrase = Passphrase::new("synthetic test passphrase".to_owned());
        let store = Store::open(dir.path(), &passphrase).unwrap();
        (dir, store)
    }

    /// Polls until no backup is being made or waited for; returns what the window was told.
    fn settle(backups: &mut Backups, ctx: &egui::Context, store: &Store) -> Vec<String> {
        let mut said = Vec::new();
        for _ in 0..2000 {
            said.extend(backups.poll());
            backups.start_if_due(ctx, store, Utc::now());
            if backups.running.is_none() && backups.again.is_none() {
                return said;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the backups did not finish");
    }

    #[test]
    fn a_backup_asked_for_while_one_is_made_follows_it() {
        let (dir, store) = journal();
        let ctx = egui::Context::default();
        let mut backups = Backups::default();
        backups.set_automatic(false);
        let first = Utc::now();
        backups.start(&ctx, &store, first);
        // A session ends while the daily backup is being made.
        backups.start(&ctx, &store, first + chrono::TimeDelta::seconds(5));
        assert!(settle(&mut backups, &ctx, &store).is_empty());
        assert_eq!(list_backups(dir.path()).unwrap().len(), 2);
    }

    #[test]
    fn a_backup_that_cannot_be_made_is_said() {
        let (dir, mut store) = journal();
        store.mark_damaged(vec!["synthetic damage".to_owned()]);
        let ctx = egui::Context::default();
        let mut backups = Backups::default();
        backups.start(&ctx, &store, Utc::now());
        let said = settle(&mut backups, &ctx, &store);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].starts_with("No backup was made: the journal failed"),
            "{said:?}"
        );
        assert!(list_backups(dir.path()).unwrap().is_empty());
        // Said once, not every frame.
        assert_eq!(backups.poll(), None);
    }
}
