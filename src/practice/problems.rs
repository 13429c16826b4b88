//! The practice's problem list, for its admin: sessions journals refused to copy (reported by the
//! journals, by uuid, author and reason; never content), clinicians rows that name no login of the
//! practice in the right group, and key registrations without a good proof. None of them stops
//! anyone's sync; each is listed here once, to be looked into.

use chrono::{DateTime, Utc};
use postgres::Client;
use serde::Serialize;

use super::refused::Refused;
use super::server_columns::cell;
use super::{PracticeAddress, PracticeError};

/// A colleague's session a journal refused to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedSession {
    pub session: uuid::Uuid,
    /// The session's author's login.
    pub author: String,
    /// Why: changed, forged, `unregistered_key`, sealless or unreadable.
    pub why: String,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

/// A clinicians row that gives nobody anything: no such login, or not in its role's group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InertClinician {
    pub login: String,
    pub role: String,
    pub added_by: String,
}

/// A signing key registered without a proof that the login holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnprovenKey {
    pub public_key: String,
    pub login: String,
    pub registered_at: DateTime<Utc>,
}

/// Everything on the practice's problem list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems {
    pub refused_sessions: Vec<RefusedSession>,
    pub inert_clinicians: Vec<InertClinician>,
    pub unproven_keys: Vec<UnprovenKey>,
}

impl Problems {
    /// Each problem in one sentence, as the command line and the window list them.
    pub fn sentences(&self) -> Vec<String> {
        let refused = self.refused_sessions.iter().map(|refused| {
            format!(
                "Session {} by {}: refused ({}) by {}'s journal on {}.",
                refused.session,
                refused.author,
                refused.why.replace('_', " "),
                refused.reported_by,
                refused.reported_at.format("%Y-%m-%d %H:%M UTC")
            )
        });
        let clinicians = self.inert_clinicians.iter().map(|clinician| {
            format!(
                "Clinician row {} ({}), added by {}: it names no login of the practice in that role's group, so it gives nobody anything.",
                clinician.login, clinician.role, clinician.added_by
            )
        });
        let keys = self.unproven_keys.iter().map(|key| {
            format!(
                "Key {}… registered for {} on {}: nothing proves that {} holds it, so no journal trusts it.",
                key.public_key.get(..16).unwrap_or(&key.public_key),
                key.login,
                key.registered_at.format("%Y-%m-%d"),
                key.login
            )
        });
        refused.chain(clinicians).chain(keys).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.refused_sessions.is_empty()
            && self.inert_clinicians.is_empty()
            && self.unproven_keys.is_empty()
    }
}

/// Reports the sessions a sync refused for the first time (already reported ones are ignored).
pub(super) fn report(
    client: &mut Client,
    address: &PracticeAddress,
    refused: &[Refused],
) -> Result<(), PracticeError> {
    if refused.is_empty() {
        return Ok(());
    }
    let uuids: Vec<uuid::Uuid> = refused.iter().map(|refused| refused.uuid).collect();
    let authors: Vec<&str> = refused
        .iter()
        .map(|refused| refused.author.as_str())
        .collect();
    let whys: Vec<&str> = refused.iter().map(|refused| refused.why.as_str()).collect();
    client
        .execute(
            "INSERT INTO kap.problems (session_uuid, author, why)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
             ON CONFLICT DO NOTHING",
            &[&uuids, &authors, &whys],
        )
        .map_err(|error| address.error(&error))?;
    Ok(())
}

/// The practice's problem list, as the URL's login (an admin or a psychiatrist reads it whole).
pub fn problems(address: &PracticeAddress, password: &str) -> Result<Problems, PracticeError> {
    let mut client = address.connect(password)?;
    let practice = super::setup::practice_identity(&mut client, address)?;
    let fail = |error: postgres::Error| address.error(&error);
    let unreadable = |()| PracticeError::Unreadable("the practice's problem list");
    let refused_sessions = client
        .query(
            "SELECT session_uuid, author::text, why, reported_by::text, reported_at
             FROM kap.problems ORDER BY reported_at, session_uuid",
            &[],
        )
        .map_err(fail)?
        .iter()
        .map(|row| {
            Ok(RefusedSession {
                session: cell(row, 0)?,
                author: cell(row, 1)?,
                why: cell(row, 2)?,
                reported_by: cell(row, 3)?,
                reported_at: cell(row, 4)?,
            })
        })
        .collect::<Result<_, ()>>()
        .map_err(unreadable)?;
    let inert_clinicians = client
        .query(
            "SELECT c.login::text, c.role, c.added_by::text FROM kap.clinicians c
             WHERE NOT COALESCE((SELECT r.rolcanlogin FROM pg_roles r WHERE r.rolname = c.login), false)
                OR NOT kap.in_group(c.login, c.role)
             ORDER BY c.login",
            &[],
        )
        .map_err(fail)?
        .iter()
        .map(|row| {
            Ok(InertClinician {
                login: cell(row, 0)?,
                role: cell(row, 1)?,
                added_by: cell(row, 2)?,
            })
        })
        .collect::<Result<_, ()>>()
        .map_err(unreadable)?;
    let mut unproven_keys = Vec::new();
    for row in client
        .query(
            "SELECT public_key, login::text, proof, registered_at FROM kap.signing_keys
             ORDER BY registered_at, public_key",
            &[],
        )
        .map_err(fail)?
    {
        let (public_key, login, proof): (String, String, Option<String>) = (
            cell(&row, 0).map_err(unreadable)?,
            cell(&row, 1).map_err(unreadable)?,
            cell(&row, 2).map_err(unreadable)?,
        );
        let proven = proof.is_some_and(|proof| {
            super::key_registry::proves(&public_key, &proof, practice, &login)
        });
        if !proven {
            unproven_keys.push(UnprovenKey {
                public_key,
                login,
                registered_at: cell(&row, 3).map_err(unreadable)?,
            });
        }
    }
    Ok(Problems {
        refused_sessions,
        inert_clinicians,
        unproven_keys,
    })
}
