//! A crash leaves a report, never a record: the panic hook writes the version, the system, where it
//! happened and the backtrace into the data folder, owner-only, and keeps a panic's message only
//! when it is a literal of the code; the next window says once where the report is.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use kap_journal::crash_report;
use kap_journal::live::ManualClock;

#[test]
fn a_panic_leaves_a_report_without_what_was_typed_and_the_window_says_where_once() {
    let journal = common::journal();
    let dir = journal.dir;
    drop(journal.store);
    crash_report::install();
    crash_report::report_to(dir.path());

    let literal = std::panic::catch_unwind(|| panic!("the worker's channel closed"));
    assert!(literal.is_err());
    let typed = "SECRET-NOTE grief about father (synthetic)";
    let formatted = std::panic::catch_unwind(|| panic!("could not read {typed}"));
    assert!(formatted.is_err());

    let reports = crash_report::unseen(dir.path());
    assert_eq!(reports.len(), 2, "{reports:?}");
    let texts: Vec<String> = reports
        .iter()
        .map(|report| std::fs::read_to_string(report).unwrap())
        .collect();
    let all = texts.join("\n");
    assert!(
        all.contains(concat!("version: ", env!("CARGO_PKG_VERSION"))),
        "{all}"
    );
    assert!(
        all.contains("message: the worker's channel closed"),
        "{all}"
    );
    assert!(all.contains("where: tests/crash_report.rs:"), "{all}");
    assert!(all.contains("backtrace:"), "{all}");
    assert!(all.contains("(a formatted message, left out"), "{all}");
    assert!(
        !all.contains("SECRET-NOTE"),
        "what was typed never reaches a report"
    );
    #[cfg(unix)]
    for report in &reports {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(report).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{report:?} is owner-only");
    }

    // The next window on this journal says so once, naming where the newest report is.
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let harness = common::ui::app(dir.path(), &clock);
    harness.get_by_label_contains("stopped unexpectedly last time");
    let folder = dir.path().join(crash_report::CRASH_REPORTS_DIR);
    harness.get_by_label_contains(&folder.display().to_string());
    harness.get_by_label_contains("(2 reports in that folder)");
    drop(harness);
    assert!(crash_report::unseen(dir.path()).is_empty(), "shown once");
    let again = common::ui::app(dir.path(), &clock);
    assert!(
        again
            .query_by_label_contains("stopped unexpectedly")
            .is_none()
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join(crash_report::CRASH_REPORTS_DIR))
            .unwrap()
            .count(),
        2,
        "the reports are kept"
    );
}
