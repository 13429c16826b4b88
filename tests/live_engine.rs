//! The live engine owns an entry's whole life, whoever carries its changes out: a soft stop holds an
//! action until the clinician goes ahead (recorded) or back (nothing recorded), a refused write takes
//! back its entries and every later one and gives back what the sender asked to have back, and the
//! draft is kept beside the entries and cleared with the one it became. The same engine runs on the
//! store itself (the command line) and on the threaded journal worker (the window).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::notes;
use kap_journal::changes::SimulateFullDisk;
use kap_journal::domain::{EventKind, TreatmentModel};
use kap_journal::live::{LiveCommand, LiveSession, Memo, SaveStatus, Submitted};
use kap_journal::store::StoreError;
use kap_journal::worker::Journal;

fn note(text: &str) -> LiveCommand {
    LiveCommand::Note(text.to_owned())
}

/// What the sender wants back, as the window sends it: with the entry.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the engine takes an optional memo"
)]
fn memo(words: &str) -> Option<Memo> {
    Some(Box::new(words.to_owned()))
}

fn kinds(store: &kap_journal::store::Store, live: &LiveSession) -> Vec<String> {
    store
        .record()
        .events(live.session().id)
        .unwrap()
        .iter()
        .map(|event| match &event.kind {
            EventKind::WentAhead { .. } => "went ahead".to_owned(),
            EventKind::DosingBegan { .. } => "dosing began".to_owned(),
            EventKind::Note { text } => format!("note {text}"),
            other => other.describe(),
        })
        .collect()
}

#[test]
fn a_soft_stop_holds_the_action_until_the_clinician_goes_ahead_or_back() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let before = kinds(&journal.store, &live);

    // No baseline vitals: beginning dosing asks first, and nothing is written while it asks.
    let submitted = live
        .submit(&mut journal.store, LiveCommand::BeginDosing, None)
        .unwrap();
    assert_eq!(submitted, Submitted::Held);
    let asks = live.asks().expect("a soft stop asks").to_vec();
    assert!(asks.iter().any(|ask| ask.contains("No baseline vitals")));
    assert_eq!(kinds(&journal.store, &live), before);

    // Going back records nothing and asks nothing more.
    live.go_back();
    assert!(live.asks().is_none());
    live.go_ahead(&mut journal.store, None).unwrap();
    assert_eq!(kinds(&journal.store, &live), before, "nothing was held");

    // Going ahead records each sentence with the action, in one commit.
    live.submit(&mut journal.store, LiveCommand::BeginDosing, None)
        .unwrap();
    live.go_ahead(&mut journal.store, None).unwrap();
    live.wait_for_answers().unwrap();
    let after = kinds(&journal.store, &live);
    assert_eq!(
        after[before.len()..],
        ["went ahead".to_owned(), "dosing began".to_owned()]
    );
    assert!(live.asks().is_none());
    assert!(live.pending().is_empty());
}

#[test]
fn a_refused_write_takes_back_every_later_entry_and_gives_back_their_memos() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    live.submit(&mut journal.store, note("kept"), memo("kept"))
        .unwrap();
    assert!(live.take_answers().is_none());

    journal.store.simulate_full_disk(true).unwrap();
    let long = "Long reflection, written out in full. ".repeat(400);
    for (text, words) in [(long.as_str(), memo("first")), ("a button's", None)] {
        live.submit(&mut journal.store, note(text), words).unwrap();
    }
    live.submit(&mut journal.store, note("typed later"), memo("later"))
        .unwrap();
    assert_eq!(live.pending().len(), 3, "each shows at once as saving");

    let refused = live.take_answers().expect("the full disk refuses");
    assert!(matches!(refused.error, StoreError::DiskFull));
    let given_back: Vec<String> = refused
        .given_back
        .into_iter()
        .map(|memo| *memo.downcast::<String>().unwrap())
        .collect();
    assert_eq!(
        given_back,
        ["first", "later"],
        "the memos of the refused entry and every later one, oldest first"
    );
    assert!(live.pending().is_empty(), "off the timeline, with no gap");
    assert_eq!(notes(&journal.store, id), ["kept"]);

    // With room again the same words go in after the kept one.
    journal.store.simulate_full_disk(false).unwrap();
    live.log(&mut journal.store, note(&long)).unwrap();
    assert_eq!(notes(&journal.store, id), ["kept".to_owned(), long]);
}

#[test]
fn the_draft_is_kept_beside_the_entries_and_cleared_with_the_one_it_became() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    assert_eq!(live.save_status(""), SaveStatus::AllSaved);
    assert_eq!(live.save_status("Client sigh"), SaveStatus::SavingDraft);

    live.keep_draft(&mut journal.store, "Client sigh");
    assert!(matches!(
        live.save_status("Client sigh"),
        SaveStatus::DraftSaved(Some(_))
    ));
    assert_eq!(
        journal.store.record().draft(id).unwrap().unwrap().text,
        "Client sigh"
    );

    // Half a second has not passed: the next words wait, and say so.
    let wait = live.keep_draft(&mut journal.store, "Client sighs deeply");
    assert!(wait.is_some_and(|wait| wait <= Duration::from_millis(500)));
    assert_eq!(
        journal.store.record().draft(id).unwrap().unwrap().text,
        "Client sigh"
    );
    live.save_draft_now(&mut journal.store, "Client sighs deeply");
    assert_eq!(
        journal.store.record().draft(id).unwrap().unwrap().text,
        "Client sighs deeply"
    );

    // The entry the draft became clears it in the same commit.
    live.submit(
        &mut journal.store,
        note("Client sighs deeply"),
        memo("Client sighs deeply"),
    )
    .unwrap();
    assert_eq!(live.save_status(""), SaveStatus::SavingEntries(1));
    assert!(live.take_answers().is_none());
    assert_eq!(live.save_status(""), SaveStatus::AllSaved);
    assert!(journal.store.record().draft(id).unwrap().is_none());

    // A refused draft write says so until one is saved.
    journal.store.simulate_full_disk(true).unwrap();
    live.save_draft_now(
        &mut journal.store,
        &"Long reflection, written out in full. ".repeat(400),
    );
    assert!(matches!(
        live.save_status("x"),
        SaveStatus::DraftNotSaved(_)
    ));
}

#[test]
fn the_engine_runs_the_same_on_the_threaded_worker() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    let reader = journal.store.reader().unwrap();
    let writer = std::mem::replace(&mut journal.store, reader);
    let worker = Journal::open_slowed(writer, Box::new(|| {}), Duration::from_millis(20)).unwrap();
    let mut sender = &worker;

    for n in 0..20 {
        live.submit(&mut sender, note(&format!("note {n}")), memo("words"))
            .unwrap();
    }
    assert_eq!(live.pending().len(), 20, "shown at once, none answered yet");
    worker.write(SimulateFullDisk(true)).unwrap();
    live.submit(
        &mut sender,
        note(&"Long reflection, written out in full. ".repeat(400)),
        memo("refused"),
    )
    .unwrap();
    live.submit(&mut sender, note("after"), memo("after"))
        .unwrap();

    let mut refused = None;
    while refused.is_none() {
        refused = live.take_answers();
        std::thread::sleep(Duration::from_millis(5));
    }
    let refused = refused.unwrap();
    assert_eq!(refused.given_back.len(), 2);
    assert!(live.pending().is_empty());
    let saved = notes(worker.read(), id);
    assert_eq!(saved.len(), 20);
    assert_eq!(saved[19], "note 19");
    assert!(live.events().iter().all(|event| live.is_saved(event.seq)));
}
