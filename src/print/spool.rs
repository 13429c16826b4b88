//! The temporary copy a printing system reads: owner-only, in a folder only its owner can enter,
//! removed when dropped; copies a killed process left behind are swept at the next print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A copy older than this was left by a process that ended without removing it (a viewer has
/// long since read it).
const LEFT_BEHIND_AFTER: Duration = Duration::from_mins(10);

/// The folder copies go to: `$XDG_RUNTIME_DIR/kap-journal-print` (memory, private to the user,
/// emptied at logout) when the system has it, else `fallback`. Made owner-only.
pub(super) fn spool_dir(fallback: &Path) -> std::io::Result<PathBuf> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute() && dir.is_dir());
    let dir = runtime.map_or_else(
        || fallback.to_path_buf(),
        |dir| dir.join("kap-journal-print"),
    );
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    #[cfg(unix)]
    {
        // A folder that was already there keeps its mode: make sure it is private now.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

/// Removes copies in `dir` older than ten minutes (best effort: one that cannot be removed now is
/// tried again next time).
pub fn sweep_spool(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let ours = name.to_string_lossy().starts_with("print-");
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= LEFT_BEHIND_AFTER);
        if ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// One temporary copy; removed when dropped.
#[derive(Debug)]
pub struct SpoolFile {
    path: PathBuf,
}

impl SpoolFile {
    /// Writes `bytes` to a new owner-only file in `dir`, synced.
    pub(super) fn write(dir: &Path, bytes: &[u8]) -> std::io::Result<Self> {
        let path = dir.join(format!("print-{}.pdf", uuid::Uuid::new_v4().simple()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        let copy = Self { path };
        file.write_all(bytes)?;
        file.sync_all()?;
        Ok(copy)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the copy for a reader that opens it after this process ends (a viewer started by
    /// the command line); the next print's sweep removes it.
    pub fn keep(self) -> PathBuf {
        let path = self.path.clone();
        std::mem::forget(self);
        path
    }
}

impl Drop for SpoolFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_copy_is_owner_only_and_gone_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let copy = SpoolFile::write(dir.path(), b"%PDF-1.7").unwrap();
        let path = copy.path().to_path_buf();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(copy);
        assert!(!path.exists());
    }

    #[test]
    fn the_fallback_folder_is_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let fallback = dir.path().join("printing");
        std::fs::create_dir(&fallback).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&fallback, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let private = spool_dir(&fallback).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&private).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[test]
    fn only_old_copies_of_ours_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("print-old.pdf");
        let fresh = dir.path().join("print-fresh.pdf");
        let other = dir.path().join("notes.txt");
        for path in [&old, &fresh, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        let long_ago = SystemTime::now() - Duration::from_hours(1);
        for path in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        sweep_spool(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists());
        assert!(other.exists());
    }
}
