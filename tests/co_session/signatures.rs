//! Signatures of a session logged together: once the therapist ends it, each clinician signs the
//! entries they wrote and the therapist the whole; a psychiatrist on the care team, whose journal
//! was never in the session, brings it all back, finds every signature good and co-signs. A
//! signature the server makes up is found out; a login off the care team gets nothing.

use chrono::Utc;
use kap_journal::domain::{Clinician, CoSignatureStanding, CoSignedPart};
use kap_journal::live::LiveCommand;
use kap_journal::practice::{LiveConnection, bring_co_session};
use kap_journal::store::{CoSignError, Store, StoreError};

use super::common::pg_server::TestServer;
use super::common::practice_cli::{cli, ok, open, practice};
use super::joined_journal;
use super::merged::{Laptop, therapist_and_nurse};

fn clinician(name: &str) -> Clinician {
    Clinician {
        name: name.to_owned(),
        credentials: "synthetic".to_owned(),
    }
}

fn sign(laptop: &mut Laptop, part: CoSignedPart, login: &str) -> Result<(), StoreError> {
    laptop
        .store
        .sharing_mut()
        .sign_co_session(laptop.live_uuid, part, login, &clinician(login), Utc::now())
        .map(drop)
}

fn bring(laptop: &mut Laptop) -> kap_journal::practice::CoSessionBrought {
    let mut connection = LiveConnection::open(&laptop.store).unwrap();
    bring_co_session(&mut connection, &mut laptop.store, laptop.live_uuid).unwrap()
}

/// The standing of each signature `store` holds of `live`, by part and login.
fn standings(store: &Store, live: uuid::Uuid) -> Vec<(CoSignedPart, String, CoSignatureStanding)> {
    let mut all: Vec<_> = store
        .sharing()
        .co_signatures(live)
        .unwrap()
        .into_iter()
        .map(|(signature, standing)| (signature.part, signature.login, standing))
        .collect();
    all.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    all
}

/// Each clinician's entries signed by them and the whole by the therapist, the signatures on the
/// server and in both journals.
fn sign_all(therapist: &mut Laptop, nurse: &mut Laptop) {
    sign(therapist, CoSignedPart::Whole, "t_one").unwrap();
    sign(therapist, CoSignedPart::OwnEntries, "t_one").unwrap();
    sign(nurse, CoSignedPart::OwnEntries, "n_one").unwrap();
    assert!(matches!(
        sign(nurse, CoSignedPart::Whole, "n_one"),
        Err(StoreError::CoSign(CoSignError::NotTheAuthor))
    ));
    assert_eq!(bring(therapist).pushed, 2);
    let nurse_brought = bring(nurse);
    assert_eq!((nurse_brought.pushed, nurse_brought.signatures), (1, 2));
    assert_eq!(bring(therapist).signatures, 1, "the nurse's");
}

/// The therapist's session logged with the nurse and ended, both holding the whole timeline;
/// D-0001's care team has the psychiatrist `p_one` on it too, and `t_two` is off it.
pub(super) fn ended_co_session(server: &TestServer) -> (Laptop, Laptop) {
    let _admin = practice(
        server,
        &[
            ("t_one", "therapist"),
            ("n_one", "nurse"),
            ("p_one", "psychiatrist"),
            ("t_two", "therapist"),
        ],
    );
    server.share("D-0001", &["t_one", "n_one", "p_one"]);
    let (_clock, mut therapist, mut nurse) = therapist_and_nurse(server);
    nurse.write(LiveCommand::BeginDosing);
    therapist.write(LiveCommand::Note("Settled in the chair.".to_owned()));
    nurse.write(LiveCommand::Note("Rate steady.".to_owned()));
    assert!(
        matches!(
            sign(&mut nurse, CoSignedPart::OwnEntries, "n_one"),
            Err(StoreError::CoSign(CoSignError::NotEnded))
        ),
        "signed once it has ended"
    );

    // The therapist ends it; the nurse's part ends with it; both hold the whole timeline.
    therapist
        .live
        .end(&mut therapist.store, "Integration next week.", None)
        .unwrap();
    assert!(therapist.exchange());
    assert!(nurse.exchange());
    nurse.live.end_with_author(&mut nurse.store).unwrap();
    assert!(nurse.exchange());
    assert!(therapist.exchange());
    assert_eq!(therapist.merged(), nurse.merged());
    // The nurse's infusion is stopped in the record by the therapist's end.
    let closing: Vec<(String, String)> = therapist.merged()[therapist.merged().len() - 2..]
        .iter()
        .map(|entry| (entry.author.login.clone(), entry.kind.clone()))
        .collect();
    assert_eq!(
        closing,
        [
            ("t_one".to_owned(), "dose_change".to_owned()),
            ("t_one".to_owned(), "session_ended".to_owned())
        ]
    );

    (therapist, nurse)
}

/// [`ended_co_session`], then [`sign_all`].
fn signed_co_session(server: &TestServer) -> (Laptop, Laptop) {
    let (mut therapist, mut nurse) = ended_co_session(server);
    sign_all(&mut therapist, &mut nurse);
    (therapist, nurse)
}

#[test]
fn each_signs_their_own_the_author_the_whole_and_a_psychiatrist_co_signs_in_a_third_journal() {
    let server = TestServer::start();
    let (mut therapist, _nurse) = signed_co_session(&server);
    // The psychiatrist's journal, never in the session, brings it back: every signature verifies
    // with the key its signer registered with the practice; then she co-signs.
    let psychiatrist_dir = joined_journal(&server, "p_one");
    ok(&cli(psychiatrist_dir.path(), &["sync"]));
    let mut psychiatrist = open(psychiatrist_dir.path());
    let mut connection = LiveConnection::open(&psychiatrist).unwrap();
    let live = therapist.live_uuid;
    let brought = bring_co_session(&mut connection, &mut psychiatrist, live).unwrap();
    assert_eq!(brought.entries, therapist.merged().len());
    assert_eq!((brought.signatures, brought.broken), (3, 0));
    let seen = standings(&psychiatrist, live);
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|(_, _, standing)| matches!(standing, CoSignatureStanding::Practice { .. })),
        "{seen:?}"
    );
    psychiatrist
        .sharing_mut()
        .sign_co_session(
            live,
            CoSignedPart::CoSign,
            "p_one",
            &clinician("p_one"),
            Utc::now(),
        )
        .unwrap();
    assert_eq!(
        bring_co_session(&mut connection, &mut psychiatrist, live)
            .unwrap()
            .pushed,
        1
    );
    drop(psychiatrist);
    assert_eq!(bring(&mut therapist).signatures, 1, "the co-signature");
    let kept = standings(&therapist.store, live);
    assert_eq!(
        kept.iter()
            .map(|(part, login, _)| (*part, login.as_str()))
            .collect::<Vec<_>>(),
        [
            (CoSignedPart::OwnEntries, "n_one"),
            (CoSignedPart::CoSign, "p_one"),
            (CoSignedPart::OwnEntries, "t_one"),
            (CoSignedPart::Whole, "t_one"),
        ]
    );
    assert!(kept.iter().all(|(_, _, standing)| standing.verifies()));

    // A signature the server makes up (here by its superuser) does not verify and is left out.
    server
        .superuser()
        .batch_execute(&format!(
            "INSERT INTO kap.live_signatures (session_uuid, part, login, name, credentials,
                 signed_at, content_sha256, public_key, seal)
             SELECT session_uuid, 'own_entries', 't_two', 'Dr. t_two (synthetic)', '', now(),
                    content_sha256, public_key, seal
             FROM kap.live_signatures WHERE session_uuid = '{live}' AND part = 'whole'"
        ))
        .unwrap();
    let brought = bring(&mut therapist);
    assert_eq!((brought.signatures, brought.broken), (0, 1));

    // A login off the care team brings nothing back.
    let outsider_dir = joined_journal(&server, "t_two");
    let mut outsider = open(outsider_dir.path());
    let mut connection = LiveConnection::open(&outsider).unwrap();
    let brought = bring_co_session(&mut connection, &mut outsider, live).unwrap();
    assert_eq!((brought.entries, brought.signatures), (0, 0));
}

#[test]
fn signatures_of_a_session_logged_together_verify_after_an_export_and_an_import() {
    let server = TestServer::start();
    let (therapist, _nurse) = signed_co_session(&server);
    let live = therapist.live_uuid;
    let mut archive = Vec::new();
    kap_journal::export::write_archive(
        &therapist.store,
        &[therapist.live.session().id],
        kap_journal::export::ExportOptions::default(),
        &mut archive,
        |_, _| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    let import = |archive: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), &super::common::passphrase()).unwrap();
        let imported = kap_journal::export::import_archive(
            &mut store,
            archive,
            kap_journal::export::OnExisting::Refuse,
            Utc::now(),
        );
        (dir, store, imported)
    };

    // Imported whole, every signature verifies over the timeline beside it; its keys are not ones
    // the new journal knows, and it says so.
    let (_dir, store, imported) = import(&archive);
    imported.unwrap();
    assert_eq!(
        store.sharing().live_merged(live).unwrap(),
        therapist.merged()
    );
    let seen = standings(&store, live);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter()
            .all(|(_, _, standing)| matches!(standing, CoSignatureStanding::UnknownKey { .. })),
        "{seen:?}"
    );

    // One word of the nurse's note changed in the archive: the import refuses the session.
    let text = String::from_utf8(archive).unwrap();
    assert!(text.contains("Rate steady."));
    let changed = text.replace("Rate steady.", "Rate raised.");
    let (_dir, store, imported) = import(changed.as_bytes());
    let error = imported.unwrap_err().to_string();
    assert!(
        error.contains("does not verify over its merged timeline"),
        "{error}"
    );
    assert!(
        store.sharing().live_merged(live).unwrap().is_empty(),
        "nothing kept"
    );
}
