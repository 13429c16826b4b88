//! The practice in the window, against a PostgreSQL of the test's own: Settings → Practice joins
//! the server and syncs, and the Practice list shows a colleague's session with their name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod co_session;
#[path = "../common/mod.rs"]
mod common;
mod live;

use chrono::Utc;
use common::pg_server::{CLINICIAN_PASSWORD as PASSWORD, OWNER, OWNER_PASSWORD, TestServer};
use common::ui::{app, click, type_into};
use egui_kittest::kittest::Queryable;
use kap_journal::demo::{DemoPlan, generate};
use kap_journal::domain::PracticeRole;
use kap_journal::practice::PracticeAddress;
use kap_journal::store::{SessionFilter, Store};

#[test]
fn settings_joins_the_practice_syncs_and_the_practice_list_names_each_clinician() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("n_one", PracticeRole::Nurse);
    server.add_clinician("t_one", PracticeRole::Therapist);
    let nurse_of_d_0001 = nurse_synced(&server);

    // The therapist's journal shares the clients D-0001 and D-0002.
    let journal = common::journal();
    let mut store = journal.store;
    generate(
        &mut store,
        DemoPlan {
            clients: 2,
            sessions: 4,
            seed: 8,
        },
        |_, _| {},
    )
    .unwrap();
    drop(store);
    let mut harness = app(journal.dir.path(), &journal.clock);
    harness.run();
    click(&mut harness, "Settings");
    type_into(&mut harness, "Server address", &server.url("t_one"));
    type_into(&mut harness, "Password", PASSWORD);
    click(&mut harness, "Connect");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Connected as Dr. t_one (synthetic) (therapist)")
            .is_some()
    );
    assert!(harness.query_by_label("never").is_some(), "no sync yet");

    // Only D-0001 is shared from this journal: linked on its history page.
    share_in_window(&mut harness, "D-0001");

    click(&mut harness, "Settings");
    click(&mut harness, "Sync now");
    harness.run();
    assert!(harness.query_by_label_contains("Sent ").is_some());
    assert!(
        harness
            .query_by_label_contains("sessions stayed here: their clients are not linked")
            .is_some(),
        "D-0002's sessions stay in this journal, and the sync says so"
    );
    assert!(
        harness.query_by_label("never").is_none(),
        "the time of the last sync is shown once it is saved"
    );

    click(&mut harness, "Practice");
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("· Dr. n_one (synthetic)")
            .count()
            >= 1,
        "the nurse's sessions are listed with her name"
    );
    assert!(
        harness
            .query_all_by_label_contains("· Dr. t_one (synthetic)")
            .count()
            >= 1
    );
    drop(harness);

    // What the window did is in the journal: the membership, and the nurse's sessions as copies.
    let store = Store::open(journal.dir.path(), &common::passphrase()).unwrap();
    let membership = store.sharing().practice_membership().unwrap().unwrap();
    assert_eq!(membership.login, "t_one");
    assert!(membership.last_sync.is_some());
    let copies = store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()
        .into_iter()
        .filter(|row| row.clinician.as_deref() == Some("Dr. n_one (synthetic)"))
        .count();
    assert_eq!(
        copies, nurse_of_d_0001,
        "the nurse's sessions of D-0001 alone"
    );
}

#[test]
fn settings_sets_up_a_practice_and_adds_a_clinician_who_can_then_log_in() {
    let server = TestServer::start();
    let journal = common::journal();
    drop(journal.store);
    let mut harness = app(journal.dir.path(), &journal.clock);
    harness.run();
    click(&mut harness, "Settings");
    harness
        .get_by_label("Administer the practice server")
        .scroll_to_me();
    harness.run();
    harness
        .get_by_label("Administer the practice server")
        .click();
    harness.run();
    type_into(&mut harness, "Owner's address", &server.url(OWNER));
    type_into(&mut harness, "Owner's password", OWNER_PASSWORD);
    click(&mut harness, "Set up the practice");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("The practice is set up")
            .is_some()
    );
    // Twice is refused: the database already holds a practice.
    click(&mut harness, "Set up the practice");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("already holds a practice")
            .is_some()
    );

    type_into(&mut harness, "New login", "n_new");
    type_into(&mut harness, "Clinician's name", "N. New (synthetic)");
    harness.get_by_label("nurse").click();
    harness.run();
    type_into(&mut harness, "Their password", PASSWORD);
    click(&mut harness, "Add clinician");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Added n_new as nurse")
            .is_some()
    );

    let mut nurse = server.connect("n_new", PASSWORD);
    let row = nurse
        .query_one(
            "SELECT name, role FROM kap.clinicians WHERE login = current_user",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "N. New (synthetic)");
    assert_eq!(row.get::<_, String>(1), "nurse");
}

/// The nurse's journal, sharing D-0001 and D-0002 with `t_one` and synced from the command line's
/// library: how many of its sessions are of D-0001.
fn nurse_synced(server: &TestServer) -> usize {
    let nurse = common::journal();
    let mut nurse_store = nurse.store;
    generate(
        &mut nurse_store,
        DemoPlan {
            clients: 2,
            sessions: 6,
            seed: 7,
        },
        |_, _| {},
    )
    .unwrap();
    kap_journal::practice::connect(
        &mut nurse_store,
        &PracticeAddress::parse(&server.url("n_one")).unwrap(),
        PASSWORD,
        Utc::now(),
    )
    .unwrap();
    for code in ["D-0001", "D-0002"] {
        server.share(code, &["n_one", "t_one"]);
        kap_journal::practice::link(&mut nurse_store, code, code, Utc::now()).unwrap();
    }
    kap_journal::practice::sync(&mut nurse_store, Utc::now(), &|| false).unwrap();
    let nurse_of_d_0001 = nurse_store
        .record()
        .session_summaries(&SessionFilter {
            client_code: Some("D-0001".into()),
            ..SessionFilter::default()
        })
        .unwrap()
        .len();
    assert!(nurse_of_d_0001 > 0);
    nurse_of_d_0001
}

/// Links the journal's client `code` to the practice on its history page, through the window.
fn share_in_window(
    harness: &mut egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>,
    code: &str,
) {
    click(harness, "Sessions");
    harness
        .get(
            egui_kittest::kittest::By::new()
                .role(egui::accesskit::Role::ComboBox)
                .label("Client"),
        )
        .click();
    harness.run();
    harness
        .query_all_by_label_contains(code)
        .last()
        .unwrap()
        .click();
    harness.run();
    click(harness, "Client history");
    assert!(harness.query_by_label_contains("not shared").is_some());
    // The practice's code, typed over the client's own it starts with.
    let field = "The practice's code for this client";
    common::ui::field(harness, field).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    common::ui::field(harness, field).type_text(code);
    harness.run();
    click(harness, "Share with the practice");
    run_until(harness, &format!("shared as the practice's client {code}"));
}

/// The window of an empty journal connected as `login`, on the Practice view's clients and care
/// teams; with the journal's folder, to keep while the window runs.
fn registry_of(
    journal: common::Journal,
    server: &TestServer,
    login: &str,
) -> (
    egui_kittest::Harness<'static, kap_journal::ui::KapJournalApp>,
    tempfile::TempDir,
) {
    let common::Journal { store, dir, clock } = journal;
    let mut store = store;
    kap_journal::practice::connect(
        &mut store,
        &PracticeAddress::parse(&server.url(login)).unwrap(),
        PASSWORD,
        Utc::now(),
    )
    .unwrap();
    drop(store);
    let mut harness = app(dir.path(), &clock);
    harness.run();
    click(&mut harness, "Practice");
    harness.get_by_label("Clients and care teams").click();
    (harness, dir)
}

/// Runs the window until `text` shows (a job thread is asking the server), for at most two seconds.
fn run_until(harness: &mut egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>, text: &str) {
    for _ in 0..40 {
        harness.run();
        if harness.query_by_label_contains(text).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{text} never showed");
}

#[test]
fn a_psychiatrist_enrols_a_client_and_keeps_its_care_team_in_the_practice_view() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("p_one", PracticeRole::Psychiatrist);
    server.add_clinician("t_one", PracticeRole::Therapist);
    let (mut harness, _journal) = registry_of(common::journal(), &server, "p_one");
    run_until(&mut harness, "No client is enrolled yet.");
    type_into(&mut harness, "Enrol client (code)", "D-0009");
    click(&mut harness, "Enrol");
    run_until(&mut harness, "Enrolled D-0009.");
    assert!(harness.query_by_label("care team: nobody yet").is_some());
    type_into(&mut harness, "Login", "t_one");
    click(&mut harness, "Assign");
    run_until(&mut harness, "care team: t_one");
    assert!(
        harness
            .query_by_label_contains("The practice has no problems on its list.")
            .is_some()
    );
    let by: String = server
        .superuser()
        .query_one(
            "SELECT by_login::text FROM kap.care_assignments WHERE client_code = 'D-0009'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(by, "p_one");
}

#[test]
fn a_therapist_off_the_care_team_opens_a_client_in_an_emergency_from_the_practice_view() {
    let server = TestServer::start();
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("t_two", PracticeRole::Therapist);
    server.share("D-0001", &["t_one"]);
    let (mut harness, _journal) = registry_of(common::journal(), &server, "t_two");
    run_until(&mut harness, "care team: t_one");
    type_into(
        &mut harness,
        "Reason",
        "Covering the on-call night (synthetic).",
    );
    click(&mut harness, "Open in an emergency");
    run_until(&mut harness, "You may read D-0001 until");
    run_until(&mut harness, "opened in an emergency by t_two");
    let reason: String = server
        .superuser()
        .query_one(
            "SELECT reason FROM kap.emergency_access WHERE login = 't_two' AND client_code = 'D-0001'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(reason, "Covering the on-call night (synthetic).");
}

/// Starts a KAP infusion of the linked client C-0142 from the window's start form; the frames are
/// stepped from the start on, not run to rest (each entry is pushed by a job beside the window).
fn start_shared_session(harness: &mut egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>) {
    harness.run();
    click(harness, "New session");
    common::ui::choose_client(harness, "C-0142");
    type_into(harness, "Starting dose", "0.5 mg/kg over 40 min");
    common::ui::confirm_consent(harness);
    type_into(harness, "Blood pressure", "124/80");
    harness
        .get(
            egui_kittest::kittest::By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains("Start session"),
        )
        .click();
}

/// Joins the journal `store` to the practice on `server` as `login`.
fn connect_as(server: &TestServer, store: &mut Store, login: &str) {
    let address = PracticeAddress::parse(&server.url(login)).unwrap();
    kap_journal::practice::connect(store, &address, PASSWORD, Utc::now()).unwrap();
}

/// Opens the Practice view, waits for the therapist's live session to be listed, and joins it.
fn join_from_the_practice_view(
    harness: &mut egui_kittest::Harness<'_, kap_journal::ui::KapJournalApp>,
) {
    harness.run();
    click(harness, "Practice");
    common::ui::step_until(harness, "the live session listed", |harness| {
        harness
            .query_by_label_contains("by Dr. t_one (synthetic)")
            .is_some()
    });
    harness.get_by_label("Join").click();
}
