//! The forms to submit: listed with their due dates until marked, on the command line and the home screen.

use super::*;

fn clock_now(clock: &kap_journal::live::ManualClock) -> chrono::DateTime<chrono::Utc> {
    kap_journal::live::Clock::wall(clock)
}

#[test]
fn the_forms_to_submit_are_listed_with_their_due_dates_until_marked() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let id = record.session.id;
    let treated = record.session.started_at;
    let due = record.session.zone.unwrap().date(treated) + chrono::Days::new(7);
    let store = &mut journal.store;

    let listed = store
        .registers()
        .rems_due(treated + chrono::TimeDelta::days(3))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].session_id, listed[0].due, listed[0].overdue),
        (id, due, false)
    );
    let late = store
        .registers()
        .rems_due(treated + chrono::TimeDelta::days(8))
        .unwrap();
    assert!(late[0].overdue, "past its seventh day");

    assert!(matches!(
        store
            .registers_mut()
            .mark_rems_submitted(kap_journal::domain::SessionId(999), treated),
        Err(kap_journal::store::StoreError::NoSuchSession(999))
    ));
    // A session that is there but is no esketamine session has no form.
    let other = common::client(store, "C-0999");
    let infusion = store
        .record_mut()
        .start_session(
            &common::new_session(&other, kap_journal::domain::TreatmentModel::Kap),
            treated,
        )
        .unwrap();
    assert!(matches!(
        store
            .registers_mut()
            .mark_rems_submitted(infusion.id, treated),
        Err(kap_journal::store::StoreError::RemsNotDue)
    ));
    store
        .registers_mut()
        .mark_rems_submitted(id, treated + chrono::TimeDelta::days(2))
        .unwrap();
    assert!(
        store
            .registers()
            .rems_due(treated + chrono::TimeDelta::days(8))
            .unwrap()
            .is_empty()
    );
    let again = store
        .registers_mut()
        .mark_rems_submitted(id, treated)
        .unwrap_err();
    common::assert_one_sentence(&again.to_string(), "already marked submitted");

    // A mark made in error is withdrawn by a later mark, with why; the form is due again, and can
    // be marked again once it really was submitted.
    let later = treated + chrono::TimeDelta::days(3);
    assert!(matches!(
        store
            .registers_mut()
            .withdraw_rems_submission(id, later, "  "),
        Err(kap_journal::store::StoreError::RemsWithdrawalReason)
    ));
    store
        .registers_mut()
        .withdraw_rems_submission(id, later, "marked in error: not yet sent")
        .unwrap();
    assert_eq!(
        store.registers().rems_due(later).unwrap().len(),
        1,
        "due again"
    );
    assert!(matches!(
        store
            .registers_mut()
            .withdraw_rems_submission(id, later, "twice"),
        Err(kap_journal::store::StoreError::RemsNotSubmitted)
    ));
    store
        .registers_mut()
        .mark_rems_submitted(id, later)
        .unwrap();
    assert!(store.registers().rems_due(later).unwrap().is_empty());

    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    every_mark_is_kept_in_order_and_audited(&dir);
}

/// The marks of the session `dir`'s journal holds: a mark, its withdrawal and the mark again, in
/// order and audited, none deleted or changed.
fn every_mark_is_kept_in_order_and_audited(dir: &std::path::Path) {
    let raw = kap_journal::store::connect_raw(dir, &common::passphrase()).unwrap();
    let marks: Vec<(i64, String)> = raw
        .prepare("SELECT submitted, reason FROM rems_marks ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        marks,
        [
            (1, String::new()),
            (0, "marked in error: not yet sent".to_owned()),
            (1, String::new())
        ],
        "every mark kept, in order"
    );
    let audited: i64 = raw
        .query_row(
            "SELECT count(*) FROM audit_log WHERE subject LIKE '% REMS mark %'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(audited, 3, "each mark is in the audit log");
    assert!(raw.execute("DELETE FROM rems_marks", []).is_err());
    assert!(
        raw.execute("UPDATE rems_marks SET submitted = 0", [])
            .is_err()
    );
}

#[test]
fn submissions_marked_before_the_log_of_marks_stay_submitted() {
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let dir = journal.dir;
    drop(journal.store);
    common::rewind_schema(dir.path(), 19);
    let raw = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    raw.execute(
        "INSERT INTO rems_submissions (session_id, submitted_ms, recorded_by) VALUES (?1, 0, 'R. Example')",
        [record.session.id.0],
    )
    .unwrap();
    drop(raw);
    let mut store = kap_journal::store::Store::open(dir.path(), &common::passphrase()).unwrap();
    let later = record.session.started_at + chrono::TimeDelta::days(9);
    assert!(store.registers().rems_due(later).unwrap().is_empty());
    store
        .registers_mut()
        .withdraw_rems_submission(record.session.id, later, "marked in error")
        .unwrap();
    assert_eq!(store.registers().rems_due(later).unwrap().len(), 1);
}

#[test]
fn the_home_screen_lists_an_overdue_form_and_marks_it_submitted() {
    use egui_kittest::kittest::Queryable;
    let mut journal = common::journal();
    let record = esketamine_session(&mut journal, Some("ESK-1"), 125);
    let dir = journal.dir;
    drop(journal.store);
    let clock = std::sync::Arc::new(kap_journal::live::ManualClock::new(
        record.session.started_at + chrono::TimeDelta::days(9),
    ));
    let mut harness = common::ui::app(dir.path(), &clock);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit: 1 (1 overdue)")
            .is_some()
    );
    assert!(harness.query_by_label_contains("· OVERDUE").is_some());
    // One click asks first, inline; nothing is marked until it is confirmed.
    common::ui::click(&mut harness, "Mark submitted");
    assert!(harness.query_by_label("Submitted to the REMS?").is_some());
    let due = |dir: &std::path::Path| {
        kap_journal::store::Store::open_for_reading(dir, &common::passphrase())
            .unwrap()
            .registers()
            .rems_due(clock_now(&clock))
            .unwrap()
            .len()
    };
    assert_eq!(due(dir.path()), 1, "not marked before it is confirmed");
    common::ui::click(&mut harness, "Yes, mark submitted");
    assert!(
        harness
            .query_by_label_contains("REMS form marked submitted.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit")
            .is_none()
    );
    assert_eq!(due(dir.path()), 0);

    // A mark made in error is taken back, and the form is listed again.
    common::ui::click(&mut harness, "Marked in error: withdraw");
    harness.run();
    assert_eq!(due(dir.path()), 1);
    assert!(
        harness
            .query_by_label_contains("REMS monitoring forms to submit: 1")
            .is_some()
    );
}
