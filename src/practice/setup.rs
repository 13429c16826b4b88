//! Setting up a practice: the schema in an empty database, a login per clinician, and a journal
//! joining as one of them.

use chrono::{DateTime, Utc};
use postgres::Client;
use postgres::error::SqlState;

use super::{PracticeAddress, PracticeError};
use crate::domain::{PracticeMembership, PracticeRole};
use crate::store::Store;

/// The server's tables: append-only, with row-level security forced.
pub const SCHEMA_SQL: &str = include_str!("schema.sql");
/// Who may do what with them: the practice's group roles, privileges and policies.
pub const ACCESS_SQL: &str = include_str!("access.sql");
/// The directory of sessions and the log of colleagues' fetches.
pub const FETCH_LOG_SQL: &str = include_str!("fetch_log.sql");
/// Who reads a session: its author, and a colleague once their fetch is logged.
pub const READING_SQL: &str = include_str!("reading.sql");
/// The code a signature was made under, where it is not the practice's.
pub const SIGNED_CODES_SQL: &str = include_str!("signed_codes.sql");
/// Live co-sessions: announced while they run, joined by the care team.
pub const LIVE_SQL: &str = include_str!("live.sql");
/// The signatures of live co-sessions (after live.sql).
pub const LIVE_SIGNATURES_SQL: &str = include_str!("live_signatures.sql");

/// The shortest password accepted for a clinician's login.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A clinician to add to the practice.
#[derive(Debug, Clone)]
pub struct NewClinician {
    pub login: String,
    pub name: String,
    pub credentials: String,
    pub role: PracticeRole,
}

/// Creates the practice schema in `address`'s database, connected as its owner.
pub fn init(address: &PracticeAddress, owner_password: &str) -> Result<(), PracticeError> {
    let mut client = address.connect(owner_password)?;
    let fail = |error: postgres::Error| address.error(&error);
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'kap')",
            &[],
        )
        .map_err(fail)?
        .get(0);
    if exists {
        return Err(PracticeError::AlreadyInitialised);
    }
    let mut tx = client.transaction().map_err(fail)?;
    tx.batch_execute(SCHEMA_SQL).map_err(fail)?;
    tx.batch_execute(FETCH_LOG_SQL).map_err(fail)?;
    tx.batch_execute(ACCESS_SQL).map_err(fail)?;
    tx.batch_execute(READING_SQL).map_err(fail)?;
    tx.batch_execute(SIGNED_CODES_SQL).map_err(fail)?;
    tx.batch_execute(LIVE_SQL).map_err(fail)?;
    tx.batch_execute(LIVE_SIGNATURES_SQL).map_err(fail)?;
    tx.commit().map_err(fail)
}

/// Adds a login for a clinician, connected as the owner (or an admin with CREATEROLE). The
/// password goes to the server as a SCRAM-SHA-256 verifier, never in clear.
pub fn add_clinician(
    address: &PracticeAddress,
    owner_password: &str,
    clinician: &NewClinician,
    password: &str,
) -> Result<(), PracticeError> {
    check_login(&clinician.login)?;
    let name = clinician.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(PracticeError::BadName);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PracticeError::ShortPassword(MIN_PASSWORD_CHARS));
    }
    let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
    let mut client = address.connect(owner_password)?;
    let fail = |error: postgres::Error| {
        if error.code() == Some(&SqlState::DUPLICATE_OBJECT) {
            return PracticeError::LoginTaken {
                login: clinician.login.clone(),
            };
        }
        if error.code() == Some(&SqlState::UNDEFINED_TABLE)
            || error.code() == Some(&SqlState::INVALID_SCHEMA_NAME)
        {
            return PracticeError::NotAPractice;
        }
        address.error(&error)
    };
    let mut tx = client.transaction().map_err(fail)?;
    // The server quotes the login and the verifier itself (%I, %L); the group role is this
    // practice's own. An admin may add logins in turn (CREATEROLE).
    let create: String = tx
        .query_one(
            "SELECT format('CREATE ROLE %I LOGIN %s PASSWORD %L IN ROLE %I', $1::text,
                           CASE WHEN $3::text = 'admin' THEN 'CREATEROLE' ELSE '' END,
                           $2::text, p.roles || $3::text)
             FROM kap.practice p",
            &[&clinician.login, &verifier, &clinician.role.as_str()],
        )
        .map_err(fail)?
        .get(0);
    tx.batch_execute(&create).map_err(fail)?;
    tx.execute(
        "INSERT INTO kap.clinicians (login, name, credentials, role) VALUES ($1, $2, $3, $4)",
        &[
            &clinician.login,
            &name,
            &clinician.credentials.trim(),
            &clinician.role.as_str(),
        ],
    )
    .map_err(fail)?;
    tx.commit().map_err(fail)
}

/// Joins `store`'s journal to the practice as `address`'s login and keeps the membership.
pub fn connect(
    store: &mut Store,
    address: &PracticeAddress,
    password: &str,
    now: DateTime<Utc>,
) -> Result<PracticeMembership, PracticeError> {
    let membership = join(store, address, password, now)?;
    store.sharing_mut().save_practice_membership(&membership)?;
    Ok(membership)
}

/// The network part of joining, read through `reader` and writing nothing: checks the login is
/// one of the practice's clinicians and registers the journal's signing keys. The membership it
/// returns (with the password, for the encrypted journal only) is then saved.
pub fn join(
    reader: &Store,
    address: &PracticeAddress,
    password: &str,
    now: DateTime<Utc>,
) -> Result<PracticeMembership, PracticeError> {
    if let Some(current) = reader.sharing().practice_membership()?
        && (current.url != address.as_str() || current.login != address.login())
        && reader.sharing().practice_has_pushed()?
    {
        return Err(PracticeError::AlreadyMember {
            login: current.login,
        });
    }
    let mut client = address.connect(password)?;
    let (name, role) = who_am_i(&mut client, address)?;
    let practice = practice_identity(&mut client, address)?;
    super::key_registry::register(&mut client, reader, address, practice)?;
    Ok(PracticeMembership {
        practice_id: Some(practice),
        url: address.as_str().to_owned(),
        login: address.login().to_owned(),
        password: password.to_owned(),
        name,
        role,
        joined_at: now,
        last_sync: None,
    })
}

/// The connected login's name and role as the practice lists them.
pub(super) fn who_am_i(
    client: &mut Client,
    address: &PracticeAddress,
) -> Result<(String, PracticeRole), PracticeError> {
    let row = client
        .query_opt(
            "SELECT name, role FROM kap.clinicians WHERE login = current_user",
            &[],
        )
        .map_err(|error| not_a_practice(&error, address))?;
    let Some(row) = row else {
        return Err(PracticeError::NotAClinician {
            login: address.login().to_owned(),
        });
    };
    let unreadable = |_| PracticeError::Unreadable("a clinician's name or role");
    let role: String = row.try_get(1).map_err(unreadable)?;
    let role = PracticeRole::parse(&role).ok_or(PracticeError::Unreadable("a clinician's role"))?;
    Ok((row.try_get(0).map_err(unreadable)?, role))
}

/// The practice's identity; a server set up before care teams were explicit has none, and is
/// upgraded by its owner before journals sync with it.
pub(super) fn practice_identity(
    client: &mut Client,
    address: &PracticeAddress,
) -> Result<uuid::Uuid, PracticeError> {
    let identity = super::server_columns::practice_identity(client)
        .map_err(|error| address.error(&error))?
        .ok_or(PracticeError::ServerBeforeCareTeams)?;
    if !super::server_columns::has_fetch_log(client).map_err(|error| address.error(&error))? {
        return Err(PracticeError::ServerBeforeFetchLog);
    }
    Ok(identity)
}

/// A missing schema (or no right to it) means the database is not a practice.
fn not_a_practice(error: &postgres::Error, address: &PracticeAddress) -> PracticeError {
    match error.code() {
        Some(code)
            if *code == SqlState::UNDEFINED_TABLE
                || *code == SqlState::INVALID_SCHEMA_NAME
                || *code == SqlState::INSUFFICIENT_PRIVILEGE =>
        {
            PracticeError::NotAPractice
        }
        _ => address.error(error),
    }
}

/// A PostgreSQL login of the practice: lower-case, so it needs no quoting anywhere.
fn check_login(login: &str) -> Result<(), PracticeError> {
    let mut chars = login.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_fits = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_is_letter && rest_fits && login.len() <= 63 {
        Ok(())
    } else {
        Err(PracticeError::BadLogin)
    }
}

/// The membership this journal keeps (read through `reader`) and a connection as its login; an
/// admin, who records no sessions, neither syncs nor shares live.
pub(super) fn connect_as_member(
    reader: &Store,
) -> Result<(PracticeMembership, PracticeAddress, Client), PracticeError> {
    let membership = reader
        .sharing()
        .practice_membership()?
        .ok_or(PracticeError::NotConnected)?;
    let (address, client) = connect_member(&membership)?;
    Ok((membership, address, client))
}

/// A connection as `membership`'s login, which must record sessions.
pub(super) fn connect_member(
    membership: &PracticeMembership,
) -> Result<(PracticeAddress, Client), PracticeError> {
    if !membership.role.records_sessions() {
        return Err(PracticeError::AdminDoesNotSync);
    }
    let address = PracticeAddress::parse(&membership.url)?;
    let client = address.connect(&membership.password)?;
    Ok((address, client))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_need_no_quoting() {
        for good in ["r_example", "n1", "psychiatrist_2"] {
            assert!(check_login(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1nurse",
            "R_Example",
            "r-example",
            "r example",
            "r\"x",
            &"a".repeat(64),
        ] {
            assert!(check_login(bad).is_err(), "{bad}");
        }
    }
}
