//! Signing a session and correcting it afterwards. A signed session's record never changes; what
//! the clinician later needs to add or correct is an addendum, kept beside the original and shown
//! with it, with who wrote it, when and why.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The longest name, credentials or reason accepted, in characters.
pub const MAX_SIGNER_CHARS: usize = 120;

/// Who signs: the clinician's name and credentials, as set once in Settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clinician {
    pub name: String,
    /// Degrees and licences (`PsyD, LMFT`); may be empty.
    #[serde(default)]
    pub credentials: String,
}

impl Clinician {
    /// The clinician with surrounding spaces trimmed, when the name is usable for a signature.
    pub fn checked(&self) -> Result<Self, SignatureError> {
        let name = self.name.trim();
        let credentials = self.credentials.trim();
        if name.is_empty() {
            return Err(SignatureError::NoClinician);
        }
        if name.chars().count() > MAX_SIGNER_CHARS || credentials.chars().count() > MAX_SIGNER_CHARS
        {
            return Err(SignatureError::TooLong);
        }
        // The name heads every summary and signs every record: a terminal escape or a direction
        // mark in it would print as something else.
        if format!("{name}{credentials}")
            .chars()
            .any(super::hides_or_moves_text)
        {
            return Err(SignatureError::HiddenCharacters);
        }
        Ok(Self {
            name: name.to_owned(),
            credentials: credentials.to_owned(),
        })
    }

    /// "Name, credentials", as a signature line reads.
    pub fn signed_as(&self) -> String {
        if self.credentials.is_empty() {
            self.name.clone()
        } else {
            format!("{}, {}", self.name, self.credentials)
        }
    }
}

/// A session's signature: who signed, when, and a SHA-256 digest of what was signed, so a change
/// made behind the journal's back is found by `kap-journal check`; since signatures are keyed, also
/// the signer's Ed25519 seal over all of it, so nobody without the signer's key can make one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Signature {
    pub clinician: Clinician,
    pub signed_at: DateTime<Utc>,
    /// Hex SHA-256 of the session, its timeline and its progress note as signed.
    pub content_sha256: String,
    /// Absent on a signature made before signatures were keyed (an unkeyed digest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<KeyedSeal>,
    /// The client's code where the session was signed, when it is not the code of the client it
    /// is filed under here (a colleague's journal knows the client by another code, linked to the
    /// same practice client). The digest covers the code signed under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_code: Option<String>,
}

impl Signature {
    /// Where the session was signed under another code for its client, said so, e.g. "Signed
    /// where the client is known as A-17."
    pub fn signed_under_note(&self) -> Option<String> {
        self.client_code
            .as_ref()
            .map(|code| format!("Signed where the client is known as {code}."))
    }
}

/// The Ed25519 part of a keyed signature, in hex: the signer's public key and the signature over the
/// content digest, the signer, the time and the weight the session was dosed by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyedSeal {
    pub public_key: String,
    pub signature: String,
}

/// What a journal can say about who made a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureStanding {
    /// Made with a key of this journal's clinician.
    ThisJournal { fingerprint: String },
    /// Made with a key this journal has never held nor been given: the seal verifies, but who owns
    /// the key is for the reader to establish.
    UnknownKey { fingerprint: String },
    /// A colleague's session copied from the practice: the seal verified, when it was copied,
    /// against the key its author registered with the practice.
    Practice { fingerprint: String, author: String },
    /// An unkeyed digest from before signatures were keyed: it shows the content unchanged since,
    /// not who signed.
    BeforeKeys,
    /// A signature that came in an archive without a seal: its digest could have been worked out
    /// again by whoever changed the record, so it shows neither who signed nor what.
    Unverified,
}

impl SignatureStanding {
    /// The words after "Signed by … on …" in the window and in summaries.
    pub fn describe(&self) -> String {
        match self {
            Self::ThisJournal { fingerprint } => format!("with key {fingerprint}"),
            Self::UnknownKey { fingerprint } => {
                format!("with key {fingerprint}, which this journal does not know")
            }
            Self::Practice {
                fingerprint,
                author,
            } => format!("with key {fingerprint}, which {author} registered with the practice"),
            Self::BeforeKeys => "before signatures were keyed".to_owned(),
            Self::Unverified => "(signature unverified: it came without a seal, so neither who signed nor what was signed can be shown)".to_owned(),
        }
    }
}

/// A correction or addition to a signed session, never replacing what was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Addendum {
    pub author: Clinician,
    pub written_at: DateTime<Utc>,
    /// Why the record needed it ("late entry", "corrected dose").
    pub reason: String,
    pub text: String,
}

impl Addendum {
    /// An addendum by `author` at `written_at`, refused when its reason or text is blank.
    pub fn new(
        author: &Clinician,
        written_at: DateTime<Utc>,
        reason: &str,
        text: &str,
    ) -> Result<Self, SignatureError> {
        let author = author.checked()?;
        let reason = reason.trim();
        let text = text.trim();
        if reason.is_empty() {
            return Err(SignatureError::NoReason);
        }
        if reason.chars().count() > MAX_SIGNER_CHARS {
            return Err(SignatureError::TooLong);
        }
        if text.is_empty() {
            return Err(SignatureError::NoText);
        }
        Ok(Self {
            author,
            // The journal keeps times to the millisecond; the addendum is what it will read back.
            written_at: written_at.trunc_subsecs(3),
            reason: reason.to_owned(),
            text: text.to_owned(),
        })
    }
}

/// Why a session cannot be signed or an addendum cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignatureError {
    #[error("Add your name (and credentials) in Settings before signing.")]
    NoClinician,
    #[error("A name, credentials or reason is at most {MAX_SIGNER_CHARS} characters.")]
    TooLong,
    #[error(
        "A name or credentials is one line of visible text, without control, direction or invisible characters."
    )]
    HiddenCharacters,
    #[error("An addendum needs a reason, such as \"late entry\" or \"correction\".")]
    NoReason,
    #[error("An addendum needs some text.")]
    NoText,
    #[error("Only an ended session can be signed; end it first.")]
    NotEnded,
    #[error("Addenda are for signed sessions; until it is signed, edit the session itself.")]
    NotSigned,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clinician(name: &str, credentials: &str) -> Clinician {
        Clinician {
            name: name.to_owned(),
            credentials: credentials.to_owned(),
        }
    }

    #[test]
    fn a_signature_line_joins_name_and_credentials() {
        let signer = clinician("  R. Example ", " PsyD ").checked().unwrap();
        assert_eq!(signer.signed_as(), "R. Example, PsyD");
        assert_eq!(clinician("R. Example", "").signed_as(), "R. Example");
    }

    #[test]
    fn a_blank_name_cannot_sign() {
        assert_eq!(
            clinician("   ", "MD").checked(),
            Err(SignatureError::NoClinician)
        );
        assert_eq!(
            clinician(&"x".repeat(MAX_SIGNER_CHARS + 1), "").checked(),
            Err(SignatureError::TooLong)
        );
    }

    #[test]
    fn an_addendum_needs_a_reason_and_text() {
        let signer = clinician("R. Example", "MD");
        let at = DateTime::UNIX_EPOCH;
        assert_eq!(
            Addendum::new(&signer, at, " ", "text"),
            Err(SignatureError::NoReason)
        );
        assert_eq!(
            Addendum::new(&signer, at, "late entry", "\n"),
            Err(SignatureError::NoText)
        );
        let addendum = Addendum::new(
            &signer,
            at,
            " late entry ",
            " Vitals at 10:40 were 128/80. ",
        )
        .unwrap();
        assert_eq!(addendum.reason, "late entry");
        assert_eq!(addendum.text, "Vitals at 10:40 were 128/80.");
    }
}
