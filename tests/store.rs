//! The store: order, byte-exact text, refusals that write nothing, lists that keep the models apart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chrono::TimeZone;
use kap_journal::domain::{Dose, EventKind, Seq, SessionStatus, TreatmentModel};
use kap_journal::live::LiveCommand;
use kap_journal::store::{SessionFilter, Store, StoreError};

#[test]
fn events_keep_their_order_by_sequence_number_when_the_wall_clock_jumps_backwards() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::Note("first".into()))
        .unwrap();
    // The wall clock is set back two hours (a time-zone or NTP correction) between two notes.
    journal.clock.advance(Duration::from_secs(30));
    journal
        .clock
        .set_wall(chrono::Utc.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap());
    live.log(&mut journal.store, LiveCommand::Note("second".into()))
        .unwrap();
    journal.clock.advance(Duration::from_secs(30));
    journal
        .clock
        .set_wall(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap());
    live.log(&mut journal.store, LiveCommand::Note("third".into()))
        .unwrap();

    drop(journal.store);
    let store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    let events = store.record().events(live.session().id).unwrap();
    let texts: Vec<_> = events.iter().map(|event| event.kind.describe()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    assert_eq!(
        events.iter().map(|event| event.seq).collect::<Vec<_>>(),
        [Seq(1), Seq(2), Seq(3)]
    );
    assert!(
        events[1].wall_time < events[0].wall_time && events[2].wall_time < events[1].wall_time,
        "the wall clock really went back"
    );
    assert!(
        events
            .windows(2)
            .all(|pair| pair[0].elapsed_ms < pair[1].elapsed_ms),
        "elapsed time comes from the monotonic clock"
    );
}

#[test]
fn a_one_megabyte_note_emoji_and_right_to_left_text_are_stored_byte_identical() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let big: String = "Grief, then relief. ".repeat(1024 * 1024 / 20);
    assert!(big.len() >= 1024 * 1024 - 20);
    let notes = [
        big,
        "Client smiled 😊🌊 and said “it’s like the sea” — 🫶🏽".to_owned(),
        "قال: أشعر بالهدوء الآن (שָׁלוֹם) and then English again".to_owned(),
        "Zero\u{200B}width, combining e\u{301}, and a NUL-free tab\there".to_owned(),
    ];
    for note in &notes {
        live.log(&mut journal.store, LiveCommand::Note(note.clone()))
            .unwrap();
    }
    drop(journal.store);
    let store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    let stored: Vec<String> = store
        .record()
        .events(live.session().id)
        .unwrap()
        .into_iter()
        .map(|event| match event.kind {
            EventKind::Note { text } => text,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    for (stored, typed) in stored.iter().zip(&notes) {
        assert_eq!(stored.as_bytes(), typed.as_bytes());
    }
    assert_eq!(stored.len(), notes.len());
}

/// A lock held for a moment (a process starting another holds a copy of every open file until the
/// child runs its own program) is waited for, so a journal closed and opened again at that moment
/// opens; parallel tests that start the binary met this as a flaky "already in use".
#[test]
fn a_lock_held_for_a_moment_is_waited_for() {
    let journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let held = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join(kap_journal::store::LOCK_FILE_NAME))
        .unwrap();
    held.try_lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(80));
        drop(held);
    });
    let opened = Store::open(&dir, &common::passphrase());
    release.join().unwrap();
    assert!(opened.is_ok(), "{:?}", opened.err());
}

#[test]
fn a_second_instance_is_refused_with_one_sentence_and_writes_nothing() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(&mut journal.store, LiveCommand::Note("held".into()))
        .unwrap();
    let snapshot = common::folder_snapshot(journal.dir.path());

    let error = Store::open(journal.dir.path(), &common::passphrase()).unwrap_err();
    assert!(
        matches!(error, StoreError::HeldByAnotherInstance { .. }),
        "{error:?}"
    );
    common::assert_one_sentence(
        &error.to_string(),
        "Another KAP Journal is already using the data folder",
    );
    assert_eq!(
        common::folder_snapshot(journal.dir.path()),
        snapshot,
        "the refused instance wrote nothing"
    );

    // Reading commands still work beside the writer, and cannot write.
    let mut reader = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    assert_eq!(reader.record().events(live.session().id).unwrap().len(), 1);
    assert!(matches!(
        reader
            .record_mut()
            .save_draft(live.session().id, "x", chrono::Utc::now()),
        Err(StoreError::ReadOnly)
    ));
}

#[test]
fn a_data_dir_that_cannot_be_written_is_refused_with_one_sentence_and_nothing_is_created() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("not-a-folder");
    std::fs::write(&file, b"plain file").unwrap();
    let error = Store::open(&file.join("journal"), &common::passphrase()).unwrap_err();
    assert!(matches!(error, StoreError::NotWritable { .. }), "{error:?}");
    common::assert_one_sentence(&error.to_string(), "cannot be written");
    assert_eq!(std::fs::read(&file).unwrap(), b"plain file");

    // /proc refuses new folders even to root.
    let error = Store::open(
        std::path::Path::new("/proc/kap-journal-test"),
        &common::passphrase(),
    )
    .unwrap_err();
    assert!(matches!(error, StoreError::NotWritable { .. }), "{error:?}");
    assert!(!std::path::Path::new("/proc/kap-journal-test").exists());
}

#[test]
fn a_journal_from_a_newer_version_is_refused_rather_than_guessed_at() {
    let journal = common::journal();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    kap_journal::store::connect_raw(&dir, &common::passphrase())
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let error = Store::open(&dir, &common::passphrase()).unwrap_err();
    assert!(
        matches!(error, StoreError::NewerSchema { found: 99, .. }),
        "{error:?}"
    );
}

#[test]
fn the_journal_runs_with_the_durability_pragmas() {
    let journal = common::journal();
    drop(journal.store);
    let conn = kap_journal::store::connect_raw(journal.dir.path(), &common::passphrase()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: String = conn
        .query_row("SELECT sqlite_version()", [], |row| row.get(0))
        .unwrap();
    let parts: Vec<u32> = version
        .split('.')
        .map(|part| part.parse().unwrap())
        .collect();
    assert!(
        (parts[0], parts[1], parts[2]) >= kap_journal::store::MIN_SQLITE_VERSION,
        "{version}"
    );
}

#[test]
fn session_lists_keep_medical_and_kap_apart_and_filter_by_client() {
    let mut journal = common::journal();
    let first = common::client(&mut journal.store, "C-0001");
    let second = common::client(&mut journal.store, "C-0002");
    let now = chrono::Utc::now();
    for (client, model) in [
        (&first, TreatmentModel::Kap),
        (&first, TreatmentModel::Medical),
        (&second, TreatmentModel::Kap),
    ] {
        journal
            .store
            .record_mut()
            .start_session(&common::new_session(client, model), now)
            .unwrap();
    }
    let kap = SessionFilter {
        model: Some(TreatmentModel::Kap),
        ..SessionFilter::default()
    };
    let kap_rows = journal.store.record().session_summaries(&kap).unwrap();
    assert_eq!(kap_rows.len(), 2);
    assert!(kap_rows.iter().all(|row| row.model == TreatmentModel::Kap));
    let one_client = SessionFilter {
        client_code: Some("C-0001".into()),
        model: Some(TreatmentModel::Medical),
        own_only: false,
    };
    let rows = journal
        .store
        .record()
        .session_summaries(&one_client)
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].client_code.as_str(), rows[0].model, rows[0].status),
        ("C-0001", TreatmentModel::Medical, SessionStatus::Live)
    );
}

#[test]
fn a_draft_survives_closing_the_journal_and_is_cleared_when_the_session_ends() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let id = live.session().id;
    journal
        .store
        .record_mut()
        .save_draft(id, "half a thought about the kitch", chrono::Utc::now())
        .unwrap();
    drop(journal.store);
    let mut store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    assert_eq!(
        store.record().draft(id).unwrap().unwrap().text,
        "half a thought about the kitch"
    );
    live.end(&mut store, "", None).unwrap();
    assert_eq!(store.record().draft(id).unwrap(), None);
    assert!(
        live.log(&mut store, LiveCommand::Note("late".into()))
            .is_err()
    );
    assert_eq!(
        store.record().events(id).unwrap().len(),
        1,
        "only the session end is in the timeline"
    );
}

#[test]
fn a_client_code_is_unique() {
    let mut journal = common::journal();
    common::client(&mut journal.store, "C-0001");
    let again = kap_journal::domain::NewClient {
        code: "C-0001".into(),
        display_name: None,
        weight_kg: None,
    };
    let error = journal
        .store
        .record_mut()
        .create_client(&again, chrono::Utc::now())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "A client with this code already exists; choose them from the list."
    );
}

/// Every file in the folder with its bytes, to prove a refused open changed nothing.
#[test]
fn an_ended_session_keeps_its_delivered_total_and_older_journals_get_it_by_migration() {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    let minutes = |m: u64| Duration::from_secs(60 * m);
    // 70 kg; 0.5 mg/kg over 40 min for 10 min, then 0.3 mg/kg over 40 min for 10 min, then stopped:
    // 10 × 0.0125 + 10 × 0.0075 = 0.2 mg/kg = 14 mg.
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(minutes(10));
    let lower = Dose::parse("0.3 mg/kg over 40 min").unwrap();
    live.log(
        &mut journal.store,
        LiveCommand::ChangeDose {
            dose: Some(lower),
            reason: "asked to lower".into(),
        },
    )
    .unwrap();
    journal.clock.advance(minutes(10));
    live.log(
        &mut journal.store,
        LiveCommand::ChangeDose {
            dose: None,
            reason: String::new(),
        },
    )
    .unwrap();
    journal.clock.advance(minutes(5));
    let all = SessionFilter::default();
    let row = &journal.store.record().session_summaries(&all).unwrap()[0];
    assert_eq!((row.delivered_mg, row.delivered_mg_per_kg), (None, None));
    assert_eq!(row.describe_delivered(), "live");

    live.end(&mut journal.store, "", None).unwrap();
    let row = journal.store.record().session_summaries(&all).unwrap()[0].clone();
    assert!((row.delivered_mg.unwrap() - 14.0).abs() < 1e-9);
    assert!((row.delivered_mg_per_kg.unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(row.describe_delivered(), "14 mg (0.2 mg/kg)");

    // The same journal as schema 2 left it: no total columns; opening it computes them.
    drop(journal.store);
    common::rewind_schema(journal.dir.path(), 2);
    let store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    assert_eq!(store.record().session_summaries(&all).unwrap()[0], row);
}

/// A session started with a checklist weighing the client at `weight_kg`, dosed 0.5 mg/kg over 40 min
/// for 10 minutes and ended.
fn weighed_session(
    journal: &mut common::Journal,
    client: &kap_journal::domain::Client,
    weight_kg: f64,
) -> kap_journal::domain::SessionId {
    let checklist = kap_journal::domain::PreSession {
        weight_kg: Some(weight_kg),
        weighed_in: kap_journal::domain::WeightUnit::Kg,
        fasting_hours: Some(6.0),
        medicines: Vec::new(),
        consent: true,
        lot: None,
        consent_given: None,
    };
    let clock: std::sync::Arc<dyn kap_journal::live::Clock> = journal.clock.clone();
    let mut live = kap_journal::live::LiveSession::start_with(
        &mut journal.store,
        clock,
        &common::new_session(client, TreatmentModel::Kap),
        vec![EventKind::PreSession(checklist)],
    )
    .unwrap();
    live.log(&mut journal.store, LiveCommand::BeginDosing)
        .unwrap();
    journal.clock.advance(Duration::from_mins(10));
    live.end(&mut journal.store, "", None).unwrap();
    live.session().id
}

#[test]
fn each_session_keeps_the_weight_of_its_own_checklist() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "C-0300");
    let first = weighed_session(&mut journal, &client, 70.0);
    let second = weighed_session(&mut journal, &client, 80.0);
    // The newest checklist is the client's weight now.
    assert_eq!(
        journal.store.record().client(client.id).unwrap().weight_kg,
        Some(80.0)
    );
    // 10 of 40 minutes of 0.5 mg/kg = 0.125 mg/kg: 8.75 mg at 70 kg, 10 mg at 80 kg.
    let all = SessionFilter::default();
    let rows = journal.store.record().session_summaries(&all).unwrap();
    let mg = |id| {
        rows.iter()
            .find(|row| row.id == id)
            .and_then(|row| row.delivered_mg)
            .unwrap()
    };
    assert!((mg(first) - 8.75).abs() < 1e-9, "{}", mg(first));
    assert!((mg(second) - 10.0).abs() < 1e-9, "{}", mg(second));
    let record = kap_journal::export::SessionRecord::load(
        &journal.store,
        first,
        kap_journal::export::ExportOptions::default(),
    )
    .unwrap();
    assert_eq!(record.weight_kg(), Some(70.0));
    assert_eq!(record.delivered().describe(), "8.75 mg (0.125 mg/kg)");
}
