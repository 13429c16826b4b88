//! A colleague's session a pull did not copy, and why, in a sentence for the clinician: never its
//! content.

use serde::Serialize;

/// A colleague's session that was not copied, and why. Never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub uuid: uuid::Uuid,
    /// The author's login.
    pub author: String,
    pub why: RefusedWhy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusedWhy {
    /// Its content differs from what its signature covers: changed on the server after signing.
    Changed,
    /// Its seal does not verify: the signer, the time or the weight was changed, or it was forged.
    Forged,
    /// Its seal was made with a key its author never registered with the practice.
    UnregisteredKey,
    /// It is signed, but its signature carries no seal: nothing shows who signed it or what.
    Sealless,
    /// A row of it (the session, an entry, an addendum, a check-in) no longer matches its
    /// author's seal: changed on the server.
    RowChanged,
    /// A row of it carries no seal of its author: pushed before rows were sealed, or its seal
    /// was removed.
    Unsealed,
    /// It is sealed with a key its author proved only after this journal had pinned their keys:
    /// a new computer of theirs, or someone else.
    NewKey,
    /// A row could not be read as a session of the journal.
    Unreadable,
}

impl RefusedWhy {
    /// The reason's name, as `sync --json` and the practice's problem list give it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Changed => "changed",
            Self::Forged => "forged",
            Self::UnregisteredKey => "unregistered_key",
            Self::Sealless => "sealless",
            Self::RowChanged => "row_changed",
            Self::Unsealed => "unsealed",
            Self::NewKey => "new_key",
            Self::Unreadable => "unreadable",
        }
    }
}

impl Refused {
    /// One sentence for the person syncing.
    pub fn describe(&self) -> String {
        let why = match self.why {
            RefusedWhy::Changed => {
                "does not match its signature: it was changed on the server after it was signed"
            }
            RefusedWhy::Forged => {
                "carries a signature that does not verify: its signer, time or weight was changed on the server"
            }
            RefusedWhy::UnregisteredKey => {
                "is signed with a key its author never registered with the practice"
            }
            RefusedWhy::Sealless => {
                "is marked signed but its signature carries no seal, so who signed it and what cannot be shown"
            }
            RefusedWhy::RowChanged => {
                "no longer matches its author's seal: a row of it was changed on the server"
            }
            RefusedWhy::Unsealed => {
                "carries a row without its author's seal (pushed before rows were sealed, or its seal was removed)"
            }
            RefusedWhy::NewKey => {
                return format!(
                    "Session {} by {author} is sealed with a key {author} did not use before (a new computer of theirs, or someone else who has their password), so it was not copied. `kap-journal practice trust {author}` lists their keys: compare the new one's fingerprint with them before trusting it.",
                    self.uuid,
                    author = self.author
                );
            }
            RefusedWhy::Unreadable => "arrived in a form the journal cannot read",
        };
        format!(
            "Session {} by {} {why}, so it was not copied; tell the practice's administrator.",
            self.uuid, self.author
        )
    }
}
