//! The practice server as a witness of the journal's newest commit: each sync notes it there when
//! it ends, and checks at its start that the journal holds what the last one noted. A data folder
//! put back from an older copy onto a computer whose state folder is new (or was put back with
//! it) is found this way, before anything is sent or copied. The server keeps each login's notes
//! insert-only and readable by that login alone; a note names the journal by a number that reveals
//! nothing and the entry by its number, time and seal.

use postgres::Client;
use postgres::error::SqlState;

use super::{PracticeAddress, PracticeError};
use crate::store::{CommitWitness, Store};

/// Refuses the sync when the journal lacks the newest commit the server noted for it. A server
/// set up before witnesses were kept has no notes to compare with.
pub(super) fn check(
    client: &mut Client,
    address: &PracticeAddress,
    reader: &Store,
) -> Result<(), PracticeError> {
    let journal = reader.witness_journal();
    let row = match client.query_opt(
        "SELECT seq, at_ms, mac FROM kap.journal_witnesses WHERE journal = $1 ORDER BY seq DESC LIMIT 1",
        &[&journal],
    ) {
        Ok(row) => row,
        Err(error) if from_before_witnesses(&error) => return Ok(()),
        Err(error) => return Err(address.error(&error)),
    };
    let Some(row) = row else {
        return Ok(());
    };
    let noted = CommitWitness {
        journal,
        seq: row.get(0),
        at_ms: row.get(1),
        mac: row.get(2),
    };
    match reader.short_of_witness(&noted)? {
        Some(why) => Err(PracticeError::OlderThanPractice { why }),
        None => Ok(()),
    }
}

/// Notes the journal's newest commit on the server, once the sync has written everything.
pub(super) fn note(
    client: &mut Client,
    address: &PracticeAddress,
    reader: &Store,
) -> Result<(), PracticeError> {
    let Some(newest) = reader.commit_witness()? else {
        return Ok(());
    };
    match client.execute(
        "INSERT INTO kap.journal_witnesses (journal, seq, at_ms, mac) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        &[&newest.journal, &newest.seq, &newest.at_ms, &newest.mac],
    ) {
        Ok(_) => Ok(()),
        Err(error) if from_before_witnesses(&error) => Ok(()),
        Err(error) => Err(address.error(&error)),
    }
}

/// The server's schema has no witnesses table: it was set up by an earlier version.
fn from_before_witnesses(error: &postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNDEFINED_TABLE)
}
