//! The witness: the commit anchor's twin, kept outside the data folder. The anchor finds a journal
//! put back without its newest commits, but a copy of the whole data folder put back brings an old
//! anchor with it, which the old journal satisfies. A witness is written where that copy does not
//! reach: the backup folder when it is outside the data folder (an external drive) and this
//! account's state folder (`~/.local/state/kap-journal/witnesses` on Linux). A data folder older
//! than its witness is an alarm.
//!
//! A witness is written when a writing command ends (the store is dropped), when a session ends
//! and after each backup; between those it may lag behind the journal, which is no alarm. It names
//! the journal by a number derived from its data key and the folder by its path, so another
//! journal in the same folder, or the same journal copied elsewhere, is not compared with it; its
//! seal is the audit entry's own, which cannot be made up without the key.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;
use sha2::{Digest as _, Sha256};

use super::super::secret::{DataKey, parse_hex, push_hex};
use super::super::{Store, StoreError};
use crate::store::files::anchor::{Anchor, Shortfall, checked_words, checksum, replace_small_file};

/// The first word of a witness file, with its format's version.
const MAGIC: &str = "kap-journal-witness-1";
/// What the journal's number is derived for, so it can never equal a key derived for anything else.
const ID_PURPOSE: &[u8] = b"kap-journal witness id v1";
/// How a witness file's name begins; the rest is the data folder's number.
const FILE_PREFIX: &str = ".kap-journal-witness-";
/// The file in the data folder that holds the journal's witness epoch: a number drawn anew when a
/// restore or `check --accept` puts an older journal in place on purpose, so witnesses noted
/// before (in the state folder, the backup folder, on the practice server) no longer apply.
pub const EPOCH_FILE_NAME: &str = "journal.witness-epoch";
/// A witness in the state folder whose data folder has been gone this long is removed, wherever
/// it was; an unplugged drive's comes back within the time.
const STALE_AFTER: Duration = Duration::from_hours(30 * 24);

/// Which journal, in which folder, had which newest audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::store) struct Witness {
    journal: Vec<u8>,
    folder: PathBuf,
    pub(in crate::store) anchor: Anchor,
    /// The folder it was found in, to name in the alarm.
    place: PathBuf,
}

impl Witness {
    /// The alarm for a journal on `conn` that falls short of this witness, as one sentence.
    pub(in crate::store) fn missing_from(
        &self,
        conn: &Connection,
    ) -> Result<Option<String>, StoreError> {
        let place = self.place.display();
        let noted = crate::format::date_time(self.anchor.at());
        Ok(self.anchor.shortfall(conn)?.map(|shortfall| match shortfall {
            Shortfall::Lost(count) => format!(
                "the data folder is older than the note of its newest change kept outside it, in {place}: the journal lacks the newest {count} change{} (the last on {noted}), so the whole folder was put back from an older copy; it is open to read only and nothing was deleted",
                if count == 1 { "" } else { "s" },
            ),
            Shortfall::Differs => format!(
                "the journal is not the one whose newest change was noted outside the data folder, in {place} (its audit entry {} differs from the one noted on {noted}), so the folder was replaced by another copy; it is open to read only and nothing was deleted",
                self.anchor.seq,
            ),
        }))
    }
}

/// The newest witness of the journal under `key` in `dir`, from every place one is kept. Files
/// that are torn, of another journal or of another folder say nothing.
pub(in crate::store) fn newest(dir: &Path, key: &DataKey) -> Option<Witness> {
    let folder = folder_of(dir);
    let journal = journal_id(key, &epoch(dir));
    let name = file_name(&folder);
    places(&folder)
        .into_iter()
        .filter_map(|place| {
            let text = fs::read_to_string(place.join(&name)).ok()?;
            parse(&text, place)
        })
        .filter(|witness| witness.journal == journal && witness.folder == folder)
        .max_by_key(|witness| witness.anchor.seq)
}

/// Writes `anchor` as the witness of the journal under `key` in `dir`, in every place one is kept.
/// Returns whether every place took it; one that did not (an unplugged drive) is tried again at
/// the next write, while the anchor still guards the journal: no reason to stop writing.
pub(in crate::store) fn write(dir: &Path, key: &DataKey, anchor: &Anchor) -> bool {
    let folder = folder_of(dir);
    let text = render(&journal_id(key, &epoch(dir)), &folder, anchor);
    let name = file_name(&folder);
    places(&folder).iter().fold(true, |all, place| {
        let written = prepare(place).and_then(|()| replace_small_file(place, &name, &text));
        all & written.is_ok()
    })
}

/// Removes the witnesses of the journal in `dir`: a restore puts an older journal back on purpose,
/// and `check --accept` takes the journal as it is. (Public for the tests, which make a journal
/// look as a build from before witnesses left it.)
#[doc(hidden)]
pub fn forget(dir: &Path) {
    let folder = folder_of(dir);
    let name = file_name(&folder);
    for place in places(&folder) {
        let _ = fs::remove_file(place.join(&name));
    }
    // The practice server's notes cannot be removed: a new epoch sets them aside.
    let mut epoch = [0_u8; 8];
    if getrandom::fill(&mut epoch).is_ok() {
        let mut text = String::new();
        push_hex(&mut text, &epoch);
        let _ = replace_small_file(dir, EPOCH_FILE_NAME, &format!("{text}\n"));
    }
}

/// The journal's witness epoch (empty until a restore or an accept drew one).
fn epoch(dir: &Path) -> Vec<u8> {
    fs::read_to_string(dir.join(EPOCH_FILE_NAME))
        .ok()
        .and_then(|text| parse_hex(text.trim()))
        .unwrap_or_default()
}

impl Store {
    /// Writes the witness of the newest commit, for a writer whose journal passed its checks: called
    /// when a session ends, after a backup, and when the store is dropped (a command's end).
    pub(in crate::store) fn witness_commit(&self) {
        if self.access != super::super::AccessMode::Writer || !self.damage.is_empty() {
            return;
        }
        let Ok(Some(newest)) = Anchor::newest(&self.conn) else {
            return;
        };
        if self.witnessed_seq.get() == Some(newest.seq) {
            return;
        }
        if write(&self.dir, &self.key, &newest) {
            self.witnessed_seq.set(Some(newest.seq));
        }
    }
}

/// The newest commit of a journal as the practice server keeps it: the journal by its number (from
/// its key and witness epoch, in hex), the audit entry by number, time and seal (in hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitWitness {
    pub journal: String,
    pub seq: i64,
    pub at_ms: i64,
    pub mac: String,
}

impl Store {
    /// This journal's number for the practice server's witnesses.
    pub fn witness_journal(&self) -> String {
        let mut hex = String::new();
        push_hex(&mut hex, &journal_id(&self.key, &epoch(&self.dir)));
        hex
    }

    /// The journal's newest commit, to be noted on the practice server.
    pub fn commit_witness(&self) -> Result<Option<CommitWitness>, StoreError> {
        Ok(Anchor::newest(&self.conn)?.map(|newest| {
            let mut mac = String::new();
            push_hex(&mut mac, &newest.mac);
            CommitWitness {
                journal: self.witness_journal(),
                seq: newest.seq,
                at_ms: newest.at_ms,
                mac,
            }
        }))
    }

    /// What this journal lacks of a commit the practice server noted for it, as a clause; `None`
    /// when it holds it, sealed as it was (a note that cannot be read says nothing).
    pub fn short_of_witness(&self, noted: &CommitWitness) -> Result<Option<String>, StoreError> {
        let Some(mac) = parse_hex(&noted.mac) else {
            return Ok(None);
        };
        let anchor = Anchor {
            seq: noted.seq,
            at_ms: noted.at_ms,
            mac,
        };
        let on = crate::format::date_time(anchor.at());
        Ok(anchor.shortfall(&self.conn)?.map(|shortfall| match shortfall {
            Shortfall::Lost(count) => format!(
                "it lacks the newest {count} change{} it held when it last synced (the last on {on})",
                if count == 1 { "" } else { "s" }
            ),
            Shortfall::Differs => format!(
                "its audit entry {} differs from the one the server noted on {on}",
                anchor.seq
            ),
        }))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.witness_commit();
    }
}

/// The data folder as the system names it, so `./data` and its full path are one folder.
fn folder_of(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// The folders a witness of the data folder `folder` is kept in: the backup folder and the state
/// folder, each only when it lies outside the data folder (a witness a copy of the folder brings
/// back with it witnesses nothing).
fn places(folder: &Path) -> Vec<PathBuf> {
    let mut places = Vec::new();
    if let Ok(backups) = crate::store::backup_folder(folder).canonicalize()
        && !backups.starts_with(folder)
    {
        places.push(backups);
    }
    if let Some(state) = state_folder() {
        let resolved = state.canonicalize().unwrap_or_else(|_| state.clone());
        if !resolved.starts_with(folder) && !places.contains(&resolved) {
            places.push(state);
        }
    }
    places
}

/// This account's folder for the program's state: `$XDG_STATE_HOME/kap-journal/witnesses` on
/// Linux; the preferences folder where the platform has no state folder.
fn state_folder() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "KAP Journal", "kap-journal")?;
    let base = dirs.state_dir().unwrap_or_else(|| dirs.preference_dir());
    Some(base.join("witnesses"))
}

/// Makes the state folder (owner-only) when it is not there yet; a backup folder that is gone (a
/// drive unplugged) is not made again here.
fn prepare(place: &Path) -> std::io::Result<()> {
    // Stale witnesses are looked for once a run: the folder is read whole to find them.
    static PRUNED: std::sync::Once = std::sync::Once::new();
    if state_folder().as_deref() != Some(place) {
        return if place.is_dir() {
            Ok(())
        } else {
            Err(std::io::ErrorKind::NotFound.into())
        };
    }
    crate::store::files::writer_lock::create_private_dir(place)?;
    PRUNED.call_once(|| remove_stale(place));
    Ok(())
}

/// Removes witnesses in the state folder whose data folder is gone for good: deleted or moved
/// (its parent folder is still there), under the system's temporary folder, or missing for longer
/// than [`STALE_AFTER`] (a drive unplugged comes back within it).
fn remove_stale(place: &Path) {
    let Ok(entries) = fs::read_dir(place) else {
        return;
    };
    let now = SystemTime::now();
    let temporary = std::env::temp_dir()
        .canonicalize()
        .unwrap_or_else(|_| std::env::temp_dir());
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(FILE_PREFIX) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| {
                now.duration_since(modified)
                    .is_ok_and(|age| age > STALE_AFTER)
            });
        let gone_for_good = match fs::read_to_string(entry.path())
            .ok()
            .and_then(|text| parse(&text, place.to_path_buf()))
        {
            None => old,
            Some(witness) if witness.folder.exists() => false,
            Some(witness) => {
                old || witness.folder.starts_with(&temporary)
                    || witness.folder.parent().is_some_and(Path::exists)
            }
        };
        if gone_for_good {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The witness file's name for a data folder: a number from its path, which it does not reveal.
fn file_name(folder: &Path) -> String {
    let mut name = FILE_PREFIX.to_owned();
    push_hex(
        &mut name,
        &Sha256::digest(folder.as_os_str().as_encoded_bytes())[..8],
    );
    name
}

/// A number for the journal under `key` in its witness `epoch`, the same for every copy of it and
/// revealing nothing.
fn journal_id(key: &DataKey, epoch: &[u8]) -> Vec<u8> {
    let mut id = vec![0_u8; 8];
    // HKDF-SHA-256 can always give 8 bytes; the fallback only keeps this free of a panic path.
    if hkdf::Hkdf::<Sha256>::new(None, key.as_bytes())
        .expand_multi_info(&[ID_PURPOSE, epoch], &mut id)
        .is_err()
    {
        id.clear();
    }
    id
}

fn render(journal: &[u8], folder: &Path, anchor: &Anchor) -> String {
    let mut body = format!("{MAGIC} ");
    push_hex(&mut body, journal);
    body.push(' ');
    push_hex(&mut body, folder.as_os_str().as_encoded_bytes());
    body.push(' ');
    body.push_str(&anchor.seq.to_string());
    body.push(' ');
    body.push_str(&anchor.at_ms.to_string());
    body.push(' ');
    push_hex(&mut body, &anchor.mac);
    format!("{body} {}\n", checksum(&body))
}

fn parse(text: &str, place: PathBuf) -> Option<Witness> {
    let mut words = checked_words(text, MAGIC)?;
    let journal = parse_hex(words.next()?)?;
    let folder = path_from_bytes(parse_hex(words.next()?)?)?;
    let seq = words.next()?.parse().ok()?;
    let at_ms = words.next()?.parse().ok()?;
    let mac = parse_hex(words.next()?)?;
    words.next().is_none().then_some(Witness {
        journal,
        folder,
        anchor: Anchor { seq, at_ms, mac },
        place,
    })
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // Elsewhere a path is text, which may fail to read.
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    Some(PathBuf::from(
        <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes),
    ))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> Anchor {
        crate::store::files::anchor::sample()
    }

    #[test]
    fn a_witness_reads_back_as_written_and_a_flipped_one_says_nothing() {
        let key = DataKey::random().unwrap();
        let folder = Path::new("/srv/journal with space");
        let text = render(&journal_id(&key, &[]), folder, &anchor());
        let witness = parse(&text, PathBuf::from("/elsewhere")).unwrap();
        assert_eq!(witness.anchor, anchor());
        assert_eq!(witness.folder, folder);
        assert_eq!(witness.journal, journal_id(&key, &[]));
        assert!(parse(&text.replacen("42", "43", 1), PathBuf::new()).is_none());
        assert!(parse(&text[..text.len() / 2], PathBuf::new()).is_none());
    }

    #[test]
    fn a_witness_of_a_deleted_folder_is_removed_and_one_of_a_folder_still_there_stays() {
        let key = DataKey::random().unwrap();
        let place = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let (kept, deleted) = (root.path().join("kept"), root.path().join("deleted"));
        fs::create_dir(&kept).unwrap();
        for folder in [&kept, &deleted] {
            let text = render(&journal_id(&key, &[]), folder, &anchor());
            fs::write(place.path().join(file_name(folder)), text).unwrap();
        }
        remove_stale(place.path());
        assert!(place.path().join(file_name(&kept)).exists());
        assert!(!place.path().join(file_name(&deleted)).exists());
    }

    #[test]
    fn two_journals_have_different_numbers() {
        let one = DataKey::random().unwrap();
        let other = DataKey::random().unwrap();
        assert_eq!(journal_id(&one, &[]).len(), 8);
        assert_ne!(journal_id(&one, &[]), journal_id(&other, &[]));
        assert_eq!(journal_id(&one, &[]), journal_id(&one.clone(), &[]));
    }
}
