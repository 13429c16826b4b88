//! Records written before deferrals were linked to their decisions: set right by migration 16 and on import, unless signed.

use super::*;

fn audit_entries(dir: &std::path::Path) -> i64 {
    kap_journal::store::connect_raw(dir, &common::passphrase())
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))
        .unwrap()
}

fn clinician() -> Clinician {
    Clinician {
        name: "R. Example".to_owned(),
        credentials: "PsyD (synthetic)".to_owned(),
    }
}

fn payload(dir: &std::path::Path, session: SessionId, seq: u32) -> String {
    kap_journal::store::connect_raw(dir, &common::passphrase())
        .unwrap()
        .query_row(
            "SELECT payload FROM events WHERE session_id = ?1 AND seq = ?2",
            [session.0, i64::from(seq)],
            |row| row.get(0),
        )
        .unwrap()
}

/// The record a journal from before schema 16 wrote for a sit-with-it and a lowering decided past a
/// soft stop, appended as it was then: each link one place off.
fn shifted_session(journal: &mut common::Journal, code: &str) -> SessionId {
    let client = common::client(&mut journal.store, code);
    let session = journal
        .store
        .record_mut()
        .start_session(
            &common::new_session(&client, TreatmentModel::Kap),
            Utc::now(),
        )
        .unwrap();
    let at = |elapsed_ms: i64, kind: EventKind| NewEvent {
        wall_time: Utc::now(),
        elapsed_ms,
        kind,
    };
    let point = |decision: Decision| {
        EventKind::DecisionPoint(DecisionPoint {
            came_up: CameUp::Emotion,
            detail: "fear of the dark".into(),
            asked: Asked::ClientAsksToLower,
            decision,
            rationale: String::new(),
        })
    };
    let went_ahead = || EventKind::WentAhead {
        warning: "SpO2 89 %".into(),
    };
    let events = [
        at(
            0,
            EventKind::DosingBegan {
                dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
            },
        ),
        at(60_000, went_ahead()),
        at(60_000, point(Decision::SitWithIt { minutes: 5 })),
        at(
            60_000,
            EventKind::DeferralStart {
                decision_seq: Seq(2),
                minutes: 5,
            },
        ),
        at(
            360_000,
            EventKind::DeferralOutcome {
                deferral_seq: Seq(4),
                outcome: DeferralOutcome::WorkedThrough,
                note: "The wave passed.".into(),
            },
        ),
        at(400_000, went_ahead()),
        at(400_000, point(Decision::LowerNow)),
        at(
            400_000,
            EventKind::DoseChange {
                dose: Some(Dose::parse("0.3 mg/kg over 40 min").unwrap()),
                reason: "Lowered at decision point #6".into(),
            },
        ),
    ];
    journal
        .store
        .record_mut()
        .append_events(session.id, Seq(1), &events)
        .unwrap();
    journal
        .store
        .end_session(
            session.id,
            Seq(9),
            &[at(
                900_000,
                EventKind::SessionEnded {
                    note: String::new(),
                    discharge: None,
                },
            )],
        )
        .unwrap();
    session.id
}

#[test]
fn migration_16_sets_unsigned_records_right_and_reads_signed_ones_right() {
    let mut journal = common::journal();
    let unsigned = shifted_session(&mut journal, "C-0101");
    let signed = shifted_session(&mut journal, "C-0102");
    journal
        .store
        .record_mut()
        .sign_session(signed, &clinician(), Utc::now())
        .unwrap();
    let signed_before = payload(journal.dir.path(), signed, 4);
    let dir = journal.dir;
    drop(journal.store);
    common::rewind_schema(dir.path(), 15);
    let audited_before = audit_entries(dir.path());

    let store = Store::open(dir.path(), &common::passphrase()).unwrap();
    let repaired: EventKind = serde_json::from_str(&payload(dir.path(), unsigned, 4)).unwrap();
    assert_eq!(
        repaired,
        EventKind::DeferralStart {
            decision_seq: Seq(3),
            minutes: 5
        }
    );
    let lowering: EventKind = serde_json::from_str(&payload(dir.path(), unsigned, 8)).unwrap();
    assert!(
        matches!(&lowering, EventKind::DoseChange { reason, .. } if reason == "Lowered at decision point #7"),
        "{lowering:?}"
    );
    assert_eq!(
        audit_entries(dir.path()),
        audited_before + 2,
        "each entry set right is in the audit log"
    );
    assert_eq!(
        payload(dir.path(), signed, 4),
        signed_before,
        "a signed record keeps the bytes its signature covers"
    );
    assert!(store.record().signature_problems().unwrap().is_empty());
    assert!(store.integrity_problems().unwrap().is_empty());
    for id in [unsigned, signed] {
        assert_eq!(
            summary_outcomes(&store, id),
            [(
                Decision::SitWithIt { minutes: 5 },
                Some(DeferralOutcome::WorkedThrough)
            )]
        );
    }
    // The search finds the lowering by its new words, not its old ones.
    let hits = |text: &str| {
        store
            .search(&kap_journal::store::SearchQuery {
                text: text.into(),
                limit: 50,
                client_code: Some("C-0101".into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    };
    assert_eq!((hits("lowered 7 "), hits("lowered 6 ")), (1, 0));
}

#[test]
fn an_archive_from_before_the_fix_imports_and_is_set_right_unless_signed() {
    let mut journal = common::journal();
    let unsigned = shifted_session(&mut journal, "C-0201");
    let signed = shifted_session(&mut journal, "C-0202");
    journal
        .store
        .record_mut()
        .sign_session(signed, &clinician(), Utc::now())
        .unwrap();

    let mut elsewhere = common::journal();
    let report = import_archive(
        &mut elsewhere.store,
        archive_of(&journal.store, unsigned).as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(report.links_repaired, 2);
    assert!(
        report
            .to_string()
            .contains("2 entries decided past a safety question")
    );
    let imported = elsewhere
        .store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap()[0]
        .id;
    assert!(matches!(
        elsewhere.store.record().events(imported).unwrap()[3].kind,
        EventKind::DeferralStart {
            decision_seq: Seq(3),
            ..
        }
    ));

    // A signed one arrives with its signature intact and reads right.
    let report = import_archive(
        &mut elsewhere.store,
        archive_of(&journal.store, signed).as_slice(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap();
    assert_eq!((report.sessions, report.links_repaired), (1, 0));
    assert!(
        elsewhere
            .store
            .record()
            .signature_problems()
            .unwrap()
            .is_empty()
    );
    let signed_copy = elsewhere
        .store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap()
        .into_iter()
        .find(|summary| summary.client_code == "C-0202")
        .unwrap()
        .id;
    assert_eq!(
        summary_outcomes(&elsewhere.store, signed_copy),
        [(
            Decision::SitWithIt { minutes: 5 },
            Some(DeferralOutcome::WorkedThrough)
        )]
    );
}
