//! What a demo practice holds: every kind of entry, a story per client, risk screens, marks for the prep sheet.

use super::*;

#[test]
fn a_practice_shows_every_kind_of_entry_and_record() {
    let journal = demo(300, 12, 1);
    let all = sessions(&journal.store);
    let mut instruments = BTreeSet::new();
    for (_, events) in &all {
        for event in events {
            if let EventKind::Measure { measure, .. } = &event.kind {
                instruments.insert(measure.instrument().label());
            }
        }
    }
    let wanted = [
        "pre_session",
        "dosing_began",
        "dose_change",
        "infusion_extended",
        "decision_point",
        "deferral_start",
        "deferral_outcome",
        "marker",
        "vitals",
        "sedation",
        "measure",
        "adverse_event",
        "session_ended",
        "note",
        "suicide_screen",
        "safety_plan",
    ];
    let seen: BTreeSet<&str> = all
        .iter()
        .flat_map(|(_, events)| events.iter().map(|event| event.kind.as_str()))
        .collect();
    for kind in wanted {
        assert!(seen.contains(kind), "no {kind} in 300 sessions: {seen:?}");
    }
    assert_eq!(instruments.len(), Instrument::ALL.len());
    // Discharge records, progress notes in every format, private notes, signatures, addenda.
    assert!(all.iter().all(|(_, events)| matches!(
        events.last().unwrap().kind,
        EventKind::SessionEnded {
            discharge: Some(_),
            ..
        }
    )));
    let formats: BTreeSet<String> = all
        .iter()
        .filter_map(|(session, _)| journal.store.record().progress_note(session.id).unwrap())
        .map(|note| format!("{:?}", note.format()))
        .collect();
    assert_eq!(formats.len(), NoteFormat::ALL.len(), "{formats:?}");
    let ids: Vec<SessionId> = all.iter().map(|(session, _)| session.id).collect();
    assert!(
        ids.iter()
            .any(|id| journal.store.record().has_private_note(*id).unwrap())
    );
    let signed: Vec<&SessionId> = ids
        .iter()
        .filter(|id| journal.store.record().signature(**id).unwrap().is_some())
        .collect();
    assert!(signed.len() > 100, "{} signed", signed.len());
    assert!(
        signed
            .iter()
            .any(|id| !journal.store.record().addenda(**id).unwrap().is_empty())
    );
    assert!(
        journal
            .store
            .record()
            .signature_problems()
            .unwrap()
            .is_empty()
    );
    assert!(journal.store.record().audit_problems().unwrap().is_empty());
}

#[test]
fn sessions_screen_for_suicide_risk_and_esketamine_can_slow_the_breathing() {
    let journal = demo(300, 12, 1);
    let all = sessions(&journal.store);
    // Every session screens for suicide risk; each positive screen has its safety plan, and the
    // lists count it. Some esketamine sessions slow the breathing, and oxygen is given.
    let summaries = journal
        .store
        .record()
        .session_summaries(&kap_journal::store::SessionFilter::default())
        .unwrap();
    for (session, events) in &all {
        let positive = events.iter().any(|event| {
            matches!(&event.kind, EventKind::SuicideScreen { screen, .. } if screen.is_positive())
        });
        let planned = events
            .iter()
            .any(|event| matches!(event.kind, EventKind::SafetyPlan(_)));
        assert!(
            events
                .iter()
                .any(|event| matches!(event.kind, EventKind::SuicideScreen { .. }))
        );
        assert_eq!(positive, planned, "session {}", session.id);
        let counted = summaries
            .iter()
            .find(|summary| summary.id == session.id)
            .unwrap();
        assert_eq!(counted.suicide_risk > 0, positive, "session {}", session.id);
    }
    let breathing: Vec<&Session> = all
        .iter()
        .filter(|(_, events)| {
            events.iter().any(|event| {
                matches!(&event.kind, EventKind::AdverseEvent(adverse)
                    if adverse.category == kap_journal::domain::AdverseCategory::RespiratoryDepression)
            })
        })
        .map(|(session, _)| session)
        .collect();
    assert!(!breathing.is_empty());
    assert!(
        breathing
            .iter()
            .all(|session| session.route == Route::IntranasalEsketamine)
    );
}

#[test]
fn clients_have_a_story_across_their_sessions() {
    let journal = demo(300, 12, 7);
    let all = sessions(&journal.store);
    let mut by_client: BTreeMap<i64, Vec<&(Session, Vec<Event>)>> = BTreeMap::new();
    for entry in &all {
        by_client
            .entry(entry.0.client_id.0)
            .or_default()
            .push(entry);
    }
    let phq9 = |events: &[Event]| {
        events.iter().find_map(|event| match &event.kind {
            EventKind::Measure { measure, .. } if measure.instrument() == Instrument::Phq9 => {
                Some(i64::from(measure.total()))
            }
            _ => None,
        })
    };
    let mut falling = 0;
    let mut kap_clients = 0;
    let mut moved_to_kap = 0;
    for course in by_client.values_mut() {
        course.sort_by_key(|(session, _)| session.started_at);
        let models: Vec<TreatmentModel> = course.iter().map(|(session, _)| session.model).collect();
        if models.first() == Some(&TreatmentModel::Medical)
            && models.last() == Some(&TreatmentModel::Kap)
        {
            moved_to_kap += 1;
            // Once moved, they stay.
            let first_kap = models
                .iter()
                .position(|m| *m == TreatmentModel::Kap)
                .unwrap();
            assert!(
                models[first_kap..]
                    .iter()
                    .all(|m| *m == TreatmentModel::Kap)
            );
        }
        if models.contains(&TreatmentModel::Kap) && course.len() >= 6 {
            kap_clients += 1;
            // The first three sessions against the last three, so a day's noise does not decide.
            let scores: Vec<i64> = course
                .iter()
                .map(|(_, events)| phq9(events).unwrap())
                .collect();
            let first: i64 = scores[..3].iter().sum();
            let last: i64 = scores[scores.len() - 3..].iter().sum();
            if last <= first - 15 {
                falling += 1;
            }
        }
    }
    assert!(moved_to_kap >= 2, "{moved_to_kap} clients moved to KAP");
    assert!(
        falling * 10 >= kap_clients * 6,
        "{falling} of {kap_clients} KAP clients improved"
    );
    assert!(falling < kap_clients, "not every client improves");
    // Trust grows: sitting with it ends in "worked through" more often later in a KAP course.
    let (mut early, mut late) = ((0, 0), (0, 0));
    for course in by_client.values() {
        let kap: Vec<_> = course
            .iter()
            .filter(|(s, _)| s.model == TreatmentModel::Kap)
            .collect();
        for (position, (_, events)) in kap.iter().enumerate() {
            for event in events {
                if let EventKind::DeferralOutcome { outcome, .. } = event.kind {
                    let tally = if position < kap.len() / 2 {
                        &mut early
                    } else {
                        &mut late
                    };
                    tally.1 += 1;
                    if outcome == DeferralOutcome::WorkedThrough {
                        tally.0 += 1;
                    }
                }
            }
        }
    }
    let share = |(worked, all): (i32, i32)| f64::from(worked) / f64::from(all.max(1));
    assert!(share(late) > share(early), "early {early:?}, late {late:?}");
}

#[test]
fn kap_sessions_mark_what_came_up_for_the_prep_sheet() {
    for seed in SEEDS {
        let journal = demo(90, 12, seed);
        let mut marked_clients = BTreeSet::new();
        let mut marks = 0;
        for (session, events) in sessions(&journal.store) {
            let what = format!("seed {seed}, session {}", session.id.0);
            for event in &events {
                let EventKind::Marker { target_seq, on } = event.kind else {
                    continue;
                };
                assert_eq!(
                    session.model,
                    TreatmentModel::Kap,
                    "{what}: a Medical Model mark"
                );
                assert!(on, "{what}: the demo never unmarks");
                let target = events.iter().find(|e| e.seq == target_seq).unwrap();
                match &target.kind {
                    EventKind::DecisionPoint(point) => {
                        assert!(
                            matches!(point.decision, Decision::SitWithIt { .. }),
                            "{what}: {point:?}"
                        );
                    }
                    EventKind::Note { text } => assert!(
                        text.contains("integration") || text.contains("next time"),
                        "{what}: marked a note nobody asked to keep: {text}"
                    ),
                    other => panic!("{what}: marked {other:?}"),
                }
                marks += 1;
                marked_clients.insert(session.client_id);
            }
            if session.model == TreatmentModel::Medical {
                for text in events.iter().flat_map(texts) {
                    assert!(
                        !text.contains("integration") && !text.contains("therapy"),
                        "{what}: a Medical Model session speaks of integration: {text}"
                    );
                }
            }
        }
        assert!(marks >= 10, "seed {seed}: {marks} marks");
        // The prep sheet of a client with marks shows them, each with what led there.
        let mut shown = false;
        for client in &marked_clients {
            let sheet = PrepSheet::load(&journal.store, *client).unwrap();
            for marked in sheet.sessions.iter().flat_map(|session| &session.marked) {
                let Some(context) = &marked.context else {
                    continue;
                };
                shown = true;
                assert!(
                    !matches!(context.kind, EventKind::Marker { .. }),
                    "seed {seed}: a mark given as what led to another"
                );
            }
        }
        assert!(shown, "seed {seed}: no prep sheet shows a marked entry");
    }
}
