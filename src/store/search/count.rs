//! How many entries a search matches: exactly (the command line's total), or counted no further than
//! the window needs, which at 100,000 sessions is most of what a first page costs for a common word.

use rusqlite::params;

use super::{match_expression, model_ranges};
use crate::store::{SearchQuery, Store, StoreError};

/// How many entries of one model's range match.
const COUNT_QUERY: &str =
    "SELECT count(*) FROM event_search WHERE event_search MATCH ?1 AND rowid BETWEEN ?2 AND ?3";

/// The same, counting no further than `?4` (a count of 90,000 matches would take longer than the hits).
const COUNT_UP_TO_QUERY: &str = "SELECT count(*) FROM (SELECT 1 FROM event_search
    WHERE event_search MATCH ?1 AND rowid BETWEEN ?2 AND ?3 LIMIT ?4)";

/// How far past the hits it asks for the window counts the matches.
pub const COUNTED_PAST_HITS: usize = 1000;

/// How many entries match, counted as far as a window needs: "200 of 1,843", or "200 of more than
/// 1,200" when there are more than it counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchCount {
    pub counted: usize,
    /// There are more matches than `counted`.
    pub more: bool,
}

impl Store {
    /// How many entries match `query` in all: what "200 of 1,843" says, and how far paging by
    /// [`SearchQuery::limit`] reaches.
    pub fn search_count(&self, query: &SearchQuery) -> Result<usize, StoreError> {
        let Some(fts) = match_expression(query) else {
            return Ok(0);
        };
        let mut total = 0_i64;
        for (low, high) in model_ranges(query.model) {
            if low <= high {
                total += self
                    .conn
                    .prepare_cached(COUNT_QUERY)?
                    .query_row(params![fts, low, high], |row| row.get::<_, i64>(0))?;
            }
        }
        Ok(usize::try_from(total).unwrap_or(usize::MAX))
    }

    /// How many entries match `query`, counted no further than `cap` (the window asks for its page
    /// and a thousand more, so "Show more" is offered for as long as there are more).
    pub fn search_count_up_to(
        &self,
        query: &SearchQuery,
        cap: usize,
    ) -> Result<MatchCount, StoreError> {
        let Some(fts) = match_expression(query) else {
            return Ok(MatchCount::default());
        };
        let cap = i64::try_from(cap).unwrap_or(i64::MAX - 1);
        let mut total = 0_i64;
        for (low, high) in model_ranges(query.model) {
            if low <= high && total <= cap {
                total += self
                    .conn
                    .prepare_cached(COUNT_UP_TO_QUERY)?
                    .query_row(params![fts, low, high, cap + 1 - total], |row| {
                        row.get::<_, i64>(0)
                    })?;
            }
        }
        Ok(MatchCount {
            counted: usize::try_from(total.min(cap)).unwrap_or(usize::MAX),
            more: total > cap,
        })
    }
}
