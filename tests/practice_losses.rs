//! Nothing recorded is lost between journals, whatever order it was recorded in and whatever the
//! clocks said: a next-day check-in recorded after the one-week one, and an addendum timed before
//! one colleagues already hold (a clock put right), both reach the colleague's copy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, Utc};
use common::pg_server::TestServer;
use common::practice_cli::*;
use kap_journal::domain::{Addendum, CheckInKind, FollowUp, FollowUpId, SessionId};
use kap_journal::store::Store;
use tempfile::TempDir;

/// A therapist's and a nurse's journal sharing their clients, both synced once.
fn two_journals(server: &TestServer) -> (TempDir, TempDir) {
    let _admin = practice(server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(server, "t_one", 21, 10, 1);
    let n1 = demo_journal(server, "n_one", 22, 2, 1);
    share_clients(server, &[(&t1, "t_one"), (&n1, "n_one")]);
    ok(&cli(t1.path(), &["sync"]));
    ok(&cli(n1.path(), &["sync"]));
    (t1, n1)
}

/// The session `uuid` of the journal in `dir` (its own, or its copy).
fn session_of(store: &Store, uuid: uuid::Uuid) -> SessionId {
    store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| store.record().session(*id).unwrap().uuid == uuid)
        .unwrap()
}

#[test]
fn a_next_day_check_in_recorded_after_the_one_week_one_still_goes() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = hand_made_journal(&server, "t_one", "H-0001");
    let n1 = demo_journal(&server, "n_one", 23, 1, 1);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    let owner = server.url(common::pg_server::OWNER);
    ok(&owner_cli(&[
        "practice", "assign", &owner, "H-0001", "n_one",
    ]));
    ok(&cli(n1.path(), &["practice", "link", "H-0001", "H-0001"]));
    ok(&cli(t1.path(), &["sync"]));
    // A session of the therapist's with both check-ins still open (planned as an ended session
    // plans them).
    let (session, next_day, one_week) = open_check_ins(&t1);
    ok(&cli(
        t1.path(),
        &["follow-ups", "record", &one_week, "--phq9", "110000000"],
    ));
    ok(&cli(t1.path(), &["sync"]));
    ok(&cli(
        t1.path(),
        &[
            "follow-ups",
            "record",
            &next_day,
            "--ebi",
            "60,60,60,60,60,60",
        ],
    ));
    let sent: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(sent["pushed"]["check_ins"], 1, "{sent}");

    let uuid = open_store(&t1).record().session(session).unwrap().uuid;
    let kinds: Vec<String> = server
        .superuser()
        .query(
            "SELECT kind FROM kap.check_ins WHERE session_uuid = $1 ORDER BY kind",
            &[&uuid],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(kinds, ["next_day", "one_week"]);
    ok(&cli(n1.path(), &["sync"]));
    let copy = open_store(&n1);
    let recorded = copy
        .registers()
        .follow_ups(session_of(&copy, uuid))
        .unwrap()
        .into_iter()
        .filter(|follow_up| follow_up.done.is_some())
        .count();
    assert_eq!(recorded, 2, "the colleague's copy has both check-ins");
}

#[test]
fn an_addendum_timed_before_one_colleagues_hold_reaches_them_once() {
    let server = TestServer::start();
    let (t1, n1) = two_journals(&server);
    let mut author = open_store(&t1);
    let signed = author
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| author.record().signature(*id).unwrap().is_some())
        .unwrap();
    let uuid = author.record().session(signed).unwrap().uuid;
    let now = Utc::now();
    let write = |store: &mut Store, at, text: &str| {
        let addendum = Addendum::new(&clinician("t_one"), at, "late entry", text).unwrap();
        store.record_mut().add_addendum(signed, &addendum).unwrap();
    };
    write(&mut author, now, "Called the next day (synthetic).");
    drop(author);
    ok(&cli(t1.path(), &["sync"]));
    ok(&cli(n1.path(), &["sync"]));
    // The clock was an hour fast: the next addendum is timed before the one colleagues hold.
    let mut author = open_store(&t1);
    write(
        &mut author,
        now - Duration::hours(1),
        "Wrote after the clock was put right (synthetic).",
    );
    let expected = author.record().addenda(signed).unwrap();
    drop(author);
    let sent: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(sent["pushed"]["addenda"], 1, "{sent}");
    let received: serde_json::Value =
        serde_json::from_str(&ok(&cli(n1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(received["pulled"]["addenda"], 1, "{received}");
    let copy = open_store(&n1);
    assert_eq!(
        copy.record().addenda(session_of(&copy, uuid)).unwrap(),
        expected,
        "the copy holds each addendum once, in its author's order"
    );
}

/// Plans both check-ins of one of the journal's ended sessions that has none, open: the session
/// and the two check-ins' numbers (next day, one week).
fn open_check_ins(dir: &TempDir) -> (SessionId, String, String) {
    let mut store = open_store(dir);
    let session = store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| {
            store.record().session(*id).unwrap().ended_at.is_some()
                && store.registers().follow_ups(*id).unwrap().is_empty()
        })
        .expect("an ended session without check-ins");
    let day = Utc::now().date_naive();
    let planned = |kind| FollowUp {
        id: FollowUpId(0),
        session_id: session,
        kind,
        due: day,
        done: None,
    };
    store
        .registers_mut()
        .insert_follow_ups(&[planned(CheckInKind::NextDay), planned(CheckInKind::OneWeek)])
        .unwrap();
    let ids = store.registers().follow_ups(session).unwrap();
    let id_of = |kind| {
        ids.iter()
            .find(|follow_up| follow_up.kind == kind)
            .unwrap()
            .id
            .0
            .to_string()
    };
    (
        session,
        id_of(CheckInKind::NextDay),
        id_of(CheckInKind::OneWeek),
    )
}

fn open_store(dir: &TempDir) -> Store {
    open(dir.path())
}

#[test]
fn a_journal_that_joined_before_rows_were_sealed_gets_a_key_to_seal_them() {
    // A member journal that never signed: no key of its own (joining now makes one; before
    // December 2026 it did not).
    let journal = common::journal();
    let dir = journal.dir;
    drop(journal.store);
    common::rewind_schema(dir.path(), 24);
    let membership = serde_json::json!({
        "url": "postgres://t_one@db.example/practice",
        "login": "t_one",
        "password": "synthetic password",
        "name": "Dr. t_one (synthetic)",
        "role": "therapist",
        "joined_at": "2026-11-20T10:00:00Z"
    });
    let conn = kap_journal::store::connect_raw(dir.path(), &common::passphrase()).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('practice', ?1)",
        [membership.to_string()],
    )
    .unwrap();
    let keys: i64 = conn
        .query_row("SELECT count(*) FROM signing_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!(keys, 0);
    drop(conn);
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(store.sharing().own_signing_keys().unwrap().len(), 1);
    assert!(store.record().practice_row_key().unwrap().is_some());
}
