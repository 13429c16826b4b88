//! The commit anchor: the audit chain's newest entry, written to a small file beside the journal after
//! every commit that added one. SQLite drops the newest commits without a word when a frame of its
//! write-ahead log is damaged, and an older copy of journal.db opens as if nothing were missing; both
//! leave a journal that ends before the anchor, and are found at the next start, before SQLite
//! recovers the log and before anything is written over the evidence.
//!
//! The anchor is a seal the chain already holds (an HMAC under the journal's key), so it reveals
//! nothing and cannot be made up. It is only detection: it is written without a flush of its own,
//! and an anchor lost in a power cut is an older anchor, which a newer journal satisfies.
//!
//! The file holds two fixed-size slots, written in turn (an entry's number says which) in place:
//! no file is made or renamed at each commit, which would change the folder and make the
//! journal's next flush wait for that change too (about 0.2 ms a note, measured). A write torn by
//! a power cut spoils one slot; the other still holds the anchor before it. A file of one line (an
//! earlier build's) is read as it was, and the first write makes the two slots.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest as _, Sha256};

use super::super::secret::{parse_hex, push_hex};
use super::super::{DB_FILE_NAME, Store, StoreError};

/// The anchor's file in the data folder.
pub const ANCHOR_FILE_NAME: &str = "journal.anchor";
/// The first word of an anchor file, with its format's version.
const MAGIC: &str = "kap-journal-anchor-1";
/// The bytes of one slot of the anchor file: one line, padded with spaces (an anchor's line is
/// under 150).
const SLOT: usize = 256;
/// Where the write-ahead log is kept while the journal it belongs to is being checked at open.
const WAL_ASIDE_SUFFIX: &str = "-wal.unverified";

/// The newest audit entry of a journal, as last committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::store) struct Anchor {
    pub(in crate::store) seq: i64,
    pub(in crate::store) at_ms: i64,
    pub(in crate::store) mac: Vec<u8>,
}

/// How a journal falls short of an anchor (or a witness) of its newest commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::store) enum Shortfall {
    /// The journal ends this many audit entries before the recorded one.
    Lost(i64),
    /// The journal holds an entry of that number, sealed otherwise: another copy or another journal.
    Differs,
}

impl Anchor {
    /// The newest entry of the audit log on `conn`; `None` for a journal from before the audit log.
    pub(in crate::store) fn newest(conn: &Connection) -> Result<Option<Self>, StoreError> {
        if !has_audit_log(conn)? {
            return Ok(None);
        }
        Ok(conn
            .prepare_cached("SELECT seq, at_ms, mac FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| {
                Ok(Self {
                    seq: row.get(0)?,
                    at_ms: row.get(1)?,
                    mac: row.get(2)?,
                })
            })
            .optional()?)
    }

    /// The anchor kept in `dir`: the newer of its two slots that read whole (or the one line of an
    /// earlier build's file). A file that is missing, torn or not an anchor says nothing.
    pub(in crate::store) fn read(dir: &Path) -> Option<Self> {
        let text = fs::read(dir.join(ANCHOR_FILE_NAME)).ok()?;
        if text.len() == 2 * SLOT {
            return text
                .chunks(SLOT)
                .filter_map(|slot| Self::parse(std::str::from_utf8(slot).ok()?))
                .max_by_key(|anchor| anchor.seq);
        }
        Self::parse(std::str::from_utf8(&text).ok()?)
    }

    /// One anchor's line, once its checksum is right.
    fn parse(line: &str) -> Option<Self> {
        let mut words = checked_words(line, MAGIC)?;
        let seq = words.next()?.parse().ok()?;
        let at_ms = words.next()?.parse().ok()?;
        let mac = parse_hex(words.next()?)?;
        words.next().is_none().then_some(Self { seq, at_ms, mac })
    }

    /// This anchor's line, padded to a slot.
    fn slot(&self) -> String {
        let mut body = format!("{MAGIC} {} {} ", self.seq, self.at_ms);
        push_hex(&mut body, &self.mac);
        let line = format!("{body} {}", checksum(&body));
        format!("{line:<width$}\n", width = SLOT - 1)
    }

    /// Records this anchor in `dir`: in place, in its slot of the two, when the file has them;
    /// else (the first anchor, or an earlier build's file) a new file with it in both slots, written
    /// beside and renamed over the old one. A reader finds the old anchor or the new one, never
    /// half of one.
    pub(in crate::store) fn write(&self, dir: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::{FileExt as _, OpenOptionsExt as _};
        let slot = self.slot();
        let path = dir.join(ANCHOR_FILE_NAME);
        // Never through a link someone put in its place: that is replaced, not written through.
        if let Ok(file) = fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            && file.metadata()?.len() == (2 * SLOT) as u64
        {
            let offset = if self.seq.rem_euclid(2) == 0 { 0 } else { SLOT };
            return file.write_all_at(slot.as_bytes(), offset as u64);
        }
        replace_small_file(dir, ANCHOR_FILE_NAME, &format!("{slot}{slot}"))
    }

    /// What the journal on `conn` lacks of what was committed up to this anchor, as one sentence;
    /// `None` when it holds this anchor's entry, sealed as it was, or when the pages that say so
    /// cannot be read: then the start-up check finds and names the damage, and the journal still
    /// opens to be read.
    pub(in crate::store) fn missing_from(
        &self,
        conn: &Connection,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.shortfall(conn)?.map(|shortfall| match shortfall {
            Shortfall::Differs => format!(
                "the journal is not the one whose changes were last recorded in this folder (its audit entry {} differs from the one recorded on {}), so an older or another copy of journal.db was put in its place; it is open to read only and nothing was deleted",
                self.seq,
                crate::format::date_time(self.at())
            ),
            Shortfall::Lost(count) => format!(
                "the journal lacks the newest {count} change{} recorded in this folder (the last on {}), so its write-ahead log was damaged or an older copy of journal.db was put in its place; it is open to read only and nothing was deleted",
                if count == 1 { "" } else { "s" },
                crate::format::date_time(self.at())
            ),
        }))
    }

    /// How the journal on `conn` falls short of this entry; `None` when it holds it, sealed as it
    /// was, or when the pages that say so cannot be read (the start-up check names that damage).
    pub(in crate::store) fn shortfall(
        &self,
        conn: &Connection,
    ) -> Result<Option<Shortfall>, StoreError> {
        match self.compare(conn) {
            Err(error) if error.is_corruption() => Ok(None),
            other => other,
        }
    }

    fn compare(&self, conn: &Connection) -> Result<Option<Shortfall>, StoreError> {
        if !has_audit_log(conn)? {
            return Ok(Some(Shortfall::Lost(self.seq)));
        }
        match entry_mac(conn, self.seq)? {
            Some(mac) if mac == self.mac => Ok(None),
            Some(_) => Ok(Some(Shortfall::Differs)),
            None => {
                let newest = Self::newest(conn)?.map_or(0, |anchor| anchor.seq);
                Ok(Some(Shortfall::Lost(self.seq - newest)))
            }
        }
    }

    /// Whether the journal on `conn` holds this entry, sealed as it was: what a backup is asked
    /// before it is offered in place of a journal that lacks it.
    pub(in crate::store) fn held_by(&self, conn: &Connection) -> Result<bool, StoreError> {
        Ok(has_audit_log(conn)? && entry_mac(conn, self.seq)?.is_some_and(|mac| mac == self.mac))
    }

    pub(in crate::store) fn at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.at_ms).unwrap_or_default()
    }
}

impl Store {
    /// Keeps the anchor up with the audit log after a commit. The commit is already durable, so a
    /// failure here (journal.anchor made a folder, a full disk) does not undo it: it marks the
    /// store so that the next write is refused in a sentence until an anchor is written again.
    pub(in crate::store) fn anchor_commit(&self) {
        let Ok(Some(newest)) = Anchor::newest(&self.conn) else {
            return;
        };
        if self.anchored_seq.get() == Some(newest.seq) && !self.anchor_broken.get() {
            return;
        }
        let written = newest.write(&self.dir).is_ok();
        if written {
            self.anchored_seq.set(Some(newest.seq));
        }
        self.anchor_broken.set(!written);
    }

    /// Refuses to write while the newest commit is not anchored, after trying once more.
    pub(in crate::store) fn require_anchor(&self) -> Result<(), StoreError> {
        if self.anchor_broken.get() {
            self.anchor_commit();
        }
        if self.anchor_broken.get() {
            return Err(StoreError::AnchorUnwritable {
                path: self.dir.join(ANCHOR_FILE_NAME),
            });
        }
        Ok(())
    }
}

impl Store {
    /// Copies what the write-ahead log holds into the journal itself, as far as no reader holds it
    /// back, so little lives only in the log; called when a session ends. Waits for nobody: a reader's
    /// frames are copied at the next checkpoint.
    pub(in crate::store) fn checkpoint(&self) {
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

/// Records the anchor of the journal on `conn` in `dir`, for writers without a `Store` at hand (an
/// import's batch). Failures wait for the next commit, as in [`Store::anchor_commit`].
pub(in crate::store) fn anchor_on(conn: &Connection, dir: &Path) {
    if let Ok(Some(newest)) = Anchor::newest(conn) {
        let _ = newest.write(dir);
    }
}

/// Removes what a process killed while writing the anchor left: its unfinished temporary file.
pub(in crate::store) fn remove_unfinished(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(".journal.anchor")
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes the anchor, for a journal about to be replaced by another (a restore): the anchor belongs
/// to the journal it was written for.
pub(in crate::store) fn forget(dir: &Path) -> std::io::Result<()> {
    match fs::remove_file(dir.join(ANCHOR_FILE_NAME)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// A copy of the journal's write-ahead log, taken before the journal is opened and kept until the
/// open has been checked against the anchor: SQLite checkpoints and removes the log when its last
/// writer closes, and with it the evidence of commits it could not read.
#[derive(Debug)]
pub(in crate::store) struct WalAside {
    path: PathBuf,
}

impl WalAside {
    /// Copies `journal.db-wal` aside when it holds anything.
    pub(in crate::store) fn take(dir: &Path) -> std::io::Result<Option<Self>> {
        let wal = dir.join(format!("{DB_FILE_NAME}-wal"));
        if fs::metadata(&wal).map_or(0, |meta| meta.len()) == 0 {
            return Ok(None);
        }
        let aside = dir.join(format!("{DB_FILE_NAME}{WAL_ASIDE_SUFFIX}"));
        fs::copy(&wal, &aside)?;
        super::super::durable::make_private(&aside)?;
        fs::File::open(&aside)?.sync_all()?;
        Ok(Some(Self { path: aside }))
    }

    /// The open was checked: the copy is not needed.
    pub(in crate::store) fn release(self) {
        let _ = fs::remove_file(self.path);
    }

    /// The open found commits missing: the copy is kept under a name of its own, named by time, for
    /// whoever looks into it. Returns its name.
    pub(in crate::store) fn keep(&self, now: DateTime<Utc>) -> Option<String> {
        let name = format!(
            "{DB_FILE_NAME}-wal.damaged-{}",
            now.with_timezone(&chrono::Local).format("%Y%m%d-%H%M%S")
        );
        fs::rename(&self.path, self.path.with_file_name(&name)).ok()?;
        Some(name)
    }
}

/// The seal of audit entry `seq` on `conn`, if the journal holds it.
fn entry_mac(conn: &Connection, seq: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT mac FROM audit_log WHERE seq = ?1")?
        .query_row([seq], |row| row.get(0))
        .optional()?)
}

fn has_audit_log(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")?
        .exists([])?)
}

/// Puts `text` in place of `dir/name`: written beside it (under a name starting `.name`) and
/// renamed over it, so a reader finds the old file or the new one, never half of one.
pub(in crate::store) fn replace_small_file(
    dir: &Path,
    name: &str,
    text: &str,
) -> std::io::Result<()> {
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}"))
        .tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.persist(dir.join(name)).map_err(|error| error.error)?;
    Ok(())
}

/// The words of a one-line file after its first word `magic`, once its last word, the checksum of
/// the rest, is right; `None` for a file torn, flipped or of another kind.
pub(in crate::store) fn checked_words<'a>(
    text: &'a str,
    magic: &str,
) -> Option<std::str::Split<'a, char>> {
    let (body, check) = text.trim_end().rsplit_once(' ')?;
    if check != checksum(body) {
        return None;
    }
    let mut words = body.split(' ');
    (words.next()? == magic).then_some(words)
}

/// The first eight bytes of the SHA-256 of `text`, in hex: finds a torn or flipped anchor or
/// witness file.
pub(in crate::store) fn checksum(text: &str) -> String {
    let mut hex = String::with_capacity(16);
    push_hex(&mut hex, &Sha256::digest(text.as_bytes())[..8]);
    hex
}

/// An anchor for the tests of this file and the witness's.
#[cfg(test)]
pub(in crate::store) fn sample() -> Anchor {
    Anchor {
        seq: 42,
        at_ms: 1_790_000_000_000,
        mac: (0..32).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> Anchor {
        sample()
    }

    #[test]
    fn an_anchor_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        anchor().write(dir.path()).unwrap();
        assert_eq!(Anchor::read(dir.path()), Some(anchor()));
    }

    #[test]
    fn a_torn_or_flipped_anchor_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        anchor().write(dir.path()).unwrap();
        let path = dir.path().join(ANCHOR_FILE_NAME);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("42", "43")).unwrap();
        assert_eq!(Anchor::read(dir.path()), None);
        fs::write(&path, &text[..60]).unwrap();
        assert_eq!(Anchor::read(dir.path()), None);
        fs::write(&path, "").unwrap();
        assert_eq!(Anchor::read(dir.path()), None);
    }

    #[test]
    fn the_two_slots_take_turns_and_a_spoiled_one_leaves_the_anchor_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ANCHOR_FILE_NAME);
        let next = Anchor {
            seq: 43,
            ..anchor()
        };
        anchor().write(dir.path()).unwrap();
        next.write(dir.path()).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), 2 * SLOT as u64);
        assert_eq!(Anchor::read(dir.path()), Some(next.clone()));
        // A power cut in the middle of writing 43's slot: 42's is still whole.
        let mut bytes = fs::read(&path).unwrap();
        bytes[SLOT + 30] = b'#';
        fs::write(&path, &bytes).unwrap();
        assert_eq!(Anchor::read(dir.path()), Some(anchor()));
        // An earlier build's one-line file is read as it was, and the next write makes the slots.
        let mut body = format!("{MAGIC} 41 {} ", anchor().at_ms);
        push_hex(&mut body, &anchor().mac);
        fs::write(&path, format!("{body} {}\n", checksum(&body))).unwrap();
        assert_eq!(Anchor::read(dir.path()).map(|anchor| anchor.seq), Some(41));
        next.write(dir.path()).unwrap();
        assert_eq!(Anchor::read(dir.path()), Some(next.clone()));
        // A link put in its place is replaced, never written through.
        let elsewhere = dir.path().join("elsewhere");
        fs::write(&elsewhere, vec![b' '; 2 * SLOT]).unwrap();
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        anchor().write(dir.path()).unwrap();
        assert_eq!(fs::read(&elsewhere).unwrap(), vec![b' '; 2 * SLOT]);
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
