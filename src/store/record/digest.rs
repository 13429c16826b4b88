//! An unambiguous SHA-256 over SQLite values: each value is tagged with its type and length, so
//! ("ab", "c") and ("a", "bc") never hash alike. The audit log digests rows with it, and a signature
//! digests the signed session.

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

/// A SHA-256 fed one SQLite value at a time.
pub(in crate::store) struct ValueDigest(Sha256);

impl ValueDigest {
    /// A digest for one purpose; `purpose` keeps digests of different things apart.
    pub fn new(purpose: &str) -> Self {
        let mut digest = Self(Sha256::new());
        digest.bytes(b'P', purpose.as_bytes());
        digest
    }

    pub fn value(&mut self, value: ValueRef<'_>) {
        match value {
            ValueRef::Null => self.0.update([b'N']),
            ValueRef::Integer(n) => self.bytes(b'I', &n.to_be_bytes()),
            ValueRef::Real(x) => self.bytes(b'R', &x.to_bits().to_be_bytes()),
            ValueRef::Text(text) => self.bytes(b'T', text),
            ValueRef::Blob(blob) => self.bytes(b'B', blob),
        }
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        self.0.update([tag]);
        self.0.update((bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(values: &[ValueRef<'_>]) -> [u8; 32] {
        let mut digest = ValueDigest::new("test");
        for value in values {
            digest.value(*value);
        }
        digest.finish()
    }

    #[test]
    fn values_are_not_run_together() {
        let split_one_way = digest_of(&[ValueRef::Text(b"ab"), ValueRef::Text(b"c")]);
        let split_another = digest_of(&[ValueRef::Text(b"a"), ValueRef::Text(b"bc")]);
        assert_ne!(split_one_way, split_another);
    }

    #[test]
    fn types_are_told_apart() {
        assert_ne!(
            digest_of(&[ValueRef::Integer(1)]),
            digest_of(&[ValueRef::Text(b"1")])
        );
        assert_ne!(
            digest_of(&[ValueRef::Null]),
            digest_of(&[ValueRef::Text(b"")])
        );
        assert_eq!(
            digest_of(&[ValueRef::Real(2.5)]),
            digest_of(&[ValueRef::Real(2.5)])
        );
    }
}
