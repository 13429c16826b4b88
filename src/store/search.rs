//! Full-text search (SQLite FTS5) over what clinicians wrote: notes, decision points, deferral outcomes.
//!
//! The index is contentless: it stores tokens, not a second copy of the notes. Its rowid encodes the
//! event's model, session and sequence number, so a model filter is a rowid range the index can seek
//! and the two models stay apart even here; the client code is indexed as a column of
//! their own, so filters stay inside the index; ranking looks at the newest matches (see [`RANK_WINDOW`]).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;

use super::snippet::{self, Snippet};
use super::{Store, StoreError, from_ms};
use crate::domain::{EventKind, Seq, SessionId, TreatmentModel};

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
    -- Rank by the text alone; the client column is only for filtering.
    INSERT INTO event_search (event_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
";

/// How many of the newest matches of each model are ranked. Fewer matches than this are ranked
/// exactly; ranking every entry of a word found in tens of thousands of them costs about 70 ms (p95)
/// on 1.3 M events, so the best of the newest 600 per model are shown. More words, a client or a model
/// filter reach further back.
pub const RANK_WINDOW: i64 = 600;

/// The ranked lookup: in each model's rowid range (`?4..?5` KAP, `?6..?7` Medical Model; an empty range
/// leaves a model out) the newest `?3` matches, all ranked together by bm25 over the text, best `?2` first.
pub const RANKED_QUERY: &str = "SELECT rowid FROM (
        SELECT * FROM (SELECT rowid, rank FROM event_search
            WHERE event_search MATCH ?1 AND rowid BETWEEN ?4 AND ?5 ORDER BY rowid DESC LIMIT ?3)
        UNION ALL
        SELECT * FROM (SELECT rowid, rank FROM event_search
            WHERE event_search MATCH ?1 AND rowid BETWEEN ?6 AND ?7 ORDER BY rowid DESC LIMIT ?3)
    ) ORDER BY rank LIMIT ?2";

/// The rowid ranges of [`RANKED_QUERY`] for a model filter: KAP's, then Medical Model's.
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
    /// The most hits to return, best first.
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

/// Adds one event's words to the index, inside the caller's transaction.
pub(super) fn index_event(
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
    tx.prepare_cached("INSERT INTO event_search (rowid, text, client) VALUES (?1, ?2, ?3)")?
        .execute(params![
            rowid(model, session, seq)?,
            text,
            client_token(client)
        ])?;
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
        index_event(
            tx,
            SessionId(row.get(0)?),
            Seq(row.get(1)?),
            &kind,
            parse_model(&model)?,
            &client,
        )?;
    }
    Ok(())
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
        self.require_writer()?;
        self.conn.execute(
            "INSERT INTO event_search (event_search) VALUES ('optimize')",
            [],
        )?;
        Ok(())
    }

    /// Events whose words match `query`, best first, with a highlighted snippet each.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let Some(fts) = match_expression(query) else {
            return Ok(Vec::new());
        };
        let [kap, medical] = model_ranges(query.model);
        let ranked: Vec<i64> = self
            .conn
            .prepare_cached(RANKED_QUERY)?
            .query_map(
                params![
                    fts,
                    query.limit as i64,
                    RANK_WINDOW,
                    kap.0,
                    kap.1,
                    medical.0,
                    medical.1
                ],
                |row| row.get(0),
            )?
            .collect::<Result<_, _>>()?;
        let mut details = self.conn.prepare_cached(
            "SELECT e.wall_ms, e.elapsed_ms, e.kind, e.payload, s.model, c.code
             FROM events e JOIN sessions s ON s.id = e.session_id JOIN clients c ON c.id = s.client_id
             WHERE e.session_id = ?1 AND e.seq = ?2",
        )?;
        let terms = snippet::terms(&query.text);
        ranked
            .into_iter()
            .map(|rowid| {
                let (session_id, seq) = (
                    SessionId((rowid & !KAP_BIT) >> SEQ_BITS),
                    Seq((rowid & SEQ_MASK) as u32),
                );
                let (wall_ms, elapsed_ms, kind, payload, model, client_code) =
                    details.query_row(params![session_id.0, seq.0], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, i64>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, String>(4)?,
                            row.get::<_, String>(5)?,
                        ))
                    })?;
                let event: EventKind =
                    serde_json::from_str(&payload).map_err(|_| StoreError::Damaged("an entry"))?;
                Ok(SearchHit {
                    session_id,
                    seq,
                    model: parse_model(&model)?,
                    client_code,
                    wall_time: from_ms(wall_ms)?,
                    elapsed_ms,
                    kind,
                    snippet: snippet::around(&event.search_text(), &terms),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_query_that_cannot_be_a_syntax_error() {
        assert_eq!(
            fts_query("grief fath").as_deref(),
            Some(r#"text:"grief" AND text:"fath"*"#)
        );
        assert_eq!(fts_query("grief ").as_deref(), Some(r#"text:"grief""#));
        assert_eq!(
            fts_query(r#"say "hi NEAR( -x *"#).as_deref(),
            Some(r#"text:"say" AND text:"hi" AND text:"NEAR" AND text:"x""#)
        );
        assert_eq!(fts_query("  ( - * \" "), None);
        assert_eq!(
            rowid(TreatmentModel::Medical, SessionId(3), Seq(7)).unwrap(),
            (3 << 24) | 7
        );
        assert_eq!(
            rowid(TreatmentModel::Kap, SessionId(3), Seq(7)).unwrap(),
            (1 << 62) | (3 << 24) | 7
        );
        assert_eq!(client_token("D-0042"), "c442d30303432");
    }
}
