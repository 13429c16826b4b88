//! A colleague's new key, trusted knowingly. A key a colleague proves after this journal pinned
//! theirs is an alarm (their sessions sealed with it are refused), because it may be someone who
//! reset their password. It may also be their new computer: the clinician then asks them to read
//! out their key's fingerprint (`kap-journal practice` shows it), compares it with the one the
//! practice holds, and trusts it by hand. Nothing is trusted from the server's word alone.

use serde::Serialize;

use super::{PracticeAddress, PracticeError};
use crate::store::{Store, key_fingerprint};

/// One key a colleague proved theirs on the practice server, as this journal takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColleagueKey {
    pub login: String,
    /// The key's fingerprint, in groups of four hex digits.
    pub fingerprint: String,
    /// The public key, in hex.
    pub public_key: String,
    pub standing: KeyStanding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStanding {
    /// One of the keys this journal pinned as theirs (when it first met them, or by hand).
    Trusted,
    /// This journal has copied nothing of theirs yet: their keys are pinned at the first copy.
    NotYetMet,
    /// Proved after this journal pinned their keys: refused until trusted by hand.
    New,
}

impl KeyStanding {
    pub fn label(self) -> &'static str {
        match self {
            Self::Trusted => "trusted",
            Self::NotYetMet => "not met yet (trusted at the first copy)",
            Self::New => "NEW: compare its fingerprint with them before trusting it",
        }
    }
}

/// The keys `login` proved on the practice server, each with how this journal takes it.
pub fn colleague_keys(reader: &Store, login: &str) -> Result<Vec<ColleagueKey>, PracticeError> {
    let membership = reader
        .sharing()
        .practice_membership()?
        .ok_or(PracticeError::NotConnected)?;
    let practice = membership
        .practice_id
        .ok_or(PracticeError::ServerBeforeCareTeams)?;
    let address = PracticeAddress::parse(&membership.url)?;
    let mut client = address.connect(&membership.password)?;
    let proven = super::key_registry::proven_keys(&mut client, &address, practice)?;
    let pinned = reader.sharing().practice_pinned_keys()?;
    let theirs = pinned.get(login).filter(|keys| !keys.is_empty());
    let mut keys: Vec<ColleagueKey> = proven
        .into_iter()
        .filter(|(_, logins)| logins.contains(login))
        .filter_map(|(public_key, _)| {
            let fingerprint = key_fingerprint(&public_key)?;
            let standing = match theirs {
                None => KeyStanding::NotYetMet,
                Some(keys) if keys.contains(&public_key) => KeyStanding::Trusted,
                Some(_) => KeyStanding::New,
            };
            Some(ColleagueKey {
                login: login.to_owned(),
                fingerprint,
                public_key,
                standing,
            })
        })
        .collect();
    keys.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    Ok(keys)
}

/// The key of `keys` whose fingerprint is `fingerprint` (16 hex digits; spaces and case do not
/// matter).
pub fn key_with_fingerprint<'a>(
    keys: &'a [ColleagueKey],
    login: &str,
    fingerprint: &str,
) -> Result<&'a ColleagueKey, PracticeError> {
    let given: String = fingerprint
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if given.len() != 16 || !given.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(PracticeError::BadFingerprint);
    }
    keys.iter()
        .find(|key| key.fingerprint.replace(' ', "") == given)
        .ok_or_else(|| PracticeError::NoSuchColleagueKey {
            login: login.to_owned(),
        })
}

/// Trusts `login`'s key with `fingerprint` (the network part reads the server; the pin is a short
/// local write). A key of a colleague this journal has not met yet is left alone: pinning it by
/// hand would make their other keys new.
pub fn trust_colleague_key(
    store: &mut Store,
    login: &str,
    fingerprint: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ColleagueKey, PracticeError> {
    let keys = colleague_keys(store, login)?;
    let key = key_with_fingerprint(&keys, login, fingerprint)?.clone();
    if key.standing == KeyStanding::New {
        store
            .sharing_mut()
            .trust_practice_key(login, &key.public_key, now)?;
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(fingerprint: &str) -> ColleagueKey {
        ColleagueKey {
            login: "t_one".to_owned(),
            fingerprint: fingerprint.to_owned(),
            public_key: "00".repeat(32),
            standing: KeyStanding::New,
        }
    }

    #[test]
    fn a_fingerprint_is_found_however_it_is_spaced_and_cased() {
        let keys = [key("f343 0c71 ed9e dae3"), key("1111 2222 3333 4444")];
        for typed in [
            "f343 0c71 ed9e dae3",
            "F3430C71ED9EDAE3",
            " f3430c71 ed9edae3 ",
        ] {
            let found = key_with_fingerprint(&keys, "t_one", typed).unwrap();
            assert_eq!(found.fingerprint, "f343 0c71 ed9e dae3");
        }
        assert!(matches!(
            key_with_fingerprint(&keys, "t_one", "f343 0c71 ed9e dae4"),
            Err(PracticeError::NoSuchColleagueKey { .. })
        ));
        for bad in ["f343", "f343 0c71 ed9e dae3 00", "g343 0c71 ed9e dae3"] {
            assert!(matches!(
                key_with_fingerprint(&keys, "t_one", bad),
                Err(PracticeError::BadFingerprint)
            ));
        }
    }
}
