//! The accounting of disclosures: who received what of a client's record, when, and in which form
//! (42 CFR Part 2, § 2.24, since 2026-02-16). A disclosure is recorded as it is made and never
//! changed; one that covers the whole journal (a backup, an archive of every session) belongs to
//! every client's accounting.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ClientId;

/// How a client's record left this journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureKind {
    /// Written to a file or to standard output by an export.
    Export,
    /// Sent to a printer.
    Print,
    /// Copied whole into a backup.
    Backup,
    /// Sent to the practice server by a sync.
    Push,
    /// Fetched from the practice server by a colleague (from the server's log).
    ColleagueFetch,
    /// Opened by a clinician outside the care team, with a stated reason, for a day.
    EmergencyOpening,
}

impl DisclosureKind {
    pub const ALL: [Self; 6] = [
        Self::Export,
        Self::Print,
        Self::Backup,
        Self::Push,
        Self::ColleagueFetch,
        Self::EmergencyOpening,
    ];

    /// The word kept in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Export => "export",
            Self::Print => "print",
            Self::Backup => "backup",
            Self::Push => "push",
            Self::ColleagueFetch => "colleague_fetch",
            Self::EmergencyOpening => "emergency_opening",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// How a list names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Export => "Exported",
            Self::Print => "Printed",
            Self::Backup => "Backed up",
            Self::Push => "Sent to the practice",
            Self::ColleagueFetch => "Fetched by a colleague",
            Self::EmergencyOpening => "Opened in an emergency",
        }
    }
}

/// What a disclosure covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisclosureScope {
    /// Sessions of one client, by uuid.
    Client {
        client: ClientId,
        sessions: Vec<uuid::Uuid>,
    },
    /// Every client's record as the journal held it then (a backup, an archive of everything).
    WholeJournal { sessions: u64 },
}

/// A disclosure about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisclosure {
    pub at: DateTime<Utc>,
    pub kind: DisclosureKind,
    /// The form it took, as a reader names it ("PDF summary", "encrypted backup", "sealed rows").
    pub form: String,
    /// Who or where received it: a file's path, "standard output", a practice server and login,
    /// a colleague's name and login.
    pub recipient: String,
    pub scope: DisclosureScope,
}

/// A recorded disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub at: DateTime<Utc>,
    pub kind: DisclosureKind,
    pub form: String,
    pub recipient: String,
    pub scope: DisclosureScope,
    /// Still in the outbox a command that reads (an export, a backup) wrote it to; the journal
    /// takes it in when it is next opened to write.
    pub pending: bool,
}

impl Disclosure {
    /// Whether it belongs to `client`'s accounting.
    pub fn concerns(&self, client: ClientId) -> bool {
        match &self.scope {
            DisclosureScope::Client { client: of, .. } => *of == client,
            DisclosureScope::WholeJournal { .. } => true,
        }
    }

    /// What it covered, in words: "2 sessions", "the whole journal (40 sessions)".
    pub fn covered(&self) -> String {
        if self.kind == DisclosureKind::EmergencyOpening {
            return "the client's record, for a day".to_owned();
        }
        match &self.scope {
            DisclosureScope::Client { sessions, .. } => match sessions.len() {
                1 => "1 session".to_owned(),
                count => format!("{count} sessions"),
            },
            DisclosureScope::WholeJournal { sessions } => {
                format!(
                    "the whole journal ({sessions} session{})",
                    if *sessions == 1 { "" } else { "s" }
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disclosure(scope: DisclosureScope) -> Disclosure {
        Disclosure {
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            kind: DisclosureKind::Export,
            form: "PDF summary".to_owned(),
            recipient: "standard output".to_owned(),
            scope,
            pending: false,
        }
    }

    #[test]
    fn a_whole_journal_disclosure_concerns_every_client_and_a_client_one_only_its_own() {
        let whole = disclosure(DisclosureScope::WholeJournal { sessions: 3 });
        assert!(whole.concerns(ClientId(1)) && whole.concerns(ClientId(2)));
        assert_eq!(whole.covered(), "the whole journal (3 sessions)");
        let one = disclosure(DisclosureScope::Client {
            client: ClientId(1),
            sessions: vec![uuid::Uuid::nil()],
        });
        assert!(one.concerns(ClientId(1)));
        assert!(!one.concerns(ClientId(2)));
        assert_eq!(one.covered(), "1 session");
    }

    #[test]
    fn every_kind_reads_back_from_its_word() {
        for kind in DisclosureKind::ALL {
            assert_eq!(DisclosureKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DisclosureKind::parse("shared"), None);
    }
}
