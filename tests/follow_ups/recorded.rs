//! Check-ins recorded from the command line and the session list, and carried in the archive.

use super::*;

#[test]
fn the_command_line_lists_check_ins_due_and_records_one() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "F-0300");
    let id = session(&mut journal, &client, TreatmentModel::Kap, [1; 9], None);
    let next = journal.store.registers().follow_ups(id).unwrap()[0].id;
    let dir = journal.dir.path().to_owned();
    drop(journal.store);
    // The session ended in 2026-11: both of its check-ins are overdue now.
    let listed = common::kap_journal(&dir, &["follow-ups"]);
    let said = String::from_utf8_lossy(&listed.stdout);
    assert!(
        said.contains("F-0300") && said.contains("Next-day check-in (EBI)"),
        "{said}"
    );
    assert!(said.contains("OVERDUE"), "{said}");
    let refused = common::kap_journal(
        &dir,
        &[
            "follow-ups",
            "record",
            &next.0.to_string(),
            "--ebi",
            "1,2,3",
        ],
    );
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(
        error.contains("The EBI is six ratings from 0 to 100"),
        "{error}"
    );
    let recorded = common::kap_journal(
        &dir,
        &[
            "follow-ups",
            "record",
            &next.0.to_string(),
            "--ebi",
            "70,60,80,50,40,60",
            "--note",
            "slept well",
        ],
    );
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    assert!(String::from_utf8_lossy(&recorded.stdout).contains("EBI 60 of 100 · slept well"));
    let json = common::kap_journal(&dir, &["follow-ups", "--json"]);
    let due: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        due.as_array().unwrap().len(),
        1,
        "only the one-week check-in is left"
    );
    assert_eq!(due[0]["follow_up"]["kind"], "one_week");
}

#[test]
fn check_ins_travel_in_the_archive_and_a_repeated_one_is_refused() {
    use kap_journal::export::{
        ExportFormat, ExportOptions, OnExisting, import_archive, write_session,
    };
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "F-0400");
    let id = session(&mut journal, &client, TreatmentModel::Kap, [1; 9], None);
    let next = journal.store.registers().follow_ups(id).unwrap()[0].id;
    let at = journal.clock.wall() + TimeDelta::hours(20);
    journal
        .store
        .registers_mut()
        .record_check_in(next, &check_in(at, Some("10 20 30 40 50 60"), None))
        .unwrap();
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

    let mut other = common::journal();
    import_archive(
        &mut other.store,
        archive.as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    let imported = other.store.record().session_ids().unwrap()[0];
    let moved = other.store.registers().follow_ups(imported).unwrap();
    let original = journal.store.registers().follow_ups(id).unwrap();
    assert_eq!(moved.len(), 2);
    for (moved, original) in moved.iter().zip(&original) {
        assert_eq!(
            (moved.kind, moved.due, &moved.done),
            (original.kind, original.due, &original.done)
        );
    }

    // The same archive with the next-day check-in twice changes nothing.
    let text = String::from_utf8(archive).unwrap();
    let twice = text.replacen("\"kind\":\"one_week\"", "\"kind\":\"next_day\"", 1);
    assert_ne!(twice, text);
    let mut third = common::journal();
    let error = import_archive(
        &mut third.store,
        twice.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("repeats the Next-day check-in (EBI)"),
        "{error}"
    );
    assert!(third.store.record().session_ids().unwrap().is_empty());
}

#[test]
fn a_check_in_due_is_recorded_from_the_session_list() {
    use common::ui::{app, click, end_with_discharge, start_session, type_into};
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(kap_journal::live::ManualClock::new(Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    end_with_discharge(&mut harness);
    drop(harness);
    // Two days on (a window left that long would have locked), the journal is opened again.
    clock.set_wall(Utc::now() + TimeDelta::days(2));
    let mut harness = app(dir.path(), &clock);
    harness
        .get_by_label_contains("Integration check-ins due: 1 (1 overdue)")
        .click();
    harness.run();
    click(&mut harness, "Record check-in");
    type_into(&mut harness, "EBI ratings", "70 60 80");
    click(&mut harness, "Save check-in");
    harness.get_by_label("The EBI is six ratings from 0 to 100, e.g. \"70 40 80 60 50 65\".");
    type_into(&mut harness, "EBI ratings", " 50 40 60");
    type_into(&mut harness, "Check-in note", "slept well");
    click(&mut harness, "Save check-in");
    harness.get_by_label("Check-in recorded.");
    drop(harness);

    let store =
        kap_journal::store::Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let id = store.record().session_ids().unwrap()[0];
    let done = store.registers().follow_ups(id).unwrap()[0]
        .done
        .clone()
        .unwrap();
    assert_eq!(done.ebi.unwrap().ratings(), [70, 60, 80, 50, 40, 60]);
    assert_eq!(done.note, "slept well");
}
