//! Asking where to save (or which file or folder to use), without freezing the window: the system's
//! dialog runs as a background job and the view polls for the answer. When the system cannot show a dialog at all (no desktop
//! portal, no zenity), rfd answers "nothing chosen" at once; that is told apart from a clinician who
//! cancelled by how quickly the answer came.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::background::{Job, Poll};

/// Faster than any person can close a dialog: no dialog was shown.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// What became of a save dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveChoice {
    /// Still open.
    Waiting,
    Chosen(PathBuf),
    Cancelled,
    /// The system could not show a dialog; the caller saves to `fallback`.
    NoDialog {
        fallback: PathBuf,
    },
}

/// Where an export goes, once its dialog has answered.
pub enum Destination {
    /// Still open; the window looks again soon.
    Waiting,
    /// Nothing chosen: nothing is saved.
    Cancelled,
    /// The file chosen, or the exports folder when no dialog could be shown (`fallback`).
    To { path: PathBuf, fallback: bool },
}

/// What an export says when its dialog was cancelled.
pub const EXPORT_CANCELLED: &str = "Export cancelled; nothing was saved.";

/// Makes every save dialog of this window answer "no dialog can be shown", as on a system without a
/// desktop portal: exports go to the exports folder. For kiosks and for tests, which must never wait
/// for a person to close a dialog.
pub fn disable_file_dialogs(ctx: &egui::Context) {
    ctx.data_mut(|data| data.insert_temp(dialogs_off_id(), true));
}

fn dialogs_off_id() -> egui::Id {
    egui::Id::unique("kap_journal_file_dialogs_off")
}

/// A save dialog that is open (or was).
pub struct SaveDialog {
    /// The path chosen, if any, and how long the dialog took to answer.
    answer: Job<(Option<PathBuf>, Duration)>,
    fallback: PathBuf,
}

impl SaveDialog {
    /// Opens the dialog suggesting `file_name`; `fallback_dir` takes the file if no dialog can be shown.
    pub fn open(
        ctx: &egui::Context,
        file_name: &str,
        filter: (&str, &str),
        fallback_dir: &Path,
    ) -> Self {
        let dialog = rfd::AsyncFileDialog::new()
            .set_file_name(file_name)
            .add_filter(filter.0, &[filter.1]);
        Self::ask(ctx, fallback_dir.join(file_name), move || {
            pollster::block_on(dialog.save_file())
        })
    }

    /// Opens the system's dialog for choosing an existing file (a backup to restore), filtered to
    /// `filter`'s extensions. Without a dialog the caller's typed path stands.
    pub fn choose_existing(ctx: &egui::Context, filter: (&str, &[&str])) -> Self {
        let dialog = rfd::AsyncFileDialog::new().add_filter(filter.0, filter.1);
        Self::ask(ctx, PathBuf::new(), move || {
            pollster::block_on(dialog.pick_file())
        })
    }

    /// Opens the system's dialog for choosing a folder (where backups go).
    pub fn choose_folder(ctx: &egui::Context) -> Self {
        let dialog = rfd::AsyncFileDialog::new();
        Self::ask(ctx, PathBuf::new(), move || {
            pollster::block_on(dialog.pick_folder())
        })
    }

    /// Runs `show` (which shows a dialog and waits for it) on a thread of its own.
    fn ask(
        ctx: &egui::Context,
        fallback: PathBuf,
        show: impl FnOnce() -> Option<rfd::FileHandle> + Send + 'static,
    ) -> Self {
        if ctx.data(|data| data.get_temp::<bool>(dialogs_off_id()).unwrap_or(false)) {
            // Nothing chosen at once reads as "no dialog could be shown".
            let answer = Job::inline(|_| (None, Duration::ZERO));
            return Self { answer, fallback };
        }
        let opened = Instant::now();
        // Should no thread start, the job reads as lost, and `poll` as "no dialog".
        let answer = Job::spawn(ctx, "file-dialog", move |_| {
            let path = show().map(|handle| handle.path().to_path_buf());
            (path, opened.elapsed())
        });
        Self { answer, fallback }
    }

    /// Where an export goes, once the dialog has answered; while it is open the window is asked
    /// to look again in a tenth of a second.
    pub fn destination(&self, ctx: &egui::Context) -> Destination {
        match self.poll() {
            SaveChoice::Waiting => {
                ctx.request_repaint_after(Duration::from_millis(100));
                Destination::Waiting
            }
            SaveChoice::Cancelled => Destination::Cancelled,
            SaveChoice::Chosen(path) => Destination::To {
                path,
                fallback: false,
            },
            SaveChoice::NoDialog { fallback } => Destination::To {
                path: fallback,
                fallback: true,
            },
        }
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> SaveChoice {
        match self.answer.poll() {
            Poll::Running(_) => SaveChoice::Waiting,
            Poll::Finished((Some(path), _)) => SaveChoice::Chosen(path),
            Poll::Finished((None, took)) if took >= NO_DIALOG_WITHIN => SaveChoice::Cancelled,
            Poll::Finished((None, _)) | Poll::Lost => SaveChoice::NoDialog {
                fallback: self.fallback.clone(),
            },
        }
    }
}
