//! Pushing what this journal recorded to the practice server: ended sessions with their timelines,
//! signatures with the progress note they cover, addenda and recorded check-ins. Never the private
//! note, a draft or a client's display name. Every row is keyed as the journal keys it and
//! inserted with `ON CONFLICT DO NOTHING`, so a push killed anywhere and run again inserts
//! nothing twice and loses nothing; the journal notes what went only after the server committed.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Client;
use serde::Serialize;
use serde_json::Value;

use super::push_prepare::Preparer;
use super::push_rows::{AddendumRow, CheckInRow, EntryRow, SessionRow, SessionRows, SignatureRow};
use super::{PracticeAddress, PracticeError};
use crate::domain::SessionId;
use crate::store::{KeyProof, PushDue, Pushed as PushedState, Store};

/// How many rows a push added to the server (rows it already had are not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub sessions: u64,
    pub entries: u64,
    pub signatures: u64,
    pub addenda: u64,
    pub check_ins: u64,
}

impl Moved {
    pub fn add(&mut self, other: Self) {
        self.sessions += other.sessions;
        self.entries += other.entries;
        self.signatures += other.signatures;
        self.addenda += other.addenda;
        self.check_ins += other.check_ins;
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What one step of a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PushStep {
    pub moved: Moved,
    /// What the server now holds of each session sent, for the journal to note.
    pub marks: Vec<(SessionId, PushedState)>,
    /// Sessions of this journal the server already holds as another clinician's (the same
    /// session imported into two journals): not sent, since it is not this clinician's record.
    pub held_by_others: Vec<uuid::Uuid>,
    /// New sessions of a client whose care team does not include this login: kept here.
    pub off_team: Vec<uuid::Uuid>,
}

/// Sends the next batch `preparer` gives (read and sealed a batch ahead); `None` once nothing is
/// left to send.
pub(super) fn push_step(
    client: &mut Client,
    address: &PracticeAddress,
    reader: &Store,
    preparer: &mut Preparer,
) -> Result<Option<PushStep>, PracticeError> {
    let Some(batch) = preparer.next(reader) else {
        return Ok(None);
    };
    let batch = batch?;
    // A new session goes only to a client whose care team this login is on (the server would
    // refuse it, and the whole batch with it).
    let writable = writable_codes(client, address, batch.iter().map(|prepared| &prepared.due))?;
    let mut off_team = Vec::new();
    let mut rows = Vec::with_capacity(batch.len());
    for prepared in batch {
        let due = &prepared.due;
        if !due.pushed.session && !writable.contains(&due.practice_code) {
            off_team.push(prepared.uuid);
        } else if let Some(session) = prepared.rows {
            rows.push(session);
        }
    }
    let (moved, others) = send(client, address, &rows)?;
    let mut step = PushStep {
        moved,
        off_team,
        ..PushStep::default()
    };
    for session in rows {
        if others.contains(&session.uuid) {
            step.held_by_others.push(session.uuid);
        } else {
            step.marks.push(session.mark);
        }
    }
    Ok(Some(step))
}

/// The practice codes among `due`'s new sessions that this login may add sessions to.
fn writable_codes<'a>(
    client: &mut Client,
    address: &PracticeAddress,
    due: impl Iterator<Item = &'a PushDue>,
) -> Result<std::collections::HashSet<String>, PracticeError> {
    let mut codes: Vec<&str> = due
        .filter(|item| !item.pushed.session)
        .map(|item| item.practice_code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    if codes.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let rows = client
        .query(
            // The codes this login may write to, worked out once for the statement (`kap.may_write`
            // per code worked them out again for each: two thirds of a first sync's server time).
            "SELECT code FROM unnest($1::text[]) AS code
             WHERE code IN (SELECT unnest((SELECT kap.writable_codes())))",
            &[&codes],
        )
        .map_err(|error| address.error(&error))?;
    Ok(rows
        .iter()
        .filter_map(|row| row.try_get::<_, String>(0).ok())
        .collect())
}

/// Sends one batch in one server transaction: the sessions first, then the rest of those the
/// server now holds as this login's (never rows for a session that is another clinician's).
fn send(
    client: &mut Client,
    address: &PracticeAddress,
    rows: &[SessionRows],
) -> Result<(Moved, Vec<uuid::Uuid>), PracticeError> {
    let fail = |error: postgres::Error| address.error(&error);
    let mut tx = client.transaction().map_err(fail)?;
    let mut moved = Moved::default();
    // Sessions the server did not hold before this statement: none of their entries can be there.
    let mut fresh = std::collections::HashSet::new();
    let new: Vec<(&uuid::Uuid, &SessionRow)> = rows
        .iter()
        .filter_map(|session| Some((&session.uuid, session.session.as_ref()?)))
        .collect();
    if !new.is_empty() {
        let column =
            |f: fn(&SessionRow) -> &str| new.iter().map(|(_, row)| f(row)).collect::<Vec<_>>();
        let uuids: Vec<uuid::Uuid> = new.iter().map(|(uuid, _)| **uuid).collect();
        let doses: Vec<&Value> = new.iter().map(|(_, row)| &row.planned_dose).collect();
        let started: Vec<DateTime<Utc>> = new.iter().map(|(_, row)| row.started_at).collect();
        let ended: Vec<DateTime<Utc>> = new.iter().map(|(_, row)| row.ended_at).collect();
        let weights: Vec<Option<f64>> = new.iter().map(|(_, row)| row.weight_kg).collect();
        let zones: Vec<Option<&str>> = new.iter().map(|(_, row)| row.zone.as_deref()).collect();
        let (seal_keys, seals) = seal_columns(new.iter().map(|(_, row)| &row.seal));
        let sql =
            "INSERT INTO kap.sessions (uuid, client_code, model, route, planned_dose, intention,
                 comfort_plan, started_at, ended_at, weight_kg, zone, seal_key, seal)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[],
                 $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::float8[],
                 $11::text[], $12::text[], $13::text[])
             ON CONFLICT DO NOTHING RETURNING uuid";
        fresh = tx
            .query(
                sql,
                &[
                    &uuids,
                    &column(|row| &row.client_code),
                    &column(|row| row.model),
                    &column(|row| row.route),
                    &doses,
                    &column(|row| &row.intention),
                    &column(|row| &row.comfort_plan),
                    &started,
                    &ended,
                    &weights,
                    &zones,
                    &seal_keys,
                    &seals,
                ],
            )
            .map_err(fail)?
            .iter()
            .filter_map(|row| row.try_get(0).ok())
            .collect();
        moved.sessions = fresh.len() as u64;
    }
    let all: Vec<uuid::Uuid> = rows.iter().map(|session| session.uuid).collect();
    let own: std::collections::HashSet<uuid::Uuid> = tx
        .query(
            "SELECT uuid FROM kap.sessions WHERE uuid = ANY($1) AND author = current_user",
            &[&all],
        )
        .map_err(fail)?
        .iter()
        .filter_map(|row| row.try_get(0).ok())
        .collect();
    let others: Vec<uuid::Uuid> = all
        .iter()
        .filter(|uuid| !own.contains(uuid))
        .copied()
        .collect();
    let mine: Vec<&SessionRows> = rows
        .iter()
        .filter(|session| own.contains(&session.uuid))
        .collect();
    moved.entries = send_entries(&mut tx, &mine, &fresh).map_err(fail)?;
    moved.signatures = send_signatures(&mut tx, &mine).map_err(fail)?;
    moved.addenda = send_addenda(&mut tx, &mine).map_err(fail)?;
    moved.check_ins = send_check_ins(&mut tx, &mine).map_err(fail)?;
    tx.commit().map_err(fail)?;
    Ok((moved, others))
}

/// The seals of rows as the two columns the server keeps them in: keys, and signatures.
fn seal_columns<'a>(seals: impl Iterator<Item = &'a KeyProof>) -> (Vec<&'a str>, Vec<&'a str>) {
    seals
        .map(|seal| (seal.public_key.as_str(), seal.proof.as_str()))
        .unzip()
}

/// Sends the entries of `sessions`. Those of sessions `fresh` to the server (inserted by this
/// transaction) go as plain inserts, which skip the conflict check each row would otherwise
/// cost; should one be there after all (a row left by someone with the server's keys), they go
/// again with the check. The others (a session whose push the journal did not hear confirmed)
/// go with it.
fn send_entries(
    tx: &mut postgres::Transaction<'_>,
    sessions: &[&SessionRows],
    fresh: &std::collections::HashSet<uuid::Uuid>,
) -> Result<u64, postgres::Error> {
    let (new, known): (Vec<&SessionRows>, Vec<&SessionRows>) = sessions
        .iter()
        .partition(|session| fresh.contains(&session.uuid));
    let mut sent = insert_entries(tx, &known, true)?;
    if !new.is_empty() {
        let mut plain = tx.savepoint("entries")?;
        match insert_entries(&mut plain, &new, false) {
            Ok(count) => {
                plain.commit()?;
                sent += count;
            }
            Err(error) if error.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
                plain.rollback()?;
                sent += insert_entries(tx, &new, true)?;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(sent)
}

fn insert_entries(
    tx: &mut postgres::Transaction<'_>,
    sessions: &[&SessionRows],
    checked: bool,
) -> Result<u64, postgres::Error> {
    let rows: Vec<(uuid::Uuid, &EntryRow)> = sessions
        .iter()
        .flat_map(|session| session.entries.iter().map(|row| (session.uuid, row)))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let uuids: Vec<uuid::Uuid> = rows.iter().map(|(uuid, _)| *uuid).collect();
    let seqs: Vec<i32> = rows.iter().map(|(_, row)| row.seq).collect();
    let walls: Vec<DateTime<Utc>> = rows.iter().map(|(_, row)| row.wall_time).collect();
    let elapsed: Vec<i64> = rows.iter().map(|(_, row)| row.elapsed_ms).collect();
    let kinds: Vec<&str> = rows.iter().map(|(_, row)| row.kind).collect();
    let payloads: Vec<&str> = rows.iter().map(|(_, row)| row.payload.as_str()).collect();
    // The entries travel as the JSON text their seal covers, read as jsonb by the server.
    let insert = "INSERT INTO kap.entries (session_uuid, seq, wall_time, elapsed_ms, kind, payload)
         SELECT u, s, w, e, k, p::jsonb FROM unnest($1::uuid[], $2::int4[], $3::timestamptz[],
             $4::int8[], $5::text[], $6::text[]) AS t(u, s, w, e, k, p)";
    let statement = if checked {
        format!("{insert} ON CONFLICT DO NOTHING")
    } else {
        insert.to_owned()
    };
    tx.execute(
        &statement,
        &[&uuids, &seqs, &walls, &elapsed, &kinds, &payloads],
    )
}

fn send_signatures(
    tx: &mut postgres::Transaction<'_>,
    sessions: &[&SessionRows],
) -> Result<u64, postgres::Error> {
    // The code signed under goes only where it differs from the practice's: a server set up
    // before signatures kept it takes every other signature as it always did.
    let (renamed, same): (Vec<_>, Vec<_>) = sessions
        .iter()
        .filter_map(|session| Some((session.uuid, session.signature.as_ref()?)))
        .partition(|(_, row)| row.client_code.is_some());
    Ok(insert_signatures(tx, &same, false)? + insert_signatures(tx, &renamed, true)?)
}

/// Inserts `rows`, with the code each was signed under when `with_code`.
fn insert_signatures(
    tx: &mut postgres::Transaction<'_>,
    rows: &[(uuid::Uuid, &SignatureRow)],
    with_code: bool,
) -> Result<u64, postgres::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let text =
        |f: fn(&SignatureRow) -> &str| rows.iter().map(|(_, row)| f(row)).collect::<Vec<_>>();
    let optional = |f: fn(&SignatureRow) -> Option<&str>| {
        rows.iter().map(|(_, row)| f(row)).collect::<Vec<_>>()
    };
    let uuids: Vec<uuid::Uuid> = rows.iter().map(|(uuid, _)| *uuid).collect();
    let signed: Vec<DateTime<Utc>> = rows.iter().map(|(_, row)| row.signed_at).collect();
    let notes: Vec<Option<&Value>> = rows
        .iter()
        .map(|(_, row)| row.progress_note.as_ref())
        .collect();
    let names = text(|row| &row.name);
    let credentials = text(|row| &row.credentials);
    let digests = text(|row| &row.content_sha256);
    let keys = optional(|row| row.public_key.as_deref());
    let seals = optional(|row| row.signature.as_deref());
    let codes = optional(|row| row.client_code.as_deref());
    let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![
        &uuids,
        &names,
        &credentials,
        &signed,
        &digests,
        &keys,
        &seals,
        &notes,
    ];
    let statement = if with_code {
        params.push(&codes);
        "INSERT INTO kap.signatures (session_uuid, signer_name, signer_credentials, signed_at,
             content_sha256, public_key, signature, progress_note, client_code)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
             $6::text[], $7::text[], $8::jsonb[], $9::text[])
         ON CONFLICT DO NOTHING"
    } else {
        "INSERT INTO kap.signatures (session_uuid, signer_name, signer_credentials, signed_at,
             content_sha256, public_key, signature, progress_note)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
             $6::text[], $7::text[], $8::jsonb[])
         ON CONFLICT DO NOTHING"
    };
    tx.execute(statement, &params)
}

fn send_addenda(
    tx: &mut postgres::Transaction<'_>,
    sessions: &[&SessionRows],
) -> Result<u64, postgres::Error> {
    let rows: Vec<(uuid::Uuid, &AddendumRow)> = sessions
        .iter()
        .flat_map(|session| session.addenda.iter().map(|row| (session.uuid, row)))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let text = |f: fn(&AddendumRow) -> &str| rows.iter().map(|(_, row)| f(row)).collect::<Vec<_>>();
    let uuids: Vec<uuid::Uuid> = rows.iter().map(|(uuid, _)| *uuid).collect();
    let ordinals: Vec<i32> = rows.iter().map(|(_, row)| row.ordinal).collect();
    let (seal_keys, seals) = seal_columns(rows.iter().map(|(_, row)| &row.seal));
    let written: Vec<DateTime<Utc>> = rows.iter().map(|(_, row)| row.written_at).collect();
    tx.execute(
        "INSERT INTO kap.addenda (session_uuid, author_name, author_credentials, written_at, reason,
             text, ordinal, seal_key, seal)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
             $6::text[], $7::int4[], $8::text[], $9::text[])
         ON CONFLICT DO NOTHING",
        &[
            &uuids,
            &text(|row| &row.name),
            &text(|row| &row.credentials),
            &written,
            &text(|row| &row.reason),
            &text(|row| &row.text),
            &ordinals,
            &seal_keys,
            &seals,
        ],
    )
}

fn send_check_ins(
    tx: &mut postgres::Transaction<'_>,
    sessions: &[&SessionRows],
) -> Result<u64, postgres::Error> {
    let rows: Vec<(uuid::Uuid, &CheckInRow)> = sessions
        .iter()
        .flat_map(|session| session.check_ins.iter().map(|row| (session.uuid, row)))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let uuids: Vec<uuid::Uuid> = rows.iter().map(|(uuid, _)| *uuid).collect();
    let kinds: Vec<&str> = rows.iter().map(|(_, row)| row.kind).collect();
    let dues: Vec<NaiveDate> = rows.iter().map(|(_, row)| row.due).collect();
    let done: Vec<&Value> = rows.iter().map(|(_, row)| &row.done).collect();
    let (seal_keys, seals) = seal_columns(rows.iter().map(|(_, row)| &row.seal));
    tx.execute(
        "INSERT INTO kap.check_ins (session_uuid, kind, due, done, seal_key, seal)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::jsonb[], $5::text[],
             $6::text[])
         ON CONFLICT DO NOTHING",
        &[&uuids, &kinds, &dues, &done, &seal_keys, &seals],
    )
}
