//! Full-text search (SQLite FTS5) over what clinicians wrote: notes, decision points, deferral outcomes.
//!
//! The index is contentless: it stores tokens, not a second copy of the notes. Its rowid encodes the
//! event's model, session and sequence number, so a model filter is a rowid range the index can seek
//! and the two models stay apart even here; the client code is indexed as a column of
//! their own, so filters stay inside the index; the newest matches are ranked
//! in Rust (see [`RANK_WINDOW`] and `relevance.rs`).

pub(in crate::store) mod count;
pub(in crate::store) mod relevance;
pub(in crate::store) mod snippet;

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;

use self::snippet::Snippet;
use super::{Store, StoreError, from_ms};
use crate::domain::{EventKind, Seq, SessionId, TreatmentModel};
use crate::store::search::relevance::Words;

/// Sequence numbers take the low 24 bits of the index rowid, the session id the rest.
const SEQ_BITS: u32 = 24;
const SEQ_MASK: i64 = (1 << SEQ_BITS) - 1;
/// KAP events have this rowid bit set, Medical Model events not.
const KAP_BIT: i64 = 1 << 62;

pub(super) const CREATE_SEARCH_INDEX: &str = "
    CREATE VIRTUAL TABLE event_search USING fts5(
        text, client,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        detail = 'column',
        prefix = '2 3'
    );
    -- Shipped in schema 2; search now ranks in Rust (see relevance.rs), the setting is unused.
    INSERT INTO event_search (event_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
";

/// How many of the newest matches of each model are ranked. Fewer matches than this are ranked
/// exactly; a word found in tens of thousands of entries shows the best of its newest matches. More
/// words, a client or a model filter reach further back. Each candidate's text is read to rank it, so
/// this bounds the work of a search whatever the size of the journal.
pub const RANK_WINDOW: i64 = 250;

/// The candidates of a search in one model's rowid range (`?2..?3`): the newest `?4` matches of `?1`.
/// The index answers this without touching anything but the matched words' entries.
pub const CANDIDATE_QUERY: &str = "SELECT rowid FROM event_search
    WHERE event_search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid DESC LIMIT ?4";

/// The matches after the newest [`RANK_WINDOW`] of one model's range (`?2..?3`), newest first:
/// `?4` of them from the `?5`th on. Every match can be reached, not only the ranked ones.
const REST_QUERY: &str = "SELECT rowid FROM event_search
    WHERE event_search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid DESC LIMIT ?4 OFFSET ?5";

/// The rowid ranges of [`CANDIDATE_QUERY`] for a model filter: KAP's, then Medical Model's.
pub fn model_ranges(model: Option<TreatmentModel>) -> [(i64, i64); 2] {
    const NONE: (i64, i64) = (1, 0);
    let kap = (KAP_BIT, i64::MAX);
    let medical = (0, KAP_BIT - 1);
    match model {
        None => [kap, medical],
        Some(TreatmentModel::Kap) => [kap, NONE],
        Some(TreatmentModel::Medical) => [NONE, medical],
    }
}

/// What to search for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed; FTS syntax in it is taken literally.
    pub text: String,
    pub model: Option<TreatmentModel>,
    pub client_code: Option<String>,
    /// The most hits to return: the newest matches ranked best first, then every older match,
    /// newest first (KAP's, then the Medical Model's).
    pub limit: usize,
}

/// One event found. Its JSON form is the documented output of `kap-journal search --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub session_id: SessionId,
    pub seq: Seq,
    pub model: TreatmentModel,
    pub client_code: String,
    pub wall_time: DateTime<Utc>,
    pub elapsed_ms: i64,
    pub kind: String,
    #[serde(flatten)]
    pub snippet: Snippet,
}

fn rowid(model: TreatmentModel, session: SessionId, seq: Seq) -> Result<i64, StoreError> {
    if i64::from(seq.0) > SEQ_MASK || session.0 >= KAP_BIT >> SEQ_BITS {
        return Err(StoreError::Damaged(
            "a session with more entries than the index can hold",
        ));
    }
    let model_bit = if model == TreatmentModel::Kap {
        KAP_BIT
    } else {
        0
    };
    Ok(model_bit | (session.0 << SEQ_BITS) | i64::from(seq.0))
}

/// A client code as one index token: "D-0042" would otherwise be the tokens "d" and "0042", and "d"
/// is in every row, which makes a client filter slow.
fn client_token(code: &str) -> String {
    code.trim()
        .bytes()
        .fold(String::from("c"), |mut token, byte| {
            let _ = write!(token, "{byte:02x}");
            token
        })
}

/// Makes the writer connection's in-memory table where entries' words wait to be indexed.
///
/// FTS5 writes the terms it holds to disk whenever another statement of the transaction opens a
/// statement savepoint, as every insert into a table with audit triggers does. Indexing each entry
/// beside its row would leave one tiny segment per entry to merge: an import of the practice demo
/// spent half its time there. The words wait here instead and go into the index with one statement
/// at the end of the write ([`index_waiting`]).
pub(super) fn prepare_waiting_room(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_waiting (
             rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, client TEXT NOT NULL
         );",
    )?;
    Ok(())
}

/// Sets one event's words aside for the index, inside the caller's transaction; the caller runs
/// [`index_waiting`] before it commits.
pub(super) fn set_aside(
    tx: &Transaction<'_>,
    session: SessionId,
    seq: Seq,
    kind: &EventKind,
    model: TreatmentModel,
    client: &str,
) -> Result<(), StoreError> {
    let text = kind.search_text();
    if text.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("INSERT INTO temp.search_waiting (rowid, text, client) VALUES (?1, ?2, ?3)")?
        .execute(params![
            rowid(model, session, seq)?,
            text,
            client_token(client)
        ])?;
    Ok(())
}

/// Takes one entry's words out of the index, before they are set aside anew (a repair).
pub(super) fn forget(
    tx: &Transaction<'_>,
    session: SessionId,
    seq: Seq,
    model: TreatmentModel,
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM event_search WHERE rowid = ?1")?
        .execute([rowid(model, session, seq)?])?;
    Ok(())
}

/// Indexes every entry set aside in this transaction, with one statement.
pub(super) fn index_waiting(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO event_search (rowid, text, client) SELECT rowid, text, client FROM temp.search_waiting",
    )?
    .execute([])?;
    tx.prepare_cached("DELETE FROM temp.search_waiting")?
        .execute([])?;
    Ok(())
}

/// The model and client code a session's events are indexed under.
pub(super) fn session_labels(
    tx: &Transaction<'_>,
    session: SessionId,
) -> Result<(TreatmentModel, String), StoreError> {
    let (model, client): (String, String) = tx.prepare_cached("SELECT s.model, c.code FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1")?
        .query_row([session.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((parse_model(&model)?, client))
}

fn parse_model(stored: &str) -> Result<TreatmentModel, StoreError> {
    TreatmentModel::parse(stored).ok_or(StoreError::Damaged("a session"))
}

/// Fills the index from every stored event: the migration that creates it, and repairs.
pub(super) fn rebuild_index(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM event_search", [])?;
    let mut statement = tx.prepare(
        "SELECT e.session_id, e.seq, e.payload, s.model, c.code
         FROM events e JOIN sessions s ON s.id = e.session_id JOIN clients c ON c.id = s.client_id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let payload: String = row.get(2)?;
        let kind: EventKind =
            serde_json::from_str(&payload).map_err(|_| StoreError::Damaged("an entry"))?;
        let (model, client): (String, String) = (row.get(3)?, row.get(4)?);
        set_aside(
            tx,
            SessionId(row.get(0)?),
            Seq(row.get(1)?),
            &kind,
            parse_model(&model)?,
            &client,
        )?;
    }
    index_waiting(tx)
}

/// Turns what a user typed into an FTS5 query that cannot be a syntax error: every word becomes a
/// quoted token (so `"`, `*`, `-`, `NEAR`, `AND` and parentheses mean nothing special), all words must
/// appear, and the last one matches as a prefix while it is still being typed. `None` when no word is left.
pub fn fts_query(typed: &str) -> Option<String> {
    // Words are split into their letters-and-digits runs, as the index's tokenizer splits them, so no
    // query needs a multi-token phrase (the index keeps no positions: `detail=column`).
    let tokens: Vec<&str> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .collect();
    let last = tokens.len().checked_sub(1)?;
    // The last word is still being typed unless a space or punctuation followed it.
    let still_typing = typed.ends_with(char::is_alphanumeric);
    let phrases: Vec<String> = tokens
        .iter()
        .enumerate()
        .map(|(index, token)| {
            if index == last && still_typing {
                format!("text:\"{token}\"*")
            } else {
                format!("text:\"{token}\"")
            }
        })
        .collect();
    Some(phrases.join(" AND "))
}

/// The full FTS5 `MATCH` expression of a query: its words and, when set, its client filter (the model
/// filter is a rowid range, see [`model_ranges`]). `None` when no word is left.
pub fn match_expression(query: &SearchQuery) -> Option<String> {
    let words = fts_query(&query.text)?;
    Some(
        match query
            .client_code
            .as_deref()
            .filter(|code| !code.trim().is_empty())
        {
            Some(code) => format!("{words} AND client:{}", client_token(code)),
            None => words,
        },
    )
}

impl Store {
    /// Merges the search index into one segment. Worth it after a bulk write (synthetic data, import):
    /// queries then read each word's entries from one place.
    pub fn optimize_search_index(&mut self) -> Result<(), StoreError> {
        self.write_unrecorded(|tx| {
            tx.execute(
                "INSERT INTO event_search (event_search) VALUES ('optimize')",
                [],
            )?;
            Ok(())
        })
    }

    /// Events whose words match `query`: the newest matches of each model ranked best first, then,
    /// when the limit reaches past them, every older match newest first; with a highlighted snippet
    /// each.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let Some(fts) = match_expression(query) else {
            return Ok(Vec::new());
        };
        let mut candidates = Vec::new();
        for (low, high) in model_ranges(query.model) {
            if low > high {
                continue;
            }
            let rowids = self
                .conn
                .prepare_cached(CANDIDATE_QUERY)?
                .query_map(params![fts, low, high, RANK_WINDOW], |row| {
                    row.get::<_, i64>(0)
                })?
                .collect::<Result<Vec<_>, _>>()?;
            for rowid in rowids {
                candidates.push(self.candidate(rowid)?);
            }
        }
        let terms = snippet::terms(&query.text);
        let lowercase_terms: Vec<String> = terms.iter().map(|term| term.iter().collect()).collect();
        let mean_len = candidates
            .iter()
            .map(|candidate| candidate.words.len() as f64)
            .sum::<f64>()
            / candidates.len().max(1) as f64;
        let mut scored: Vec<(f64, Candidate)> = candidates
            .into_iter()
            .map(|candidate| (candidate.words.score(&lowercase_terms, mean_len), candidate))
            .collect();
        // Best first; among equals the newer entry.
        scored.sort_by(|(a, left), (b, right)| b.total_cmp(a).then(right.rowid.cmp(&left.rowid)));
        scored.truncate(query.limit);
        // Past the ranked window: the older matches, so that none is out of reach.
        let mut rest_wanted = query.limit.saturating_sub(scored.len());
        for (low, high) in model_ranges(query.model) {
            if low > high || rest_wanted == 0 {
                continue;
            }
            let rowids = self
                .conn
                .prepare_cached(REST_QUERY)?
                .query_map(
                    params![
                        fts,
                        low,
                        high,
                        i64::try_from(rest_wanted).unwrap_or(i64::MAX),
                        RANK_WINDOW
                    ],
                    |row| row.get::<_, i64>(0),
                )?
                .collect::<Result<Vec<_>, _>>()?;
            rest_wanted -= rowids.len();
            for rowid in rowids {
                scored.push((0.0, self.candidate(rowid)?));
            }
        }
        let mut client_of = self.conn.prepare_cached(
            "SELECT c.code FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1",
        )?;
        scored
            .into_iter()
            .map(|(_, candidate)| {
                let client_code: String =
                    client_of.query_row([candidate.session_id.0], |row| row.get(0))?;
                Ok(SearchHit {
                    session_id: candidate.session_id,
                    seq: candidate.seq,
                    model: candidate.model,
                    client_code,
                    wall_time: from_ms(candidate.wall_ms)?,
                    elapsed_ms: candidate.elapsed_ms,
                    kind: candidate.kind,
                    snippet: snippet::around(&candidate.text, &terms),
                })
            })
            .collect()
    }

    /// One matched entry, read to be ranked.
    fn candidate(&self, rowid: i64) -> Result<Candidate, StoreError> {
        let (session_id, seq) = (
            SessionId((rowid & !KAP_BIT) >> SEQ_BITS),
            Seq((rowid & SEQ_MASK) as u32),
        );
        let (wall_ms, elapsed_ms, kind, payload) = self
            .conn
            .prepare_cached(
                "SELECT wall_ms, elapsed_ms, kind, payload FROM events WHERE session_id = ?1 AND seq = ?2",
            )?
            .query_row(params![session_id.0, seq.0], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?;
        let event: EventKind =
            serde_json::from_str(&payload).map_err(|_| StoreError::Damaged("an entry"))?;
        let text = event.search_text();
        Ok(Candidate {
            rowid,
            session_id,
            seq,
            model: if rowid & KAP_BIT == 0 {
                TreatmentModel::Medical
            } else {
                TreatmentModel::Kap
            },
            wall_ms,
            elapsed_ms,
            kind,
            words: Words::of(&text),
            text,
        })
    }
}

/// An entry the index matched, with what ranking and the hit need.
struct Candidate {
    rowid: i64,
    session_id: SessionId,
    seq: Seq,
    model: TreatmentModel,
    wall_ms: i64,
    elapsed_ms: i64,
    kind: String,
    text: String,
    words: Words,
}

#[cfg(test)]
mod tests;
