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
    #[error(transparent)]
    Rems(crate::domain::RemsError),
    /// The work beside the window ended before the export was done.
    #[error("The export stopped unexpectedly; nothing was saved.")]
    Stopped,
}

/// Why an import changed nothing.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("The file could not be read: {0}.")]
    Io(#[from] std::io::Error),
    #[error("{} is not a plain file (a folder, a device or a pipe), so nothing was imported.", path.display())]
    NotAPlainFile { path: std::path::PathBuf },
    #[error(
        "The file is {size_mib} MiB and the journal imports archives of up to {limit_mib} MiB, so nothing was imported."
    )]
    TooLarge { size_mib: u64, limit_mib: u64 },
    #[error(
        "Line {line}, column {column} of the file cannot be read ({problem}), so nothing was imported."
    )]
    At {
        line: usize,
        column: usize,
        problem: String,
    },
    #[error(
        "Session {number} of the file cannot be imported ({problem}), so nothing was imported."
    )]
    InSession { number: usize, problem: String },
    #[error("The file ends too early ({problem}), so nothing was imported.")]
    Truncated { problem: String },
    /// Not `#[from]`: that would make the store's error this one's source too, and a report of
    /// the whole chain would say the same sentence twice.
    #[error("Nothing was imported: {}", clause(&.0.to_string()))]
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// A sentence as a clause after a colon: its first letter in lower case (unless it begins a name
/// such as "SQLite"), its full stop kept as the end of the whole.
fn clause(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            format!("{}{}", first.to_lowercase(), &sentence[first.len_utf8()..])
        }
        _ => sentence.to_owned(),
    }
}
