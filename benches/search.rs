//! Search on `demo --sessions 20000` (about 1.27 M events): the journal's search (query building,
//! FTS5 lookup, reading and ranking the candidates, snippets) beside the bare FTS5 lookups it makes and
//! beside plain FTS5 bm25 ranking of every match, on the same data, same run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

mod common;

use common::figures;

use criterion::{Criterion, criterion_group};
use kap_journal::domain::TreatmentModel;
use kap_journal::store::{
    CANDIDATE_QUERY, COUNTED_PAST_HITS, RANK_WINDOW, SearchQuery, Store, match_expression,
    model_ranges,
};

/// What a clinician types, including half-typed words and filters.
fn queries() -> Vec<SearchQuery> {
    let plain = |text: &str| SearchQuery {
        text: text.to_owned(),
        limit: 50,
        ..SearchQuery::default()
    };
    vec![
        plain("grief"),
        plain("gr"),
        plain("kitch"),
        plain("worked through"),
        plain("fear of losing"),
        plain("accident"),
        plain("breathing slow"),
        plain("chest"),
        SearchQuery {
            model: Some(TreatmentModel::Kap),
            ..plain("father")
        },
        SearchQuery {
            client_code: Some("D-0042".into()),
            ..plain("warmth")
        },
        SearchQuery {
            model: Some(TreatmentModel::Medical),
            client_code: Some("D-0007".into()),
            ..plain("dizz")
        },
    ]
}

/// The FTS5 lookups the journal's search makes, on their own: the newest matches per model, with no
/// reading of entries, ranking or snippets.
fn bare(conn: &rusqlite::Connection, query: &SearchQuery) -> usize {
    let Some(fts) = match_expression(query) else {
        return 0;
    };
    model_ranges(query.model)
        .into_iter()
        .filter(|(low, high)| low <= high)
        .map(|(low, high)| {
            conn.prepare_cached(CANDIDATE_QUERY)
                .unwrap()
                .query_map(rusqlite::params![fts, low, high, RANK_WINDOW], |row| {
                    row.get::<_, i64>(0)
                })
                .unwrap()
                .count()
        })
        .sum()
}

/// The plain FTS5 way, for comparison: SQLite's bm25 over every match (with the index's configured
/// rank), the query a straightforward search would run.
fn bare_full_rank(conn: &rusqlite::Connection, query: &SearchQuery) -> usize {
    let Some(fts) = match_expression(query) else {
        return 0;
    };
    let [kap, medical] = model_ranges(query.model);
    conn.prepare_cached(
        "SELECT rowid FROM event_search WHERE event_search MATCH ?1
            AND (rowid BETWEEN ?3 AND ?4 OR rowid BETWEEN ?5 AND ?6) ORDER BY rank LIMIT ?2",
    )
    .unwrap()
    .query_map(
        rusqlite::params![fts, query.limit as i64, kap.0, kap.1, medical.0, medical.1],
        |row| row.get::<_, i64>(0),
    )
    .unwrap()
    .count()
}

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn bench(c: &mut Criterion) {
    let mut recorded = Vec::new();
    for (sessions, clients) in common::sizes() {
        let dir = common::cached_demo_journal(clients, sessions);
        recorded.extend(bench_size(c, &dir, sessions / 1000));
    }
    figures::record("search", &recorded);
}

/// The searches on one demo journal, `thousands` of sessions.
fn bench_size(c: &mut Criterion, dir: &std::path::Path, thousands: usize) -> Vec<figures::Figure> {
    let store = Store::open(dir, &common::passphrase()).unwrap();
    // The bare lookups run on a connection of their own under the same key: the journal is encrypted,
    // and so are the pages they read.
    let conn = kap_journal::store::connect_raw(dir, &common::passphrase()).unwrap();
    let queries = queries();
    let mut group = c.benchmark_group(format!("search_{thousands}k_sessions"));
    group.sample_size(20);
    group.bench_function("journal_search_all_queries", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| store.search(q).unwrap().len())
                .sum::<usize>()
        });
    });
    group.bench_function("bare_fts5_lookups_all_queries", |b| {
        b.iter(|| queries.iter().map(|q| bare(&conn, q)).sum::<usize>());
    });
    group.finish();

    // p95 over single searches, alternating which of the two runs first so neither gets the warm cache.
    let (mut journal, mut raw, mut full) = (Vec::new(), Vec::new(), Vec::new());
    // The window's first page: 200 hits and the count of every match (what "200 of 1,843" says).
    let mut first_page = Vec::new();
    let mut per_query: Vec<(String, Vec<Duration>)> = queries
        .iter()
        .map(|q| (q.text.clone(), Vec::new()))
        .collect();
    for round in 0..40 {
        for (index, query) in queries.iter().enumerate() {
            let time_journal = || {
                let start = Instant::now();
                store.search(query).unwrap();
                start.elapsed()
            };
            let time_bare = || {
                let start = Instant::now();
                bare(&conn, query);
                start.elapsed()
            };
            let (j, r) = if round % 2 == 0 {
                let j = time_journal();
                (j, time_bare())
            } else {
                let r = time_bare();
                (time_journal(), r)
            };
            journal.push(j);
            raw.push(r);
            per_query[index].1.push(j);
            let start = Instant::now();
            bare_full_rank(&conn, query);
            full.push(start.elapsed());
            let page = SearchQuery {
                limit: 200,
                ..query.clone()
            };
            let start = Instant::now();
            store.search(&page).unwrap();
            store
                .search_count_up_to(&page, page.limit + COUNTED_PAST_HITS)
                .unwrap();
            first_page.push(start.elapsed());
        }
    }
    for (text, samples) in &mut per_query {
        eprintln!(
            "  {text:<16} journal median {:?} p95 {:?}",
            percentile(samples, 0.5),
            percentile(samples, 0.95)
        );
    }
    let (j95, r95) = (percentile(&mut journal, 0.95), percentile(&mut raw, 0.95));
    eprintln!(
        "single searches n={}: journal median {:?} p95 {:?}; bare FTS5 median {:?} p95 {:?}; p95 ratio {:.2}",
        journal.len(),
        percentile(&mut journal, 0.5),
        j95,
        percentile(&mut raw, 0.5),
        r95,
        j95.as_secs_f64() / r95.as_secs_f64()
    );
    eprintln!(
        "the window's first page (200 hits, matches counted to 1,200): median {:?} p95 {:?}",
        percentile(&mut first_page, 0.5),
        percentile(&mut first_page, 0.95)
    );
    let f95 = percentile(&mut full, 0.95);
    eprintln!(
        "plain FTS5 (bm25 over every match): median {:?} p95 {:?}; journal / plain p95 ratio {:.2}",
        percentile(&mut full, 0.5),
        f95,
        j95.as_secs_f64() / f95.as_secs_f64()
    );
    figures_of(
        thousands,
        &mut first_page,
        &mut full,
        &mut journal,
        &mut raw,
    )
}

/// The table's rows of one journal size: the first page beside plain FTS5 ranking, and the 50-hit
/// search beside the lookups it makes.
fn figures_of(
    thousands: usize,
    first_page: &mut [Duration],
    full: &mut [Duration],
    journal: &mut [Duration],
    raw: &mut [Duration],
) -> Vec<figures::Figure> {
    let ms = |samples: &mut [Duration], q: f64| percentile(samples, q).as_secs_f64() * 1e3;
    vec![
        figures::Figure {
            id: format!("search_first_page_{thousands}k"),
            what: format!(
                "search, the window's first page (200 hits, matches counted to 1,200), {thousands}k sessions, 11 typical queries"
            ),
            median_ms: ms(first_page, 0.5),
            tail: Some(("p95".to_owned(), ms(first_page, 0.95))),
            floor: Some(figures::Floor {
                what: "plain FTS5 bm25 over every match".to_owned(),
                median_ms: ms(full, 0.5),
            }),
            peak_mb: None,
            goal: "p95 ≤ 20 ms at 100k".to_owned(),
            measured: figures::today(),
        },
        figures::Figure {
            id: format!("search_{thousands}k"),
            what: format!("search, 50 hits ranked with snippets, {thousands}k sessions"),
            median_ms: ms(journal, 0.5),
            tail: Some(("p95".to_owned(), ms(journal, 0.95))),
            floor: Some(figures::Floor {
                what: "the FTS5 lookups it makes, alone".to_owned(),
                median_ms: ms(raw, 0.5),
            }),
            peak_mb: None,
            goal: "–".to_owned(),
            measured: figures::today(),
        },
    ]
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
