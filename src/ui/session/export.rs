//! Export of the session on screen: a format, a save dialog (or the exports folder when the system
//! has none), and "Copy summary" for pasting into a letter or the record. Nothing here is modal,
//! and the file (a PDF takes tens of milliseconds) is made and written by a background job.

use super::super::status::Status;
use std::path::{Path, PathBuf};

use egui::Ui;

use super::super::background::Job;
use super::super::printing::{PrintRequest, Printing};
use super::super::save_dialog::{Destination, EXPORT_CANCELLED, SaveDialog};
use super::super::theme;
use crate::changes::TakeInDisclosures;
use crate::domain::{DisclosureScope, ProgressNote, Thresholds};
use crate::export::{
    ExportError, ExportFormat, SessionRecord, SummaryContext, export_disclosures, exports_dir,
    markdown_summary, session_file_name, write_disclosed, write_record,
};
use crate::store::{DisclosureRecorder, Store, StoreError};
use crate::worker::Journal;

/// Wide enough for the longest format's name ("REMS monitoring form (PDF)"); a longer one is cut
/// short rather than moving what is beside the list.
const FORMAT_LIST_WIDTH: f32 = 230.0;

/// The export controls of one session view.
pub struct ExportPanel {
    format: ExportFormat,
    data_dir: PathBuf,
    stage: Stage,
    /// The last thing that happened, as a sentence; `true` when it is a problem.
    status: Status,
    /// Put the private psychotherapy note in the export; off until ticked, every time.
    include_private: bool,
    printing: Printing,
}

impl ExportPanel {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            format: ExportFormat::Pdf,
            data_dir: data_dir.to_path_buf(),
            stage: Stage::Idle,
            status: Status::Quiet,
            include_private: false,
            printing: Printing::default(),
        }
    }

    /// The controls, in the session header; `record` is the session on screen and `progress` its
    /// progress note as saved now (the record is completed only when something is exported).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        record: &SessionRecord,
        progress: Option<&ProgressNote>,
        thresholds: Thresholds,
        journal: &Journal,
    ) {
        let store = journal.read();
        ui.horizontal(|ui| {
            // The name set in Settings heads the summary (a signed session names its signer); it is
            // read when a summary is made, not every frame.
            let context = || {
                let clinician = store.clinician().ok().flatten();
                let zone = store
                    .clinic_zone()
                    .unwrap_or_else(|_| crate::domain::ClinicZone::of_this_computer());
                SummaryContext::local(clinician.map(|c| c.signed_as()), thresholds, zone)
                    .with_clinic(store.clinic_name().ok().flatten().map(String::from))
                    .with_contact(store.registers().rems_contact().unwrap_or_default())
                    .with_style(crate::format::date_style())
            };
            if ui.button("Copy summary").clicked() {
                let copied = SessionRecord {
                    progress_note: progress.cloned(),
                    ..record.clone()
                };
                ui.ctx().copy_text(markdown_summary(&copied, &context()));
                self.status = Status::done("Summary copied to the clipboard (Markdown).");
            }
            ui.separator();
            let label = ui.label("Export as");
            // A space of fixed width: choosing a long format never moves the button beside it.
            let size = egui::vec2(FORMAT_LIST_WIDTH, ui.spacing().interact_size.y);
            let (space, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            // Drawn in a child of that space, which takes no more room from the row.
            let mut list = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(space)
                    .layout(egui::Layout::left_to_right(egui::Align::Center)),
            );
            egui::ComboBox::from_id_salt("export_format")
                .width(FORMAT_LIST_WIDTH)
                .truncate()
                .selected_text(self.format.label())
                .show_ui(&mut list, |ui| {
                    for format in ExportFormat::ALL {
                        ui.selectable_value(&mut self.format, format, format.label());
                    }
                })
                .response
                .labelled_by(label.id);
            let carries_private = self.format.carries_private_note();
            let with_private = self.include_private && carries_private;
            let waiting = !matches!(self.stage, Stage::Idle);
            let button = if with_private {
                egui::Button::new(
                    egui::RichText::new("Export with private note...").color(theme::warning()),
                )
            } else {
                egui::Button::new("Export...")
            };
            if ui.add_enabled(!waiting, button).clicked() {
                match Self::exported(record, progress, store, with_private) {
                    Ok(full) => {
                        self.choose(ui.ctx(), full, context(), store);
                        // The private note goes into this export only: the next one asks again.
                        self.include_private = false;
                    }
                    Err(error) => self.status = Status::problem(error),
                }
            }
            self.print_button(ui, record, progress, &context, journal);
            match self.stage {
                Stage::Idle => {}
                Stage::Choosing { .. } => {
                    ui.spinner();
                    ui.label("Choose where to save...");
                }
                Stage::Writing { .. } => {
                    ui.spinner();
                    ui.label(format!("Writing the {}...", self.format.label()));
                }
            }
        });
        // On a line of its own, so ticking it moves nothing and no click meant for another control
        // lands on it; a choice made for one export.
        if self.format.carries_private_note() {
            ui.checkbox(
                &mut self.include_private,
                "Include the private psychotherapy note in this export",
            )
            .on_hover_text("Not part of the record; left out unless ticked for an export.");
        }
        self.poll(ui.ctx(), journal);
        if let Some(status) = self.printing.poll(ui.ctx(), journal) {
            self.status = status;
        }
        self.status.show(ui);
    }

    /// "Print summary..." (or "Print REMS form..." while the REMS form is the format chosen): the
    /// PDF goes to the system's print dialog, printer or viewer, without the private note.
    fn print_button(
        &mut self,
        ui: &mut Ui,
        record: &SessionRecord,
        progress: Option<&ProgressNote>,
        context: &dyn Fn() -> SummaryContext,
        journal: &Journal,
    ) {
        let (format, what, form) = if self.format == ExportFormat::Rems {
            (ExportFormat::Rems, "REMS form", ExportFormat::Rems.label())
        } else {
            (
                ExportFormat::Pdf,
                "session summary",
                ExportFormat::Pdf.label(),
            )
        };
        let label = if self.printing.is_running() {
            "Printing...".to_owned()
        } else {
            format!("Print {what}...")
        };
        let clicked = ui
            .add_enabled(!self.printing.is_running(), egui::Button::new(label))
            .on_hover_text("The private psychotherapy note is never printed.")
            .clicked();
        if !clicked {
            return;
        }
        let printed = SessionRecord {
            progress_note: progress.cloned(),
            private_note: None,
            ..record.clone()
        };
        let request = PrintRequest {
            what,
            form,
            title: format!("KAP Journal session {}", record.session.id),
            scope: DisclosureScope::Client {
                client: record.session.client_id,
                sessions: vec![record.session.uuid],
            },
        };
        let context = context();
        self.status = Status::Quiet;
        self.printing.start(ui.ctx(), journal, request, move || {
            let mut pdf = Vec::new();
            write_record(&printed, format, &context, &mut pdf)
                .map_err(|error| crate::print::PrintError::Render(error.to_string()))?;
            Ok(pdf)
        });
    }

    /// The record as exported: with its progress note, and with its private note (read now) only
    /// when the clinician ticked the box for this export.
    fn exported(
        record: &SessionRecord,
        progress: Option<&ProgressNote>,
        store: &Store,
        with_private: bool,
    ) -> Result<SessionRecord, StoreError> {
        let private_note = if with_private {
            store.record().private_note(record.session.id)?
        } else {
            None
        };
        Ok(SessionRecord {
            progress_note: progress.cloned(),
            private_note,
            ..record.clone()
        })
    }

    /// Asks where the file goes; it is made once that is known.
    fn choose(
        &mut self,
        ctx: &egui::Context,
        record: SessionRecord,
        context: SummaryContext,
        store: &Store,
    ) {
        let name = session_file_name(record.session.id, record.session.started_at, self.format);
        let filter = (self.format.label(), self.format.extension());
        let dialog = SaveDialog::open(ctx, &name, filter, &exports_dir(&self.data_dir));
        self.status = Status::Quiet;
        self.stage = Stage::Choosing {
            record: Box::new(record),
            context,
            dialog,
            recorder: store.registers().disclosure_recorder(),
        };
    }

    fn poll(&mut self, ctx: &egui::Context, journal: &Journal) {
        let data_dir = journal.read().dir();
        match &mut self.stage {
            Stage::Idle => {}
            Stage::Choosing { dialog, .. } => {
                let (path, fallback) = match dialog.destination(ctx) {
                    Destination::Waiting => return,
                    Destination::Cancelled => {
                        self.stage = Stage::Idle;
                        self.status = Status::done(EXPORT_CANCELLED);
                        return;
                    }
                    Destination::To { path, fallback } => (path, fallback),
                };
                let Stage::Choosing {
                    record,
                    context,
                    recorder,
                    ..
                } = std::mem::take(&mut self.stage)
                else {
                    return;
                };
                let (format, dir, written) = (self.format, data_dir.to_path_buf(), path.clone());
                let scope = DisclosureScope::Client {
                    client: record.session.client_id,
                    sessions: vec![record.session.uuid],
                };
                let job = Job::start(ctx, "export", move |_| {
                    // Recorded in the client's accounting of disclosures before it is written.
                    let record_it = |path: &Path| {
                        recorder.record(&export_disclosures(
                            format,
                            &path.display().to_string(),
                            vec![scope],
                            crate::domain::wall_now(),
                        ))
                    };
                    write_disclosed(&written, &dir, record_it, |out| {
                        write_record(&record, format, &context, out)
                    })
                });
                self.stage = Stage::Writing {
                    path,
                    fallback,
                    job,
                };
                // A job run at once has its answer already.
                self.poll(ctx, journal);
            }
            Stage::Writing {
                path,
                fallback,
                job,
            } => {
                let lost = || Err(ExportError::Stopped);
                let Some(saved) = job.take(lost) else {
                    return;
                };
                // The worker takes the disclosure into the journal now (a failure leaves it in the
                // outbox, listed all the same, for the next opening).
                let _ = journal.send(TakeInDisclosures);
                self.status = match (saved, *fallback) {
                    (Ok(()), false) => Status::done(format!("Saved to {}", path.display())),
                    (Ok(()), true) => Status::done(format!(
                        "No save dialog can be shown on this system, so the export was saved to {}",
                        path.display()
                    )),
                    (Err(problem), _) => Status::problem(problem),
                };
                self.stage = Stage::Idle;
            }
        }
    }
}

/// Where an export of the session is.
#[derive(Default)]
enum Stage {
    #[default]
    Idle,
    /// The record as it will be exported, while the dialog asks where it goes.
    Choosing {
        record: Box<SessionRecord>,
        context: SummaryContext,
        dialog: SaveDialog,
        recorder: DisclosureRecorder,
    },
    /// The file being made and written.
    Writing {
        path: PathBuf,
        fallback: bool,
        job: Job<Result<(), ExportError>>,
    },
}
