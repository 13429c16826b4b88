//! Printing from the window: a PDF made and printed by a background job (the print dialog may
//! stay open as long as the clinician likes), recorded as a disclosure before it goes, and said
//! in the status line. A copy opened in the system's viewer is kept until the window closes.

use super::status::Status;
use std::sync::{Arc, Mutex};

use super::background::Job;
use crate::changes::TakeInDisclosures;
use crate::domain::DisclosureScope;
use crate::export::print_disclosure;
use crate::print::{PrintError, Printed, Printer, SpoolFile, print};
use crate::store::DisclosureRecorder;
use crate::worker::Journal;

/// Makes this window print with `printer` instead of the system's ways (for tests and kiosks).
pub fn use_printer(ctx: &egui::Context, printer: Printer) {
    ctx.data_mut(|data| data.insert_temp(printer_id(), printer));
}

fn printer_id() -> egui::Id {
    egui::Id::unique("kap_journal_printer")
}

/// The printer set with [`use_printer`], else the system's.
fn printer(ctx: &egui::Context, data_dir: &std::path::Path) -> Printer {
    ctx.data(|data| data.get_temp::<Printer>(printer_id()))
        .unwrap_or_else(|| Printer::system(data_dir))
}

/// Copies opened in a viewer; removed when the window (its context) is dropped.
#[derive(Clone, Default)]
struct KeptCopies(Arc<Mutex<Vec<SpoolFile>>>);

fn keep_until_close(ctx: &egui::Context, copy: SpoolFile) {
    let kept = ctx.data_mut(|data| {
        data.get_temp_mut_or_default::<KeptCopies>(egui::Id::unique("kap_journal_kept_copies"))
            .clone()
    });
    if let Ok(mut copies) = kept.0.lock() {
        copies.push(copy);
    }
}

/// What a print is of, to say it and to account for it.
pub struct PrintRequest {
    /// e.g. "session summary", "REMS form", "consent".
    pub what: &'static str,
    /// The form named in the accounting of disclosures.
    pub form: &'static str,
    /// The title in print queues: a session number at most, never anything of the client.
    pub title: String,
    pub scope: DisclosureScope,
}

/// One print at a time, from one place in the window.
#[derive(Default)]
pub struct Printing {
    running: Option<(&'static str, Job<Result<Printed, PrintError>>)>,
}

impl Printing {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Makes the PDF with `render` and prints it, on a job.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        journal: &Journal,
        request: PrintRequest,
        render: impl FnOnce() -> Result<Vec<u8>, PrintError> + Send + 'static,
    ) {
        let store = journal.read();
        let printer = printer(ctx, store.dir());
        let recorder: DisclosureRecorder = store.registers().disclosure_recorder();
        let PrintRequest {
            what,
            form,
            title,
            scope,
        } = request;
        let job = Job::start(ctx, "print", move |_| {
            let pdf = render()?;
            print(&printer, &pdf, &title, |recipient| {
                recorder.record(&[print_disclosure(
                    form,
                    recipient,
                    scope.clone(),
                    crate::domain::wall_now(),
                )])
            })
        });
        self.running = Some((what, job));
    }

    /// The status to show once the print is done (then the disclosure is taken into the journal).
    pub fn poll(&mut self, ctx: &egui::Context, journal: &Journal) -> Option<Status> {
        let (what, job) = self.running.as_ref()?;
        let lost = || {
            Err(PrintError::Portal(
                "printing stopped unexpectedly".to_owned(),
            ))
        };
        let outcome = job.take(lost)?;
        let what = *what;
        self.running = None;
        let _ = journal.send(TakeInDisclosures);
        Some(match outcome {
            Ok(printed) => {
                let sentence = printed.sentence(what);
                if let Printed::Viewer { copy } = printed {
                    keep_until_close(ctx, copy);
                }
                Status::done(sentence)
            }
            Err(problem) => Status::problem(problem),
        })
    }
}
