//! Keyed signatures: a signature is an Ed25519 seal by the clinician's own key over the content, the
//! signer, the time and the weight; an archive carries the public key; import refuses a seal that
//! does not verify, shows a key this journal does not hold as unknown, and an unkeyed digest from
//! before as "signed before signatures were keyed".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::Utc;
use kap_journal::domain::{Clinician, SessionId, SignatureStanding};
use kap_journal::export::{ExportOptions, SessionRecord};
use kap_journal::store::{Store, connect_raw};
use serde_json::Value;

fn clinician() -> Clinician {
    Clinician {
        name: "R. Example".to_owned(),
        credentials: "PsyD (synthetic)".to_owned(),
    }
}

/// The fixture's ended KAP session, signed in a journal of its own; the journal is closed.
fn signed_journal() -> (tempfile::TempDir, SessionId) {
    let mut journal = common::journal_with_fixture();
    let id = ended_kap_session(&journal.store);
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    drop(journal.store);
    (journal.dir, id)
}

fn ended_kap_session(store: &Store) -> SessionId {
    store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| store.record().session(*id).unwrap().ended_at.is_some())
        .unwrap()
}

/// Every session of the journal in `dir` as a JSON archive, through the binary.
fn archive_of(dir: &Path) -> Value {
    let out = dir.join("exports").join("all.json");
    let output = common::kap_journal(
        dir,
        &[
            "export",
            "--all",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(out).unwrap();
    common::assert_archive_matches_schema(&text);
    serde_json::from_str(&text).unwrap()
}

/// The signed session of an archive.
fn signed_in(archive: &mut Value) -> &mut Value {
    archive["sessions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|session| session["status"] == "signed")
        .unwrap()
}

fn write(dir: &Path, archive: &Value) -> PathBuf {
    let path = dir.join(format!("archive-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, serde_json::to_string_pretty(archive).unwrap()).unwrap();
    path
}

/// Imports `archive` into a new journal through the binary.
fn import_into_new(files: &Path, archive: &Value) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), &common::passphrase()).unwrap();
    common::client(&mut store, "C-0001");
    drop(store);
    let path = write(files, archive);
    let output = common::kap_journal(dir.path(), &["import", path.to_str().unwrap()]);
    (dir, output)
}

/// The Markdown summary of the signed session in the journal in `dir`.
fn signed_summary(dir: &Path) -> String {
    let store = Store::open_for_reading(dir, &common::passphrase()).unwrap();
    let id = store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| store.record().signature(*id).unwrap().is_some())
        .unwrap();
    drop(store);
    let out = dir.join("exports").join("signed.md");
    let output = common::kap_journal(
        dir,
        &[
            "export",
            &id.0.to_string(),
            "--format",
            "md",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    std::fs::read_to_string(out).unwrap()
}

fn assert_refused(output: &Output, dir: &Path, before: &[(String, Vec<u8>)]) {
    assert!(!output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    common::assert_one_sentence(
        said.trim().trim_start_matches("kap-journal: "),
        "its signature does not verify",
    );
    assert_eq!(common::folder_snapshot(dir), before);
}

#[test]
fn a_signature_is_sealed_by_the_clinicians_key_and_travels_with_its_public_key() {
    let (dir, id) = signed_journal();
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let record = SessionRecord::load(&store, id, ExportOptions::default()).unwrap();
    let seal = record.signature.as_ref().unwrap().seal.clone().unwrap();
    assert_eq!(seal.public_key.len(), 64);
    assert_eq!(seal.signature.len(), 128);
    assert!(matches!(
        record.signature_standing,
        Some(SignatureStanding::ThisJournal { .. })
    ));
    // A second signature by the same clinician uses the same key.
    drop(store);
    let mut archive = archive_of(dir.path());
    assert_eq!(
        signed_in(&mut archive)["signature"]["seal"]["public_key"],
        seal.public_key.as_str()
    );
    assert!(signed_summary(dir.path()).contains("(UTC+00:00) with key "));

    // Imported elsewhere: it verifies, and the key is one that journal does not know.
    let files = tempfile::tempdir().unwrap();
    let (other, output) = import_into_new(files.path(), &archive);
    assert!(output.status.success(), "{output:?}");
    let summary = signed_summary(other.path());
    assert!(
        summary.contains("which this journal does not know"),
        "{summary}"
    );
}

#[test]
fn a_changed_signer_or_a_grafted_seal_is_refused_and_nothing_is_imported() {
    let (dir, _) = signed_journal();
    let original = archive_of(dir.path());
    let files = tempfile::tempdir().unwrap();

    // The signer's name changed: the content digest still matches, the seal does not.
    let mut renamed = original.clone();
    signed_in(&mut renamed)["signature"]["clinician"]["name"] = "Dr. Someone Else".into();
    let target = tempfile::tempdir().unwrap();
    drop(Store::open(target.path(), &common::passphrase()).unwrap());
    let before = common::folder_snapshot(target.path());
    let path = write(files.path(), &renamed);
    let output = common::kap_journal(target.path(), &["import", path.to_str().unwrap()]);
    assert_refused(&output, target.path(), &before);

    // The time moved a day: refused the same way.
    let mut moved = original.clone();
    let signed_at = signed_in(&mut moved)["signature"]["signed_at"]
        .as_str()
        .unwrap()
        .replacen("2026-", "2025-", 1);
    signed_in(&mut moved)["signature"]["signed_at"] = signed_at.into();
    let path = write(files.path(), &moved);
    let output = common::kap_journal(target.path(), &["import", path.to_str().unwrap()]);
    assert_refused(&output, target.path(), &before);

    // A word of the record changed and its digest made again (by signing the changed session in a
    // journal of the forger's own), with the real clinician's seal put on it.
    let mut changed = original.clone();
    let session = signed_in(&mut changed);
    session["intention"] = "Something the client never said (synthetic).".into();
    session["status"] = "ended".into();
    let real_seal = session["signature"]["seal"].clone();
    session.as_object_mut().unwrap().remove("signature");
    session.as_object_mut().unwrap().remove("addenda");
    let forger = tempfile::tempdir().unwrap();
    let path = write(files.path(), &changed);
    assert!(
        common::kap_journal(forger.path(), &["import", path.to_str().unwrap()])
            .status
            .success()
    );
    let mut store = Store::open(forger.path(), &common::passphrase()).unwrap();
    let forged_id = ended_kap_session(&store);
    store
        .record_mut()
        .sign_session(forged_id, &clinician(), Utc::now())
        .unwrap();
    drop(store);
    let mut grafted = archive_of(forger.path());
    signed_in(&mut grafted)["signature"]["seal"] = real_seal;
    let path = write(files.path(), &grafted);
    let output = common::kap_journal(target.path(), &["import", path.to_str().unwrap()]);
    assert_refused(&output, target.path(), &before);

    // Signed with the forger's own key instead: it imports, and says the key is unknown.
    let honest_forgery = archive_of(forger.path());
    let (elsewhere, output) = import_into_new(files.path(), &honest_forgery);
    assert!(output.status.success(), "{output:?}");
    assert!(signed_summary(elsewhere.path()).contains("which this journal does not know"));
}

/// The digest a journal works out for `session` (an archive's session) as it stands: imported
/// unsigned into a journal of its own and signed there, as whoever changed it would.
fn digest_worked_out_again(files: &Path, archive: &Value, session: &Value) -> String {
    let mut unsigned = session.clone();
    unsigned["status"] = "ended".into();
    let fields = unsigned.as_object_mut().unwrap();
    fields.remove("signature");
    fields.remove("addenda");
    let mut archive = archive.clone();
    archive["sessions"] = Value::Array(vec![unsigned]);
    let (scratch, output) = import_into_new(files, &archive);
    assert!(output.status.success(), "{output:?}");
    let mut store = Store::open(scratch.path(), &common::passphrase()).unwrap();
    let id = ended_kap_session(&store);
    store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    store
        .record()
        .signature(id)
        .unwrap()
        .unwrap()
        .content_sha256
}

#[test]
fn a_signature_without_a_seal_imports_as_unverified_and_is_shown_so_everywhere() {
    let (dir, _) = signed_journal();
    let mut archive = archive_of(dir.path());
    let files = tempfile::tempdir().unwrap();
    // The downgrade: a word of the signed record changed, its digest worked out again and the
    // seal that would have shown it removed.
    signed_in(&mut archive)["intention"] = "A word changed after signing (synthetic).".into();
    let changed = signed_in(&mut archive).clone();
    let digest = digest_worked_out_again(files.path(), &archive, &changed);
    let session = signed_in(&mut archive);
    session["signature"]["content_sha256"] = digest.into();
    session["signature"].as_object_mut().unwrap().remove("seal");
    let uuid = session["uuid"].as_str().unwrap().to_owned();
    let (other, output) = import_into_new(files.path(), &archive);
    assert!(output.status.success(), "{output:?}");

    let summary = signed_summary(other.path());
    assert!(summary.contains("signature unverified"), "{summary}");
    assert!(
        !summary.contains("before signatures were keyed"),
        "{summary}"
    );
    let store = Store::open_for_reading(other.path(), &common::passphrase()).unwrap();
    let id = store
        .record()
        .session_ids()
        .unwrap()
        .into_iter()
        .find(|id| store.record().session(*id).unwrap().uuid.to_string() == uuid)
        .unwrap();
    let record = SessionRecord::load(&store, id, ExportOptions::default()).unwrap();
    assert_eq!(
        record.signature_standing,
        Some(SignatureStanding::Unverified)
    );
    drop(store);

    let listed: Value =
        serde_json::from_slice(&common::kap_journal(other.path(), &["sessions", "--json"]).stdout)
            .unwrap();
    let row = listed["kap"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == id.0)
        .unwrap();
    assert_eq!(row["signature_unverified"], true, "{row}");
    let table = common::kap_journal(other.path(), &["sessions"]);
    assert!(
        String::from_utf8_lossy(&table.stdout).contains("signed (unverified)"),
        "{table:?}"
    );
    let check = common::kap_journal(other.path(), &["check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains(&format!("unverified (session {})", id.0)),
        "{said}"
    );
    assert!(
        !said.contains("every signed session matches its signature"),
        "{said}"
    );
}

#[test]
fn a_signer_changed_in_the_journal_file_is_found_by_check() {
    let (dir, id) = signed_journal();
    let conn = connect_raw(dir.path(), &common::passphrase()).unwrap();
    conn.execute_batch("DROP TRIGGER signature_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE signatures SET name = 'Dr. Someone Else' WHERE session_id = ?1",
        [id.0],
    )
    .unwrap();
    drop(conn);
    let output = common::kap_journal(dir.path(), &["check"]);
    assert!(!output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("session {}'s signature does not verify", id.0)),
        "{said}"
    );
}

#[test]
fn signatures_made_before_keys_read_as_such_after_the_migration() {
    let (dir, id) = signed_journal();
    common::rewind_schema(dir.path(), 8);
    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let record = SessionRecord::load(&store, id, ExportOptions::default()).unwrap();
    assert_eq!(record.signature.as_ref().unwrap().seal, None);
    assert_eq!(
        record.signature_standing,
        Some(SignatureStanding::BeforeKeys)
    );
    assert!(store.record().signature_problems().unwrap().is_empty());
}
