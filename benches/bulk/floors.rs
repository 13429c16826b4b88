//! The floors the bulk bench measures beside the journal's commands: the same entry rows written
//! into a bare encrypted file with the journal's search index, or read and written out as lines.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use kap_journal::domain::EventKind;
use kap_journal::store::DataKey;

/// The journal's search index, as `store::search` creates it.
const SEARCH_INDEX: &str = "CREATE VIRTUAL TABLE event_search USING fts5(
    text, client, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', detail = 'column', prefix = '2 3');";

/// The entry table of the floors, keyed as the journal keys its entries.
const ENTRY_TABLE: &str = "CREATE TABLE events (session_id INTEGER, seq INTEGER, wall_ms INTEGER,
    elapsed_ms INTEGER, kind TEXT, payload TEXT, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;";

/// One entry row of the demo, with the words the journal indexes of it.
pub struct Row {
    session: i64,
    seq: i64,
    wall_ms: i64,
    elapsed_ms: i64,
    kind: String,
    payload: String,
    words: String,
    client: String,
}

/// Every entry row of the journal at `dir`, with the words its search index holds of it.
pub fn entry_rows(dir: &Path, key: &DataKey) -> Vec<Row> {
    let conn = kap_journal::store::connect_raw_with(dir, key).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT e.session_id, e.seq, e.wall_ms, e.elapsed_ms, e.kind, e.payload, c.code
             FROM events e JOIN sessions s ON s.id = e.session_id JOIN clients c ON c.id = s.client_id
             ORDER BY e.session_id, e.seq",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            let payload: String = row.get(5)?;
            let words = serde_json::from_str::<EventKind>(&payload)
                .map(|kind| kind.search_text())
                .unwrap_or_default();
            Ok(Row {
                session: row.get(0)?,
                seq: row.get(1)?,
                wall_ms: row.get(2)?,
                elapsed_ms: row.get(3)?,
                kind: row.get(4)?,
                payload,
                words,
                client: row.get(6)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The rows and their words into a new encrypted file with the journal's cipher settings and
/// pragmas, committing after every `sessions_per_commit` sessions.
pub fn insert_floor(rows: &[Row], key: &DataKey, sessions_per_commit: usize) -> Duration {
    let dir = super::common::scratch();
    let mut conn = kap_journal::store::connect_floor(&dir.path().join("floor.db"), key).unwrap();
    conn.execute_batch(ENTRY_TABLE).unwrap();
    conn.execute_batch(SEARCH_INDEX).unwrap();
    let started = Instant::now();
    let mut rest = rows;
    let mut rowid = 0_i64;
    while !rest.is_empty() {
        let end = batch_end(rest, sessions_per_commit);
        let tx = conn.transaction().unwrap();
        {
            let mut entry = tx
                .prepare("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .unwrap();
            let mut words = tx
                .prepare("INSERT INTO event_search (rowid, text, client) VALUES (?1, ?2, ?3)")
                .unwrap();
            for row in &rest[..end] {
                entry
                    .execute(rusqlite::params![
                        row.session,
                        row.seq,
                        row.wall_ms,
                        row.elapsed_ms,
                        row.kind,
                        row.payload
                    ])
                    .unwrap();
                rowid += 1;
                if !row.words.is_empty() {
                    words
                        .execute(rusqlite::params![rowid, row.words, row.client])
                        .unwrap();
                }
            }
        }
        tx.commit().unwrap();
        rest = &rest[end..];
    }
    started.elapsed()
}

/// How many of `rows` (ordered by session) belong to their first `sessions` sessions.
fn batch_end(rows: &[Row], sessions: usize) -> usize {
    let mut seen = 0;
    let mut last = None;
    for (at, row) in rows.iter().enumerate() {
        if last != Some(row.session) {
            if seen == sessions {
                return at;
            }
            seen += 1;
            last = Some(row.session);
        }
    }
    rows.len()
}

/// Every entry row read under the journal's key and written as one JSON line, made durable.
pub fn json_lines_floor(out: &Path, key: &DataKey, dir: &Path) -> Duration {
    read_and_write(out, key, dir, |file, row| {
        serde_json::to_writer(&mut *file, row).unwrap();
    })
}

/// Every entry row read and written as one FHIR-shaped resource, made durable.
pub fn fhir_floor_run(out: &Path, key: &DataKey, dir: &Path) -> Duration {
    read_and_write(
        out,
        key,
        dir,
        |file, (session, seq, wall_ms, elapsed_ms, kind, payload)| {
            let instant = chrono::DateTime::from_timestamp_millis(*wall_ms).unwrap_or_default();
            let resource = serde_json::json!({
                "fullUrl": format!("urn:uuid:entry-{session}-{seq}"),
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": { "text": kind },
                    "subject": { "reference": format!("Patient/{session}") },
                    "effectiveDateTime": instant.to_rfc3339(),
                    "valueString": payload,
                    "component": [{ "code": { "text": "elapsed" }, "valueInteger": elapsed_ms }]
                }
            });
            serde_json::to_writer(&mut *file, &resource).unwrap();
        },
    )
}

type EntryRow = (i64, i64, i64, i64, String, String);

/// Reads every entry row of the journal at `dir` under `key`, hands each to `write`, one line each,
/// and makes the file durable.
fn read_and_write(
    out: &Path,
    key: &DataKey,
    dir: &Path,
    mut write: impl FnMut(&mut std::io::BufWriter<std::fs::File>, &EntryRow),
) -> Duration {
    let started = Instant::now();
    let conn = kap_journal::store::connect_raw_with(dir, key).unwrap();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    let mut statement = conn
        .prepare("SELECT session_id, seq, wall_ms, elapsed_ms, kind, payload FROM events")
        .unwrap();
    let mut query = statement.query([]).unwrap();
    while let Some(row) = query.next().unwrap() {
        let values: EntryRow = (
            row.get(0).unwrap(),
            row.get(1).unwrap(),
            row.get(2).unwrap(),
            row.get(3).unwrap(),
            row.get(4).unwrap(),
            row.get(5).unwrap(),
        );
        write(&mut file, &values);
        file.write_all(b"\n").unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let took = started.elapsed();
    std::fs::remove_file(out).unwrap();
    took
}
