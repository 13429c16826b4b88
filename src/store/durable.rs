//! Making a rename survive a power cut: after a file is renamed into place, the folder's entry must be
//! flushed too, or the rename can be undone on restart.

use std::path::Path;

/// Flushes the folder `dir` (its list of names) to disk. Windows has no such call and makes renames
/// durable by itself, so there it does nothing.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Makes `path` readable and writable by its owner alone (a folder: also listable by them alone):
/// health records are nobody else's on a shared computer. A path that is not there is left alone;
/// Windows keeps its own access lists, so there it does nothing.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        let mode = if meta.is_dir() { 0o700 } else { 0o600 };
        if meta.permissions().mode() & 0o777 != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}
