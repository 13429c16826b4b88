//! Full-text search (SQLite FTS5) over what clinicians wrote: notes, decision points, deferral outcomes.
//!
//! The index is contentless: it stores tokens, not a second copy of the notes. Its rowid encodes the
//! event's (session, sequence number); the session's model and client code are indexed as columns of
//! their own, so filters stay inside the index and `ORDER BY rank LIMIT` stays fast on a million events.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;

use super::snippet::{self, Snippet};
use super::{Store, StoreError, from_ms};
use crate::domain::{EventKind, Seq, SessionId, TreatmentModel};

/// Sequence numbers take the low 24 bits of the index rowid, the session id the rest.
const SEQ_BITS: u32 = 24;
const SEQ_MASK: i64 = (1 << SEQ_BITS) - 1;

pub(super) const CREATE_SEARCH_INDEX: &str = "
    CREATE VIRTUAL TABLE event_search USING fts5(
        text, model, client,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    -- Rank by the text alone; the model and client columns are only for filtering.
    INSERT INTO event_search (event_search, rank) VALUES ('rank', 'bm25(1.0, 0.0, 0.0)');
";

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

fn rowid(session: SessionId, seq: Seq) -> Result<i64, StoreError> {
    if i64::from(seq.0) > SEQ_MASK {
        return Err(StoreError::Damaged(
            "a session with more entries than the index can hold",
        ));
    }
    Ok((session.0 << SEQ_BITS) | i64::from(seq.0))
}

/// Adds one event's words to the index, inside the caller's transaction.
pub(super) fn index_event(
    tx: &Transaction<'_>,
    session: SessionId,
    seq: Seq,
    kind: &EventKind,
    model: &str,
    client: &str,
) -> Result<(), StoreError> {
    let text = kind.search_text();
    if text.is_empty() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO event_search (rowid, text, model, client) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![rowid(session, seq)?, text, model, client])?;
    Ok(())
}

/// The model and client code a session's events are indexed under.
pub(super) fn session_labels(
    tx: &Transaction<'_>,
    session: SessionId,
) -> Result<(String, String), StoreError> {
    Ok(tx.prepare_cached("SELECT s.model, c.code FROM sessions s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1")?
        .query_row([session.0], |row| Ok((row.get(0)?, row.get(1)?)))?)
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
            &model,
            &client,
        )?;
    }
    Ok(())
}

/// Turns what a user typed into an FTS5 query that cannot be a syntax error: every word becomes a
/// quoted phrase (so `"`, `*`, `-`, `NEAR`, `AND` and parentheses mean nothing special), all words must
/// appear, and the last one matches as a prefix while it is still being typed. `None` when no word is left.
pub fn fts_query(typed: &str) -> Option<String> {
    let still_typing = !typed.ends_with(char::is_whitespace);
    let words: Vec<String> = typed
        .split_whitespace()
        .map(|word| word.replace('"', ""))
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    let phrases: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            if index == last && still_typing {
                format!("text:\"{word}\"*")
            } else {
                format!("text:\"{word}\"")
            }
        })
        .collect();
    Some(phrases.join(" AND "))
}

impl Store {
    /// Events whose words match `query`, best first, with a highlighted snippet each.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let Some(mut fts) = fts_query(&query.text) else {
            return Ok(Vec::new());
        };
        if let Some(model) = query.model {
            fts = format!("{fts} AND model:\"{}\"", model.as_str());
        }
        if let Some(code) = query
            .client_code
            .as_deref()
            .map(|code| code.replace('"', ""))
            .filter(|code| !code.trim().is_empty())
        {
            fts = format!("{fts} AND client:\"{}\"", code.trim());
        }
        let ranked: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM event_search WHERE event_search MATCH ?1 ORDER BY rank LIMIT ?2",
            )?
            .query_map(params![fts, query.limit as i64], |row| row.get(0))?
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
                let (session_id, seq) =
                    (SessionId(rowid >> SEQ_BITS), Seq((rowid & SEQ_MASK) as u32));
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
                    model: TreatmentModel::parse(&model).ok_or(StoreError::Damaged("a session"))?,
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
            Some(r#"text:"say" AND text:"hi" AND text:"NEAR(" AND text:"-x""#)
        );
        assert_eq!(fts_query("  ( - * \" "), None);
        assert_eq!(rowid(SessionId(3), Seq(7)).unwrap(), (3 << 24) | 7);
    }
}
