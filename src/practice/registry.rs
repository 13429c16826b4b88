//! The practice's client registry and care teams: an admin or a psychiatrist enrols a client by
//! code (never a name) and puts clinicians on its care team or takes them off; each is a row with
//! who and when, never changed. The server decides who may read and write a client's record from
//! them (`access.sql`: `kap.readable_codes`, `kap.writable_codes`).

use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use serde::Serialize;

use super::server_columns::cell;
use super::{PracticeAddress, PracticeError};

/// An enrolled client with its care team as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrolledClient {
    pub code: String,
    pub enrolled_by: String,
    pub enrolled_at: DateTime<Utc>,
    /// The logins on its care team now, in the order they were put on it.
    pub care_team: Vec<String>,
    /// Every emergency opening of its record that the caller may see (its care team, the
    /// psychiatrists and the admin see them all), oldest first.
    pub emergency: Vec<super::EmergencyOpening>,
}

/// The clients enrolled in the practice, each with its care team, by code.
pub fn clients(
    address: &PracticeAddress,
    password: &str,
) -> Result<Vec<EnrolledClient>, PracticeError> {
    let mut client = address.connect(password)?;
    let fail = |error: postgres::Error| refused(&error, address);
    let rows = client
        .query(
            "SELECT c.code, c.enrolled_by::text, c.enrolled_at,
                    COALESCE(array_agg(t.login::text ORDER BY t.first) FILTER (WHERE t.login IS NOT NULL),
                             '{}')
             FROM kap.clients c
                  LEFT JOIN (SELECT DISTINCT ON (client_code, login) client_code, login, action,
                                    min(id) OVER (PARTITION BY client_code, login) AS first
                             FROM kap.care_assignments
                             ORDER BY client_code, login, id DESC) t
                         ON t.client_code = c.code AND t.action = 'assign'
             GROUP BY c.code, c.enrolled_by, c.enrolled_at
             ORDER BY c.code",
            &[],
        )
        .map_err(fail)?;
    let unreadable = |()| PracticeError::Unreadable("the client registry");
    let mut enrolled: Vec<EnrolledClient> = rows
        .iter()
        .map(|row| {
            Ok(EnrolledClient {
                code: cell(row, 0)?,
                enrolled_by: cell(row, 1)?,
                enrolled_at: cell(row, 2)?,
                care_team: cell(row, 3)?,
                emergency: Vec::new(),
            })
        })
        .collect::<Result<_, ()>>()
        .map_err(unreadable)?;
    for row in client
        .query(
            "SELECT client_code, login::text, reason, opened_at FROM kap.emergency_access
             ORDER BY id",
            &[],
        )
        .map_err(fail)?
    {
        let code: String = cell(&row, 0).map_err(unreadable)?;
        let opening = super::EmergencyOpening {
            login: cell(&row, 1).map_err(unreadable)?,
            reason: cell(&row, 2).map_err(unreadable)?,
            opened_at: cell(&row, 3).map_err(unreadable)?,
        };
        if let Some(client) = enrolled.iter_mut().find(|client| client.code == code) {
            client.emergency.push(opening);
        }
    }
    Ok(enrolled)
}

/// Enrols a client by its code (the URL's login: an admin or a psychiatrist).
pub fn enrol(address: &PracticeAddress, password: &str, code: &str) -> Result<(), PracticeError> {
    let code = checked_code(code)?;
    let mut client = address.connect(password)?;
    let inserted = client
        .execute(
            "INSERT INTO kap.clients (code) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&code],
        )
        .map_err(|error| refused(&error, address))?;
    if inserted == 0 {
        return Err(PracticeError::AlreadyEnrolled {
            code: code.to_owned(),
        });
    }
    Ok(())
}

/// Whether an assignment puts a login on a care team or takes it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    Assign,
    Unassign,
}

/// Puts `login` on the care team of `code`, or takes it off (the URL's login: an admin or a
/// psychiatrist). Putting on a login already on it, or taking off one not on it, is refused.
pub fn assign(
    address: &PracticeAddress,
    password: &str,
    code: &str,
    login: &str,
    assignment: Assignment,
) -> Result<(), PracticeError> {
    let code = checked_code(code)?;
    let mut client = address.connect(password)?;
    let fail = |error: postgres::Error| refused(&error, address);
    let mut tx = client.transaction().map_err(fail)?;
    // One assignment at a time per client, so two admins at once never both add the same row.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('kap care team ' || $1))",
        &[&code],
    )
    .map_err(fail)?;
    let facts = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM kap.clients WHERE code = $1),
                    EXISTS (SELECT 1 FROM kap.clinicians WHERE login = $2 AND role <> 'admin'),
                    kap.on_team($1, $2)",
            &[&code, &login],
        )
        .map_err(fail)?;
    let (enrolled, clinician, on_team): (bool, bool, bool) =
        (facts.get(0), facts.get(1), facts.get(2));
    if !enrolled {
        return Err(PracticeError::NotEnrolled {
            code: code.to_owned(),
        });
    }
    if !clinician {
        return Err(PracticeError::NotAClinician {
            login: login.to_owned(),
        });
    }
    let action = match (assignment, on_team) {
        (Assignment::Assign, false) => "assign",
        (Assignment::Unassign, true) => "unassign",
        (Assignment::Assign, true) => {
            return Err(PracticeError::AlreadyOnTeam {
                login: login.to_owned(),
                code: code.to_owned(),
            });
        }
        (Assignment::Unassign, false) => {
            return Err(PracticeError::NotOnTeam {
                login: login.to_owned(),
                code: code.to_owned(),
            });
        }
    };
    tx.execute(
        "INSERT INTO kap.care_assignments (client_code, login, action) VALUES ($1, $2, $3)",
        &[&code, &login, &action],
    )
    .map_err(fail)?;
    tx.commit().map_err(fail)
}

/// Whether the connected login may read the record of practice client `code` (on its care team;
/// a psychiatrist: any enrolled client).
pub(super) fn may_read(
    client: &mut postgres::Client,
    address: &PracticeAddress,
    code: &str,
) -> Result<bool, PracticeError> {
    client
        .query_one("SELECT kap.may_read($1)", &[&code])
        .map_err(|error| refused(&error, address))?
        .try_get(0)
        .map_err(|_| PracticeError::Unreadable("an answer about a care team"))
}

/// Whether `code` is enrolled in the practice.
pub(super) fn enrolled(
    client: &mut postgres::Client,
    address: &PracticeAddress,
    code: &str,
) -> Result<bool, PracticeError> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM kap.clients WHERE code = $1)",
            &[&code],
        )
        .map_err(|error| refused(&error, address))?
        .try_get(0)
        .map_err(|_| PracticeError::Unreadable("an answer about the client registry"))
}

/// A client code as the practice keeps it: what a journal accepts as one (the start form's rules).
fn checked_code(code: &str) -> Result<&str, PracticeError> {
    crate::domain::NewClient::parse(code, "", "").map_err(|_| PracticeError::BadClientCode)?;
    Ok(code.trim())
}

/// A refusal by row-level security means the login's role may not do this.
fn refused(error: &postgres::Error, address: &PracticeAddress) -> PracticeError {
    match error.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => PracticeError::NotAllowed {
            login: address.login().to_owned(),
        },
        Some(code)
            if *code == SqlState::UNDEFINED_TABLE || *code == SqlState::UNDEFINED_FUNCTION =>
        {
            PracticeError::ServerBeforeCareTeams
        }
        _ => address.error(error),
    }
}
