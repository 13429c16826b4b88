//! The server's columns as a journal reads them: one cell at a time, never trusted to have the type
//! it should; and what a practice server set up by an older build lacks: a sync asks before it
//! reads a table added since (a server is upgraded by its owner, not by a sync).

/// One column of a row the server sent; a value of another type (a schema changed by hand)
/// makes the row unreadable instead of stopping the journal.
pub(super) fn cell<'a, T: postgres::types::FromSql<'a>>(
    row: &'a postgres::Row,
    index: usize,
) -> Result<T, ()> {
    row.try_get(index).map_err(|_| ())
}

/// The practice's own identity (a table added in December 2026); `None` from an older server.
pub(super) fn practice_identity(
    client: &mut impl postgres::GenericClient,
) -> Result<Option<uuid::Uuid>, postgres::Error> {
    match client.query_opt("SELECT id FROM kap.practice", &[]) {
        Ok(row) => Ok(row.and_then(|row| row.try_get(0).ok())),
        Err(error) if error.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Whether the server logs colleagues' fetches (a table added in December 2026, after the
/// practice's identity): a journal of this build reads sessions only through the log.
pub(super) fn has_fetch_log(
    client: &mut impl postgres::GenericClient,
) -> Result<bool, postgres::Error> {
    client
        .query_one("SELECT to_regclass('kap.fetches') IS NOT NULL", &[])
        .map(|row| row.get(0))
}
