//! Emergency access: a clinician opens a client outside their care team, with the reason stated,
//! and may read (and link, and receive) the client's record for a day. The opening is kept for good
//! on the server and shown to the client's care team, the psychiatrists and the admin
//! (`practice clients`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{PracticeAddress, PracticeError};
use crate::store::Store;

/// How long an emergency opening lets its clinician read the client's record.
pub const EMERGENCY_HOURS: i64 = 24;

/// One emergency opening of a client's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyOpening {
    pub login: String,
    pub reason: String,
    pub opened_at: DateTime<Utc>,
}

/// Opens practice client `code` in an emergency as the journal's login (read from `reader`), with
/// `reason`; returns until when the record may be read.
pub fn open_in_emergency(
    reader: &Store,
    code: &str,
    reason: &str,
) -> Result<DateTime<Utc>, PracticeError> {
    let membership = reader
        .sharing()
        .practice_membership()?
        .ok_or(PracticeError::NotConnected)?;
    open_as(&membership, code, reason)
}

/// The same as the journal's login in `membership` (the window holds it already).
pub fn open_as(
    membership: &crate::domain::PracticeMembership,
    code: &str,
    reason: &str,
) -> Result<DateTime<Utc>, PracticeError> {
    let reason = reason.trim();
    if !(10..=500).contains(&reason.chars().count()) {
        return Err(PracticeError::EmergencyReason);
    }
    let address = PracticeAddress::parse(&membership.url)?;
    let mut client = address.connect(&membership.password)?;
    let code = code.trim();
    if !super::registry::enrolled(&mut client, &address, code)? {
        return Err(PracticeError::NotEnrolled {
            code: code.to_owned(),
        });
    }
    let opened: DateTime<Utc> = client
        .query_one(
            "INSERT INTO kap.emergency_access (client_code, reason) VALUES ($1, $2)
             RETURNING opened_at",
            &[&code, &reason],
        )
        .map_err(|error| match error.code() {
            Some(state) if *state == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
                PracticeError::AdminDoesNotSync
            }
            _ => address.error(&error),
        })?
        .try_get(0)
        .map_err(|_| PracticeError::Unreadable("the time of an emergency opening"))?;
    Ok(opened + chrono::Duration::hours(EMERGENCY_HOURS))
}
