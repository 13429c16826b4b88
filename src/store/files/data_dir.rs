use std::path::PathBuf;

use directories::ProjectDirs;

/// The environment variable that picks the data folder when `--data-dir` is not given.
pub const DATA_DIR_ENV: &str = "KAP_JOURNAL_DATA_DIR";
/// The database file inside the data folder.
pub const DB_FILE_NAME: &str = "journal.db";
/// The data key, wrapped by the passphrase; without it the journal cannot be opened.
pub const KEY_FILE_NAME: &str = "journal.key";
/// The lock file that keeps a second instance from writing.
pub const LOCK_FILE_NAME: &str = "journal.lock";

/// The platform data folder: `~/.local/share/kap-journal` on Linux, `~/Library/Application Support/…`
/// on macOS, `%APPDATA%\…` on Windows. `None` when the platform has no home folder.
pub fn default_data_dir() -> Option<PathBuf> {
    ProjectDirs::from("org", "KAP Journal", "kap-journal").map(|dirs| dirs.data_dir().to_path_buf())
}
