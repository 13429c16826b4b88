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

/// What an output in the making is named (`.kap-journal-export-<uuid>.partial`), so a note, which
/// anyone who can write in the data folder could craft, can only ever remove such a file.
const OWN_PREFIX: &str = ".kap-journal-";
const PARTIAL_SUFFIX: &str = ".partial";
/// The kinds of output in the making, the word after the prefix.
const KINDS: [&str; 2] = ["export", "backup"];

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
        let _ = remove_with_side_files(output);
        if let Some(note) = note {
            let _ = fs::remove_file(note);
        }
    }
}

fn write_note(path: &Path, output: &Path) -> std::io::Result<(PathBuf, File)> {
    let folder = path.parent().unwrap_or(Path::new("."));
    crate::store::files::writer_lock::create_private_dir(folder)?;
    let mut options = OpenOptions::new();
    options.create_new(true).write(true).read(true);
    // It names a file in a folder of the clinician's: theirs alone to read.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.try_lock().map_err(std::io::Error::other)?;
    file.write_all(output.as_os_str().as_encoded_bytes())?;
    file.sync_all()?;
    super::super::durable::sync_dir(folder)?;
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
            match remove_with_side_files(&output) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => continue,
                _ => {}
            }
        }
        let _ = fs::remove_file(&path);
    }
}

/// Removes an output in the making and the files SQLite keeps beside a backup's copy while it is
/// written (its rollback journal, write-ahead log and index).
fn remove_with_side_files(output: &Path) -> std::io::Result<()> {
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut side = output.as_os_str().to_owned();
        side.push(suffix);
        let _ = fs::remove_file(PathBuf::from(side));
    }
    fs::remove_file(output)
}

/// The file a note names, when it is one KAP Journal makes: an absolute path to a plain file (not
/// a link) or to nothing, named exactly as [`in_making`] names them. A note is never trusted to remove anything else.
fn own_output(named: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    let path = PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(named));
    #[cfg(not(unix))]
    let path = PathBuf::from(std::str::from_utf8(named).ok()?);
    let name = path.file_name()?.to_str()?;
    let (kind, id) = name
        .strip_prefix(OWN_PREFIX)?
        .strip_suffix(PARTIAL_SUFFIX)?
        .split_once('-')?;
    let own_name = KINDS.contains(&kind) && uuid::Uuid::try_parse(id).is_ok();
    // Gone already is fine (its side files may be left); anything but a plain file is not ours.
    let plain = match fs::symlink_metadata(&path) {
        Ok(meta) => meta.is_file(),
        Err(error) => error.kind() == std::io::ErrorKind::NotFound,
    };
    (own_name && plain && path.is_absolute()).then_some(path)
}

/// A fresh name in `target_folder` for an output of `kind` (one of [`KINDS`]) in the making.
fn in_making(target_folder: &Path, kind: &str) -> PathBuf {
    target_folder.join(format!(
        "{OWN_PREFIX}{kind}-{}{PARTIAL_SUFFIX}",
        uuid::Uuid::new_v4()
    ))
}

/// A fresh name in `target_folder` for the plaintext of an export in the making.
pub fn export_in_making(target_folder: &Path) -> PathBuf {
    in_making(target_folder, KINDS[0])
}

/// A fresh name in `target_folder` for a backup's copy in the making.
pub fn backup_in_making(target_folder: &Path) -> PathBuf {
    in_making(target_folder, KINDS[1])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Writes a note naming `output` into `data_dir`, unlocked, as a killed process leaves it (or
    /// as someone who can write in the data folder could craft it).
    fn leave_note(data_dir: &Path, output: &Path) {
        let folder = data_dir.join(UNFINISHED_DIR_NAME);
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join(format!("{}.note", uuid::Uuid::new_v4())),
            output.as_os_str().as_encoded_bytes(),
        )
        .unwrap();
    }

    #[test]
    fn a_note_removes_only_a_file_this_program_names_as_its_own() {
        let data = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let own = export_in_making(elsewhere.path());
        let own_backup = backup_in_making(elsewhere.path());
        let kept = [
            elsewhere.path().join("thesis.partial"),
            elsewhere.path().join("download.iso.partial"),
            elsewhere
                .path()
                .join(".kap-journal-export-notauuid.partial"),
            elsewhere
                .path()
                .join(".kap-journal-keys-0d6c1a2e-6e8a-4a55-9c77-1d2d1e0f3b11.partial"),
            elsewhere
                .path()
                .join(".kap-journal-export-0d6c1a2e-6e8a-4a55-9c77-1d2d1e0f3b11"),
        ];
        for file in kept.iter().chain([&own, &own_backup]) {
            fs::write(file, b"x").unwrap();
            leave_note(data.path(), file);
        }
        // A relative name would be judged against whatever folder the next command runs in.
        leave_note(
            data.path(),
            Path::new(".kap-journal-export-0d6c1a2e-6e8a-4a55-9c77-1d2d1e0f3b11.partial"),
        );
        remove_unfinished_outputs(data.path());
        assert!(!own.exists() && !own_backup.exists());
        for file in &kept {
            assert!(file.exists(), "{}", file.display());
        }
        assert_eq!(
            fs::read_dir(data.path().join(UNFINISHED_DIR_NAME))
                .unwrap()
                .count(),
            0,
            "every note is gone, followed or not"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_note_naming_a_link_removes_neither_the_link_nor_its_target() {
        let data = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("precious.txt");
        fs::write(&target, b"x").unwrap();
        let link = export_in_making(elsewhere.path());
        std::os::unix::fs::symlink(&target, &link).unwrap();
        leave_note(data.path(), &link);
        remove_unfinished_outputs(data.path());
        assert!(target.exists() && fs::symlink_metadata(&link).is_ok());
    }
}
