//! What can go wrong exporting or importing, as sentences a clinician can act on. Messages name
//! where (line, session, entry) and never quote what the file or the journal says.

use thiserror::Error;

use crate::store::StoreError;

/// Why an export did not complete.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("The export could not be written: {0}.")]
    Io(#[from] std::io::Error),
    #[error("The export could not be written.")]
    Write,
    #[error("The export was cancelled; nothing was kept.")]
    Cancelled,
    #[error("The PDF could not be made.")]
    Pdf,
}

/// Why an import changed nothing.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("The file could not be read: {0}.")]
    Io(#[from] std::io::Error),
    #[error("{} is not a plain file (a folder, a device or a pipe), so nothing was imported.", path.display())]
    NotAPlainFile { path: std::path::PathBuf },
    #[error(
        "The file is {size_mib} MiB; the journal imports archives of up to {limit_mib} MiB. Nothing was imported."
    )]
    TooLarge { size_mib: u64, limit_mib: u64 },
    #[error("Line {line}, column {column}: {problem}. Nothing was imported.")]
    At {
        line: usize,
        column: usize,
        problem: String,
    },
    #[error("Session {number} of the file: {problem}. Nothing was imported.")]
    InSession { number: usize, problem: String },
    #[error("The file ends too early: {problem}. Nothing was imported.")]
    Truncated { problem: String },
    #[error("{0} Nothing was imported.")]
    Store(#[from] StoreError),
}
