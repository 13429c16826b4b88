//! The one way the journal opens a file someone named (an archive, a backup, a consent text, a
//! passphrase file): only a regular file, no larger than the caller allows.
//!
//! The file is opened without waiting (a pipe with no writer would otherwise hold the open for
//! ever) and judged by the handle it gave, so nothing can be swapped in between the look and the
//! read.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a named file was not read. Each says which file, never what is in it.
#[derive(Debug, thiserror::Error)]
pub enum PlainFileError {
    #[error("{} is not a plain file (a folder, a device or a pipe), so it was not read; give a file.", path.display())]
    NotPlain { path: PathBuf },
    #[error("{} is {size} bytes, more than the {limit} bytes such a file may have, so it was not read.", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{} cannot be read: {source}.", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Opens `path` for reading when it is a regular file of at most `limit` bytes; returns it with its
/// size.
pub fn open_plain_file(path: &Path, limit: u64) -> Result<(File, u64), PlainFileError> {
    let unreadable = |source| PlainFileError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(PlainFileError::NotPlain {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > limit {
        return Err(PlainFileError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    Ok((file, meta.len()))
}

/// The bytes of `path`, a regular file of at most `limit` bytes (a file that grows while it is read
/// is cut at the limit plus one byte, and refused).
pub fn read_plain_file(path: &Path, limit: u64) -> Result<Vec<u8>, PlainFileError> {
    let (file, size) = open_plain_file(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| PlainFileError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(PlainFileError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_file_within_its_limit_is_read_and_a_larger_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("consent.txt");
        std::fs::write(&file, b"I agree.").unwrap();
        assert_eq!(read_plain_file(&file, 8).unwrap(), b"I agree.");
        assert!(matches!(
            read_plain_file(&file, 7),
            Err(PlainFileError::TooLarge {
                size: 8,
                limit: 7,
                ..
            })
        ));
        assert!(matches!(
            read_plain_file(dir.path(), 1 << 20),
            Err(PlainFileError::NotPlain { .. })
        ));
        assert!(matches!(
            read_plain_file(&dir.path().join("missing"), 1 << 20),
            Err(PlainFileError::Unreadable { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_and_a_device_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer ever opens the pipe: a blocking open would never return.
        assert!(matches!(
            read_plain_file(&fifo, 1 << 20),
            Err(PlainFileError::NotPlain { .. })
        ));
        assert!(matches!(
            read_plain_file(Path::new("/dev/zero"), 1 << 20),
            Err(PlainFileError::NotPlain { .. })
        ));
    }
}
