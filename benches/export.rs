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
    let ids = store.session_ids().unwrap();
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

criterion_group!(benches, bench);

fn main() {
    benches();
    if std::env::var_os("KAP_BENCH_SKIP_20K").is_none() {
        export_all_20k();
    }
    Criterion::default().configure_from_args().final_summary();
}
