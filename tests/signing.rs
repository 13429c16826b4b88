//! Signing, addenda and the audit log: a signed session never changes (the schema itself refuses),
//! an addendum leaves the original as it was, every write is in a hash chain, and a change made
//! behind the journal's back is found and named by number.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, Utc};
use kap_journal::domain::{
    Addendum, Clinician, NoteFormat, ProgressNote, SessionId, SignatureError, TreatmentModel,
};
use kap_journal::export::{
    ExportFormat, ExportOptions, OnExisting, SessionRecord, import_archive, write_session,
};
use kap_journal::live::LiveCommand;
use kap_journal::store::{SessionFilter, Store, StoreError, connect_raw};

fn clinician() -> Clinician {
    Clinician {
        name: "R. Example".to_owned(),
        credentials: "PsyD (synthetic)".to_owned(),
    }
}

/// A journal with one ended KAP session that has notes and a progress note.
fn ended_session() -> (common::Journal, SessionId) {
    let mut journal = common::journal();
    let mut live = common::live_session(&mut journal, TreatmentModel::Kap);
    live.log(
        &mut journal.store,
        LiveCommand::Note("Sat with the grief for eight minutes.".to_owned()),
    )
    .unwrap();
    live.end(&mut journal.store, "Calm at discharge.", None)
        .unwrap();
    let id = live.session().id;
    let mut note = ProgressNote::blank(NoteFormat::Soap);
    "Reported grief about her father.".clone_into(&mut note.sections_mut()[0]);
    journal
        .store
        .record_mut()
        .save_progress_note(id, &note, Utc::now())
        .unwrap();
    (journal, id)
}

fn record(store: &Store, id: SessionId) -> SessionRecord {
    SessionRecord::load(store, id, ExportOptions::default()).unwrap()
}

/// Runs SQL on a second, bare connection to the journal: what a tool with the key could try.
fn raw_sql(journal: &common::Journal, sql: &str) -> Result<usize, rusqlite::Error> {
    connect_raw(journal.dir.path(), &common::passphrase())
        .unwrap()
        .execute(sql, [])
}

#[test]
fn a_signed_session_refuses_every_change_even_from_raw_sql() {
    let (mut journal, id) = ended_session();
    let signature = journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    assert_eq!(
        signature.clinician.signed_as(),
        "R. Example, PsyD (synthetic)"
    );
    assert_eq!(signature.content_sha256.len(), 64);
    assert_eq!(
        journal.store.record().signature(id).unwrap(),
        Some(signature)
    );
    let before = record(&journal.store, id);

    let attempts = [
        format!("UPDATE events SET payload = '{{}}' WHERE session_id = {id}"),
        format!("DELETE FROM events WHERE session_id = {id}"),
        format!(
            "INSERT INTO events (session_id, seq, wall_ms, elapsed_ms, kind, payload)
             VALUES ({id}, 99, 0, 0, 'note', '{{}}')"
        ),
        format!("UPDATE sessions SET intention = 'changed' WHERE id = {id}"),
        format!("UPDATE sessions SET status = 'ended' WHERE id = {id}"),
        format!("DELETE FROM sessions WHERE id = {id}"),
        format!("UPDATE progress_notes SET note = '{{}}' WHERE session_id = {id}"),
        format!("DELETE FROM progress_notes WHERE session_id = {id}"),
        format!("UPDATE signatures SET name = 'Someone Else' WHERE session_id = {id}"),
        format!("DELETE FROM signatures WHERE session_id = {id}"),
    ];
    for sql in &attempts {
        let error = raw_sql(&journal, sql).expect_err(sql);
        assert!(
            error.to_string().contains("signed session"),
            "{sql}: {error}"
        );
    }
    let note = ProgressNote::blank(NoteFormat::Dap);
    assert!(matches!(
        journal
            .store
            .record_mut()
            .save_progress_note(id, &note, Utc::now()),
        Err(StoreError::Signed)
    ));
    assert!(matches!(
        journal
            .store
            .record_mut()
            .sign_session(id, &clinician(), Utc::now()),
        Err(StoreError::Signed)
    ));
    assert_eq!(record(&journal.store, id), before);
    assert!(
        journal
            .store
            .record()
            .signature_problems()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn only_an_ended_session_is_signed_and_only_by_a_named_clinician() {
    let mut journal = common::journal();
    let live = common::live_session(&mut journal, TreatmentModel::Medical);
    let id = live.session().id;
    assert!(matches!(
        journal
            .store
            .record_mut()
            .sign_session(id, &clinician(), Utc::now()),
        Err(StoreError::Signature(SignatureError::NotEnded))
    ));
    let (mut journal, id) = ended_session();
    let nobody = Clinician::default();
    let refused = journal
        .store
        .record_mut()
        .sign_session(id, &nobody, Utc::now());
    assert!(matches!(
        refused,
        Err(StoreError::Signature(SignatureError::NoClinician))
    ));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "Add your name (and credentials) in Settings before signing."
    );
    let at = Utc::now();
    let addendum = Addendum::new(&clinician(), at, "late entry", "Vitals were 128/80.").unwrap();
    assert!(matches!(
        journal.store.record_mut().add_addendum(id, &addendum),
        Err(StoreError::Signature(SignatureError::NotSigned))
    ));
    let error = raw_sql(
        &journal,
        &format!(
            "INSERT INTO addenda (session_id, name, credentials, written_ms, reason, text)
             VALUES ({id}, 'x', '', 0, 'r', 't')"
        ),
    )
    .unwrap_err();
    assert!(error.to_string().contains("not signed"), "{error}");
}

#[test]
fn an_addendum_is_kept_beside_the_original_and_never_changes() {
    let (mut journal, id) = ended_session();
    let signed_at = Utc::now();
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), signed_at)
        .unwrap();
    let original = record(&journal.store, id);
    let first = Addendum::new(
        &clinician(),
        signed_at + Duration::hours(2),
        "late entry",
        "Vitals at 10:40 were 128/80.",
    )
    .unwrap();
    let second = Addendum::new(
        &clinician(),
        signed_at + Duration::hours(3),
        "correction",
        "The grief was about her grandfather, not her father.",
    )
    .unwrap();
    journal.store.record_mut().add_addendum(id, &first).unwrap();
    journal
        .store
        .record_mut()
        .add_addendum(id, &second)
        .unwrap();

    let now = record(&journal.store, id);
    assert_eq!(now.addenda, vec![first, second]);
    assert_eq!(
        SessionRecord {
            addenda: Vec::new(),
            ..now
        },
        original,
        "the original record is exactly as signed"
    );
    for sql in [
        format!("UPDATE addenda SET text = 'x' WHERE session_id = {id}"),
        format!("DELETE FROM addenda WHERE session_id = {id}"),
    ] {
        let error = raw_sql(&journal, &sql).unwrap_err();
        assert!(error.to_string().contains("signed session"), "{error}");
    }
    assert!(
        journal
            .store
            .record()
            .signature_problems()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn every_write_is_chained_in_the_audit_log() {
    let (mut journal, id) = ended_session();
    assert!(journal.store.record().audit_problems().unwrap().is_empty());
    let before = journal.store.record().audit_len().unwrap();
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    let tail = journal.store.record().audit_tail(2).unwrap();
    let subjects: Vec<_> = tail
        .iter()
        .map(|entry| (entry.action.as_str(), entry.subject.clone()))
        .collect();
    assert_eq!(
        subjects,
        [
            ("update", format!("session {id}")),
            ("insert", format!("session {id} signature")),
        ]
    );
    // (And the clinician's signing key, made at their first signature.)
    assert_eq!(journal.store.record().audit_len().unwrap(), before + 3);
    // A session's running counters are not the record; the entry it logged is.
    let first = journal.store.record().audit_tail(u32::MAX).unwrap();
    assert!(
        first
            .iter()
            .any(|entry| entry.subject == format!("session {id} entry 2")
                && entry.action == "insert")
    );
    assert_eq!(first.last().unwrap().action, "start");
    assert!(journal.store.record().audit_problems().unwrap().is_empty());

    let error = raw_sql(&journal, "UPDATE audit_log SET subject = 'x' WHERE seq = 3").unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
    let error = raw_sql(&journal, "DELETE FROM audit_log WHERE seq = 3").unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
}

#[test]
fn a_tampered_audit_entry_is_named_first() {
    let (journal, _) = ended_session();
    let total = journal.store.record().audit_len().unwrap();
    assert!(total > 6, "the session wrote {total} entries");
    // Someone with the key drops the guard and rewrites entry 4's subject, then removes entry 6.
    let conn = connect_raw(journal.dir.path(), &common::passphrase()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
         UPDATE audit_log SET subject = 'client 1' WHERE seq = 4;
         DELETE FROM audit_log WHERE seq = 6;",
    )
    .unwrap();
    let problems = journal.store.record().audit_problems().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("audit entry 4 (") && problems[0].contains("was changed"),
        "{}",
        problems[0]
    );
    assert_eq!(
        problems[1],
        "audit entry 6 is missing: it was removed from the log"
    );
}

#[test]
fn a_signed_session_changed_behind_the_journals_back_is_found() {
    let (mut journal, id) = ended_session();
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    let conn = connect_raw(journal.dir.path(), &common::passphrase()).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER signed_events_update;
         UPDATE events SET payload = replace(payload, 'eight', 'two') WHERE session_id = {id};"
    ))
    .unwrap();
    assert_eq!(
        journal.store.record().signature_problems().unwrap(),
        [format!(
            "session {id} was changed after it was signed: its content no longer matches its signature"
        )]
    );
}

#[test]
fn a_signed_session_travels_with_its_signature_and_addenda() {
    let (mut journal, id) = ended_session();
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), Utc::now())
        .unwrap();
    let addendum =
        Addendum::new(&clinician(), Utc::now(), "late entry", "Phoned next day.").unwrap();
    journal
        .store
        .record_mut()
        .add_addendum(id, &addendum)
        .unwrap();
    let mut archive = Vec::new();
    write_session(
        &journal.store,
        id,
        ExportFormat::Json,
        ExportOptions::default(),
        &common::summary_context(),
        &mut archive,
    )
    .unwrap();
    common::assert_archive_matches_schema(&String::from_utf8_lossy(&archive));

    let mut other = common::journal();
    import_archive(
        &mut other.store,
        archive.as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    let imported = other
        .store
        .record()
        .session_summaries(&SessionFilter::default())
        .unwrap()[0]
        .id;
    let copy = record(&other.store, imported);
    let original = record(&journal.store, id);
    assert_eq!(copy.signature, original.signature);
    assert_eq!(copy.addenda, vec![addendum]);
    assert_eq!(copy.events, original.events);
    assert!(
        other
            .store
            .record()
            .signature_problems()
            .unwrap()
            .is_empty()
    );

    // The same archive with one word changed in the signed timeline is refused whole.
    let text = String::from_utf8(archive).unwrap();
    let forged = text.replace("eight minutes", "two minutes");
    assert_ne!(forged, text);
    let mut third = common::journal();
    let error = import_archive(
        &mut third.store,
        forged.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("changed after it was signed"),
        "{error}"
    );
    assert!(
        third
            .store
            .record()
            .session_summaries(&SessionFilter::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_summary_shows_the_signature_and_addenda_after_the_original() {
    let (mut journal, id) = ended_session();
    let signed_at = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:00:00Z")
        .unwrap()
        .to_utc();
    journal
        .store
        .record_mut()
        .sign_session(id, &clinician(), signed_at)
        .unwrap();
    let addendum = Addendum::new(
        &clinician(),
        signed_at + Duration::days(1),
        "correction",
        "The grief was about her grandfather.",
    )
    .unwrap();
    journal
        .store
        .record_mut()
        .add_addendum(id, &addendum)
        .unwrap();
    let mut markdown = Vec::new();
    write_session(
        &journal.store,
        id,
        ExportFormat::Markdown,
        ExportOptions::default(),
        &common::summary_context(),
        &mut markdown,
    )
    .unwrap();
    let markdown = String::from_utf8(markdown).unwrap();
    assert!(
        markdown.contains("- **Clinician:** R. Example, PsyD (synthetic)"),
        "the signer heads the summary, whoever exports it"
    );
    let original = markdown.find("Reported grief about her father.").unwrap();
    let signature = markdown
        .find("## Signature\n\nSigned by R. Example, PsyD (synthetic) on 2026-11-24 15:00 (UTC+00:00) with key ")
        .unwrap();
    let correction = markdown
        .find(
            "### Addendum 1: 2026-11-25 15:00 (UTC+00:00), R. Example, PsyD (synthetic)\n\n\
             **Reason:** correction\n\nThe grief was about her grandfather.",
        )
        .unwrap();
    assert!(original < signature && signature < correction, "{markdown}");
}
