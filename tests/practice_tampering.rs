//! Every row a journal pushes proves its author, so a row changed on the server outside the
//! signature is found on pull and not copied: an unsigned session's planned dose, an entry of its
//! timeline, an addendum, a check-in, and a session whose seal was removed. Each is named, kept
//! out, and put on the practice's problem list; the rest is copied (the signature's own seal is
//! tried in tests/practice/).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pg_server::{OWNER, TestServer};
use common::practice_cli::*;

/// Changes rows on the server past its triggers, as someone with the server's keys; the sessions
/// changed, each with the reason a pull should give.
fn tamper(server: &TestServer) -> Vec<(uuid::Uuid, &'static str)> {
    let mut superuser = server.superuser();
    superuser
        .batch_execute(
            "ALTER TABLE kap.sessions DISABLE TRIGGER sessions_append_only;
             ALTER TABLE kap.entries DISABLE TRIGGER entries_append_only;
             ALTER TABLE kap.addenda DISABLE TRIGGER addenda_append_only;
             ALTER TABLE kap.check_ins DISABLE TRIGGER check_ins_append_only;",
        )
        .unwrap();
    let unsigned: Vec<uuid::Uuid> = superuser
        .query(
            "SELECT s.uuid FROM kap.sessions s
             WHERE NOT EXISTS (SELECT 1 FROM kap.signatures g WHERE g.session_uuid = s.uuid)
             ORDER BY s.started_at LIMIT 3",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(unsigned.len(), 3, "the demo has unsigned sessions");
    // The planned dose of an unsigned session made ten times larger.
    superuser
        .execute(
            "UPDATE kap.sessions SET planned_dose = jsonb_set(planned_dose, '{amount}',
                 to_jsonb((planned_dose->>'amount')::float8 * 10)) WHERE uuid = $1",
            &[&unsigned[0]],
        )
        .unwrap();
    // One entry's time moved by a minute.
    superuser
        .execute(
            "UPDATE kap.entries SET elapsed_ms = elapsed_ms + 60000
             WHERE session_uuid = $1 AND seq = 2",
            &[&unsigned[1]],
        )
        .unwrap();
    // A seal removed altogether.
    superuser
        .execute(
            "UPDATE kap.sessions SET seal = NULL, seal_key = NULL WHERE uuid = $1",
            &[&unsigned[2]],
        )
        .unwrap();
    // A check-in's note rewritten.
    let checked: uuid::Uuid = superuser
        .query_one(
            "SELECT session_uuid FROM kap.check_ins WHERE session_uuid <> ALL($1)
             ORDER BY session_uuid LIMIT 1",
            &[&unsigned],
        )
        .unwrap()
        .get(0);
    superuser
        .execute(
            "UPDATE kap.check_ins SET done = jsonb_set(done, '{note}', '\"written by someone else\"')
             WHERE session_uuid = $1",
            &[&checked],
        )
        .unwrap();
    let mut changed = vec![
        (unsigned[0], "row_changed"),
        (unsigned[1], "row_changed"),
        (unsigned[2], "unsealed"),
        (checked, "row_changed"),
    ];
    // An addendum's words changed.
    let addendum: uuid::Uuid = superuser
        .query_one(
            "SELECT session_uuid FROM kap.addenda WHERE session_uuid <> ALL($1)
             ORDER BY session_uuid LIMIT 1",
            &[&changed.iter().map(|(uuid, _)| *uuid).collect::<Vec<_>>()],
        )
        .unwrap()
        .get(0);
    superuser
        .execute(
            "UPDATE kap.addenda SET text = text || ' (changed)' WHERE session_uuid = $1",
            &[&addendum],
        )
        .unwrap();
    changed.push((addendum, "row_changed"));
    changed.sort();
    changed
}

#[test]
fn a_row_of_any_kind_changed_on_the_server_is_found_on_pull_and_kept_out() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 41, 30, 1);
    let n1 = demo_journal(&server, "n_one", 42, 1, 1);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    // Two signed sessions with an addendum each (one to change on the server, one to stay).
    let mut store = open(t1.path());
    let signed: Vec<kap_journal::domain::SessionId> = store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .filter(|id| store.record().signature(*id).unwrap().is_some())
        .take(2)
        .collect();
    for id in signed {
        let addendum = kap_journal::domain::Addendum::new(
            &clinician("t_one"),
            chrono::Utc::now(),
            "late entry",
            "Called the next day (synthetic).",
        )
        .unwrap();
        store.record_mut().add_addendum(id, &addendum).unwrap();
    }
    drop(store);
    ok(&cli(t1.path(), &["sync"]));
    let changed = tamper(&server);

    let output = cli(n1.path(), &["sync", "--json"]);
    assert!(
        !output.status.success(),
        "a refused copy fails the sync that first meets it"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut refused: Vec<(uuid::Uuid, String)> = report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["uuid"].as_str().unwrap().parse().unwrap(),
                row["why"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    refused.sort();
    let expected: Vec<(uuid::Uuid, String)> = changed
        .iter()
        .map(|(uuid, why)| (*uuid, (*why).to_owned()))
        .collect();
    assert_eq!(refused, expected);
    let held = open(n1.path()).sharing().practice_copies_held().unwrap();
    assert!(changed.iter().all(|(uuid, _)| !held.contains_key(uuid)));
    assert_eq!(
        held.len() + changed.len(),
        server_sessions(&server, Some("t_one")).len(),
        "everything else was copied"
    );
    let listed: serde_json::Value = serde_json::from_str(&ok(&owner_cli(&[
        "practice",
        "problems",
        &server.url(OWNER),
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        listed["refused_sessions"].as_array().unwrap().len(),
        changed.len()
    );
}

#[test]
fn a_key_a_colleague_proves_after_this_journal_knows_theirs_is_an_alarm() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 43, 4, 1);
    let n1 = demo_journal(&server, "n_one", 44, 1, 1);
    share_clients(&server, &[(&t1, "t_one"), (&n1, "n_one")]);
    ok(&cli(t1.path(), &["sync"]));
    ok(&cli(n1.path(), &["sync"]));
    let known = copied_uuids(n1.path());
    assert!(!known.is_empty());
    // Someone syncs as t_one from another journal (a reset password, or a new computer): its key
    // is proved, but this journal pinned t_one's keys when it first met them.
    let elsewhere = demo_journal(&server, "t_one", 45, 3, 1);
    ok(&cli(
        elsewhere.path(),
        &["practice", "link", "D-0001", "D-0001"],
    ));
    ok(&cli(elsewhere.path(), &["sync"]));
    let report: serde_json::Value =
        serde_json::from_slice(&cli(n1.path(), &["sync", "--json"]).stdout).unwrap();
    let refused = report["refused"].as_array().unwrap();
    assert!(!refused.is_empty(), "{report}");
    assert!(
        refused.iter().all(|row| row["why"] == "new_key"),
        "{report}"
    );
    assert_eq!(
        copied_uuids(n1.path()),
        known,
        "nothing sealed by the new key was copied"
    );
    assert!(
        refused[0]["uuid"].is_string() && report.to_string().contains("new_key"),
        "{report}"
    );

    // The clinician lists t_one's keys: the one pinned, and the new one.
    let listed: serde_json::Value = serde_json::from_str(&ok(&cli(
        n1.path(),
        &["practice", "trust", "t_one", "--json"],
    )))
    .unwrap();
    let standings: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["standing"].as_str().unwrap())
        .collect();
    assert_eq!(
        standings.iter().filter(|s| **s == "new").count(),
        1,
        "{listed}"
    );
    assert_eq!(
        standings.iter().filter(|s| **s == "trusted").count(),
        1,
        "{listed}"
    );
    // t_one reads their new computer's fingerprint from `kap-journal practice` there.
    let standing = ok(&cli(elsewhere.path(), &["practice"]));
    let fingerprint = standing
        .lines()
        .find_map(|line| line.strip_prefix("key"))
        .unwrap()
        .trim()
        .to_owned();
    let new_key = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["standing"] == "new")
        .unwrap();
    assert_eq!(new_key["fingerprint"], fingerprint.as_str());
    // A fingerprint misread by one digit trusts nothing.
    let mut misread = fingerprint.clone();
    let last = if misread.ends_with('0') { "1" } else { "0" };
    misread.replace_range(misread.len() - 1.., last);
    let refused = cli(n1.path(), &["practice", "trust", "t_one", &misread]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("no key proved by t_one"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // The right one, typed without its spaces, is trusted, audited, and the next sync copies what
    // the new computer sealed.
    let said = ok(&cli(
        n1.path(),
        &["practice", "trust", "t_one", &fingerprint.replace(' ', "")],
    ));
    assert!(said.contains("is trusted from now on"), "{said}");
    let synced = cli(n1.path(), &["sync", "--json"]);
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let mut expected = known.clone();
    expected.extend(own_uuids(elsewhere.path()));
    expected.sort();
    assert_eq!(copied_uuids(n1.path()), expected);
    let checked = cli(n1.path(), &["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}

/// An entry put on the server by hand, under a session a journal has yet to push, does not stop the
/// push (its entries go as plain inserts, and again with the conflict check when one is there);
/// the session then fails its seal at every reader.
#[test]
fn an_entry_left_on_the_server_before_its_session_was_pushed_does_not_stop_the_push() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist"), ("n_one", "nurse")]);
    let t1 = demo_journal(&server, "t_one", 53, 4, 1);
    share_clients(&server, &[(&t1, "t_one")]);
    let uuids = own_uuids(t1.path());
    let planted: uuid::Uuid = uuids[0].parse().unwrap();
    server
        .superuser()
        .execute(
            "INSERT INTO kap.entries (session_uuid, seq, wall_time, elapsed_ms, kind, payload)
             VALUES ($1, 1, now(), 0, 'note', '{\"kind\":\"note\",\"text\":\"planted\"}')",
            &[&planted],
        )
        .unwrap();
    ok(&cli(t1.path(), &["sync"]));
    assert_eq!(server_sessions(&server, Some("t_one")), uuids);
    let entries: i64 = server
        .superuser()
        .query_one("SELECT count(*) FROM kap.entries", &[])
        .unwrap()
        .get(0);
    let recorded: i64 = open(t1.path())
        .record()
        .session_summaries(&kap_journal::store::SessionFilter {
            own_only: true,
            ..kap_journal::store::SessionFilter::default()
        })
        .unwrap()
        .iter()
        .map(|row| i64::from(row.events))
        .sum();
    assert_eq!(
        entries, recorded,
        "every entry once, the planted one in its place"
    );
    // A reader copies the rest and refuses the session with the planted entry.
    ok(&owner_cli(&[
        "practice",
        "assign",
        &server.url(OWNER),
        "D-0001",
        "n_one",
    ]));
    let n1 = tempfile::tempdir().unwrap();
    ok(&cli(
        n1.path(),
        &["practice", "connect", &server.url("n_one")],
    ));
    ok(&cli(n1.path(), &["practice", "link", "D-0001", "D-0001"]));
    let report: serde_json::Value =
        serde_json::from_slice(&cli(n1.path(), &["sync", "--json"]).stdout).unwrap();
    assert_eq!(report["refused"][0]["uuid"], uuids[0].as_str(), "{report}");
    assert_eq!(copied_uuids(n1.path()).len(), uuids.len() - 1);
}
