//! Property: any valid session, written as an archive, imported into an empty journal and exported
//! again, comes back as the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::ops::ControlFlow;

use chrono::{DateTime, TimeZone, Utc};
use kap_journal::domain::{
    AdverseCategory, AdverseEvent, AdverseSeverity, Asked, CameUp, CheckIn, CheckInKind,
    ConsentGiven, ConsentItem, Decision, DecisionPoint, DeferralOutcome, Discharge, Dose, DoseUnit,
    Ebi, EventKind, Infusion, Instrument, Measure, NoteFormat, PreSession, ProgressNote, Route,
    Sedation, Seq, SessionStatus, TreatmentModel, Vitals,
};
use kap_journal::export::{
    ArchivedClient, ArchivedEvent, ArchivedFollowUp, ArchivedSession, ExportOptions,
    FORMAT_VERSION, OnExisting, import_archive, write_archive,
};
use proptest::prelude::*;

/// One step of a generated timeline; steps become valid entries (references point backwards).
#[derive(Debug, Clone)]
enum Step {
    Note(String),
    DoseChange(Option<Dose>, String),
    Decision {
        came_up: CameUp,
        asked: Asked,
        decision: u8,
        minutes: u32,
        outcome: DeferralOutcome,
        detail: String,
        rationale: String,
    },
    Marker {
        back: usize,
        on: bool,
    },
    /// Vitals, sedation, a questionnaire or an adverse event: entries that stand alone.
    Clinical(EventKind),
}

fn text() -> impl Strategy<Value = String> {
    // Any printable text, emoji and right-to-left scripts included.
    "\\PC{0,40}"
}

fn dose() -> impl Strategy<Value = Dose> {
    let infusion = proptest::option::of(1u32..=600)
        .prop_map(|minutes| minutes.map(|over_minutes| Infusion { over_minutes }));
    (
        prop_oneof![
            (0.05f64..2.0).prop_map(|amount| (amount, DoseUnit::MgPerKg)),
            // At most 190 mg stays below 10 mg/kg at the lightest weight accepted (20 kg).
            (1.0f64..190.0).prop_map(|amount| (amount, DoseUnit::Mg)),
        ],
        infusion,
    )
        .prop_map(|((amount, unit), infusion)| Dose::new(amount, unit, infusion).unwrap())
}

fn clinical() -> impl Strategy<Value = EventKind> {
    let vitals = (
        proptest::option::of((100u16..=250, 40u16..=99)),
        proptest::option::of(20u16..=250),
        proptest::option::of(50u8..=100),
        proptest::option::of(2u8..=60),
        proptest::option::of(5u16..=150),
        text(),
    )
        .prop_filter_map(
            "at least one sign",
            |(bp, hr, spo2, respiratory_rate, oxygen, note)| {
                Vitals::with_breathing(bp, hr, spo2, respiratory_rate, oxygen)
                    .ok()
                    .map(|vitals| EventKind::Vitals { vitals, note })
            },
        );
    let sedation = (0u8..=5, text()).prop_map(|(score, note)| EventKind::Sedation {
        rating: Sedation::new(score).unwrap(),
        note,
    });
    let measure = (
        prop::sample::select(Instrument::ALL.to_vec()),
        prop::collection::vec(0u8..=4, 9),
        text(),
    )
        .prop_map(|(instrument, answers, note)| {
            let answers = answers
                .into_iter()
                .take(instrument.items())
                .map(|answer| answer.min(instrument.max_answer()))
                .collect();
            EventKind::Measure {
                measure: Measure::new(instrument, answers).unwrap(),
                note,
            }
        });
    let adverse = (
        prop::sample::select(AdverseCategory::ALL.to_vec()),
        prop::sample::select(AdverseSeverity::ALL.to_vec()),
        text(),
        text(),
    )
        .prop_map(|(category, severity, detail, action)| {
            EventKind::AdverseEvent(AdverseEvent {
                category,
                severity,
                detail,
                action,
            })
        });
    // Without a weight of its own: the doses are fitted to the client's weight.
    let checklist = (
        proptest::option::of(0.0f64..=72.0),
        prop::collection::vec("[A-Za-z][a-z0-9 ]{0,20}[a-z0-9]", 0..4),
        proptest::option::of("[A-Z0-9][A-Za-z0-9./-]{0,39}"),
        proptest::option::of((
            1u32..1000,
            0i64..4_000_000_000_000,
            prop::sample::subsequence(ConsentItem::ALL.to_vec(), 0..=4),
            0i64..4000,
        )),
        any::<bool>(),
    )
        .prop_map(|(fasting_hours, medicines, lot, consent, in_pounds)| {
            let consent_given = consent.map(|(version, given_ms, agreed, renew_in)| {
                let given_at = chrono::DateTime::from_timestamp_millis(given_ms).unwrap();
                ConsentGiven {
                    version,
                    given_at,
                    agreed,
                    renew_by: given_at.date_naive() + chrono::Days::new(renew_in as u64),
                }
            });
            EventKind::PreSession(PreSession {
                weight_kg: None,
                // The unit survives the trip whatever the weight.
                weighed_in: if in_pounds {
                    kap_journal::domain::WeightUnit::Lb
                } else {
                    kap_journal::domain::WeightUnit::Kg
                },
                fasting_hours,
                medicines,
                consent: true,
                lot: lot.and_then(|lot| kap_journal::domain::LotCode::parse(&lot).ok()),
                consent_given,
            })
        });
    prop_oneof![vitals, sedation, measure, adverse, checklist]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => text().prop_map(Step::Note),
        1 => (proptest::option::of(dose()), text()).prop_map(|(dose, reason)| Step::DoseChange(dose, reason)),
        2 => (
            prop::sample::select(CameUp::ALL.to_vec()),
            prop::sample::select(Asked::ALL.to_vec()),
            0u8..4,
            1u32..=60,
            prop::sample::select(DeferralOutcome::ALL.to_vec()),
            text(),
            text(),
        )
            .prop_map(|(came_up, asked, decision, minutes, outcome, detail, rationale)| {
                Step::Decision { came_up, asked, decision, minutes, outcome, detail, rationale }
            }),
        1 => (0usize..50, any::<bool>()).prop_map(|(back, on)| Step::Marker { back, on }),
        2 => clinical().prop_map(Step::Clinical),
    ]
}

/// Without a known weight only doses in mg are possible: mg/kg becomes mg for a 70 kg adult.
fn fit(dose: Dose, weight_kg: Option<f64>) -> Dose {
    match (dose.unit(), weight_kg) {
        (DoseUnit::MgPerKg, None) => {
            Dose::new(dose.amount() * 70.0, DoseUnit::Mg, dose.infusion()).unwrap()
        }
        _ => dose,
    }
}

/// Milliseconds between 2020 and 2030: the store keeps times to the millisecond.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_577_836_800_000i64..1_893_456_000_000).prop_map(|ms| Utc.timestamp_millis_opt(ms).unwrap())
}

prop_compose! {
    fn session()(
        uuid in any::<u128>(),
        code in "[A-Z]-[0-9]{4}",
        display_name in proptest::option::of("[A-Za-z][A-Za-z ]{0,12}[a-z]"),
        weight_kg in proptest::option::of(20.0f64..=350.0),
        model in prop::sample::select(TreatmentModel::ALL.to_vec()),
        route in prop::sample::select(Route::ALL.to_vec()),
        planned_dose in dose(),
        intention in text(),
        comfort_plan in text(),
        started_at in instant(),
        begins_dosing in any::<bool>(),
        steps in prop::collection::vec((step(), 0i64..600_000), 0..40),
        ended in any::<bool>(),
        discharge in proptest::option::of((any::<bool>(), any::<bool>(), text())),
        progress_note in proptest::option::of((
            prop::sample::select(NoteFormat::ALL.to_vec()),
            "[A-Za-z]\\PC{0,40}",
            prop::collection::vec(text(), 3),
        )),
        private_note in proptest::option::of("\\PC{0,40}[a-z]"),
    ) -> ArchivedSession {
        let planned_dose = fit(planned_dose, weight_kg);
        let mut events: Vec<ArchivedEvent> = Vec::new();
        let mut elapsed = 0;
        let push = |events: &mut Vec<ArchivedEvent>, elapsed: i64, entry: EventKind| {
            let seq = u32::try_from(events.len() + 1).unwrap();
            events.push(ArchivedEvent {
                seq,
                wall_time: started_at + chrono::Duration::milliseconds(elapsed),
                elapsed_ms: elapsed,
                entry,
            });
            Seq(seq)
        };
        if begins_dosing {
            push(&mut events, 0, EventKind::DosingBegan { dose: planned_dose });
        }
        for (step, pause) in steps {
            elapsed += pause;
            match step {
                Step::Note(text) => {
                    push(&mut events, elapsed, EventKind::Note { text });
                }
                Step::DoseChange(dose, reason) => {
                    let dose = dose.map(|dose| fit(dose, weight_kg));
                    push(&mut events, elapsed, EventKind::DoseChange { dose, reason });
                }
                Step::Decision { came_up, asked, decision, minutes, outcome, detail, rationale } => {
                    let decision = match decision {
                        0 => Decision::LowerNow,
                        1 => Decision::Hold,
                        2 => Decision::Stop,
                        _ => Decision::SitWithIt { minutes },
                    };
                    let point = push(&mut events, elapsed, EventKind::DecisionPoint(DecisionPoint {
                        came_up, detail, asked, decision, rationale,
                    }));
                    if let Decision::SitWithIt { minutes } = decision {
                        let deferral = push(&mut events, elapsed, EventKind::DeferralStart {
                            decision_seq: point, minutes,
                        });
                        elapsed += i64::from(minutes) * 60_000;
                        push(&mut events, elapsed, EventKind::DeferralOutcome {
                            deferral_seq: deferral, outcome, note: String::new(),
                        });
                    }
                }
                Step::Clinical(entry) => {
                    push(&mut events, elapsed, entry);
                }
                Step::Marker { back, on } => {
                    if !events.is_empty() {
                        let target = Seq(u32::try_from(events.len() - back % events.len()).unwrap());
                        push(&mut events, elapsed, EventKind::Marker { target_seq: target, on });
                    }
                }
            }
        }
        let ended_at = ended.then(|| {
            push(&mut events, elapsed, EventKind::SessionEnded {
                note: "done".into(),
                discharge: discharge.map(|(criteria_met, ride_home, follow_up)| Discharge {
                    criteria_met, ride_home, follow_up,
                                    ..Discharge::default()
                }),
            });
            started_at + chrono::Duration::milliseconds(elapsed)
        });
        ArchivedSession {
            uuid: uuid::Uuid::from_u128(uuid),
            client: ArchivedClient { code, display_name, weight_kg },
            model,
            route,
            planned_dose,
            intention,
            comfort_plan,
            status: if ended { SessionStatus::Ended } else { SessionStatus::Live },
            started_at,
            ended_at,
            zone: [None, Some("America/New_York"), Some("Australia/Sydney")][uuid as usize % 3]
                .map(|name| kap_journal::domain::ClinicZone::parse(name).unwrap()),
            events,
            // A note is stored only with writing in it; the first section always has some.
            progress_note: progress_note.map(|(format, first, rest)| {
                let mut sections = vec![first];
                sections.extend(rest.into_iter().take(format.sections().len() - 1));
                ProgressNote::new(format, sections).unwrap()
            }),
            private_note,
            // A signature carries a digest only a journal computes; signed sessions make the round
            // trip in tests/signing.rs.
            signature: None,
            addenda: Vec::new(),
            co_session: None,
            follow_ups: ended_at
                .map(|ended| follow_ups(ended, uuid))
                .unwrap_or_default(),
        }
    }
}

/// An ended session's check-ins, drawn from the generated uuid's bits: the next-day one done with
/// an EBI and a note, the one a week on still open.
fn follow_ups(ended: chrono::DateTime<chrono::Utc>, bits: u128) -> Vec<ArchivedFollowUp> {
    let ratings: Vec<u8> = (0..6)
        .map(|item| ((bits >> (item * 8)) % 101) as u8)
        .collect();
    let check_in = CheckIn {
        at: ended + chrono::Duration::hours(20),
        ebi: Some(Ebi::try_from(ratings).unwrap()),
        phq9: None,
        note: format!("check-in {}", bits % 1000),
    };
    vec![
        ArchivedFollowUp {
            kind: CheckInKind::NextDay,
            due: CheckInKind::NextDay.due_after(ended),
            done: Some(check_in),
        },
        ArchivedFollowUp {
            kind: CheckInKind::OneWeek,
            due: CheckInKind::OneWeek.due_after(ended),
            done: None,
        },
    ]
}

/// The archive as export lays it out.
fn archive_of(sessions: &[ArchivedSession]) -> String {
    let lines: Vec<String> = sessions
        .iter()
        .map(|session| serde_json::to_string(session).unwrap())
        .collect();
    format!(
        "{{\n  \"format_version\": {FORMAT_VERSION},\n  \"sessions\": [\n    {}\n  ]\n}}\n",
        lines.join(",\n    ")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_valid_sessions_survive_export_import_export_byte_for_byte(
        sessions in prop::collection::vec(session(), 1..4)
    ) {
        // A client code names one client: give each generated client its own.
        let sessions: Vec<ArchivedSession> = sessions
            .into_iter()
            .enumerate()
            .map(|(index, mut session)| {
                session.client.code = format!("{}-{index}", session.client.code);
                session
            })
            .collect();
        let mut uuids = std::collections::HashSet::new();
        prop_assume!(sessions.iter().all(|session| uuids.insert(session.uuid)));
        let json = archive_of(&sessions);
        let mut journal = common::journal();
        import_archive(&mut journal.store, json.as_bytes(), OnExisting::Refuse, Utc::now())
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        let mut again = Vec::new();
        let ids = journal.store.record().session_ids().unwrap();
        let everything = ExportOptions { include_private: true };
        write_archive(&journal.store, &ids, everything, &mut again, |_, _| ControlFlow::Continue(())).unwrap();
        let again = String::from_utf8(again).unwrap();
        common::assert_archive_matches_schema(&again);
        prop_assert_eq!(again, json);
    }
}
