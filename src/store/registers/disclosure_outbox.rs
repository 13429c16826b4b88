//! The disclosure outbox: where a command that reads beside the window (an export, a backup)
//! records what it discloses, since only the window writes the journal. Each disclosure is one
//! line appended under a lock and flushed to the disk before anything leaves; the journal's
//! writer takes the lines in when it opens (a line already taken in is recognised by its origin
//! and not taken twice). Lines are sealed with a key derived from the data key (XChaCha20-Poly1305),
//! so the file says nothing of the record and a changed line is found, never believed.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::super::StoreError;
use super::super::secret::DataKey;

/// The outbox's file name in the data folder.
pub const OUTBOX_FILE_NAME: &str = "disclosures.outbox";
/// What the outbox key is derived for, so it equals no other key derived from the data key.
const KEY_PURPOSE: &[u8] = b"kap-journal disclosure outbox v1";
const NONCE_LEN: usize = 24;
/// The most of an outbox that is read: a year of exports beside the window is far less.
const MOST_BYTES: u64 = 64 * 1024 * 1024;

/// One disclosure as the outbox keeps it (the journal's columns, in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(in crate::store) struct OutboxLine {
    pub origin: String,
    pub at_ms: i64,
    pub kind: String,
    pub form: String,
    pub recipient: String,
    pub client_id: Option<i64>,
    pub sessions: Vec<uuid::Uuid>,
    pub session_count: i64,
}

/// What the outbox holds now.
#[derive(Debug, Default)]
pub(in crate::store) struct OutboxContents {
    pub lines: Vec<OutboxLine>,
    /// Whole lines that do not open under the key: changed, or written under another journal's.
    pub unreadable: usize,
    /// A last line without its line break: an append cut short, whose disclosure never went out.
    pub torn: bool,
}

fn path_in(dir: &Path) -> PathBuf {
    dir.join(OUTBOX_FILE_NAME)
}

fn cipher(key: &DataKey) -> Result<XChaCha20Poly1305, StoreError> {
    let mut derived = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<Sha256>::new(None, key.as_bytes())
        .expand(KEY_PURPOSE, derived.as_mut())
        .map_err(|_| StoreError::Damaged("the disclosure outbox key"))?;
    Ok(XChaCha20Poly1305::new(derived.as_ref().into()))
}

fn not_recorded(dir: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::DisclosureNotRecorded {
        path: dir.to_path_buf(),
        source,
    }
}

/// Appends `lines` to the outbox in `dir` and flushes them to the disk.
pub(in crate::store) fn append(
    dir: &Path,
    key: &DataKey,
    lines: &[OutboxLine],
) -> Result<(), StoreError> {
    let fail = not_recorded(dir);
    let cipher = cipher(key)?;
    let mut text = String::new();
    for line in lines {
        text.push_str(&sealed_line(&cipher, line)?);
        text.push('\n');
    }
    let path = path_in(dir);
    let existed = path.exists();
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path).map_err(&fail)?;
    file.lock().map_err(&fail)?;
    // A torn line is an append cut short, before its disclosure went out: it is cut away.
    cut_torn_tail(&mut file).map_err(&fail)?;
    file.write_all(text.as_bytes()).map_err(&fail)?;
    file.sync_data().map_err(&fail)?;
    if !existed {
        super::super::durable::sync_dir(dir).map_err(&fail)?;
    }
    Ok(())
}

fn sealed_line(cipher: &XChaCha20Poly1305, line: &OutboxLine) -> Result<String, StoreError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| StoreError::NoRandomness)?;
    let plain =
        Zeroizing::new(serde_json::to_vec(line).map_err(|_| StoreError::Damaged("a disclosure"))?);
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: KEY_PURPOSE,
            },
        )
        .map_err(|_| StoreError::Damaged("a disclosure"))?;
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Shortens the file to its last line break, when something follows it.
fn cut_torn_tail(file: &mut File) -> std::io::Result<()> {
    let length = file.metadata()?.len();
    // A line is a few hundred bytes: the last line break is within the last few kilobytes.
    let from = length.saturating_sub(64 * 1024);
    file.seek(std::io::SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    if tail.last().is_none_or(|byte| *byte == b'\n') {
        return Ok(());
    }
    let kept = tail
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(from, |at| from + at as u64 + 1);
    file.set_len(kept)?;
    file.sync_data()
}

/// Reads what the outbox in `dir` holds (nothing when there is none).
pub(in crate::store) fn read(dir: &Path, key: &DataKey) -> Result<OutboxContents, StoreError> {
    let path = path_in(dir);
    let Ok(file) = File::open(&path) else {
        return Ok(OutboxContents::default());
    };
    let unreadable = |_| StoreError::Damaged("the disclosure outbox");
    file.lock_shared().map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MOST_BYTES)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    opened(&bytes, key)
}

fn opened(bytes: &[u8], key: &DataKey) -> Result<OutboxContents, StoreError> {
    let cipher = cipher(key)?;
    let mut contents = OutboxContents::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let Some(end) = rest.iter().position(|byte| *byte == b'\n') else {
            contents.torn = true;
            break;
        };
        let (line, after) = rest.split_at(end);
        rest = &after[1..];
        if line.is_empty() {
            continue;
        }
        match open_line(&cipher, line) {
            Some(opened) => contents.lines.push(opened),
            None => contents.unreadable += 1,
        }
    }
    Ok(contents)
}

fn open_line(cipher: &XChaCha20Poly1305, line: &[u8]) -> Option<OutboxLine> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line)
        .ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(NONCE_LEN);
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: KEY_PURPOSE,
                },
            )
            .ok()?,
    );
    serde_json::from_slice(&plain).ok()
}

/// Takes the outbox's lines in through `take_in` (which records them in the journal and
/// commits), then empties the outbox, holding its lock throughout so no append falls in between.
/// An outbox with lines that do not open is kept whole: what was taken in is recognised next time.
pub(in crate::store) fn drain(
    dir: &Path,
    key: &DataKey,
    take_in: impl FnOnce(&[OutboxLine]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let path = path_in(dir);
    let Ok(mut file) = OpenOptions::new().read(true).write(true).open(&path) else {
        return Ok(());
    };
    let unreadable = |_| StoreError::Damaged("the disclosure outbox");
    file.lock().map_err(unreadable)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(MOST_BYTES)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    let contents = opened(&bytes, key)?;
    if !contents.lines.is_empty() {
        take_in(&contents.lines)?;
    }
    if contents.unreadable == 0 && (bytes.len() as u64) < MOST_BYTES {
        file.set_len(0).map_err(unreadable)?;
        file.sync_all().map_err(unreadable)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(origin: &str) -> OutboxLine {
        OutboxLine {
            origin: origin.to_owned(),
            at_ms: 1_800_000_000_000,
            kind: "export".to_owned(),
            form: "PDF summary".to_owned(),
            recipient: "/tmp/summary.pdf".to_owned(),
            client_id: Some(1),
            sessions: vec![uuid::Uuid::nil()],
            session_count: 1,
        }
    }

    #[test]
    fn lines_come_back_and_a_drain_empties_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random().unwrap();
        append(dir.path(), &key, &[line("local:a")]).unwrap();
        append(dir.path(), &key, &[line("local:b")]).unwrap();
        let read_back = read(dir.path(), &key).unwrap();
        assert_eq!(read_back.lines, vec![line("local:a"), line("local:b")]);
        let on_disk = std::fs::read_to_string(path_in(dir.path())).unwrap();
        assert!(!on_disk.contains("summary"), "the outbox is sealed");
        let mut taken = Vec::new();
        drain(dir.path(), &key, |lines| {
            taken.extend_from_slice(lines);
            Ok(())
        })
        .unwrap();
        assert_eq!(taken.len(), 2);
        assert!(read(dir.path(), &key).unwrap().lines.is_empty());
    }

    #[test]
    fn a_drain_that_fails_to_record_keeps_every_line() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random().unwrap();
        append(dir.path(), &key, &[line("local:a")]).unwrap();
        let failed = drain(dir.path(), &key, |_| Err(StoreError::DiskFull));
        assert!(failed.is_err());
        assert_eq!(read(dir.path(), &key).unwrap().lines.len(), 1);
    }

    #[test]
    fn a_changed_line_or_another_key_is_counted_unreadable_and_the_outbox_kept() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random().unwrap();
        append(dir.path(), &key, &[line("local:a")]).unwrap();
        append(dir.path(), &DataKey::random().unwrap(), &[line("local:b")]).unwrap();
        let path = path_in(dir.path());
        let mut text = std::fs::read_to_string(&path).unwrap();
        // One character of the first line's seal changed.
        let flipped = if text.starts_with('A') { "B" } else { "A" };
        text.replace_range(0..1, flipped);
        std::fs::write(&path, &text).unwrap();
        let contents = read(dir.path(), &key).unwrap();
        assert!(contents.lines.is_empty());
        assert_eq!(contents.unreadable, 2);
        drain(dir.path(), &key, |_| Ok(())).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "kept whole");
    }

    #[test]
    fn a_torn_last_line_is_cut_away_by_the_next_append() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::random().unwrap();
        append(dir.path(), &key, &[line("local:a")]).unwrap();
        let path = path_in(dir.path());
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"dG9ybiBhcHBl").unwrap();
        drop(file);
        assert!(read(dir.path(), &key).unwrap().torn);
        append(dir.path(), &key, &[line("local:b")]).unwrap();
        let contents = read(dir.path(), &key).unwrap();
        assert_eq!(contents.lines, vec![line("local:a"), line("local:b")]);
        assert_eq!(contents.unreadable, 0);
        assert!(!contents.torn);
    }
}
