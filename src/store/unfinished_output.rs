//! Outputs in the making (an export's plaintext written beside its target, a backup's partial copy)
//! are noted in the data folder before a byte of them is written, and the note is held locked while
//! the output is made. A process killed on the way leaves its note unlocked, and the next start of
//! KAP Journal (the window or any command) removes the file the note names: no plaintext export and
//! no partial backup outlives the process that was making it.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder, inside the data folder, that holds the notes.
pub const UNFINISHED_DIR_NAME: &str = "unfinished";

/// What an output in the making is named, so a note can only ever remove such a file.
const OWN_PREFIX: &str = ".kap-journal-";
const PARTIAL_SUFFIX: &str = ".partial";

/// The outputs this process is making, with their notes: what an interrupt removes before exiting.
static IN_MAKING: Mutex<Vec<(PathBuf, Option<PathBuf>)>> = Mutex::new(Vec::new());

/// The note of one output in the making; dropping it (the output finished, or was abandoned and its
/// file removed) removes the note.
#[derive(Debug)]
pub struct UnfinishedOutput {
    output: PathBuf,
    note: Option<(PathBuf, File)>,
}

impl UnfinishedOutput {
    /// Notes in `data_dir` that `output` is about to be made. When the note cannot be written (a
    /// data folder on read-only media) the output is made without one.
    pub fn begin(data_dir: &Path, output: &Path) -> Self {
        let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let note_path = data_dir
            .join(UNFINISHED_DIR_NAME)
            .join(format!("{}.note", uuid::Uuid::new_v4()));
        // Known to an interrupt before the note is written, so one that comes while writing it
        // removes it too.
        if let Ok(mut in_making) = IN_MAKING.lock() {
            in_making.push((output.clone(), Some(note_path.clone())));
        }
        let note = write_note(&note_path, &output).ok();
        Self { output, note }
    }
}

impl Drop for UnfinishedOutput {
    fn drop(&mut self) {
        // The note goes before the entry that tells an interrupt about it.
        if let Some((path, file)) = self.note.take() {
            let _ = fs::remove_file(&path);
            drop(file);
        }
        if let Ok(mut in_making) = IN_MAKING.lock() {
            in_making.retain(|(output, _)| output != &self.output);
        }
    }
}

/// Removes the half-made outputs of this process and their notes: what Ctrl+C (or SIGTERM) does
/// before the process exits. Called from the interrupt handler's own thread; a lock held by a thread
/// that is mid-change is not waited for (the next start removes what is left).
pub fn abandon_outputs_in_making() {
    let Ok(in_making) = IN_MAKING.try_lock() else {
        return;
    };
    for (output, note) in in_making.iter() {
        let _ = fs::remove_file(output);
        if let Some(note) = note {
            let _ = fs::remove_file(note);
        }
    }
}

fn write_note(path: &Path, output: &Path) -> std::io::Result<(PathBuf, File)> {
    let folder = path.parent().unwrap_or(Path::new("."));
    super::open::create_private_dir(folder)?;
    let mut options = OpenOptions::new();
    options.create_new(true).write(true).read(true);
    // It names a file in a folder of the clinician's: theirs alone to read.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.try_lock().map_err(std::io::Error::other)?;
    file.write_all(output.as_os_str().as_encoded_bytes())?;
    file.sync_all()?;
    super::durable::sync_dir(folder)?;
    Ok((path.to_path_buf(), file))
}

/// Removes what killed processes left half made, by their notes in `data_dir`. A note still locked
/// belongs to a process at work (an export beside the window) and is left alone.
pub fn remove_unfinished_outputs(data_dir: &Path) {
    let Ok(entries) = fs::read_dir(data_dir.join(UNFINISHED_DIR_NAME)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(mut file) = OpenOptions::new().read(true).write(true).open(&path) else {
            continue;
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock | TryLockError::Error(_)) => continue,
        }
        let mut named = Vec::new();
        if file.read_to_end(&mut named).is_ok()
            && let Some(output) = own_output(&named)
        {
            match fs::remove_file(&output) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => continue,
                _ => {}
            }
        }
        let _ = fs::remove_file(&path);
    }
}

/// The file a note names, when it is one KAP Journal makes (a note is never trusted to remove
/// anything else).
fn own_output(named: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    let path = PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(named));
    #[cfg(not(unix))]
    let path = PathBuf::from(std::str::from_utf8(named).ok()?);
    let name = path.file_name()?.to_str()?;
    (name.starts_with(OWN_PREFIX) || name.ends_with(PARTIAL_SUFFIX)).then_some(path)
}

/// A fresh name beside `target` for the plaintext of an export in the making.
pub fn export_in_making(target_folder: &Path) -> PathBuf {
    target_folder.join(format!(
        "{OWN_PREFIX}export-{}{PARTIAL_SUFFIX}",
        uuid::Uuid::new_v4()
    ))
}
