//! Membership of a group practice: which server this journal shares records through, as whom, and
//! in which clinical role. What each role may read is decided by the server (see `practice`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A login's role in the practice; the server's row-level security reads by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeRole {
    /// Reads the sessions of the clients they have themselves recorded a session with.
    Therapist,
    /// Reads as a therapist does.
    Nurse,
    /// Reads every session of the practice.
    Psychiatrist,
    /// Adds clinicians and reads who they are, never a clinical record.
    Admin,
}

impl PracticeRole {
    pub const ALL: [Self; 4] = [
        Self::Therapist,
        Self::Nurse,
        Self::Psychiatrist,
        Self::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Therapist => "therapist",
            Self::Nurse => "nurse",
            Self::Psychiatrist => "psychiatrist",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
    }

    /// What this role reads on the practice server, in a sentence.
    pub fn reads(self) -> &'static str {
        match self {
            Self::Psychiatrist => "every session of the practice's enrolled clients",
            Self::Therapist | Self::Nurse => {
                "the sessions of the clients whose care team this login is on"
            }
            Self::Admin => "the list of clinicians, no clinical record",
        }
    }

    /// Whether this role records sessions (an admin only manages logins).
    pub fn records_sessions(self) -> bool {
        self != Self::Admin
    }
}

/// This journal's place in a practice, kept in the (encrypted) journal once it has connected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeMembership {
    /// The server's address without any password (`postgres://login@host:port/db?sslmode=require`).
    pub url: String,
    /// The PostgreSQL login this journal syncs as.
    pub login: String,
    /// The login's password, kept only inside the encrypted journal so a sync can run unattended.
    pub password: String,
    /// The clinician's name as the practice lists them.
    pub name: String,
    pub role: PracticeRole,
    pub joined_at: DateTime<Utc>,
    /// When the last sync finished, if one has.
    #[serde(default)]
    pub last_sync: Option<DateTime<Utc>>,
    /// The practice's own identity, as its server names it (servers set up before December 2026
    /// name none): client codes are unique within it.
    #[serde(default)]
    pub practice_id: Option<uuid::Uuid>,
}

impl PracticeMembership {
    /// The member as colleagues know them: login and name.
    pub fn colleague(&self) -> super::Colleague {
        super::Colleague {
            login: self.login.clone(),
            name: self.name.clone(),
        }
    }

    /// "R. Example (therapist)", as lists and Settings show the member.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, self.role.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_from_their_names() {
        for role in PracticeRole::ALL {
            assert_eq!(PracticeRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(PracticeRole::parse(" nurse "), Some(PracticeRole::Nurse));
        assert_eq!(PracticeRole::parse("owner"), None);
    }

    #[test]
    fn only_an_admin_records_no_sessions() {
        let recording: Vec<_> = PracticeRole::ALL
            .into_iter()
            .filter(|role| role.records_sessions())
            .collect();
        assert_eq!(recording.len(), 3);
        assert!(!PracticeRole::Admin.records_sessions());
    }
}
