//! Export of many sessions (those the browser shows) as one JSON archive, as a background job with
//! a progress bar and a Cancel button; the window keeps working meanwhile.

use super::super::status::Status;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::Ui;

use super::super::background::{Job, Poll};
use super::super::save_dialog::{Destination, EXPORT_CANCELLED, SaveDialog};
use crate::changes::TakeInDisclosures;
use crate::domain::SessionId;
use crate::export::{
    ExportError, ExportFormat, ExportOptions, export_disclosures, exports_dir, write_archive,
    write_disclosed,
};
use crate::store::Store;
use crate::worker::Journal;

/// Where a bulk export is.
#[derive(Default)]
enum Stage {
    #[default]
    Idle,
    Choosing {
        ids: Vec<SessionId>,
        dialog: SaveDialog,
    },
    Running(Running),
}

/// An export being written by its job.
struct Running {
    path: PathBuf,
    fallback: bool,
    total: usize,
    job: Job<Result<(), ExportError>>,
}

/// The "Export … sessions" control of the browser.
#[derive(Default)]
pub struct BulkExport {
    stage: Stage,
    /// The last outcome, as a sentence; `true` when it is a problem.
    status: Status,
}

impl BulkExport {
    /// The control for exporting `ids` (the sessions the browser shows) from `store`.
    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal, ids: impl FnOnce() -> Vec<SessionId>) {
        let store = journal.read();
        // Polled before drawing: the frame that finds the export finished also shows its outcome, so
        // it never waits for the next movement of the mouse.
        self.poll(ui.ctx(), journal);
        ui.horizontal(|ui| {
            match &self.stage {
                Stage::Idle => {
                    if ui.button("Export shown sessions (JSON)...").clicked() {
                        self.choose(ui.ctx(), ids(), store.dir());
                    }
                }
                Stage::Choosing { .. } => {
                    ui.spinner();
                    ui.label("Choose where to save the archive...");
                }
                Stage::Running(running) => {
                    let (done, _) = running.job.steps();
                    ui.add(
                        egui::ProgressBar::new(running.job.fraction())
                            .desired_width(260.0)
                            .text(format!("Exporting {done} of {} sessions", running.total)),
                    );
                    let cancelling = running.job.is_cancelled();
                    let label = if cancelling {
                        "Cancelling..."
                    } else {
                        "Cancel export"
                    };
                    if ui
                        .add_enabled(!cancelling, egui::Button::new(label))
                        .clicked()
                    {
                        running.job.cancel();
                    }
                }
            }
            self.status.show(ui);
        });
    }

    fn choose(&mut self, ctx: &egui::Context, ids: Vec<SessionId>, data_dir: &Path) {
        if ids.is_empty() {
            self.status =
                Status::problem("No sessions are shown, so there is nothing to export.".to_owned());
            return;
        }
        let name = format!(
            "kap-journal-{}-sessions-{}.json",
            ids.len(),
            chrono::Local::now().format("%Y-%m-%d")
        );
        let json = ExportFormat::Json;
        let dialog = SaveDialog::open(
            ctx,
            &name,
            (json.label(), json.extension()),
            &exports_dir(data_dir),
        );
        self.status = Status::Quiet;
        self.stage = Stage::Choosing { ids, dialog };
    }

    fn poll(&mut self, ctx: &egui::Context, journal: &Journal) {
        let store = journal.read();
        match &mut self.stage {
            Stage::Idle => {}
            Stage::Choosing { dialog, ids } => {
                let (path, fallback) = match dialog.destination(ctx) {
                    Destination::Waiting => return,
                    Destination::Cancelled => {
                        self.stage = Stage::Idle;
                        self.status = Status::done(EXPORT_CANCELLED);
                        return;
                    }
                    Destination::To { path, fallback } => (path, fallback),
                };
                let ids = std::mem::take(ids);
                self.stage = Stage::Running(start(ctx, store, ids, path, fallback));
            }
            Stage::Running(running) => match running.job.poll() {
                Poll::Running(_) => {}
                Poll::Finished(outcome) => {
                    // The worker takes the export's disclosures into the journal now.
                    let _ = journal.send(TakeInDisclosures);
                    self.status = describe(running, Some(outcome));
                    self.stage = Stage::Idle;
                }
                Poll::Lost => {
                    self.status = describe(running, None);
                    self.stage = Stage::Idle;
                }
            },
        }
    }
}

impl Drop for BulkExport {
    /// The list is gone (a backup is being restored over the journal): a running export is
    /// cancelled, its unfinished file removed, and its reader closed before this returns.
    fn drop(&mut self) {
        if let Stage::Running(running) = std::mem::take(&mut self.stage) {
            running.job.stop();
        }
    }
}

/// Starts the job that writes the archive through a read-only connection of its own, opened on the
/// job's thread.
fn start(
    ctx: &egui::Context,
    store: &Store,
    ids: Vec<SessionId>,
    path: PathBuf,
    fallback: bool,
) -> Running {
    let total = ids.len();
    let source = store.reader_source();
    let written = path.clone();
    let job = Job::start(ctx, "bulk-export", move |progress| {
        let reader = source.open()?;
        // Each client's sessions go in that client's accounting of disclosures, before writing.
        let scopes = reader.registers().disclosure_scopes(&ids)?;
        let record = |path: &Path| {
            reader.registers().record_disclosures(&export_disclosures(
                ExportFormat::Json,
                &path.display().to_string(),
                scopes,
                crate::domain::wall_now(),
            ))
        };
        write_disclosed(&written, reader.dir(), record, |out| {
            write_archive(&reader, &ids, ExportOptions::default(), out, |done, _| {
                progress.report(done as u64, total as u64);
                if progress.cancelled() {
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            })
        })
    });
    ctx.request_repaint_after(Duration::from_millis(100));
    Running {
        path,
        fallback,
        total,
        job,
    }
}

/// What became of the export; `None` when its thread stopped without a word.
fn describe(running: &Running, outcome: Option<Result<(), ExportError>>) -> Status {
    match outcome {
        Some(Ok(())) if running.fallback => Status::done(format!(
            "No save dialog can be shown on this system, so {} {} saved to {}",
            crate::format::count(running.total, "session", "sessions"),
            if running.total == 1 { "was" } else { "were" },
            running.path.display()
        )),
        Some(Ok(())) => Status::done(format!(
            "Saved {} to {}",
            crate::format::count(running.total, "session", "sessions"),
            running.path.display()
        )),
        Some(Err(ExportError::Cancelled)) => Status::done(EXPORT_CANCELLED),
        Some(Err(error)) => Status::problem(error),
        None => Status::problem("The export stopped unexpectedly; nothing was saved."),
    }
}
