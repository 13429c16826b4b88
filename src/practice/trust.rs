//! Whether a colleague's session, as fetched, is its author's: every row sealed with a key the
//! author proved theirs and this journal first saw as theirs (keys are pinned: a key that appears
//! later for a login already known is an alarm, not an update), each seal good over the row as it
//! arrived, and a signature never without its seal.

use std::collections::{HashMap, HashSet};

use super::fetch::FetchedSession;
use super::refused::RefusedWhy;
use super::row_seal::{self, RowSeal};

/// The keys this pull may trust: those proved on the server, and those this journal pinned.
pub(super) struct KeyTrust {
    /// Each proven key with the logins that proved it theirs.
    proven: HashMap<String, HashSet<String>>,
    /// Each login's keys as this journal first saw them.
    pinned: HashMap<String, HashSet<String>>,
}

impl KeyTrust {
    pub(super) fn new(
        proven: HashMap<String, HashSet<String>>,
        pinned: HashMap<String, HashSet<String>>,
    ) -> Self {
        Self { proven, pinned }
    }

    /// The keys to pin for `author` when a copy of theirs is written: every key they proved, the
    /// first time this journal meets them; nothing once it knows their keys.
    pub(super) fn to_pin(&self, author: &str) -> Vec<String> {
        if self.pinned.get(author).is_some_and(|keys| !keys.is_empty()) {
            return Vec::new();
        }
        let mut keys: Vec<String> = self
            .proven
            .iter()
            .filter(|(_, logins)| logins.contains(author))
            .map(|(key, _)| key.clone())
            .collect();
        keys.sort();
        keys
    }

    /// Whether `key` is `author`'s as far as this journal knows.
    fn key(&self, key: &str, author: &str) -> Result<(), RefusedWhy> {
        if !self
            .proven
            .get(key)
            .is_some_and(|logins| logins.contains(author))
        {
            return Err(RefusedWhy::UnregisteredKey);
        }
        match self.pinned.get(author) {
            Some(keys) if !keys.is_empty() && !keys.contains(key) => Err(RefusedWhy::NewKey),
            _ => Ok(()),
        }
    }

    /// A row's seal: there (unless the session was pushed before rows were sealed), by the
    /// author's key, and good over `message`.
    fn row(
        &self,
        seal: Option<&RowSeal>,
        legacy: bool,
        author: &str,
        message: Result<Vec<u8>, ()>,
    ) -> Result<(), RefusedWhy> {
        let Some(seal) = seal else {
            return if legacy {
                Ok(())
            } else {
                Err(RefusedWhy::Unsealed)
            };
        };
        self.key(&seal.public_key, author)?;
        let message = message.map_err(|()| RefusedWhy::Unreadable)?;
        if row_seal::verifies(seal, &message) {
            Ok(())
        } else {
            Err(RefusedWhy::RowChanged)
        }
    }

    /// Checks every row of `fetched` as written by `author` (a login).
    pub(super) fn check(&self, fetched: &FetchedSession, author: &str) -> Result<(), RefusedWhy> {
        let session = &fetched.session;
        self.row(
            fetched.seal.as_ref(),
            fetched.legacy,
            author,
            row_seal::session_message(author, session),
        )?;
        if session.addenda.len() != fetched.addenda.len()
            || session.follow_ups.len() != fetched.check_ins.len()
        {
            return Err(RefusedWhy::Unreadable);
        }
        for (index, (addendum, seal)) in session.addenda.iter().zip(&fetched.addenda).enumerate() {
            let ordinal = i32::try_from(index + 1).map_err(|_| RefusedWhy::Unreadable)?;
            let message = row_seal::addendum_message(author, session.uuid, ordinal, addendum);
            self.row(seal.as_ref(), fetched.legacy, author, Ok(message))?;
        }
        for (check_in, seal) in session.follow_ups.iter().zip(&fetched.check_ins) {
            let done = check_in.done.as_ref().ok_or(RefusedWhy::Unreadable)?;
            let message = row_seal::check_in_message(
                author,
                session.uuid,
                check_in.kind.as_str(),
                check_in.due,
                done,
            );
            self.row(seal.as_ref(), fetched.legacy, author, message)?;
        }
        // A signature is "signed" only when its seal verifies: one without a seal (removed on the
        // server, digest worked out again) is never copied; its seal's key must be the author's.
        if let Some(signature) = &session.signature {
            let seal = signature.seal.as_ref().ok_or(RefusedWhy::Sealless)?;
            self.key(&seal.public_key, author)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> HashSet<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    #[test]
    fn a_key_counts_when_proved_and_pinned_and_a_later_one_is_an_alarm() {
        let trust = KeyTrust::new(
            HashMap::from([
                ("k1".to_owned(), set(&["t_one"])),
                ("k2".to_owned(), set(&["t_one"])),
                ("k3".to_owned(), set(&["n_one"])),
            ]),
            HashMap::from([("t_one".to_owned(), set(&["k1"]))]),
        );
        assert_eq!(trust.key("k1", "t_one"), Ok(()));
        assert_eq!(trust.key("k2", "t_one"), Err(RefusedWhy::NewKey));
        assert_eq!(trust.key("k3", "t_one"), Err(RefusedWhy::UnregisteredKey));
        assert_eq!(trust.key("k9", "t_one"), Err(RefusedWhy::UnregisteredKey));
        // A colleague met for the first time: their proven keys are taken, and pinned.
        assert_eq!(trust.key("k3", "n_one"), Ok(()));
        assert_eq!(trust.to_pin("n_one"), ["k3"]);
        assert!(trust.to_pin("t_one").is_empty(), "already known");
    }
}
