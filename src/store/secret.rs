//! The two secrets of an encrypted journal: the clinician's passphrase and the random data key that
//! SQLCipher encrypts the pages with. Both are wiped from memory when dropped and never printed.

use std::fmt;

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::StoreError;

/// The fewest characters a new passphrase may have. Unlocking accepts whatever was chosen then.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Bytes in the data key: SQLCipher's raw 256-bit key.
pub const DATA_KEY_LEN: usize = 32;

/// What the clinician types to unlock the journal. Wiped on drop; `Debug` shows nothing of it.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes ownership of typed or read text without copying it; a trailing line break (from a file
    /// or a terminal) is not part of the passphrase.
    pub fn new(mut text: String) -> Self {
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        Self(Zeroizing::new(text))
    }

    /// Checks a passphrase being chosen: long enough to resist guessing even with the key file in hand.
    pub fn check_new(&self) -> Result<(), StoreError> {
        if self.0.trim().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(StoreError::PassphraseTooShort {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        Ok(())
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// The random key the journal's pages are encrypted with. It never leaves memory unwrapped: on disk it
/// exists only wrapped by the passphrase (see `key_file`). Wiped on drop; `Debug` shows nothing of it.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh key from the operating system's random source.
    pub fn random() -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0_u8; DATA_KEY_LEN]);
        getrandom::fill(key.as_mut()).map_err(|_| StoreError::NoRandomness)?;
        Ok(Self(key))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut key = Zeroizing::new([0_u8; DATA_KEY_LEN]);
        if bytes.len() != DATA_KEY_LEN {
            return None;
        }
        key.copy_from_slice(bytes);
        Some(Self(key))
    }

    pub(crate) fn as_bytes(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// Compares two keys in time that does not depend on where they differ.
    pub(crate) fn same_as(&self, other: &Self) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
            == 0
    }

    /// Gives `conn` the key. It must be the first statement on a new connection; SQLCipher then reads
    /// and writes every page (and the write-ahead log) encrypted. The raw key skips SQLCipher's own
    /// key derivation, which the wrapping already did.
    pub fn apply_to(&self, conn: &Connection) -> Result<(), StoreError> {
        let mut pragma = Zeroizing::new(String::with_capacity(16 + 2 * DATA_KEY_LEN));
        pragma.push_str("PRAGMA key = \"x'");
        push_hex(&mut pragma, self.as_bytes());
        pragma.push_str("'\";");
        // Once in a full test run (hundreds of journals opened at once, beside PostgreSQL servers)
        // SQLCipher refused a well-formed key on a new connection ("An error occurred with PRAGMA
        // key or rekey"), and the same key worked at once after. The key is given again, twice at
        // most, before the error is believed; a wrong key is found later, on the first read.
        let mut attempts = 0;
        loop {
            match conn.execute_batch(&pragma) {
                Ok(()) => return Ok(()),
                Err(error) if attempts < 2 && refused_key(&error) => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The `KEY` clause that attaches a second database file under this key (`ATTACH … KEY …`).
    pub(crate) fn attach_clause(&self) -> Zeroizing<String> {
        let mut clause = Zeroizing::new(String::with_capacity(8 + 2 * DATA_KEY_LEN));
        clause.push_str("KEY \"x'");
        push_hex(&mut clause, self.as_bytes());
        clause.push_str("'\"");
        clause
    }
}

/// Whether SQLCipher refused the key pragma itself (not a wrong key: that shows on the first read).
fn refused_key(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(_, Some(message))
        if message.starts_with("An error occurred with PRAGMA key"))
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Appends `bytes` as lower-case hex without an intermediate string that would outlive the call.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// Reads hex written by `push_hex`; `None` on anything else.
pub(crate) fn parse_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let passphrase = Passphrase::new("tangerine-lighthouse-42".to_owned());
        let key = DataKey::random().unwrap();
        let shown = format!("{passphrase:?} {key:?}");
        assert!(!shown.contains("tangerine"), "{shown}");
        let mut hex = String::new();
        push_hex(&mut hex, key.as_bytes());
        assert!(!shown.contains(&hex[..8]), "{shown}");
    }

    #[test]
    fn a_passphrase_from_a_file_loses_its_line_break_only() {
        let passphrase = Passphrase::new("  two words \r\n".to_owned());
        assert_eq!(passphrase.as_bytes(), b"  two words ");
    }

    #[test]
    fn short_passphrases_are_refused_when_chosen() {
        assert!(Passphrase::new("short one".to_owned()).check_new().is_err());
        assert!(
            Passphrase::new("          x".to_owned())
                .check_new()
                .is_err()
        );
        assert!(Passphrase::new("ten chars!".to_owned()).check_new().is_ok());
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let mut hex = String::new();
        push_hex(&mut hex, &[0, 1, 0xab, 0xff]);
        assert_eq!(hex, "0001abff");
        assert_eq!(parse_hex(&hex), Some(vec![0, 1, 0xab, 0xff]));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex("zz"), None);
    }

    #[test]
    fn random_keys_differ() {
        let first = DataKey::random().unwrap();
        let second = DataKey::random().unwrap();
        assert_ne!(first.as_bytes(), second.as_bytes());
    }
}
