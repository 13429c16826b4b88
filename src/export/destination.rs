//! Where exports go and how they land: written beside their target under a temporary name, synced,
//! then renamed, so a failed or cancelled export never leaves half a file.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{ExportError, ExportFormat};
use crate::domain::SessionId;

/// The folder in the data dir that takes exports when no file was chosen (or no dialog can be shown).
pub fn exports_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("exports")
}

/// A file name for one session's export, e.g. `session-42-2026-11-24.md`.
pub fn session_file_name(
    id: SessionId,
    started: chrono::DateTime<chrono::Utc>,
    format: ExportFormat,
) -> String {
    format!(
        "session-{id}-{}{}.{}",
        started.format("%Y-%m-%d"),
        format.file_suffix(),
        format.extension()
    )
}

/// Runs `write` into a temporary file in `path`'s folder, syncs it, and renames it to `path`. A
/// `path` inside a journal's data or backups folder, or not a plain file, is refused before
/// anything is made; the file is written where the guard resolved `path` to.
pub fn write_atomically(
    path: &Path,
    data_dir: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    write_disclosed(path, data_dir, |_| Ok(()), write)
}

/// As [`write_atomically`], recording the disclosure first: `record` is given the file's full path
/// once the guard has accepted it, and nothing is written unless it succeeds (a client's record
/// never leaves the journal unaccounted for).
pub fn write_disclosed(
    path: &Path,
    data_dir: &Path,
    record: impl FnOnce(&Path) -> Result<(), crate::store::StoreError>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let resolved = crate::store::safe_output_path(path, data_dir)?;
    let path = resolved.as_path();
    record(path)?;
    let Some(folder) = path.parent() else {
        return Err(crate::store::StoreError::NotAPlainFile {
            path: path.to_path_buf(),
        }
        .into());
    };
    std::fs::create_dir_all(folder)?;
    // Noted in the data folder first: a process killed while writing leaves plaintext that the
    // next start removes.
    let temporary = crate::store::export_in_making(folder);
    let _unfinished = crate::store::UnfinishedOutput::begin(data_dir, &temporary);
    let result = (|| {
        let mut out = BufWriter::new(owner_only_new_file(&temporary)?);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|error| ExportError::Io(error.into_error()))?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        crate::store::sync_dir(folder)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A new file readable by its owner alone (an export is health information in plain text).
fn owner_only_new_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
