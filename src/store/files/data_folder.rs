//! What a folder must be before the journal is opened in it: for reading, a folder this account
//! can list (so "there is no journal here" is true when it is said); for writing, also this
//! account's own and not open to every account, checked before anything is made or changed.

use std::fs;
use std::path::Path;

use super::super::StoreError;

/// Refuses a file given as the data folder, or a folder this account cannot read, in a sentence
/// that says which (a folder not there yet is left to the caller).
pub(in crate::store) fn refuse_unreadable_folder(dir: &Path) -> Result<(), StoreError> {
    match fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(StoreError::DataDirNotAFolder {
            path: dir.to_path_buf(),
        }),
        Ok(_) => fs::read_dir(dir)
            .map(|_| ())
            .map_err(|source| StoreError::DataDirUnreadable {
                path: dir.to_path_buf(),
                source,
            }),
        Err(_) => Ok(()),
    }
}

/// Refuses, before anything is made or changed, a data folder that belongs to another account or
/// that every account may write (`/tmp`): the journal would otherwise take it over and turn its
/// permissions to its own, or keep health records where anyone can replace its files.
pub(in crate::store) fn refuse_shared_folder(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let Ok(meta) = fs::metadata(dir) else {
            // Not there yet: it is made for this account alone.
            return Ok(());
        };
        if !meta.is_dir() {
            return Err(StoreError::DataDirNotAFolder {
                path: dir.to_path_buf(),
            });
        }
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Err(StoreError::DataDirNotYours {
                path: dir.to_path_buf(),
            });
        }
        if meta.mode() & 0o002 != 0 {
            return Err(StoreError::DataDirOpenToAll {
                path: dir.to_path_buf(),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
