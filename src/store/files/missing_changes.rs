//! A journal that lacks changes recorded beside it (by the anchor) or outside its folder (by the
//! witness), said in one sentence with what to do. What to do depends on the newest backup: when it
//! holds the missing change, restoring it brings the change back; when it does not, a restore would
//! only throw away what the journal holds since, so none is advised. An anchor or witness that
//! belongs to another journal, or was altered, is told apart from a real loss that way; once the
//! clinician knows how it came about, the journal is taken as it is.

use std::path::Path;

use rusqlite::Connection;

use super::super::secret::DataKey;
use super::super::{StoreError, list_backups};
use crate::store::files::anchor::Anchor;
use crate::store::files::witness::Witness;

/// What a journal lacks, and whether restoring the newest backup would bring it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::store) struct MissingChanges {
    pub sentence: String,
    pub restore_advised: bool,
}

/// Compares the journal on `conn` with the anchor and the witness of `dir`; `None` when it holds
/// the entries both recorded.
pub(in crate::store) fn find(
    dir: &Path,
    key: &DataKey,
    conn: &Connection,
    anchor: Option<&Anchor>,
    witness: Option<&Witness>,
) -> Result<Option<MissingChanges>, StoreError> {
    let found = match anchor {
        Some(anchor) => anchor.missing_from(conn)?.map(|said| (said, anchor)),
        None => None,
    };
    let found = match (found, witness) {
        (Some(found), _) => Some(found),
        (None, Some(witness)) => witness
            .missing_from(conn)?
            .map(|said| (said, &witness.anchor)),
        (None, None) => None,
    };
    let Some((said, entry)) = found else {
        return Ok(None);
    };
    let (advice, restore_advised) = advise(dir, key, entry, conn);
    Ok(Some(MissingChanges {
        sentence: format!("{said}; {advice}"),
        restore_advised,
    }))
}

/// What to do about a journal on `conn` that lacks `entry`, decided by the newest backup.
fn advise(dir: &Path, key: &DataKey, entry: &Anchor, conn: &Connection) -> (String, bool) {
    const ACCEPT: &str = "if you know how this came about and the journal holds what it should, `kap-journal check --accept` takes it as it is";
    let Some(newest) = list_backups(dir)
        .ok()
        .and_then(|backups| backups.into_iter().next())
    else {
        return (
            format!("there is no backup to compare with, so no restore is advised; {ACCEPT}"),
            false,
        );
    };
    let made = crate::format::date_time(newest.made_at);
    let compared = crate::store::files::backup::read_copy(&newest.path, key, |copy| {
        Ok((
            entry.held_by(copy)?,
            Anchor::newest(copy)?.map_or(0, |a| a.seq),
        ))
    });
    let journal_newest = Anchor::newest(conn).ok().flatten().map_or(0, |a| a.seq);
    match compared {
        Ok((true, _)) => (
            format!(
                "the newest backup, of {made}, holds that change: restore it (the journal as it is now is kept beside it)"
            ),
            true,
        ),
        Ok((false, backup_newest)) if backup_newest < journal_newest => (
            format!(
                "the newest backup, of {made}, does not hold that change either and ends {} change{} before this journal, so restoring it would bring nothing back and lose records: do not restore it; the record of the change may belong to another journal or have been altered; {ACCEPT}",
                journal_newest - backup_newest,
                if journal_newest - backup_newest == 1 {
                    ""
                } else {
                    "s"
                },
            ),
            false,
        ),
        Ok((false, _)) => (
            format!(
                "the newest backup, of {made}, does not hold that change either, so restoring it would not bring it back; the record of the change may belong to another journal or have been altered; {ACCEPT}"
            ),
            false,
        ),
        Err(_) => (
            format!(
                "the newest backup, of {made}, cannot be read to compare, so no restore is advised until the backups have been looked into"
            ),
            false,
        ),
    }
}
