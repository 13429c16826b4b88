//! Search on `demo --sessions 20000` (about 1.27 M events): the journal's search (query building,
//! ranked FTS5 lookup, event details, snippets) beside the bare FTS5 query on the same data, same run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use kap_journal::demo::{DemoPlan, generate};
use kap_journal::domain::TreatmentModel;
use kap_journal::store::{DB_FILE_NAME, SearchQuery, Store, fts_query};

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

fn data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let started = Instant::now();
    let report = generate(
        &mut store,
        DemoPlan {
            clients: 400,
            sessions: 20_000,
            seed: 1,
        },
        |_, _| {},
    )
    .unwrap();
    eprintln!(
        "data: {} sessions, {} events, written in {:.1} s",
        report.sessions,
        report.events,
        started.elapsed().as_secs_f64()
    );
    dir
}

fn bare(conn: &rusqlite::Connection, query: &SearchQuery) -> usize {
    let Some(fts) = fts_query(&query.text) else {
        return 0;
    };
    conn.prepare_cached(
        "SELECT rowid FROM event_search WHERE event_search MATCH ?1 ORDER BY rank LIMIT ?2",
    )
    .unwrap()
    .query_map(rusqlite::params![fts, query.limit as i64], |row| {
        row.get::<_, i64>(0)
    })
    .unwrap()
    .count()
}

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn bench(c: &mut Criterion) {
    let dir = data();
    let store = Store::open(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    let queries = queries();
    let mut group = c.benchmark_group("search_20k_sessions");
    group.bench_function("journal_search_all_queries", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| store.search(q).unwrap().len())
                .sum::<usize>()
        });
    });
    group.bench_function("bare_fts5_all_unfiltered_queries", |b| {
        b.iter(|| queries.iter().map(|q| bare(&conn, q)).sum::<usize>());
    });
    group.finish();

    // p95 over single searches, interleaved with the bare FTS5 query for the same text.
    let (mut journal, mut raw) = (Vec::new(), Vec::new());
    for _ in 0..40 {
        for query in &queries {
            let start = Instant::now();
            store.search(query).unwrap();
            journal.push(start.elapsed());
            let start = Instant::now();
            bare(&conn, query);
            raw.push(start.elapsed());
        }
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
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
