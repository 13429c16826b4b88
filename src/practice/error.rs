//! What can go wrong between a journal and its practice server, each as one plain sentence. No
//! sentence carries a client's name or a note's text: the server's own words are reduced to its
//! primary message (never its detail, which may quote a row).

use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum PracticeError {
    #[error(
        "That is not a practice server address; write it as postgres://LOGIN@HOST:PORT/DATABASE."
    )]
    BadAddress,
    #[error(
        "The address's sslmode is one of verify-full (the default off this computer), verify-ca, require, prefer or disable, named once."
    )]
    BadSslMode,
    #[error(
        "Leave the password out of the address, where the shell history would keep it; put it in {0} instead."
    )]
    PasswordInAddress(&'static str),
    #[error("The address names no login; write it as postgres://LOGIN@HOST:PORT/DATABASE.")]
    NoLogin,
    #[error("The address names no database; write it as postgres://LOGIN@HOST:PORT/DATABASE.")]
    NoDatabase,
    #[error("Set {0} to the login's password.")]
    NoPassword(&'static str),
    #[error(
        "The practice server at {server} cannot be reached; the journal is unchanged, and the next sync sends what is waiting."
    )]
    Unreachable { server: String },
    #[error("The practice server refused the login {login}; check its password.")]
    LoginRefused { login: String },
    #[error("The practice server has no database {database}.")]
    NoSuchDatabase { database: String },
    #[error("The TLS connection to the practice server could not be made: {0}")]
    Tls(String),
    #[error(
        "This database already holds a practice (schema kap); practice init only sets up an empty one."
    )]
    AlreadyInitialised,
    #[error("This database holds no practice yet; its owner runs kap-journal practice init first.")]
    NotAPractice,
    #[error(
        "The login {login} is not one of the practice's clinicians; an admin adds it with kap-journal practice add-clinician."
    )]
    NotAClinician { login: String },
    #[error(
        "A login is 1 to 63 lower-case letters, digits or underscores, starting with a letter (for example r_example)."
    )]
    BadLogin,
    #[error("A clinician's name is 1 to 200 characters.")]
    BadName,
    #[error("A practice login's password needs at least {0} characters.")]
    ShortPassword(usize),
    #[error(
        "This journal already syncs as {login}; its records went to the practice under that login, so it cannot join as another."
    )]
    AlreadyMember { login: String },
    #[error("The practice already has a login {login}.")]
    LoginTaken { login: String },
    #[error(
        "This journal's signing key is registered to another login of the practice, so it cannot sign as {login}; use that login, or another journal."
    )]
    KeyTaken { login: String },
    #[error(
        "This journal has not joined a practice; run kap-journal practice connect URL (or connect in Settings)."
    )]
    NotConnected,
    #[error(
        "Only a clinician on the client's care team joins a live session, and only before it ends."
    )]
    CannotJoin,
    #[error(
        "The practice has no live session of that identifier for a client whose care team you are on."
    )]
    CannotFollow,
    #[error(
        "An admin login manages the practice and records no sessions, so it does not sync; connect as a clinician."
    )]
    AdminDoesNotSync,
    #[error("The practice server refused this ({message}; code {code}); nothing more was sent.")]
    Refused { code: String, message: String },
    #[error("The practice server sent {0} that cannot be read; nothing of it was kept.")]
    Unreadable(&'static str),
    /// The journal lacks the newest commit the server noted for it at an earlier sync.
    #[error(
        "The journal is older than what it last recorded on the practice server ({why}), so its data folder was put back from an older copy; nothing was sent or copied. Restore the newest backup if it holds what is missing; once you know how this came about, `kap-journal check --accept` takes the journal as it is."
    )]
    OlderThanPractice { why: String },
    #[error("The sync was stopped; what the server confirmed is kept, and the next sync goes on.")]
    Stopped,
    #[error("This practice server already keeps explicit care teams; there is nothing to upgrade.")]
    AlreadyCurrent,
    #[error(
        "This journal has no signing key to seal what it sends; connect to the practice again (Settings → Practice, or kap-journal practice connect) and sync."
    )]
    NoSigningKey,
    #[error("The practice already has a client {code}.")]
    AlreadyEnrolled { code: String },
    #[error(
        "The practice has no client {code}; an admin or a psychiatrist enrols it with kap-journal practice enrol."
    )]
    NotEnrolled { code: String },
    #[error("{login} is already on the care team of {code}.")]
    AlreadyOnTeam { login: String, code: String },
    #[error("{login} is not on the care team of {code}.")]
    NotOnTeam { login: String, code: String },
    #[error(
        "The practice refused the login {login} this: only an admin or a psychiatrist enrols clients and keeps care teams."
    )]
    NotAllowed { login: String },
    #[error(
        "Say why the record is opened outside its care team, in 10 to 500 characters; the reason is kept and shown to the care team."
    )]
    EmergencyReason,
    #[error(
        "A client code is what a journal takes as one: up to 32 letters, digits, dashes, dots, slashes or spaces of one script, nothing invisible."
    )]
    BadClientCode,
    #[error(
        "This practice server was set up before care teams were explicit; its owner upgrades it first (see docs/practice-sync.md, \"Moving a practice to explicit care teams\")."
    )]
    ServerBeforeCareTeams,
    #[error(
        "This practice server was set up before it logged who fetches each session; its owner runs `kap-journal practice upgrade` first (see docs/practice-sync.md, \"Moving a practice to explicit care teams\")."
    )]
    ServerBeforeFetchLog,
    #[error(
        "The login {login} is not on the care team of the practice's client {code}, so this journal cannot link to it; an admin or a psychiatrist puts it on the team first."
    )]
    OffTeam { login: String, code: String },
    #[error(
        "This practice server cannot keep the code a signature was made under, so a client can only be linked to the practice client of the same code; the database's owner runs `kap-journal practice upgrade` to allow different codes."
    )]
    ServerBeforeSignedCodes,
    #[error(
        "A key's fingerprint is 16 hexadecimal digits, as `kap-journal practice` shows it (for example f343 0c71 ed9e dae3)."
    )]
    BadFingerprint,
    #[error(
        "The practice holds no key proved by {login} with that fingerprint, so nothing was trusted; ask them to read it from `kap-journal practice` on their computer after they have synced."
    )]
    NoSuchColleagueKey { login: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PracticeError {
    /// Reads what the PostgreSQL client said: a database error by its code, anything else as the
    /// server being out of reach (`server` is the host and port, never a password).
    pub fn from_postgres(error: &postgres::Error, server: &str, login: &str) -> Self {
        use postgres::error::SqlState;
        let Some(db) = error.as_db_error() else {
            let text = error.to_string();
            if text.contains("TLS") || text.contains("tls") || text.contains("SSL") {
                return Self::Tls(text);
            }
            return Self::Unreachable {
                server: server.to_owned(),
            };
        };
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return Self::LoginRefused {
                login: login.to_owned(),
            };
        }
        if *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW
            || *code == SqlState::CRASH_SHUTDOWN
        {
            return Self::Unreachable {
                server: server.to_owned(),
            };
        }
        Self::Refused {
            code: code.code().to_owned(),
            message: db.message().to_owned(),
        }
    }
}
