//! The server's log of who fetched which session (`fetch_log.sql`): a journal logs its fetch
//! before it reads (the server lets a colleague read a session only then), and takes in the
//! fetches of its clients' sessions by colleagues and the openings of its clients' records in an
//! emergency, for its accounting of disclosures.

use postgres::Client;

use super::server_columns::cell;
use super::{PracticeAddress, PracticeError};
use crate::store::{ColleagueFetch, EmergencyOpening};

/// Logs this login's fetch of `uuids` (those it may still list), committed before anything is
/// read: a fetch cut short is logged all the same, never a read unlogged.
pub(super) fn log_fetch(
    client: &mut Client,
    address: &PracticeAddress,
    uuids: &[uuid::Uuid],
) -> Result<(), PracticeError> {
    client
        .execute(
            "INSERT INTO kap.fetches (session_uuid)
             SELECT d.uuid FROM kap.session_directory d WHERE d.uuid = ANY($1)",
            &[&uuids],
        )
        .map_err(|error| address.error(&error))?;
    Ok(())
}

/// Colleagues' fetches this login may see: newer than the server's number `since`, and every
/// one of the sessions `copied` (new here, so fetches older than `since` were of sessions this
/// journal did not hold then).
pub(super) fn colleague_fetches(
    client: &mut Client,
    address: &PracticeAddress,
    since: i64,
    copied: &[uuid::Uuid],
) -> Result<Vec<ColleagueFetch>, PracticeError> {
    let rows = client
        .query(
            "SELECT f.id, f.session_uuid, f.login::text, c.name, f.fetched_at
             FROM kap.fetches f JOIN kap.clinicians c ON c.login = f.login
             WHERE (f.id > $1 OR f.session_uuid = ANY($2)) AND f.login <> current_user
             ORDER BY f.id",
            &[&since, &copied],
        )
        .map_err(|error| address.error(&error))?;
    rows.iter()
        .map(|row| {
            Ok(ColleagueFetch {
                id: cell(row, 0)?,
                session: cell(row, 1)?,
                login: cell(row, 2)?,
                name: cell(row, 3)?,
                at: cell(row, 4)?,
            })
        })
        .collect::<Result<_, ()>>()
        .map_err(|()| PracticeError::Unreadable("the log of colleagues' fetches"))
}

/// Every emergency opening this login may see (its own aside): a few a year, read whole each sync.
pub(super) fn emergency_openings(
    client: &mut Client,
    address: &PracticeAddress,
) -> Result<Vec<EmergencyOpening>, PracticeError> {
    let rows = client
        .query(
            "SELECT e.id, e.client_code, e.login::text, c.name, e.reason, e.opened_at
             FROM kap.emergency_access e JOIN kap.clinicians c ON c.login = e.login
             WHERE e.login <> current_user
             ORDER BY e.id",
            &[],
        )
        .map_err(|error| address.error(&error))?;
    rows.iter()
        .map(|row| {
            Ok(EmergencyOpening {
                id: cell(row, 0)?,
                practice_code: cell(row, 1)?,
                login: cell(row, 2)?,
                name: cell(row, 3)?,
                reason: cell(row, 4)?,
                at: cell(row, 5)?,
            })
        })
        .collect::<Result<_, ()>>()
        .map_err(|()| PracticeError::Unreadable("the practice's emergency openings"))
}
