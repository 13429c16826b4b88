//! Reading a journal without writing beside it: a read-only connection, and on read-only media (a
//! journal on a write-protected disk or share) one that opens it as immutable.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::super::secret::DataKey;
use super::super::{DB_FILE_NAME, StoreError};
use crate::store::files::connection::connect;

/// A read-only connection to the journal in `dir`. On read-only media, where SQLite cannot make the
/// log's index file beside a journal that was closed cleanly (and so has no log), the journal is
/// opened as immutable; a log left there without its index cannot be read, and is said so.
pub(in crate::store) fn connect_read_only(
    dir: &Path,
    key: &DataKey,
) -> Result<Connection, StoreError> {
    let path = dir.join(DB_FILE_NAME);
    let failure = match connect(&path, key, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(conn) => return Ok(conn),
        Err(failure) => failure,
    };
    let has_log = fs::metadata(dir.join(format!("{DB_FILE_NAME}-wal"))).is_ok_and(|m| m.len() > 0);
    let cannot_open = matches!(
        &failure,
        StoreError::FilesNotWritable(rusqlite::Error::SqliteFailure(error, _))
            if matches!(error.code, rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    );
    if !cannot_open {
        return Err(failure);
    }
    if has_log {
        return Err(StoreError::UnreadableLog);
    }
    connect(
        Path::new(&immutable_uri(&path)),
        key,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// `path` as an SQLite URI that opens it as immutable (nothing beside it is made or read).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.to_string_lossy().bytes() {
        // SQLite decodes %XX in a URI back to bytes, so a name in any script arrives whole.
        if byte.is_ascii() && !matches!(byte, b'?' | b'#' | b'%') {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push_str("?immutable=1");
    uri
}
