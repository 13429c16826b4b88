//! Signatures of a live session logged by several clinicians. Once its end is said, the merged
//! timeline is final: each clinician signs the entries they wrote, the author signs the whole, and
//! a psychiatrist may co-sign the whole afterwards. Each signature is a SHA-256 digest of what it
//! covers, sealed with its signer's Ed25519 key, so it verifies in any journal that holds the same
//! timeline (a colleague's, a third one of the practice, or one an archive was imported into).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Clinician, KeyedSeal, LiveEntry};

/// What a co-session signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoSignedPart {
    /// The entries its signer wrote.
    OwnEntries,
    /// Every entry, by the clinician who started the session.
    Whole,
    /// Every entry, co-signed afterwards by a psychiatrist.
    CoSign,
}

impl CoSignedPart {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OwnEntries => "own_entries",
            Self::Whole => "whole",
            Self::CoSign => "co_sign",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::OwnEntries, Self::Whole, Self::CoSign]
            .into_iter()
            .find(|part| part.as_str() == text)
    }

    /// How a reader is told what was signed ("signed the entries they wrote").
    pub fn describe(self) -> &'static str {
        match self {
            Self::OwnEntries => "signed the entries they wrote",
            Self::Whole => "signed the whole session",
            Self::CoSign => "co-signed the whole session",
        }
    }
}

/// One signature of a live session's merged timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoSignature {
    /// The live session, as the practice server knows it.
    pub live_uuid: uuid::Uuid,
    pub part: CoSignedPart,
    /// The signer's practice login (for their own entries: whose entries).
    pub login: String,
    pub clinician: Clinician,
    pub signed_at: DateTime<Utc>,
    /// Hex SHA-256 of what was signed ([`co_session_digest`]).
    pub content_sha256: String,
    pub seal: KeyedSeal,
}

/// The digest of what `part` covers of the merged timeline `entries` of `live`, signed by `login`:
/// the entries in the server's order (each with its place, its author, its place in its author's
/// journal, its clock to the millisecond, its time since the start, its kind and its words as
/// canonical JSON), all of them or only `login`'s.
pub fn co_session_digest(
    live: uuid::Uuid,
    part: CoSignedPart,
    login: &str,
    entries: &[LiveEntry],
) -> String {
    let mut digest = Sha256::new();
    let mut text = |value: &str| {
        digest.update((value.len() as u64).to_be_bytes());
        digest.update(value.as_bytes());
    };
    text("kap-journal co-session v1");
    text(&live.to_string());
    text(part.as_str());
    text(login);
    for entry in entries
        .iter()
        .filter(|entry| part != CoSignedPart::OwnEntries || entry.author.login == login)
    {
        text(&entry.position.to_string());
        text(&entry.author.login);
        text(&entry.author_seq.to_string());
        text(&entry.wall_time.timestamp_millis().to_string());
        text(&entry.elapsed_ms.to_string());
        text(&entry.kind);
        // Without the arbitrary-order feature, serde_json writes an object's keys sorted: one
        // spelling for one entry, whichever journal or server it came through.
        text(&entry.entry.to_string());
    }
    digest
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// What a co-session seal signs, with its purpose first so it can never be taken for another
/// message: every field of the signature but the seal.
pub fn co_signature_message(signature: &CoSignature) -> Vec<u8> {
    let mut message = b"kap-journal co-signature v1\0".to_vec();
    for text in [
        signature.live_uuid.to_string().as_str(),
        signature.part.as_str(),
        signature.login.as_str(),
        signature.clinician.name.as_str(),
        signature.clinician.credentials.as_str(),
        signature.content_sha256.as_str(),
    ] {
        message.extend_from_slice(&(text.len() as u64).to_be_bytes());
        message.extend_from_slice(text.as_bytes());
    }
    message.extend_from_slice(&signature.signed_at.timestamp_millis().to_be_bytes());
    message
}

/// What a journal can say of a co-session signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoSignatureStanding {
    /// The seal verifies over what the journal holds, with a key this journal's clinician holds.
    ThisJournal { fingerprint: String },
    /// The seal verifies, with the key its signer registered with the practice.
    Practice { fingerprint: String },
    /// The seal verifies, with a key this journal has not been given (an imported archive): who
    /// owns it is for the reader to establish.
    UnknownKey { fingerprint: String },
    /// What the journal holds is not what was signed, or the seal does not verify.
    Broken,
}

impl CoSignatureStanding {
    pub fn verifies(&self) -> bool {
        !matches!(self, Self::Broken)
    }

    /// The words after "… signed the whole session on …".
    pub fn describe(&self) -> String {
        match self {
            Self::ThisJournal { fingerprint } => format!("with key {fingerprint} (this journal's)"),
            Self::Practice { fingerprint } => {
                format!("with key {fingerprint}, registered with the practice")
            }
            Self::UnknownKey { fingerprint } => {
                format!("with key {fingerprint}, which this journal does not know")
            }
            Self::Broken => "BROKEN: what this journal holds is not what was signed".to_owned(),
        }
    }
}
