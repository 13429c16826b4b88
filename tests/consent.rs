//! Consent to treatment: the clinic's versioned text, each client's consent with its items and
//! renewal date, sessions refused without a current consent, the due list on an injected clock, and
//! records that no one changes afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone as _, Utc};
use kap_journal::domain::{ConsentError, ConsentItem, ConsentStanding, NewConsent, TreatmentModel};
use kap_journal::live::{Clock, LiveSession};
use kap_journal::store::{StoreError, connect_raw};

const TEXT: &str = "Synthetic consent: ketamine is used off-label for depression …";

fn consent(client: kap_journal::domain::ClientId, items: &[ConsentItem]) -> NewConsent {
    NewConsent {
        client_id: client,
        items: items.iter().map(|item| (*item, true)).collect(),
        recorded_by: "R. Example".into(),
        withdrawn: false,
    }
}

fn start(
    journal: &mut common::Journal,
    client: &kap_journal::domain::Client,
) -> Result<LiveSession, StoreError> {
    let clock: Arc<dyn Clock> = journal.clock.clone();
    LiveSession::start(
        &mut journal.store,
        clock,
        &common::new_session(client, TreatmentModel::Kap),
    )
}

fn refused_for(result: Result<LiveSession, StoreError>, words: &str) {
    let Err(error) = result else {
        panic!("the session started without a current consent");
    };
    assert!(matches!(
        error,
        StoreError::Consent(ConsentError::NotCurrent(_))
    ));
    common::assert_one_sentence(&error.to_string(), words);
}

#[test]
fn a_session_starts_only_under_a_current_consent_to_the_newest_text() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "K-0001");
    // Without a clinic text, the checklist's tick box is the consent, as before.
    start(&mut journal, &client)
        .unwrap()
        .end(&mut journal.store, "", None)
        .unwrap();

    let now = journal.clock.wall();
    let text = journal
        .store
        .registers_mut()
        .adopt_consent_text(TEXT, 180, now)
        .unwrap();
    assert_eq!(text.version, 1);
    let sessions_before = journal.store.record().session_ids().unwrap().len();
    refused_for(start(&mut journal, &client), "No consent recorded");
    assert_eq!(
        journal.store.record().session_ids().unwrap().len(),
        sessions_before,
        "a refused start writes nothing"
    );

    let record = journal
        .store
        .registers_mut()
        .record_consent(
            &consent(client.id, &[ConsentItem::OffLabelUse, ConsentItem::Music]),
            now,
        )
        .unwrap();
    assert_eq!(record.renew_by.to_string(), "2027-05-23");
    assert!(record.agrees_to(ConsentItem::Music) && !record.agrees_to(ConsentItem::Recording));
    start(&mut journal, &client)
        .unwrap()
        .end(&mut journal.store, "", None)
        .unwrap();

    // 181 days on, the consent has expired.
    journal.clock.advance(Duration::from_hours(24 * 181));
    refused_for(start(&mut journal, &client), "expired on 2027-05-23");
    let renewed = journal
        .store
        .registers_mut()
        .record_consent(
            &consent(client.id, &[ConsentItem::OffLabelUse]),
            journal.clock.wall(),
        )
        .unwrap();
    assert_eq!(renewed.version, 1);
    start(&mut journal, &client)
        .unwrap()
        .end(&mut journal.store, "", None)
        .unwrap();

    // A new version of the text needs a new consent, however recent the last.
    let v2 = journal
        .store
        .registers_mut()
        .adopt_consent_text("Synthetic consent, version 2.", 365, journal.clock.wall())
        .unwrap();
    assert_eq!(v2.version, 2);
    refused_for(
        start(&mut journal, &client),
        "version 2 needs a new consent",
    );
    journal
        .store
        .registers_mut()
        .record_consent(
            &consent(client.id, &[ConsentItem::OffLabelUse]),
            journal.clock.wall(),
        )
        .unwrap();
    start(&mut journal, &client)
        .unwrap()
        .end(&mut journal.store, "", None)
        .unwrap();

    // A withdrawal stops the next session.
    journal.clock.advance(Duration::from_hours(1));
    journal
        .store
        .registers_mut()
        .record_consent(
            &NewConsent {
                withdrawn: true,
                ..consent(client.id, &[])
            },
            journal.clock.wall(),
        )
        .unwrap();
    refused_for(start(&mut journal, &client), "withdrawn");
    assert_eq!(
        journal.store.registers().consents(client.id).unwrap().len(),
        4
    );
}

#[test]
fn consent_without_off_label_use_or_a_clinic_text_is_refused() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "K-0002");
    let now = journal.clock.wall();
    let error = journal
        .store
        .registers_mut()
        .record_consent(&consent(client.id, &[ConsentItem::OffLabelUse]), now)
        .unwrap_err();
    assert!(matches!(error, StoreError::Consent(ConsentError::NoText)));
    journal
        .store
        .registers_mut()
        .adopt_consent_text(TEXT, 180, now)
        .unwrap();
    let error = journal
        .store
        .registers_mut()
        .record_consent(&consent(client.id, &[ConsentItem::Touch]), now)
        .unwrap_err();
    common::assert_one_sentence(&error.to_string(), "off-label use");
    for (text, days) in [("   ", 180), (TEXT, 10), (TEXT, 1000)] {
        assert!(
            journal
                .store
                .registers_mut()
                .adopt_consent_text(text, days, now)
                .is_err()
        );
    }
    assert!(
        journal
            .store
            .registers()
            .consents(client.id)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_due_list_names_each_client_whose_consent_needs_attention() {
    let mut journal = common::journal();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let codes = ["K-0010", "K-0011", "K-0012"];
    let clients: Vec<_> = codes
        .iter()
        .map(|code| common::client(&mut journal.store, code))
        .collect();
    // Each has a session from before the clinic adopted its text.
    for client in &clients {
        start(&mut journal, client)
            .unwrap()
            .end(&mut journal.store, "", None)
            .unwrap();
    }
    assert!(
        journal
            .store
            .registers()
            .consents_due(now)
            .unwrap()
            .is_empty(),
        "no text, nothing due"
    );
    journal
        .store
        .registers_mut()
        .adopt_consent_text(TEXT, 90, now)
        .unwrap();
    // K-0010 consents today; K-0011 consented 80 days ago (renewal due in 10); K-0012 never.
    journal
        .store
        .registers_mut()
        .record_consent(&consent(clients[0].id, &[ConsentItem::OffLabelUse]), now)
        .unwrap();
    journal
        .store
        .registers_mut()
        .record_consent(
            &consent(clients[1].id, &[ConsentItem::OffLabelUse]),
            now - chrono::TimeDelta::days(80),
        )
        .unwrap();
    let due = journal.store.registers().consents_due(now).unwrap();
    let listed: Vec<(&str, bool)> = due
        .iter()
        .map(|due| {
            (
                due.client_code.as_str(),
                matches!(due.standing, ConsentStanding::Current { soon: true, .. }),
            )
        })
        .collect();
    assert_eq!(listed, vec![("K-0011", true), ("K-0012", false)]);
    assert_eq!(due[1].standing, ConsentStanding::Missing);
    // Eleven days on, K-0011's has expired.
    let later = now + chrono::TimeDelta::days(11);
    let due = journal.store.registers().consents_due(later).unwrap();
    assert!(matches!(due[0].standing, ConsentStanding::Expired { .. }));
}

#[test]
fn consents_and_texts_are_never_changed_and_each_is_audited() {
    let mut journal = common::journal();
    let client = common::client(&mut journal.store, "K-0020");
    let now = journal.clock.wall();
    let audited_before = journal.store.record().audit_len().unwrap();
    journal
        .store
        .registers_mut()
        .adopt_consent_text(TEXT, 180, now)
        .unwrap();
    journal
        .store
        .registers_mut()
        .record_consent(&consent(client.id, &[ConsentItem::OffLabelUse]), now)
        .unwrap();
    assert_eq!(
        journal.store.record().audit_len().unwrap(),
        audited_before + 2
    );
    let raw = connect_raw(journal.dir.path(), &common::passphrase()).unwrap();
    for sql in [
        "UPDATE consent_records SET items = '[]'",
        "DELETE FROM consent_records",
        "UPDATE consent_texts SET text = 'other'",
        "DELETE FROM consent_texts",
    ] {
        let error = raw.execute(sql, []).unwrap_err().to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
}

#[test]
fn the_command_line_adopts_a_text_records_consent_and_lists_what_is_due() {
    let journal = common::journal();
    let dir = journal.dir.path().to_owned();
    let mut store = journal.store;
    let client = common::client(&mut store, "K-0030");
    let clock: Arc<dyn Clock> = journal.clock.clone();
    LiveSession::start(
        &mut store,
        clock,
        &common::new_session(&client, TreatmentModel::Kap),
    )
    .unwrap()
    .end(&mut store, "", None)
    .unwrap();
    drop(store);
    let run = |args: &[&str]| {
        let output = common::kap_journal(&dir, args);
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let file = dir.join("consent.txt");
    std::fs::write(&file, TEXT).unwrap();
    let (ok, said, _) = run(&[
        "consent",
        "text",
        "--file",
        file.to_str().unwrap(),
        "--renew-after",
        "90",
    ]);
    assert!(ok);
    assert!(said.contains("Adopted version 1"), "{said}");
    let (_, said, _) = run(&["consent"]);
    assert!(
        said.contains("K-0030") && said.contains("No consent recorded"),
        "{said}"
    );

    let (ok, _, error) = run(&["consent", "K-0030", "--agree", "music"]);
    assert!(!ok);
    assert!(error.contains("off-label use"), "{error}");
    let (ok, _, error) = run(&["consent", "K-0030", "--agree", "off-label,dancing"]);
    assert!(!ok);
    assert!(error.contains("dancing is not a consent item"), "{error}");

    let (ok, said, _) = run(&["consent", "K-0030", "--agree", "off-label,music"]);
    assert!(ok);
    assert!(
        said.contains("version 1") && said.contains("music yes") && said.contains("touch no"),
        "{said}"
    );
    let (_, said, _) = run(&["consent"]);
    assert!(
        said.contains("Every client's consent is current."),
        "{said}"
    );
    let (_, said, _) = run(&["consent", "text"]);
    assert!(
        said.contains("Version 1") && said.contains("off-label"),
        "{said}"
    );
}
