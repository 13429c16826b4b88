//! Moving a practice server to the present rules, as its owner, in one transaction (anything that
//! fails leaves the server as it was). A server set up before care teams were explicit:
//! `upgrade.sql` converts the tables, `fetch_log.sql` adds the log of colleagues' fetches,
//! `access.sql` and `reading.sql` put the practice's own roles and policies in place. A server
//! with care teams but no fetch log: the log, and who reads a session, alone. Both end with
//! `lean_checks.sql`, schema.sql's cheaper row checks.

use super::setup::{
    ACCESS_SQL, FETCH_LOG_SQL, LIVE_SIGNATURES_SQL, LIVE_SQL, READING_SQL, SIGNED_CODES_SQL,
};
use super::{PracticeAddress, PracticeError};

const UPGRADE_SQL: &str = include_str!("upgrade.sql");
/// schema.sql's row checks on an upgraded server.
const LEAN_CHECKS_SQL: &str = include_str!("lean_checks.sql");

/// What the server at `address` was before the upgrade: how many clients it enrolled and how many
/// care-team assignments it carried over for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upgraded {
    pub clients: i64,
    pub assignments: i64,
    /// The server had care teams and the fetch log: only what is named here was added.
    pub added_only: Option<Added>,
}

/// What an upgrade added to a server that had care teams and the fetch log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// The client's code each signature was made under.
    pub signed_codes: bool,
    /// Live co-sessions (live.sql).
    pub live_sessions: bool,
    /// Their signatures (`live_signatures.sql`).
    pub live_signatures: bool,
}

/// Upgrades the practice in `address`'s database, connected as its owner.
pub fn upgrade(address: &PracticeAddress, owner_password: &str) -> Result<Upgraded, PracticeError> {
    let mut client = address.connect(owner_password)?;
    let fail = |error: postgres::Error| address.error(&error);
    let state = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'kap'),
                    to_regclass('kap.practice') IS NOT NULL,
                    to_regclass('kap.care_team') IS NOT NULL,
                    to_regclass('kap.fetches') IS NOT NULL,
                    EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'kap'
                            AND table_name = 'signatures' AND column_name = 'client_code'),
                    to_regclass('kap.live_sessions') IS NOT NULL,
                    to_regclass('kap.live_signatures') IS NOT NULL",
            &[],
        )
        .map_err(fail)?;
    let (practice, care_teams, old, fetch_log, signed_codes) = (
        state.get::<_, bool>(0),
        state.get::<_, bool>(1),
        state.get::<_, bool>(2),
        state.get::<_, bool>(3),
        state.get::<_, bool>(4),
    );
    let live: bool = state.get(5);
    let live_signatures: bool = state.get(6);
    if practice && care_teams && fetch_log {
        if signed_codes && live && live_signatures {
            return Err(PracticeError::AlreadyCurrent);
        }
        // Only what came after the fetch log is new.
        let mut tx = client.transaction().map_err(fail)?;
        if !signed_codes {
            tx.batch_execute(SIGNED_CODES_SQL).map_err(fail)?;
        }
        if !live {
            tx.batch_execute(LIVE_SQL).map_err(fail)?;
        }
        if !live_signatures {
            tx.batch_execute(LIVE_SIGNATURES_SQL).map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        return Ok(Upgraded {
            clients: 0,
            assignments: 0,
            added_only: Some(Added {
                signed_codes: !signed_codes,
                live_sessions: !live,
                live_signatures: !live_signatures,
            }),
        });
    }
    // Not a practice at all, or one of a shape this build does not know.
    if !(practice && (old || care_teams)) {
        return Err(PracticeError::NotAPractice);
    }
    let mut tx = client.transaction().map_err(fail)?;
    if care_teams {
        // Who reads a session changes: the old rules go, reading.sql's come.
        tx.batch_execute(
            "DROP POLICY care_team ON kap.sessions;
             DROP POLICY care_team ON kap.entries;
             DROP POLICY care_team ON kap.signatures;
             DROP POLICY care_team ON kap.addenda;
             DROP POLICY care_team ON kap.check_ins;
             DROP POLICY care_team ON kap.legacy_sessions;
             DROP POLICY own_entries ON kap.entries;",
        )
        .map_err(fail)?;
        tx.batch_execute(FETCH_LOG_SQL).map_err(fail)?;
    } else {
        tx.batch_execute(UPGRADE_SQL).map_err(fail)?;
        tx.batch_execute(FETCH_LOG_SQL).map_err(fail)?;
        tx.batch_execute(ACCESS_SQL).map_err(fail)?;
    }
    tx.batch_execute(READING_SQL).map_err(fail)?;
    tx.batch_execute(LEAN_CHECKS_SQL).map_err(fail)?;
    tx.batch_execute(SIGNED_CODES_SQL).map_err(fail)?;
    tx.batch_execute(LIVE_SQL).map_err(fail)?;
    tx.batch_execute(LIVE_SIGNATURES_SQL).map_err(fail)?;
    let counts = tx
        .query_one(
            "SELECT (SELECT count(*) FROM kap.clients), (SELECT count(*) FROM kap.care_assignments)",
            &[],
        )
        .map_err(fail)?;
    let upgraded = Upgraded {
        clients: counts.get(0),
        assignments: counts.get(1),
        added_only: None,
    };
    tx.commit().map_err(fail)?;
    Ok(upgraded)
}
