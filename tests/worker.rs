//! The journal worker is the one writer: writes land in the order they were sent, an entry is
//! pending until the worker's answer says it is committed, a failing disk takes back the refused
//! entries and every one after them (nothing half-written, no gap), the draft is cleared in the same
//! transaction as the entry it became, and stopping the worker writes everything already sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::notes;
use egui::Key;
use egui_kittest::kittest::Queryable;
use kap_journal::changes::{AppendEvents, SaveDraft, SimulateFullDisk};
use kap_journal::domain::Event;
use kap_journal::domain::{SessionId, TreatmentModel};
use kap_journal::live::{LiveCommand, LiveSession, Prepared};
use kap_journal::store::{Store, StoreError};
use kap_journal::worker::{Journal, Pending};

/// A note's entries, sent to the worker; `clear_draft` as when the note field became it.
fn send_note(
    journal: &Journal,
    live: &mut LiveSession,
    text: &str,
    clear_draft: bool,
) -> Pending<Vec<Event>> {
    let Prepared {
        session,
        expected_next,
        events,
    } = live.prepare(LiveCommand::Note(text.to_owned())).unwrap();
    journal.send(AppendEvents {
        session,
        expected_next,
        events,
        clear_draft,
    })
}

/// The window on a new journal in `dir`, its worker holding every commit up by `delay`.
fn slowed_window(
    dir: &std::path::Path,
    delay: Duration,
) -> egui_kittest::Harness<'static, kap_journal::ui::KapJournalApp> {
    let clock = std::sync::Arc::new(kap_journal::live::ManualClock::new(chrono::Utc::now()));
    let store = Store::open(dir, &common::passphrase());
    let app_clock: std::sync::Arc<dyn kap_journal::live::Clock> = clock;
    common::ui::harness().build_eframe(move |cc| {
        kap_journal::ui::KapJournalApp::new(cc, store, app_clock)
            .automatic_backups(false)
            .alert_sound(false)
            .slowed_writes(delay)
    })
}

fn no_wake() -> kap_journal::worker::Wake {
    Box::new(|| {})
}

/// A live session in a new journal, its writer handed to a worker slowed by `delay`.
fn worker_journal(delay: Duration) -> (common::Journal, Journal, LiveSession) {
    let mut journal = common::journal();
    let live = common::live_session(&mut journal, TreatmentModel::Kap);
    let store = journal.store.reader().unwrap();
    let writer = std::mem::replace(&mut journal.store, store);
    let worker = Journal::open_slowed(writer, no_wake(), delay).unwrap();
    (journal, worker, live)
}

#[test]
fn writes_land_in_the_order_they_were_sent() {
    let (_journal, worker, mut live) = worker_journal(Duration::ZERO);
    let id = live.session().id;
    let texts: Vec<String> = (0..200).map(|n| format!("note {n}")).collect();
    let answers: Vec<Pending<Vec<Event>>> = texts
        .iter()
        .map(|text| send_note(&worker, &mut live, text, false))
        .collect();
    assert_eq!(live.pending().len(), 200, "every note shows at once");
    let mut last_order = 0;
    for answer in answers {
        let ack = answer.wait();
        assert!(ack.order > last_order, "answers come in the order sent");
        last_order = ack.order;
        let Ok(committed) = ack.result else {
            panic!("{:?}", ack.result)
        };
        live.confirm(committed);
    }
    assert!(live.pending().is_empty());
    assert_eq!(notes(worker.read(), id), texts);
}

#[test]
fn an_entry_is_pending_until_its_commit_is_answered() {
    let (_journal, worker, mut live) = worker_journal(Duration::from_millis(300));
    let id = live.session().id;
    let answer = send_note(&worker, &mut live, "Client breathes slowly.", false);
    let seq = live.pending()[0].seq;
    assert!(!live.is_saved(seq), "shown as pending, not saved");
    assert!(
        answer.poll().is_none(),
        "the slowed commit has not answered yet"
    );
    assert!(
        notes(worker.read(), id).is_empty(),
        "and is not on disk yet"
    );
    let ack = answer.wait();
    let Ok(committed) = ack.result else {
        panic!("{:?}", ack.result)
    };
    live.confirm(committed);
    assert!(live.is_saved(seq));
    assert_eq!(notes(worker.read(), id), ["Client breathes slowly."]);
}

#[test]
fn a_failing_disk_takes_back_the_refused_entries_and_every_one_after_them() {
    let (_journal, worker, mut live) = worker_journal(Duration::ZERO);
    let id = live.session().id;
    let first = send_note(&worker, &mut live, "before", true);
    let Ok(committed) = first.wait().result else {
        panic!("the first note was refused")
    };
    live.confirm(committed);
    worker.write(SimulateFullDisk(true)).unwrap();
    let long = "Long reflection, written out in full. ".repeat(400);
    let refused = send_note(&worker, &mut live, &long, true);
    let after = send_note(&worker, &mut live, "after", true);
    assert_eq!(live.pending().len(), 2);
    assert!(matches!(refused.wait().result, Err(StoreError::DiskFull)));
    assert!(
        after.wait().result.is_err(),
        "the entry after a refused one is refused too, so the sequence has no gap"
    );
    let taken = live.refuse();
    assert_eq!(taken.len(), 2, "both come back off the timeline");
    assert!(live.pending().is_empty());
    worker.write(SimulateFullDisk(false)).unwrap();
    let again = send_note(&worker, &mut live, &long, true);
    let Ok(committed) = again.wait().result else {
        panic!("the note was refused once there was room")
    };
    live.confirm(committed);
    assert_eq!(notes(worker.read(), id), ["before".to_owned(), long]);
    assert!(worker.read().integrity_problems().unwrap().is_empty());
}

#[test]
fn the_draft_is_cleared_in_the_same_transaction_as_the_entry_it_became() {
    let (_journal, worker, mut live) = worker_journal(Duration::ZERO);
    let id = live.session().id;
    let long = "Half a thought about the ocean, typed out at length. ".repeat(300);
    worker
        .write(SaveDraft {
            session: id,
            text: long.clone(),
            at: chrono::Utc::now(),
        })
        .unwrap();
    // The disk fills before Enter: the entry is refused, and the draft it came from stays.
    worker.write(SimulateFullDisk(true)).unwrap();
    assert!(
        send_note(&worker, &mut live, &long, true)
            .wait()
            .result
            .is_err()
    );
    live.refuse();
    assert_eq!(
        worker.read().record().draft(id).unwrap().unwrap().text,
        long
    );
    assert!(notes(worker.read(), id).is_empty());
    // With room again, the entry lands and the draft is gone with it.
    worker.write(SimulateFullDisk(false)).unwrap();
    let ack = send_note(&worker, &mut live, &long, true).wait();
    assert!(ack.result.is_ok());
    assert!(worker.read().record().draft(id).unwrap().is_none());
    assert_eq!(notes(worker.read(), id), [long]);
}

#[test]
fn stopping_the_worker_writes_everything_already_sent() {
    let (journal, worker, mut live) = worker_journal(Duration::from_millis(5));
    let id = live.session().id;
    let texts: Vec<String> = (0..60).map(|n| format!("in flight {n}")).collect();
    for text in &texts {
        drop(send_note(&worker, &mut live, text, false));
    }
    // Closed at once, with most of the 60 still queued behind the slowed commits.
    let store = worker.close().unwrap();
    drop(store);
    drop(journal.store);
    let reopened = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    assert_eq!(notes(&reopened, id), texts);
}

#[test]
fn the_window_shows_an_entry_as_saving_until_the_slow_disk_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = slowed_window(dir.path(), Duration::from_millis(400));
    common::ui::start_session(&mut harness, "KAP");
    // Starting waits for the slowed commit too, and the frame does not.
    common::ui::step_until(&mut harness, "the live session", |harness| {
        harness.query_by_label("All entries saved").is_some()
    });
    harness.run();
    common::ui::field(&harness, "Note").click();
    harness.run();
    common::ui::field(&harness, "Note").type_text("Client smiles at the music.");
    harness.run();
    harness.key_press(Key::Enter);
    harness.step();
    // At once: the field is free for the next words, and the entry is on the timeline as saving.
    assert_eq!(
        common::ui::field(&harness, "Note").value().as_deref(),
        Some("")
    );
    harness.get_by_label_contains("Client smiles at the music.");
    harness.get_by_label("saving…");
    harness.get_by_label_contains("Saving 1 entry");
    common::ui::step_until(&mut harness, "the slowed commit", |harness| {
        harness.query_by_label("All entries saved").is_some()
    });
    assert!(harness.query_by_label("saving…").is_none());
    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(
        notes(&reader, SessionId(1)),
        ["Client smiles at the music."]
    );
}

#[test]
fn a_progress_note_typed_on_a_slow_disk_is_saving_then_saved_without_the_frame_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = slowed_window(dir.path(), Duration::from_secs(1));
    common::ui::start_session(&mut harness, "KAP");
    // Starting waits for the slowed commit too, and the frame does not.
    common::ui::step_until(&mut harness, "the live session", |harness| {
        harness.query_by_label("All entries saved").is_some()
    });
    harness.run();
    common::ui::end_with_discharge(&mut harness);
    common::ui::step_until(&mut harness, "the session view", |harness| {
        harness.query_by_label("Progress note").is_some()
    });
    harness
        .get(egui_kittest::kittest::By::new().label("Progress note"))
        .click();
    harness.run();
    common::ui::type_into(&mut harness, "Subjective", "Said the room felt safe.");
    // The frames after typing sent the note and went on: it shows as saving and is not on disk yet
    // (the worker holds each commit up by a second).
    harness.get_by_label("Saving…");
    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    assert!(
        reader
            .record()
            .progress_note(SessionId(1))
            .unwrap()
            .is_none()
    );
    drop(reader);
    common::ui::step_until(&mut harness, "the note's answer", |harness| {
        harness
            .query_by_label_contains("Progress note saved")
            .is_some()
    });
    let reader = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let note = reader
        .record()
        .progress_note(SessionId(1))
        .unwrap()
        .unwrap();
    assert_eq!(note.sections()[0], "Said the room felt safe.");
}

/// Search as you type in the window, each query a job beside it: every keystroke starts a search,
/// a newer one stops the older, and the hits shown are always the newest query's, never an older
/// answer that came late.
#[test]
fn searches_run_beside_the_window_and_only_the_newest_query_is_answered() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    for text in [
        "Speaks of the lighthouse at dusk.",
        "The light in the hallway.",
    ] {
        live.log(&mut journal.store, LiveCommand::Note(text.to_owned()))
            .unwrap();
    }
    let dir = journal.dir;
    drop(journal.store);
    let mut harness = slowed_window(dir.path(), Duration::ZERO);
    harness.run();
    common::ui::click(&mut harness, "Sessions");
    common::ui::field(&harness, "Search").click();
    harness.run();
    let entries = |harness: &egui_kittest::Harness<'_, _>, count: &str| {
        harness
            .query_by_label_contains(&format!("{count} entries"))
            .is_some()
    };
    // Typed one letter a frame, faster than a search can answer.
    for letter in ["l", "i", "g", "h", "t"] {
        common::ui::field(&harness, "Search").type_text(letter);
        harness.step();
    }
    common::ui::step_until(&mut harness, "the hits of \"light\"", |harness| {
        entries(harness, "2")
    });
    // Every prefix of "lighthouse" past "light" finds one entry: were an older query's answer
    // shown, "1 entries" would appear on the way to the newest query's none.
    let mut shown_stale = false;
    for letter in ["h", "o", "u", "s", "e", "z"] {
        common::ui::field(&harness, "Search").type_text(letter);
        harness.step();
        shown_stale |= entries(&harness, "1");
    }
    common::ui::step_until(&mut harness, "the hits of \"lighthousez\"", |harness| {
        shown_stale |= entries(harness, "1");
        entries(harness, "0")
    });
    for _ in 0..30 {
        harness.step();
        shown_stale |= entries(&harness, "1");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!shown_stale, "an older query's hits were shown");
    assert!(entries(&harness, "0"));
    common::ui::click(&mut harness, "Back to the live session");
    assert!(harness.state().journal().is_some());
}
