//! A backup carries the journal's key file after its pages, so that it restores on another computer
//! (the laptop stolen or dead) with the passphrase alone. The key file holds the data key sealed
//! under the passphrase (Argon2id and an AEAD, see `key_file`), so carrying it gives nothing to
//! whoever has the backup but not the passphrase: exactly what `journal.key` beside the journal gives.
//!
//! Layout: the journal's pages, then the key file's bytes, then their length (8 bytes, big-endian),
//! then [`MAGIC`]. A backup from before has no trailer and opens with the journal's own key file.
//! SQLite reads a backup's pages by the count in its header, but SQLCipher's page check reads the
//! whole file, so a backup is checked on a copy of its pages alone.

use std::fs::{self, File};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use super::super::{KEY_FILE_NAME, StoreError};
use crate::store::files::key_file::KeyFile;

/// The last bytes of a backup that carries its key.
const MAGIC: &[u8; 16] = b"kap-journal-key\x01";
/// A key file is a few hundred bytes; a trailer claiming more is not one.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
const TRAILER_BYTES: u64 = 8 + MAGIC.len() as u64;

/// What a backup file holds: how many bytes of it are the journal's pages, and the key file it
/// carries (none for a backup made before backups carried their key).
#[derive(Debug)]
pub(in crate::store) struct BackupParts {
    pub pages_bytes: u64,
    pub key_file: Option<KeyFile>,
}

impl BackupParts {
    /// Reads the trailer of the backup at `path`, if it has one.
    pub(in crate::store) fn of(path: &Path) -> Result<Self, StoreError> {
        let unreadable = |source| StoreError::NotWritable {
            path: path.parent().unwrap_or(path).to_path_buf(),
            source,
        };
        // A pipe or device named as a backup is refused here rather than waited on.
        let (mut file, length) = match super::super::open_plain_file(path, u64::MAX) {
            Ok(opened) => opened,
            Err(super::super::PlainFileError::Unreadable { source, .. }) => {
                return Err(unreadable(source));
            }
            Err(error) => return Err(error.into()),
        };
        let whole = Self {
            pages_bytes: length,
            key_file: None,
        };
        if length < TRAILER_BYTES {
            return Ok(whole);
        }
        let mut trailer = [0_u8; TRAILER_BYTES as usize];
        file.seek(SeekFrom::Start(length - TRAILER_BYTES))
            .and_then(|_| file.read_exact(&mut trailer))
            .map_err(unreadable)?;
        let (size, magic) = trailer.split_at(8);
        if magic != MAGIC {
            return Ok(whole);
        }
        let size = u64::from_be_bytes(size.try_into().unwrap_or_default());
        if size == 0 || size > MAX_KEY_FILE_BYTES || size + TRAILER_BYTES > length {
            return Err(StoreError::NotABackup);
        }
        let pages_bytes = length - TRAILER_BYTES - size;
        let mut text = vec![0_u8; usize::try_from(size).map_err(|_| StoreError::NotABackup)?];
        file.seek(SeekFrom::Start(pages_bytes))
            .and_then(|_| file.read_exact(&mut text))
            .map_err(unreadable)?;
        let text = String::from_utf8(text).map_err(|_| StoreError::NotABackup)?;
        Ok(Self {
            pages_bytes,
            key_file: Some(KeyFile::parse(&text).map_err(|_| StoreError::NotABackup)?),
        })
    }
}

/// Appends the key file of the journal in `dir` to the finished copy at `staging`, before it is
/// flushed and renamed into place. A journal without a key file (none yet) adds nothing.
pub(in crate::store) fn carry_key(staging: &Path, dir: &Path) -> Result<(), StoreError> {
    let not_writable = |source| StoreError::NotWritable {
        path: staging.parent().unwrap_or(staging).to_path_buf(),
        source,
    };
    let text = match fs::read(dir.join(KEY_FILE_NAME)) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(not_writable(source)),
    };
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(staging)
        .map_err(not_writable)?;
    file.write_all(&text)
        .and_then(|()| file.write_all(&(text.len() as u64).to_be_bytes()))
        .and_then(|()| file.write_all(MAGIC))
        .map_err(not_writable)
}

/// Runs `check` on the backup's pages alone: the file itself when it carries no key, otherwise a
/// copy of its pages beside it (removed afterwards), since SQLCipher's page check reads to the end
/// of the file it is given.
pub(in crate::store) fn with_pages_alone<T>(
    path: &Path,
    parts: &BackupParts,
    check: impl FnOnce(&Path) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    if parts.key_file.is_none() {
        return check(path);
    }
    let copy = PagesCopy::make(path, parts.pages_bytes)?;
    check(&copy.0)
}

/// A copy of a backup's pages, removed when dropped.
struct PagesCopy(PathBuf);

impl PagesCopy {
    fn make(path: &Path, pages_bytes: u64) -> Result<Self, StoreError> {
        let folder = path.parent().unwrap_or(Path::new("."));
        let not_writable = |source| StoreError::NotWritable {
            path: folder.to_path_buf(),
            source,
        };
        // Beside the backup, else (a backup on read-only media) in the system's temporary folder:
        // the pages are as encrypted there as in the backup.
        let builder = || {
            let mut builder = tempfile::Builder::new();
            builder.prefix(".backup-pages");
            builder
        };
        let copy = builder()
            .tempfile_in(folder)
            .or_else(|_| builder().tempfile())
            .map_err(not_writable)?;
        let (mut file, copy_path) = copy.keep().map_err(|error| not_writable(error.error))?;
        let made = Self(copy_path);
        let mut source = File::open(path).map_err(not_writable)?.take(pages_bytes);
        std::io::copy(&mut source, &mut file).map_err(not_writable)?;
        Ok(made)
    }
}

impl Drop for PagesCopy {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
