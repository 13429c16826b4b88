//! Pulling the sessions this clinician may read (the server's row-level security decides which)
//! as read-only copies marked with their author. A signed session is kept only when its signature
//! matches what arrived and was made with a key its author registered, so a row changed on the
//! server is found here and not copied.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{Client, Row};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::push::Moved;
use super::{PracticeAddress, PracticeError};
use crate::domain::{
    Addendum, CheckInKind, Clinician, KeyedSeal, Route, SessionStatus, Signature, TreatmentModel,
};
use crate::export::{
    ArchivedClient, ArchivedEvent, ArchivedFollowUp, ArchivedSession, check_session,
    write_archived_session,
};
use crate::store::{CopyAuthor, CopyHeld, ImportBatch, Store, StoreError};

/// Sessions fetched per round trip.
const SESSIONS_PER_FETCH: usize = 250;

/// A colleague's session that was not copied, and why. Never its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub uuid: uuid::Uuid,
    /// The author's login.
    pub author: String,
    pub why: RefusedWhy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusedWhy {
    /// Its content differs from what its signature covers: changed on the server after signing.
    Changed,
    /// Its seal does not verify: the signer, the time or the weight was changed, or it was forged.
    Forged,
    /// Its seal was made with a key its author never registered with the practice.
    UnregisteredKey,
    /// A row could not be read as a session of the journal.
    Unreadable,
}

impl Refused {
    /// One sentence for the person syncing.
    pub fn describe(&self) -> String {
        let why = match self.why {
            RefusedWhy::Changed => {
                "does not match its signature: it was changed on the server after it was signed"
            }
            RefusedWhy::Forged => {
                "carries a signature that does not verify: its signer, time or weight was changed on the server"
            }
            RefusedWhy::UnregisteredKey => {
                "is signed with a key its author never registered with the practice"
            }
            RefusedWhy::Unreadable => "arrived in a form the journal cannot read",
        };
        format!(
            "Session {} by {} {why}, so it was not copied; tell the practice's administrator.",
            self.uuid, self.author
        )
    }
}

/// What one step of a pull brought.
#[derive(Debug, Clone, Default)]
pub struct Pulled {
    pub moved: Moved,
    pub refused: Vec<Refused>,
}

/// One colleague's session as the server lists it.
#[derive(Debug, Clone)]
struct Listed {
    uuid: uuid::Uuid,
    author: CopyAuthor,
    signed: bool,
    addenda: u32,
    check_ins: u32,
}

/// What a pull still has to fetch, worked out once per sync: the sessions new to this journal
/// and the copies whose author has added to them.
pub(super) struct PullPlan {
    /// Each registered key's login.
    keys: HashMap<String, String>,
    pending: std::collections::VecDeque<(Listed, Option<CopyHeld>)>,
}

/// A colleague's session as it arrived (or why it cannot be copied), to be written by
/// [`write_incoming`] inside the journal.
#[derive(Debug)]
pub struct Incoming {
    listed: Listed,
    /// What the journal already holds of it, when it is a copy the author has added to.
    held: Option<CopyHeld>,
    session: Result<ArchivedSession, RefusedWhy>,
}

impl PullPlan {
    /// Lists what this login may read and compares it with the copies `reader` holds.
    pub(super) fn new(
        client: &mut Client,
        address: &PracticeAddress,
        reader: &Store,
    ) -> Result<Self, PracticeError> {
        let keys: HashMap<String, String> = client
            .query("SELECT public_key, login::text FROM kap.signing_keys", &[])
            .map_err(|error| address.error(&error))?
            .iter()
            .filter_map(|row| Some((cell(row, 0).ok()?, cell(row, 1).ok()?)))
            .collect();
        let held = reader.practice_copies_held()?;
        let pending = list(client, address)?
            .into_iter()
            .filter_map(|listed| match held.get(&listed.uuid) {
                None => Some((listed, None)),
                Some(copy) if has_more(&listed, copy) => Some((listed, Some(*copy))),
                Some(_) => None,
            })
            .collect();
        Ok(Self { keys, pending })
    }

    /// Fetches the next few sessions; `None` once everything is fetched.
    pub(super) fn next(
        &mut self,
        client: &mut Client,
        address: &PracticeAddress,
    ) -> Result<Option<Vec<Incoming>>, PracticeError> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let take = self.pending.len().min(SESSIONS_PER_FETCH);
        let chunk: Vec<(Listed, Option<CopyHeld>)> = self.pending.drain(..take).collect();
        let uuids: Vec<uuid::Uuid> = chunk.iter().map(|(listed, _)| listed.uuid).collect();
        let mut fetched = fetch(client, address, &uuids)?;
        Ok(Some(
            chunk
                .into_iter()
                .filter_map(|(listed, held)| {
                    let session = fetched.remove(&listed.uuid)?;
                    let session = match session {
                        Err(()) => Err(RefusedWhy::Unreadable),
                        Ok(session)
                            if !key_is_authors(
                                session.signature.as_ref(),
                                &listed.author,
                                &self.keys,
                            ) =>
                        {
                            Err(RefusedWhy::UnregisteredKey)
                        }
                        Ok(session) => Ok(session),
                    };
                    Some(Incoming {
                        listed,
                        held,
                        session,
                    })
                })
                .collect(),
        ))
    }
}

/// Writes sessions that arrived into the journal, in one transaction: each new one as a
/// read-only copy, each grown one with what its author added. A session whose signature does not
/// match is left out (and reported); the others are kept.
pub fn write_incoming(
    store: &mut Store,
    incoming: Vec<Incoming>,
    now: DateTime<Utc>,
) -> Result<Pulled, StoreError> {
    let mut pulled = Pulled::default();
    let mut batch = store.begin_import()?;
    for Incoming {
        listed,
        held,
        session,
    } in incoming
    {
        let written = match (session, held) {
            (Err(why), _) => Err(why),
            (Ok(session), None) => copy_new(&mut batch, &listed, session, now)?,
            (Ok(session), Some(copy)) => complete_copy(&mut batch, &copy, &session, now)?,
        };
        match written {
            Ok(moved) => pulled.moved.add(moved),
            Err(why) => pulled.refused.push(refusal(&listed, why)),
        }
    }
    batch.commit_step()?;
    Ok(pulled)
}

fn refusal(listed: &Listed, why: RefusedWhy) -> Refused {
    Refused {
        uuid: listed.uuid,
        author: listed.author.login.clone(),
        why,
    }
}

/// Whether the server holds more of a copy than the journal: a signature, addenda, check-ins.
fn has_more(listed: &Listed, copy: &CopyHeld) -> bool {
    (listed.signed && !copy.signed)
        || listed.addenda > copy.addenda
        || listed.check_ins > copy.check_ins
}

/// Every colleague's session this login may read, with how much of it there is.
fn list(client: &mut Client, address: &PracticeAddress) -> Result<Vec<Listed>, PracticeError> {
    let rows = client
        .query(
            "SELECT s.uuid, s.author::text, c.name, g.session_uuid IS NOT NULL,
                    COALESCE(a.n, 0), COALESCE(k.n, 0)
             FROM kap.sessions s
                  JOIN kap.clinicians c ON c.login = s.author
                  LEFT JOIN kap.signatures g ON g.session_uuid = s.uuid
                  LEFT JOIN (SELECT session_uuid, count(*) AS n FROM kap.addenda GROUP BY 1) a
                         ON a.session_uuid = s.uuid
                  LEFT JOIN (SELECT session_uuid, count(*) AS n FROM kap.check_ins GROUP BY 1) k
                         ON k.session_uuid = s.uuid
             WHERE s.author <> current_user
             ORDER BY s.started_at, s.uuid",
            &[],
        )
        .map_err(|error| address.error(&error))?;
    let listed = |row: &Row| -> Result<Listed, ()> {
        Ok(Listed {
            uuid: cell(row, 0)?,
            author: CopyAuthor {
                login: cell(row, 1)?,
                name: cell(row, 2)?,
            },
            signed: cell(row, 3)?,
            addenda: u32::try_from(cell::<i64>(row, 4)?).unwrap_or(u32::MAX),
            check_ins: u32::try_from(cell::<i64>(row, 5)?).unwrap_or(u32::MAX),
        })
    };
    rows.iter()
        .map(listed)
        .collect::<Result<_, ()>>()
        .map_err(|()| PracticeError::Unreadable("a list of sessions"))
}

/// A session read from the server, or why it cannot be read.
type Fetched = Result<ArchivedSession, ()>;

/// Reads whole sessions (timeline, signature with its note, addenda, check-ins) by uuid.
fn fetch(
    client: &mut Client,
    address: &PracticeAddress,
    uuids: &[uuid::Uuid],
) -> Result<HashMap<uuid::Uuid, Fetched>, PracticeError> {
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
    Ok(sessions)
}

const SESSIONS_SQL: &str =
    "SELECT uuid, client_code, model, route, planned_dose, intention, comfort_plan,
                    started_at, ended_at, weight_kg
             FROM kap.sessions WHERE uuid = ANY($1)";
const ENTRIES_SQL: &str =
    "SELECT session_uuid, seq, wall_time, elapsed_ms, payload FROM kap.entries
             WHERE session_uuid = ANY($1) ORDER BY session_uuid, seq";
const SIGNATURES_SQL: &str =
    "SELECT session_uuid, signer_name, signer_credentials, signed_at, content_sha256,
                    public_key, signature, progress_note
             FROM kap.signatures WHERE session_uuid = ANY($1)";
const ADDENDA_SQL: &str =
    "SELECT session_uuid, author_name, author_credentials, written_at, reason, text
             FROM kap.addenda WHERE session_uuid = ANY($1) ORDER BY session_uuid, written_at";
const CHECK_INS_SQL: &str = "SELECT session_uuid, kind, due, done FROM kap.check_ins
             WHERE session_uuid = ANY($1) ORDER BY session_uuid, kind";

/// The session rows themselves.
fn sessions_of(rows: Vec<Row>) -> HashMap<uuid::Uuid, Fetched> {
    let mut sessions = HashMap::new();
    for row in rows {
        let Ok(uuid) = cell::<uuid::Uuid>(&row, 0) else {
            continue;
        };
        let session = (|| {
            Ok(ArchivedSession {
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
                events: Vec::new(),
                progress_note: None,
                private_note: None,
                signature: None,
                addenda: Vec::new(),
                follow_ups: Vec::new(),
            })
        })();
        sessions.insert(uuid, session);
    }
    sessions
}

/// Each session's timeline, in order.
fn add_entries(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |session| {
            session.events.push(ArchivedEvent {
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
        add_to(sessions, row, |session| {
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
            });
            Ok(())
        });
    }
}

/// Addenda, oldest first.
fn add_addenda(sessions: &mut HashMap<uuid::Uuid, Fetched>, rows: &[Row]) {
    for row in rows {
        add_to(sessions, row, |session| {
            session.addenda.push(Addendum {
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
        add_to(sessions, row, |session| {
            let due: NaiveDate = cell(row, 2)?;
            session.follow_ups.push(ArchivedFollowUp {
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
    add: impl FnOnce(&mut ArchivedSession) -> Result<(), ()>,
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

/// One column of a row the server sent; a value of another type (a schema changed by hand)
/// makes the row unreadable instead of stopping the journal.
fn cell<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, ()> {
    row.try_get(index).map_err(|_| ())
}

fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, ()> {
    serde_json::from_value(value).map_err(|_| ())
}

/// Checks that a seal was made with a key its author registered.
fn key_is_authors(
    signature: Option<&Signature>,
    author: &CopyAuthor,
    keys: &HashMap<String, String>,
) -> bool {
    match signature.and_then(|signature| signature.seal.as_ref()) {
        Some(seal) => keys.get(&seal.public_key) == Some(&author.login),
        None => true,
    }
}

/// What a store error while writing a copy says about the copy; `None`: a fault of the journal.
fn refused_by(error: &StoreError) -> Option<RefusedWhy> {
    match error {
        StoreError::SignatureMismatch => Some(RefusedWhy::Changed),
        StoreError::SignatureForged => Some(RefusedWhy::Forged),
        _ => None,
    }
}

/// A store error while writing a copy: a refusal of that copy, or a fault of the journal.
fn refused_or_fault(
    written: Result<Moved, StoreError>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    match written {
        Ok(moved) => Ok(Ok(moved)),
        Err(error) => match refused_by(&error) {
            Some(why) => Ok(Err(why)),
            None => Err(error),
        },
    }
}

/// Writes a colleague's session new to this journal as a read-only copy.
fn copy_new(
    batch: &mut ImportBatch<'_>,
    listed: &Listed,
    session: ArchivedSession,
    now: DateTime<Utc>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    let Ok(client) = check_session(&session) else {
        return Ok(Err(RefusedWhy::Unreadable));
    };
    if batch.has_session(session.uuid)? {
        // The journal has it already as its own (imported from an archive): nothing to copy.
        return Ok(Ok(Moved::default()));
    }
    let moved = Moved {
        sessions: 1,
        entries: session.events.len() as u64,
        signatures: u64::from(session.signature.is_some()),
        addenda: session.addenda.len() as u64,
        check_ins: session.follow_ups.len() as u64,
    };
    refused_or_fault(batch.attempt(|batch| {
        let client_id = batch.client(&client, now)?.id();
        let id = write_archived_session(batch, client_id, session, now)?;
        batch.mark_practice_copy(id, &listed.author, now)?;
        Ok(moved)
    }))
}

/// Adds to a copy what its author has added since: the signature with its progress note,
/// addenda, check-ins.
fn complete_copy(
    batch: &mut ImportBatch<'_>,
    copy: &CopyHeld,
    session: &ArchivedSession,
    now: DateTime<Utc>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    refused_or_fault(batch.attempt(|batch| {
        let mut moved = Moved::default();
        let new_addenda = &session.addenda[(copy.addenda as usize).min(session.addenda.len())..];
        match &session.signature {
            Some(signature) if !copy.signed => {
                batch.insert_notes(copy.id, session.progress_note.as_ref(), None, now)?;
                batch.insert_signature(copy.id, signature, new_addenda)?;
                moved.signatures = 1;
            }
            _ => batch.insert_addenda(copy.id, new_addenda)?,
        }
        moved.addenda = new_addenda.len() as u64;
        let recorded = batch.recorded_check_ins(copy.id)?;
        let check_ins: Vec<crate::domain::FollowUp> = session
            .follow_ups
            .iter()
            .filter(|follow_up| !recorded.iter().any(|kind| kind == follow_up.kind.as_str()))
            .map(crate::domain::FollowUp::from)
            .collect();
        moved.check_ins = check_ins.len() as u64;
        batch.insert_follow_ups(copy.id, &check_ins)?;
        Ok(moved)
    }))
}
