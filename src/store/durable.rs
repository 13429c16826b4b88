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
