//! Exports: the PDF summary of a 300-entry session (target <= 100 ms), its Markdown, and (one timed
//! run each, printed) `export --all` of the 20,000-session demo journal and importing that archive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ops::ControlFlow;
use std::time::Instant;

mod common;

use criterion::{Criterion, criterion_group};
use kap_journal::export::{
    ExportFormat, ExportOptions, OnExisting, SummaryContext, import_file, write_archive,
    write_atomically, write_session,
};
use kap_journal::store::Store;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let id = common::session_of_300_entries(dir.path());
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let context = SummaryContext::local(
        Some("Dr. R. Example, MD".into()),
        kap_journal::domain::Thresholds::default(),
        kap_journal::domain::ClinicZone::of_this_computer(),
    );
    let mut group = c.benchmark_group("export_300_entry_session");
    for format in [
        ExportFormat::Pdf,
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Json,
    ] {
        group.bench_function(format.extension(), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 16);
                write_session(
                    &store,
                    id,
                    format,
                    ExportOptions::default(),
                    &context,
                    &mut out,
                )
                .unwrap();
                out.len()
            });
        });
    }
    group.finish();
    let mut pdf = Vec::new();
    write_session(
        &store,
        id,
        ExportFormat::Pdf,
        ExportOptions::default(),
        &context,
        &mut pdf,
    )
    .unwrap();
    let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    eprintln!(
        "PDF of 300 entries: {} KiB, {pages} pages",
        pdf.len() / 1024
    );
}

/// One run of the whole-journal export and import, as `export --all` and `import` do them.
fn export_all_20k() {
    let dir = common::demo_journal_20k();
    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let ids = store.record().session_ids().unwrap();
    let archive = dir.path().join("all.json");
    let started = Instant::now();
    let mut reports = 0;
    write_atomically(&archive, dir.path(), |out| {
        write_archive(&store, &ids, ExportOptions::default(), out, |_, _| {
            reports += 1;
            ControlFlow::Continue(())
        })
    })
    .unwrap();
    let size = std::fs::metadata(&archive).unwrap().len();
    eprintln!(
        "export --all: {} sessions, {} MiB, {:.1} s, {reports} progress reports",
        ids.len(),
        size >> 20,
        started.elapsed().as_secs_f64()
    );
    bare_copy_of_the_rows(dir.path());
    let target = tempfile::tempdir().unwrap();
    let mut fresh = Store::open(target.path(), &common::passphrase()).unwrap();
    let started = Instant::now();
    let report = import_file(&mut fresh, &archive, OnExisting::Refuse, chrono::Utc::now()).unwrap();
    eprintln!(
        "import of that archive into an empty journal: {} sessions, {} entries, {:.1} s",
        report.sessions,
        report.events,
        started.elapsed().as_secs_f64()
    );
}

/// The floor for both: every entry row read under the same key and written out as one JSON line, then
/// the same rows inserted into a new unencrypted table in one transaction (no checks, no index).
fn bare_copy_of_the_rows(dir: &std::path::Path) {
    use std::io::Write as _;

    let key = kap_journal::store::unlock_key(dir, &common::passphrase()).unwrap();
    let conn = kap_journal::store::connect_raw_with(dir, &key).unwrap();
    let lines = dir.join("bare.jsonl");
    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&lines).unwrap());
    let mut rows = Vec::new();
    let mut statement = conn
        .prepare("SELECT session_id, seq, wall_ms, elapsed_ms, kind, payload FROM events")
        .unwrap();
    let mut query = statement.query([]).unwrap();
    while let Some(row) = query.next().unwrap() {
        let values: (i64, i64, i64, i64, String, String) = (
            row.get(0).unwrap(),
            row.get(1).unwrap(),
            row.get(2).unwrap(),
            row.get(3).unwrap(),
            row.get(4).unwrap(),
            row.get(5).unwrap(),
        );
        serde_json::to_writer(&mut out, &values).unwrap();
        out.write_all(b"\n").unwrap();
        rows.push(values);
    }
    out.into_inner().unwrap().sync_all().unwrap();
    eprintln!(
        "bare: {} entry rows read and written as JSON lines, {} MiB, {:.1} s",
        rows.len(),
        std::fs::metadata(&lines).unwrap().len() >> 20,
        started.elapsed().as_secs_f64()
    );
    let target = tempfile::tempdir().unwrap();
    let mut bare = rusqlite::Connection::open(target.path().join("bare.db")).unwrap();
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE events (session_id INTEGER, seq INTEGER, wall_ms INTEGER, elapsed_ms INTEGER, kind TEXT, payload TEXT, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;",
    )
    .unwrap();
    let started = Instant::now();
    let tx = bare.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .unwrap();
        for (session, seq, wall, elapsed, kind, payload) in &rows {
            insert
                .execute(rusqlite::params![
                    session, seq, wall, elapsed, kind, payload
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    eprintln!(
        "bare: the same rows inserted into an empty table in one transaction, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    if std::env::var_os("KAP_BENCH_SKIP_20K").is_none() {
        export_all_20k();
    }
    Criterion::default().configure_from_args().final_summary();
}
