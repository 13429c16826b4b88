//! Times are the clinic's times: each session keeps the clinic's IANA zone, and every time of day it
//! prints uses the offset in force at that instant there, whatever the season or the zone of the
//! computer printing it; the REMS form is due 7 days from the clinic's treatment date.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use kap_journal::domain::{ClinicZone, Route, SessionId};
use kap_journal::export::{ExportFormat, ExportOptions, OnExisting, import_archive, write_session};
use kap_journal::store::Store;

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .unwrap()
}

fn markdown(store: &Store, id: SessionId) -> String {
    let mut out = Vec::new();
    // The printing computer's zone is UTC here: a session's own zone must win.
    write_session(
        store,
        id,
        ExportFormat::Markdown,
        ExportOptions::default(),
        &common::summary_context(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_summary_prints_the_clinics_time_of_day_in_summer_and_in_winter() {
    let mut journal = common::journal();
    journal
        .store
        .save_clinic_zone(ClinicZone::parse("America/New_York").unwrap())
        .unwrap();
    // 10:00 in New York both times: 14:00 UTC in July (EDT), 15:00 UTC in December (EST).
    let july = common::ended_session(
        &mut journal.store,
        "C-0001",
        Route::IvInfusion,
        at(2026, 7, 14, 14, 0),
    );
    let december = common::ended_session(
        &mut journal.store,
        "C-0002",
        Route::IvInfusion,
        at(2026, 12, 14, 15, 0),
    );
    let summer = markdown(&journal.store, july);
    let winter = markdown(&journal.store, december);
    assert!(
        summer.contains(r"10:00 (America/New\_York, UTC-04:00)"),
        "{summer}"
    );
    assert!(
        winter.contains(r"10:00 (America/New\_York, UTC-05:00)"),
        "{winter}"
    );
    for summary in [&summer, &winter] {
        assert!(summary.contains("(10:05) Breathing slowly."), "{summary}");
    }

    // A clinic that moves its zone later changes nothing of the sessions already held.
    journal
        .store
        .save_clinic_zone(ClinicZone::parse("Europe/Berlin").unwrap())
        .unwrap();
    assert_eq!(markdown(&journal.store, july), summer);

    // The archive carries the zone, and another journal in another zone prints the same times.
    let mut archive = Vec::new();
    write_session(
        &journal.store,
        july,
        ExportFormat::Json,
        ExportOptions::default(),
        &common::summary_context(),
        &mut archive,
    )
    .unwrap();
    common::assert_archive_matches_schema(&String::from_utf8_lossy(&archive));
    assert!(String::from_utf8_lossy(&archive).contains("\"zone\":\"America/New_York\""));
    let mut elsewhere = common::journal();
    elsewhere
        .store
        .save_clinic_zone(ClinicZone::parse("Asia/Tokyo").unwrap())
        .unwrap();
    import_archive(
        &mut elsewhere.store,
        archive.as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    let copy = elsewhere.store.record().session_ids().unwrap()[0];
    assert_eq!(markdown(&elsewhere.store, copy), summer);
}

#[test]
fn the_command_line_prints_the_same_summary_whatever_the_computers_zone() {
    let mut journal = common::journal();
    journal
        .store
        .save_clinic_zone(ClinicZone::parse("America/New_York").unwrap())
        .unwrap();
    let id = common::ended_session(
        &mut journal.store,
        "C-0001",
        Route::IvInfusion,
        at(2026, 7, 14, 14, 0),
    );
    drop(journal.store);
    let printed = |tz: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("TZ", tz)
            .arg("--data-dir")
            .arg(journal.dir.path())
            .args(["export", &id.0.to_string(), "--format", "md", "--out", "-"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let tokyo = printed("Asia/Tokyo");
    assert!(tokyo.contains("(10:05) Breathing slowly."), "{tokyo}");
    assert_eq!(tokyo, printed("Europe/London"));
}

#[test]
fn the_rems_form_is_due_seven_days_after_the_clinics_treatment_date() {
    // 17:30 in Los Angeles on 24 November is already 25 November in UTC.
    let mut west = common::journal();
    west.store
        .save_clinic_zone(ClinicZone::parse("America/Los_Angeles").unwrap())
        .unwrap();
    common::ended_session(
        &mut west.store,
        "C-0001",
        Route::IntranasalEsketamine,
        at(2026, 11, 25, 1, 30),
    );
    let due = west
        .store
        .registers()
        .rems_due(at(2026, 11, 26, 0, 0))
        .unwrap();
    assert_eq!(due[0].due.to_string(), "2026-12-01");
    // Still due (not overdue) through the clinic's last day, though UTC has moved on.
    assert!(
        !west
            .store
            .registers()
            .rems_due(at(2026, 12, 2, 7, 0))
            .unwrap()[0]
            .overdue
    );
    assert!(
        west.store
            .registers()
            .rems_due(at(2026, 12, 2, 9, 0))
            .unwrap()[0]
            .overdue
    );

    // 09:00 in Sydney on 25 November is still 24 November in UTC.
    let mut east = common::journal();
    east.store
        .save_clinic_zone(ClinicZone::parse("Australia/Sydney").unwrap())
        .unwrap();
    common::ended_session(
        &mut east.store,
        "C-0001",
        Route::IntranasalEsketamine,
        at(2026, 11, 24, 22, 0),
    );
    let due = east
        .store
        .registers()
        .rems_due(at(2026, 11, 26, 0, 0))
        .unwrap();
    assert_eq!(due[0].due.to_string(), "2026-12-02");
}

#[test]
fn an_archive_naming_an_unknown_zone_is_refused_in_a_sentence() {
    let mut journal = common::journal();
    let id = common::ended_session(
        &mut journal.store,
        "C-0001",
        Route::IvInfusion,
        at(2026, 7, 14, 14, 0),
    );
    let mut archive = Vec::new();
    write_session(
        &journal.store,
        id,
        ExportFormat::Json,
        ExportOptions::default(),
        &common::summary_context(),
        &mut archive,
    )
    .unwrap();
    common::assert_archive_matches_schema(&String::from_utf8_lossy(&archive));
    let zone = journal.store.record().session(id).unwrap().zone.unwrap();
    let forged = String::from_utf8(archive).unwrap().replace(
        &format!("\"zone\":\"{zone}\""),
        "\"zone\":\"Mars/Olympus_Mons\"",
    );
    let mut elsewhere = common::journal();
    let error = import_archive(
        &mut elsewhere.store,
        forged.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("not a time zone the journal knows"),
        "{error}"
    );
    assert!(elsewhere.store.record().session_ids().unwrap().is_empty());
}
