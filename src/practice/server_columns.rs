//! What a practice server set up by an older build lacks: a sync asks before it writes or reads a
//! column or table added since, and goes on without it (a server is upgraded by its owner, not by a sync).

/// Whether the server's sessions keep the clinic's zone (a column added in December 2026).
pub(super) fn sessions_keep_zone(
    client: &mut impl postgres::GenericClient,
) -> Result<bool, postgres::Error> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                            WHERE table_schema = 'kap' AND table_name = 'sessions'
                              AND column_name = 'zone')",
            &[],
        )
        .map(|row| row.get(0))
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
