//! Every session stays small enough to hold in memory whole, so imports and exports, which hold one
//! session at a time, keep flat memory however large the journal or the archive: a session keeps
//! at most 10,000 entries (the last two places kept for its end) and takes at most 32 MiB of an
//! archive. What passes a bound is refused in a sentence as it is read, before memory grows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use kap_journal::domain::{EventKind, MAX_SESSION_ENTRIES, Seq, TreatmentModel};
use kap_journal::export::{ImportError, MAX_SESSION_BYTES, OnExisting, import_archive};
use kap_journal::store::{NewEvent, StoreError};
use serde_json::json;

/// The fixture's live session alone, with `entries` notes each saying `text`.
fn archive_with_a_session_of(entries: usize, text: &str) -> String {
    let mut archive: serde_json::Value = serde_json::from_str(common::FIXTURE).unwrap();
    let mut session = archive["sessions"][1].clone();
    assert_eq!(session["status"], "live");
    let started: DateTime<Utc> = session["started_at"].as_str().unwrap().parse().unwrap();
    session["events"] = (1..=entries)
        .map(|n| {
            let seconds = i64::try_from(n).unwrap();
            json!({
                "seq": n,
                "wall_time": (started + TimeDelta::seconds(seconds))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "elapsed_ms": seconds * 1000,
                "entry": {"kind": "note", "text": text},
            })
        })
        .collect();
    archive["sessions"] = json!([session]);
    serde_json::to_string(&archive).unwrap()
}

fn import(archive: &str) -> (Result<usize, ImportError>, usize) {
    let mut journal = common::journal();
    let result = import_archive(
        &mut journal.store,
        archive.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .map(|report| report.events);
    let sessions = journal.store.record().session_ids().unwrap().len();
    (result, sessions)
}

#[test]
fn a_session_of_more_entries_than_one_keeps_is_refused_as_it_is_read() {
    let (imported, sessions) = import(&archive_with_a_session_of(MAX_SESSION_ENTRIES, "Calm."));
    assert_eq!(imported.unwrap(), MAX_SESSION_ENTRIES);
    assert_eq!(sessions, 1);

    let (refused, sessions) = import(&archive_with_a_session_of(MAX_SESSION_ENTRIES + 1, "Calm."));
    let said = refused.unwrap_err().to_string();
    common::assert_one_sentence(
        &said,
        "more than 10,000 entries, the most one session keeps",
    );
    assert!(said.contains("nothing was imported"), "{said}");
    assert_eq!(sessions, 0);
}

#[test]
fn a_session_that_takes_more_of_the_archive_than_its_share_is_refused() {
    // Nine notes just under the 4 MiB a text may hold: each allowed, together past 32 MiB.
    let note = "x".repeat(kap_journal::export::MAX_TEXT_BYTES - 16);
    let archive = archive_with_a_session_of(9, &note);
    assert!(archive.len() as u64 > MAX_SESSION_BYTES);
    let (refused, sessions) = import(&archive);
    let said = refused.unwrap_err().to_string();
    common::assert_one_sentence(&said, "more than 32 MiB of the archive");
    assert!(said.contains("Session 1"), "{said}");
    assert_eq!(sessions, 0);
    // Seven of them are within the share.
    let (imported, _) = import(&archive_with_a_session_of(7, &note));
    assert_eq!(imported.unwrap(), 7);
}

#[test]
fn a_live_session_stops_taking_entries_at_the_bound_and_still_ends() {
    let mut journal = common::journal_with_fixture();
    let live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    let store = &mut journal.store;
    let held = store.record().events(id).unwrap().len();
    let started = live.session().started_at;
    let note = |n: usize| NewEvent {
        wall_time: started + TimeDelta::milliseconds(i64::try_from(n).unwrap()),
        elapsed_ms: i64::try_from(n).unwrap(),
        kind: EventKind::Note {
            text: format!("Synthetic note {n}."),
        },
    };
    let room = MAX_SESSION_ENTRIES - 2 - held;
    let batch: Vec<NewEvent> = (held + 1..=held + room).map(note).collect();
    let next = |n: usize| Seq(u32::try_from(n + 1).unwrap());
    store
        .record_mut()
        .append_events(id, next(held), &batch)
        .unwrap();

    let refused = store
        .record_mut()
        .append_events(
            id,
            next(MAX_SESSION_ENTRIES - 2),
            &[note(MAX_SESSION_ENTRIES)],
        )
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::SessionFull { most: 10_000 }),
        "{refused:?}"
    );
    common::assert_one_sentence(
        &refused.to_string().replace(". End", "; end"),
        "the most one session keeps",
    );
    assert!(refused.to_string().contains("stays on screen"));

    // The places kept for the end take a stop and the end.
    let end = NewEvent {
        wall_time: started + TimeDelta::hours(3),
        elapsed_ms: 3 * 3_600_000,
        kind: EventKind::SessionEnded {
            note: String::new(),
            discharge: None,
        },
    };
    store
        .end_session(id, next(MAX_SESSION_ENTRIES - 2), &[end])
        .unwrap();
    assert_eq!(
        store.record().events(id).unwrap().len(),
        MAX_SESSION_ENTRIES - 1
    );
}
