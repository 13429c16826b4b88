//! What a practice server set up by an older build lacks: a sync asks before it writes or reads a
//! column added since, and goes on without it (a server is upgraded by its owner, not by a sync).

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
