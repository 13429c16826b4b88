//! Reading whole sessions back from the practice server, row by row, into the archive's types:
//! the timeline, the signature with its progress note, addenda and check-ins. Every column is
//! read with `try_get`, so a row of another shape (a schema changed by hand) spoils only its
//! session, which the pull then names and does not copy.

use std::collections::HashMap;

use chrono::NaiveDate;
use postgres::{Client, Row};

use super::server_columns::cell;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::row_seal::RowSeal;
use super::{PracticeAddress, PracticeError};
use crate::domain::{
    Addendum, CheckInKind, Clinician, KeyedSeal, Route, SessionStatus, Signature, TreatmentModel,
};
use crate::export::{ArchivedClient, ArchivedEvent, ArchivedFollowUp, ArchivedSession};

/// A session read from the server with its rows' seals, or why it cannot be read.
pub(super) type Fetched = Result<FetchedSession, ()>;

/// A session as the server holds it, and the seal each of its rows carries (`None`: none).
#[derive(Debug)]
pub(super) struct FetchedSession {
    pub session: ArchivedSession,
    /// The seal over the session and its timeline.
    pub seal: Option<RowSeal>,
    /// Each addendum's, in the addenda's order.
    pub addenda: Vec<Option<RowSeal>>,
    /// Each recorded check-in's, in the check-ins' order.
    pub check_ins: Vec<Option<RowSeal>>,
    /// Pushed before rows were sealed (listed by the server's upgrade): its rows may carry none.
    pub legacy: bool,
}

/// Reads whole sessions (timeline, signature with its note, addenda, check-ins) by uuid, once the
/// server has logged the fetch.
pub(super) fn fetch(
    client: &mut Client,
    address: &PracticeAddress,
    uuids: &[uuid::Uuid],
) -> Result<HashMap<uuid::Uuid, Fetched>, PracticeError> {
    super::fetch_log::log_fetch(client, address, uuids)?;
    let mut query = |sql: &str| {
        client
            .query(sql, &[&uuids])
            .map_err(|error| address.error(&error))
    };
    let mut sessions = sessions_of(query(SESSIONS_SQL)?);
    add_entries(&mut sessions, &query(ENTRIES_SQL)?);
    add_signatures(&mut sessions, &query(SIGNATURES_SQL)?);
    add_addenda(&mut sessions, &query(ADDENDA_SQL)?);
    add_check_ins(&mut sessions, &query(CHECK_INS_SQL)?);
    for row in query(LEGACY_SQL)? {
        if let Ok(uuid) = cell::<uuid::Uuid>(&row, 0)
            && let Some(Ok(fetched)) = sessions.get_mut(&uuid)
        {
            fetched.legacy = true;
        }
    }
    Ok(sessions)
}

const SESSIONS_SQL: &str =
    "SELECT uuid, client_code, model, route, planned_dose, intention, comfort_plan,
                    started_at, ended_at, weight_kg, zone, seal_key, seal
             FROM kap.sessions WHERE uuid = ANY($1)";
const ENTRIES_SQL: &str =
    "SELECT session_uuid, seq, wall_time, elapsed_ms, payload FROM kap.entries
             WHERE session_uuid = ANY($1) ORDER BY session_uuid, seq";
/// The code signed under is read through the row as JSON: a server set up before signatures kept
/// it has no such column, and its signatures were all made under the practice's code.
const SIGNATURES_SQL: &str =
    "SELECT session_uuid, signer_name, signer_credentials, signed_at, content_sha256,
                    public_key, signature, progress_note, to_jsonb(g) ->> 'client_code'
             FROM kap.signatures g WHERE session_uuid = ANY($1)";
const ADDENDA_SQL: &str =
    "SELECT session_uuid, author_name, author_credentials, written_at, reason, text, seal_key,
                    seal
             FROM kap.addenda WHERE session_uuid = ANY($1) ORDER BY session_uuid, ordinal";
const LEGACY_SQL: &str =
    "SELECT session_uuid FROM kap.legacy_sessions WHERE session_uuid = ANY($1)";
const CHECK_INS_SQL: &str =
    "SELECT session_uuid, kind, due, done, seal_key, seal FROM kap.check_ins
             WHERE session_uuid = ANY($1) ORDER BY session_uuid, kind";

/// The session rows themselves.
fn sessions_of(rows: Vec<Row>) -> HashMap<uuid::Uuid, Fetched> {
    let mut sessions = HashMap::new();
    for row in rows {
        let Ok(uuid) = cell::<uuid::Uuid>(&row, 0) else {
            continue;
        };
        let session = (|| {
            let session = ArchivedSession {
                uuid,
                client: ArchivedClient {
                    code: cell(&row, 1)?,
                    display_name: None,
                    weight_kg: cell(&row, 9)?,
                },
                model: TreatmentModel::parse(cell(&row, 2)?).ok_or(())?,
                route: Route::parse(cell(&row, 3)?).ok_or(())?,
                planned_dose: from_json(cell(&row, 4)?)?,
                intention: cell(&row, 5)?,
                comfort_plan: cell(&row, 6)?,
                status: SessionStatus::Ended,
                started_at: cell(&row, 7)?,
                ended_at: Some(cell(&row, 8)?),
                // Absent from sessions of journals before zones (and servers before them): such
                // a copy is read in this clinic's zone. A zone this build does not know refuses
                // the copy, as import would.
                zone: cell::<Option<String>>(&row, 10)?
                    .map(|zone| crate::domain::ClinicZone::parse(&zone).map_err(|_| ()))
                    .transpose()?,
                events: Vec::new(),
                progress_note: None,
                private_note: None,
                signature: None,
                addenda: Vec::new(),
                follow_ups: Vec::new(),
                // A session logged together travels with its merged timeline and signatures
                // through the live tables, which each journal checks on its own.
                co_session: None,
            };
            Ok(FetchedSession {
                session,
                seal: seal_of(&row, 11)?,
                addenda: Vec::new(),
                check_ins: Vec::new(),
                legacy: false,
            })
        })();
        sessions.insert(uuid, session);
    }
    sessions
}

/// Each session's timeline, in order.
fn add_entries(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |fetched| {
            fetched.session.events.push(ArchivedEvent {
                seq: u32::try_from(cell::<i32>(row, 1)?).map_err(|_| ())?,
                wall_time: cell(row, 2)?,
                elapsed_ms: cell(row, 3)?,
                entry: from_json(cell(row, 4)?)?,
            });
            Ok(())
        });
    }
}

/// Signatures, each with the progress note it covers.
fn add_signatures(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |fetched| {
            let session = &mut fetched.session;
            let seal = match (cell::<Option<String>>(row, 5)?, cell(row, 6)?) {
                (Some(public_key), Some(signature)) => Some(KeyedSeal {
                    public_key,
                    signature,
                }),
                (None, None) => None,
                _ => return Err(()),
            };
            let note: Option<Value> = cell(row, 7)?;
            session.status = SessionStatus::Signed;
            session.progress_note = note.map(from_json).transpose()?;
            session.signature = Some(Signature {
                clinician: Clinician {
                    name: cell(row, 1)?,
                    credentials: cell(row, 2)?,
                },
                signed_at: cell(row, 3)?,
                content_sha256: cell(row, 4)?,
                seal,
                client_code: cell(row, 8)?,
            });
            Ok(())
        });
    }
}

/// Addenda in their author's order.
fn add_addenda(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |fetched| {
            fetched.addenda.push(seal_of(row, 6)?);
            fetched.session.addenda.push(Addendum {
                author: Clinician {
                    name: cell(row, 1)?,
                    credentials: cell(row, 2)?,
                },
                written_at: cell(row, 3)?,
                reason: cell(row, 4)?,
                text: cell(row, 5)?,
            });
            Ok(())
        });
    }
}

/// Recorded check-ins.
fn add_check_ins(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |fetched| {
            let due: NaiveDate = cell(row, 2)?;
            fetched.check_ins.push(seal_of(row, 4)?);
            fetched.session.follow_ups.push(ArchivedFollowUp {
                kind: CheckInKind::parse(cell(row, 1)?).ok_or(())?,
                due,
                done: Some(from_json(cell(row, 3)?)?),
            });
            Ok(())
        });
    }
}

/// Adds a part (a row whose first column is its session's uuid) to a fetched session; a part
/// that cannot be read spoils the whole session.
fn add_to(
    sessions: &mut HashMap<uuid::Uuid, Fetched>,
    row: &Row,
    add: impl FnOnce(&mut FetchedSession) -> Result<(), ()>,
) {
    let Ok(uuid) = cell::<uuid::Uuid>(row, 0) else {
        return;
    };
    if let Some(Ok(session)) = sessions.get_mut(&uuid)
        && add(session).is_err()
    {
        sessions.insert(uuid, Err(()));
    }
}

/// The seal in columns `index` (its key) and `index + 1`; both absent is no seal, one alone a row
/// that cannot be read.
fn seal_of(row: &Row, index: usize) -> Result<Option<RowSeal>, ()> {
    match (
        cell::<Option<String>>(row, index)?,
        cell::<Option<String>>(row, index + 1)?,
    ) {
        (Some(public_key), Some(seal)) => Ok(Some(RowSeal { public_key, seal })),
        (None, None) => Ok(None),
        _ => Err(()),
    }
}

fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, ()> {
    serde_json::from_value(value).map_err(|_| ())
}
