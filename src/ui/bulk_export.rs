//! Export of many sessions (those the browser shows) as one JSON archive, on a thread of its own
//! with a progress bar and a Cancel button; the window keeps working meanwhile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use egui::Ui;

use super::save_dialog::{SaveChoice, SaveDialog};
use super::widgets;
use crate::domain::SessionId;
use crate::export::{
    ExportError, ExportFormat, ExportOptions, exports_dir, write_archive, write_atomically,
};
use crate::store::{Store, StoreError};

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

/// An export being written by its thread.
struct Running {
    path: PathBuf,
    fallback: bool,
    total: usize,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    finished: Receiver<Result<(), ExportError>>,
}

/// The "Export … sessions" control of the browser.
#[derive(Default)]
pub struct BulkExport {
    stage: Stage,
    /// The last outcome, as a sentence; `true` when it is a problem.
    status: Option<(String, bool)>,
}

impl BulkExport {
    /// The control for exporting `ids` (the sessions the browser shows) from `store`.
    pub fn ui(&mut self, ui: &mut Ui, store: &Store, ids: impl FnOnce() -> Vec<SessionId>) {
        // Polled before drawing: the frame that finds the export finished also shows its outcome, so
        // it never waits for the next movement of the mouse.
        self.poll(ui.ctx(), store);
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
                    let done = running.done.load(Ordering::Relaxed);
                    ui.add(
                        egui::ProgressBar::new(done as f32 / running.total.max(1) as f32)
                            .desired_width(260.0)
                            .text(format!("Exporting {done} of {} sessions", running.total)),
                    );
                    if ui.button("Cancel export").clicked() {
                        running.cancel.store(true, Ordering::Relaxed);
                    }
                }
            }
            widgets::status_line(ui, self.status.as_ref());
        });
    }

    fn choose(&mut self, ctx: &egui::Context, ids: Vec<SessionId>, data_dir: &Path) {
        if ids.is_empty() {
            self.status = Some((
                "No sessions are shown, so there is nothing to export.".to_owned(),
                true,
            ));
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
        self.status = None;
        self.stage = Stage::Choosing { ids, dialog };
    }

    fn poll(&mut self, ctx: &egui::Context, store: &Store) {
        match &mut self.stage {
            Stage::Idle => {}
            Stage::Choosing { dialog, ids } => {
                let (path, fallback) = match dialog.poll() {
                    SaveChoice::Waiting => {
                        ctx.request_repaint_after(Duration::from_millis(100));
                        return;
                    }
                    SaveChoice::Cancelled => {
                        self.stage = Stage::Idle;
                        self.status =
                            Some(("Export cancelled; nothing was saved.".to_owned(), false));
                        return;
                    }
                    SaveChoice::Chosen(path) => (path, false),
                    SaveChoice::NoDialog { fallback } => (fallback, true),
                };
                let ids = std::mem::take(ids);
                self.stage = Stage::Running(start(store.reader(), ids, path, fallback));
                ctx.request_repaint_after(Duration::from_millis(100));
            }
            Stage::Running(running) => match running.finished.try_recv() {
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
                outcome => {
                    self.status = Some(describe(running, outcome));
                    self.stage = Stage::Idle;
                }
            },
        }
    }
}

/// Starts the thread that writes the archive through `reader`, a read-only connection of its own.
fn start(
    reader: Result<Store, StoreError>,
    ids: Vec<SessionId>,
    path: PathBuf,
    fallback: bool,
) -> Running {
    let (done, cancel) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let (send, finished) = mpsc::channel();
    let running = Running {
        path: path.clone(),
        fallback,
        total: ids.len(),
        done: Arc::clone(&done),
        cancel: Arc::clone(&cancel),
        finished,
    };
    // Should no thread start, the sender is dropped and the view reports the export as failed.
    let _thread = std::thread::Builder::new()
        .name("bulk-export".into())
        .spawn(move || {
            let result = reader.map_err(ExportError::from).and_then(|store| {
                write_atomically(&path, store.dir(), |out| {
                    write_archive(&store, &ids, ExportOptions::default(), out, |written, _| {
                        done.store(written, Ordering::Relaxed);
                        if cancel.load(Ordering::Relaxed) {
                            std::ops::ControlFlow::Break(())
                        } else {
                            std::ops::ControlFlow::Continue(())
                        }
                    })
                })
            });
            let _ = send.send(result);
        });
    running
}

fn describe(
    running: &Running,
    outcome: Result<Result<(), ExportError>, TryRecvError>,
) -> (String, bool) {
    match outcome {
        Ok(Ok(())) if running.fallback => (
            format!(
                "No save dialog can be shown on this system, so {} {} saved to {}",
                crate::format::count(running.total, "session", "sessions"),
                if running.total == 1 { "was" } else { "were" },
                running.path.display()
            ),
            false,
        ),
        Ok(Ok(())) => (
            format!(
                "Saved {} to {}",
                crate::format::count(running.total, "session", "sessions"),
                running.path.display()
            ),
            false,
        ),
        Ok(Err(ExportError::Cancelled)) => {
            ("Export cancelled; nothing was saved.".to_owned(), false)
        }
        Ok(Err(error)) => (error.to_string(), true),
        Err(_) => (
            "The export stopped unexpectedly; nothing was saved.".to_owned(),
            true,
        ),
    }
}
