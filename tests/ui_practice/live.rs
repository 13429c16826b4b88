//! Live sessions in the window: shown to the care team entry by entry, and joined from the Practice view.

use super::*;

/// Logs a note from the note field, stepping the frames (a push may be on its way meanwhile).
fn note(harness: &mut egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>, text: &str) {
    common::ui::field(harness, "Note").type_text(text);
    harness.step();
    harness.key_press(egui::Key::Enter);
    for _ in 0..3 {
        harness.step();
    }
}

#[test]
fn a_session_logged_in_the_window_is_shown_to_its_care_team_entry_by_entry() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("n_one", PracticeRole::Nurse);
    server.share("C-0142", &["t_one", "n_one"]);
    let journal = common::journal();
    let mut store = journal.store;
    common::client(&mut store, "C-0142");
    super::connect_as(&server, &mut store, "t_one");
    kap_journal::practice::link(&mut store, "C-0142", "C-0142", Utc::now()).unwrap();
    drop(store);
    let nurse_dir = tempfile::tempdir().unwrap();
    let mut nurse = Store::open(nurse_dir.path(), &common::passphrase()).unwrap();
    super::connect_as(&server, &mut nurse, "n_one");

    // The therapist starts a session in the window and logs a note: shown at once, nothing to press.
    let mut harness = app(journal.dir.path(), &journal.clock);
    start_shared_session(&mut harness);
    common::ui::step_until(&mut harness, "the live view", |harness| {
        harness.query_by_label("Note").is_some()
    });
    note(&mut harness, "Settled in the chair.");
    common::ui::step_until(&mut harness, "the session shown", |harness| {
        harness.query_by_label("Shown to the care team").is_some()
    });

    // The nurse on the team sees it and joins; the therapist's header says so after the next entry.
    let mut connection = kap_journal::practice::LiveConnection::open(&nurse).unwrap();
    let live = connection.live_sessions().unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].client_code, "C-0142");
    connection.join(live[0].uuid).unwrap();
    note(&mut harness, "Breathing slowly.");
    common::ui::step_until(&mut harness, "the join said", |harness| {
        harness
            .query_by_label("Joined by Dr. n_one (synthetic)")
            .is_some()
    });
    // The server goes away: the session goes on alone and says so; back, what was written meanwhile
    // goes too.
    server.stop();
    note(&mut harness, "Eyes closed, hands open.");
    common::ui::step_until(&mut harness, "the outage said", |harness| {
        harness
            .query_by_label("Practice unreachable: going on alone")
            .is_some()
    });
    server.start_again();
    note(&mut harness, "Says the room feels far away.");
    common::ui::step_until(&mut harness, "the way back", |harness| {
        harness
            .query_by_label("Joined by Dr. n_one (synthetic)")
            .is_some()
    });
    // Every entry of the journal is on the server, in its order.
    let reader = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    let session = reader.record().live_sessions().unwrap().remove(0);
    let here = reader.record().events(session.id).unwrap().len();
    let mut followed = Vec::new();
    let mut seen = |followed_now: kap_journal::practice::Followed| {
        if let kap_journal::practice::Followed::Entry(entry) = followed_now {
            followed.push(entry.author_seq);
        }
        if followed.len() == here {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    kap_journal::practice::LiveConnection::follow(
        &nurse,
        session.uuid,
        std::time::Duration::from_millis(100),
        &mut seen,
    )
    .unwrap();
    let expected: Vec<i32> = (1..=i32::try_from(here).unwrap()).collect();
    assert_eq!(followed, expected);
}

#[test]
fn a_nurse_on_the_care_team_joins_a_live_session_from_the_practice_view() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("n_one", PracticeRole::Nurse);
    server.share("C-0142", &["t_one", "n_one"]);
    // The therapist's journal runs a session of C-0142, shown to its care team.
    let therapist_dir = tempfile::tempdir().unwrap();
    let mut therapist = Store::open(therapist_dir.path(), &common::passphrase()).unwrap();
    super::connect_as(&server, &mut therapist, "t_one");
    let client = common::client(&mut therapist, "C-0142");
    kap_journal::practice::link(&mut therapist, "C-0142", "C-0142", Utc::now()).unwrap();
    let session = therapist
        .record_mut()
        .start_session(
            &common::new_session(&client, kap_journal::domain::TreatmentModel::Kap),
            Utc::now(),
        )
        .unwrap();
    let mut share = kap_journal::practice::LiveConnection::open(&therapist).unwrap();
    assert!(matches!(
        share.share(&therapist, session.uuid).unwrap(),
        kap_journal::practice::Shared::Shown { .. }
    ));

    // The nurse opens Practice: the session is listed with its author, and Join joins it.
    let journal = common::journal();
    let mut store = journal.store;
    super::connect_as(&server, &mut store, "n_one");
    drop(store);
    let mut harness = app(journal.dir.path(), &journal.clock);
    join_from_the_practice_view(&mut harness);
    // Joined, the nurse is taken into her part of the session, under the client linked here.
    common::ui::step_until(&mut harness, "the joined session", |harness| {
        harness
            .query_by_label("In Dr. t_one (synthetic)'s session")
            .is_some()
    });
    let reader = Store::open_for_reading(journal.dir.path(), &common::passphrase()).unwrap();
    let part = reader.record().live_sessions().unwrap().remove(0);
    assert_eq!(
        reader
            .sharing()
            .live_part(part.id)
            .unwrap()
            .unwrap()
            .live_uuid,
        session.uuid
    );
    assert_eq!(
        reader.record().client(part.client_id).unwrap().code,
        "C-0142"
    );
    assert_eq!(
        share.share(&therapist, session.uuid).unwrap(),
        kap_journal::practice::Shared::Shown {
            joined: vec!["Dr. n_one (synthetic)".to_owned()]
        },
        "the author's journal is told who joined"
    );
}
