//! The very first run. A new journal is made in steps (its key file, then journal.db and its
//! schema, then its anchor), and a process killed between two of them would leave a folder that is
//! neither new nor a journal: a key file without its journal reads as a journal emptied, refused
//! for ever. A note written before the first step and removed after the last tells a first run cut
//! short; its files hold no record yet, so the next start removes them and begins again.

use std::fs;
use std::path::Path;

use super::super::{ANCHOR_FILE_NAME, DB_FILE_NAME, KEY_FILE_NAME, StoreError};

/// The note that a first run is under way.
pub const FIRST_RUN_FILE_NAME: &str = "journal.first-run";

/// Notes, durably, that the journal in `dir` is being made.
pub(in crate::store) fn begin(dir: &Path) -> Result<(), StoreError> {
    let not_writable = not_writable(dir);
    let note = fs::File::create(dir.join(FIRST_RUN_FILE_NAME)).map_err(not_writable)?;
    note.sync_all().map_err(not_writable)?;
    super::super::durable::sync_dir(dir).map_err(not_writable)
}

/// The journal in `dir` is made: its first run is over.
pub(in crate::store) fn finish(dir: &Path) -> Result<(), StoreError> {
    let not_writable = not_writable(dir);
    fs::remove_file(dir.join(FIRST_RUN_FILE_NAME)).map_err(not_writable)?;
    super::super::durable::sync_dir(dir).map_err(not_writable)
}

/// Whether a first run in `dir` was cut short.
pub(in crate::store) fn cut_short(dir: &Path) -> bool {
    dir.join(FIRST_RUN_FILE_NAME).exists()
}

/// Removes what a first run cut short left, so the folder is new again: the note goes last, so a
/// kill in between leaves it to be finished at the next start.
pub(in crate::store) fn undo_cut_short(dir: &Path) -> Result<(), StoreError> {
    if !cut_short(dir) {
        return Ok(());
    }
    let not_writable = not_writable(dir);
    for name in [
        KEY_FILE_NAME.to_owned(),
        DB_FILE_NAME.to_owned(),
        format!("{DB_FILE_NAME}-wal"),
        format!("{DB_FILE_NAME}-shm"),
        ANCHOR_FILE_NAME.to_owned(),
    ] {
        match fs::remove_file(dir.join(name)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(not_writable(error));
            }
            _ => {}
        }
    }
    super::super::durable::sync_dir(dir).map_err(not_writable)?;
    finish(dir)
}

/// The error for a step in `dir` the system refused.
fn not_writable(dir: &Path) -> impl Fn(std::io::Error) -> StoreError + Copy + '_ {
    move |source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    }
}
