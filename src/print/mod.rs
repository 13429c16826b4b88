//! Printing a PDF the journal made (a session summary, a REMS form, a consent): through the
//! desktop's print dialog (the XDG print portal on Linux), else the system's print command (CUPS
//! `lp` to the default printer), else the system's PDF viewer to print from. The first way this
//! computer has is used.
//!
//! The document is written to an owner-only temporary file in a private folder (in memory where
//! the system keeps one: `$XDG_RUNTIME_DIR`) and removed once the printing system has it; a copy
//! opened in a viewer is removed when the window closes, and any left by a process that died is
//! removed at the next print or start. Printing discloses the record, so it is recorded first:
//! `record` is told who receives it once that is known, and nothing is printed unless it
//! succeeds.

mod commands;
#[cfg(target_os = "linux")]
mod portal;
mod spool;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use commands::PrintCommands;
pub use spool::{SpoolFile, sweep_spool};

use crate::store::StoreError;

/// Where the desktop's print portal is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalBus {
    /// The session's D-Bus, as a desktop has it.
    Session,
    /// A bus at this D-Bus address (tests run a portal of their own).
    At(String),
    /// Never ask a portal.
    Off,
}

/// The ways this computer can print, tried in order.
#[derive(Debug, Clone)]
pub struct Printer {
    pub portal: PortalBus,
    pub commands: PrintCommands,
    /// Where temporary copies go when the system has no private in-memory folder.
    pub spool_fallback: PathBuf,
}

impl Printer {
    /// The system's own ways: the session's portal, `lp` and the viewer found on `PATH`.
    pub fn system(data_dir: &Path) -> Self {
        Self {
            portal: PortalBus::Session,
            commands: PrintCommands::from_path(),
            spool_fallback: data_dir.join("printing"),
        }
    }
}

/// How a document went to paper.
#[derive(Debug)]
pub enum Printed {
    /// Handed to the printer chosen in the desktop's print dialog (`printer` names it as the
    /// accounting of disclosures does).
    Dialog { printer: String },
    /// Queued on the default printer by the print command; `job` is what the command answered.
    Queued { printer: String, job: String },
    /// Opened in the system's PDF viewer to be printed from there. The copy is kept until `copy`
    /// is dropped (the window keeps it until it closes).
    Viewer { copy: SpoolFile },
    /// The print dialog was cancelled: nothing printed (the disclosure was not recorded).
    Cancelled,
}

impl Printed {
    /// What the window and the command line say.
    pub fn sentence(&self, what: &str) -> String {
        match self {
            Self::Dialog { printer } => format!("The {what} was sent to {printer}."),
            Self::Queued { printer, job } => {
                format!("The {what} was sent to printer {printer}: {}.", job.trim())
            }
            Self::Viewer { .. } => format!(
                "No printer could be reached directly, so the {what} was opened in the system's PDF \
                 viewer to print from there; its temporary copy is removed when KAP Journal closes."
            ),
            Self::Cancelled => "Printing cancelled; nothing was sent.".to_owned(),
        }
    }
}

/// Why nothing was printed.
#[derive(Debug, Error)]
pub enum PrintError {
    #[error(
        "This computer has no way to print: no print dialog, no print command (lp) with a default \
         printer and no PDF viewer were found. Export the PDF and print it from another program."
    )]
    NoWay,
    #[error("The document could not be made ready for printing: {0}.")]
    Spool(#[from] std::io::Error),
    #[error("The print command refused the document ({0}); nothing was printed.")]
    Refused(String),
    #[error("The print dialog failed ({0}); nothing was printed.")]
    Portal(String),
    #[error("The system's PDF viewer could not be opened ({0}).")]
    Viewer(String),
    /// The disclosure could not be recorded, so nothing left the journal.
    #[error("Nothing was printed: {0}")]
    Unrecorded(#[from] StoreError),
    /// The document could not be made (the sentence says why).
    #[error("{0}")]
    Render(String),
}

/// Prints `pdf`, titled `title` in print queues (never a client's name). `record` is called with
/// the recipient (a printer's name, or the viewer) before the document is handed over.
pub fn print(
    printer: &Printer,
    pdf: &[u8],
    title: &str,
    mut record: impl FnMut(&str) -> Result<(), StoreError>,
) -> Result<Printed, PrintError> {
    let spool = spool::spool_dir(&printer.spool_fallback)?;
    sweep_spool(&spool);
    let copy = SpoolFile::write(&spool, pdf)?;
    #[cfg(target_os = "linux")]
    if let Some(dialog) = portal::Portal::reach(&printer.portal) {
        return dialog.print(&copy, title, &mut record);
    }
    if let Some(queue) = printer.commands.default_queue() {
        record(&format!("printer {queue}"))?;
        let job = printer.commands.queue(&queue, copy.path(), title)?;
        return Ok(Printed::Queued {
            printer: queue,
            job,
        });
    }
    if printer.commands.has_viewer() {
        record("the system's PDF viewer, to print from")?;
        printer.commands.open_in_viewer(copy.path())?;
        return Ok(Printed::Viewer { copy });
    }
    Err(PrintError::NoWay)
}
