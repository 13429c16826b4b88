//! Exports: the PDF summary of a 300-entry session (target <= 100 ms), its Markdown, CSV and JSON.
//! The whole-journal `export --all` and `import` are measured beside their floors by `benches/bulk`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use criterion::{Criterion, criterion_group};
use kap_journal::export::{ExportFormat, ExportOptions, SummaryContext, write_session};
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

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
