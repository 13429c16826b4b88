//! Linking one of this journal's clients to a practice client, once and explicitly: the same code
//! in two journals is not the same person until a clinician on the client's care team says so.
//! The codes may differ: what is sent goes under the practice's code, what arrives is filed under
//! this journal's, and a signature keeps the code it was made under.
//! The network part ([`may_link`]) reads the journal and writes nothing; the link itself is a
//! short local write (`Registers::link_practice_client`), so the window hands it to its journal worker.

use chrono::{DateTime, Utc};

use super::{PracticeAddress, PracticeError};
use crate::store::{Linked, Store};

/// Asks the server, as the journal's login (read from `reader`), whether this journal may link
/// its client `local_code` to the practice client `practice_code`: it is enrolled, and the login
/// may read it (on its care team; a psychiatrist: any enrolled client).
pub fn may_link(
    reader: &Store,
    local_code: &str,
    practice_code: &str,
) -> Result<(), PracticeError> {
    let (local_code, practice_code) = (local_code.trim(), practice_code.trim());
    let membership = reader
        .sharing()
        .practice_membership()?
        .ok_or(PracticeError::NotConnected)?;
    let address = PracticeAddress::parse(&membership.url)?;
    let mut client = address.connect(&membership.password)?;
    if !super::registry::enrolled(&mut client, &address, practice_code)? {
        return Err(PracticeError::NotEnrolled {
            code: practice_code.to_owned(),
        });
    }
    if !super::registry::may_read(&mut client, &address, practice_code)? {
        return Err(PracticeError::OffTeam {
            login: membership.login,
            code: practice_code.to_owned(),
        });
    }
    // A signature's digest covers the client's code it was signed under; a server that cannot
    // keep that code beside the practice's could not let colleagues check it.
    if local_code != practice_code && !keeps_signed_codes(&mut client, &address)? {
        return Err(PracticeError::ServerBeforeSignedCodes);
    }
    Ok(())
}

/// Whether the server keeps the code a signature was made under (`signed_codes.sql`).
fn keeps_signed_codes(
    client: &mut postgres::Client,
    address: &PracticeAddress,
) -> Result<bool, PracticeError> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'kap'
                    AND table_name = 'signatures' AND column_name = 'client_code')",
            &[],
        )
        .map(|row| row.get(0))
        .map_err(|error| address.error(&error))
}

/// Both parts at once (the command line).
pub fn link(
    store: &mut Store,
    local_code: &str,
    practice_code: &str,
    now: DateTime<Utc>,
) -> Result<Linked, PracticeError> {
    may_link(store, local_code, practice_code)?;
    Ok(store
        .sharing_mut()
        .link_practice_client(local_code, practice_code, now)?)
}
