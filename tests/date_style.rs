//! The clinic's habits: dates in ISO unless it chooses US (MM/DD/YYYY, as the REMS form asks),
//! times of day on a 24- or 12-hour clock as the system says unless it chooses, in everything
//! people read (summaries, the REMS form, lists on the command line); JSON, CSV and FHIR stay
//! ISO 8601.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use kap_journal::domain::{ClinicZone, ClockChoice, DateOrder, DateTimeSettings, Route, SessionId};
use kap_journal::store::Store;

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .unwrap()
}

/// A Los Angeles clinic's session at 17:30 on 24 November (already the 25th in UTC).
fn los_angeles_journal() -> (common::Journal, SessionId) {
    let mut journal = common::journal();
    journal
        .store
        .save_clinic_zone(ClinicZone::parse("America/Los_Angeles").unwrap())
        .unwrap();
    let id = common::ended_session(
        &mut journal.store,
        "C-0001",
        Route::IntranasalEsketamine,
        at(2026, 11, 25, 1, 30),
    );
    (journal, id)
}

/// What `kap-journal ARGS` prints, with `clock` standing in for what the system says.
fn run(dir: &std::path::Path, clock: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
        .env("KAP_JOURNAL_CLOCK", clock)
        .env("TZ", "UTC")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn printed(dir: &std::path::Path, clock: &str, args: &[&str]) -> String {
    let output = run(dir, clock, args);
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn pdf_words(path: &std::path::Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the PDF back");
    assert!(output.status.success());
    // One line per field, whatever the layout's line breaks.
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_us_clinic_reads_us_dates_on_a_12_hour_clock_and_machines_still_read_iso() {
    let (journal, id) = los_angeles_journal();
    let dir = journal.dir.path().to_owned();
    drop(journal.store);
    let id = id.0.to_string();

    // ISO on a 24-hour clock until the clinic chooses otherwise.
    let iso = printed(&dir, "24", &["export", &id, "--format", "md", "--out", "-"]);
    assert!(iso.contains("2026-11-24"), "{iso}");
    assert!(iso.contains("(17:35) Breathing slowly."), "{iso}");

    let saved = printed(&dir, "24", &["settings", "--dates", "us", "--clock", "12"]);
    assert!(saved.contains("Saved."), "{saved}");
    assert!(saved.contains("12/07/2026 2:05 PM"), "{saved}");

    let summary = printed(&dir, "24", &["export", &id, "--format", "md", "--out", "-"]);
    assert!(summary.contains("11/24/2026"), "{summary}");
    assert!(!summary.contains("2026-11-24"), "{summary}");
    assert!(
        summary.contains("5:30 PM (America/Los\\_Angeles"),
        "{summary}"
    );
    assert!(summary.contains("(5:35 PM) Breathing slowly."), "{summary}");

    // The REMS form asks for MM/DD/YYYY: treatment date and the last day to submit it.
    let elsewhere = tempfile::tempdir().unwrap();
    let form = elsewhere.path().join("form.pdf");
    printed(
        &dir,
        "24",
        &[
            "export",
            &id,
            "--format",
            "rems",
            "--out",
            form.to_str().unwrap(),
        ],
    );
    let words = pdf_words(&form);
    assert!(
        words.contains("11/24/2026 5:30 PM (America/Los_Angeles, UTC-08:00)"),
        "{words}"
    );
    assert!(words.contains("by 12/01/2026"), "{words}");
    let due = printed(&dir, "24", &["rems"]);
    assert!(due.contains("treated 11/24/2026 5:30 PM"), "{due}");
    assert!(due.contains("due 12/01/2026"), "{due}");

    // What other systems read keeps ISO 8601.
    let json = printed(
        &dir,
        "24",
        &["export", &id, "--format", "json", "--out", "-"],
    );
    assert!(json.contains("2026-11-25T01:30:00"), "{json}");
    assert!(!json.contains("11/24/2026"), "{json}");
    let csv = printed(
        &dir,
        "24",
        &["export", &id, "--format", "csv", "--out", "-"],
    );
    assert!(!csv.contains("11/24/2026") && !csv.contains(" PM"), "{csv}");
}

#[test]
fn the_clock_follows_the_system_until_the_clinic_chooses_one() {
    let (journal, id) = los_angeles_journal();
    let dir = journal.dir.path().to_owned();
    drop(journal.store);
    let id = id.0.to_string();
    let note = |clock: &str| {
        printed(
            &dir,
            clock,
            &["export", &id, "--format", "md", "--out", "-"],
        )
        .lines()
        .find(|line| line.contains("Breathing slowly."))
        .unwrap()
        .to_owned()
    };
    assert!(note("12").contains("(5:35 PM)"), "{}", note("12"));
    assert!(note("24").contains("(17:35)"), "{}", note("24"));
    printed(&dir, "12", &["settings", "--clock", "24"]);
    assert!(note("12").contains("(17:35)"), "{}", note("12"));
}

#[test]
fn a_date_style_that_is_not_one_is_refused_and_nothing_changes() {
    let (journal, _) = los_angeles_journal();
    let dir = journal.dir.path().to_owned();
    drop(journal.store);
    let refused = run(&dir, "24", &["settings", "--dates", "eu", "--clock", "12"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("Dates are written iso (2026-12-07) or us (12/07/2026)."),
        "{said}"
    );
    let refused = run(&dir, "24", &["settings", "--clock", "13"]);
    assert!(!refused.status.success());
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(
        store.date_time_settings().unwrap(),
        DateTimeSettings::default()
    );
}

#[test]
fn the_choice_is_kept_in_the_journal_for_every_window_and_command() {
    let mut journal = common::journal();
    let chosen = DateTimeSettings {
        dates: DateOrder::Us,
        clock: ClockChoice::Twelve,
    };
    journal.store.save_date_time_settings(chosen).unwrap();
    let dir = journal.dir.path().to_owned();
    drop(journal.store);
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.date_time_settings().unwrap(), chosen);
    let shown = printed(&dir, "24", &["settings"]);
    assert!(shown.contains("dates            us"), "{shown}");
    assert!(shown.contains("clock            12"), "{shown}");
}
