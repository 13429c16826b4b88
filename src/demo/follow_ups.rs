//! The demo practice's integration check-ins: planned for every session as the journal plans them,
//! and recorded for those due by the demo's last day, but for one in three of the last ten days'
//! (so a few are overdue, as in a practice that keeps up).
//! What they found follows the session without a draw of the random generator: the more the client
//! worked through, the higher the next-day EBI and the larger the fall in PHQ-9 a week on, more so
//! in KAP.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use crate::domain::{
    CheckIn, CheckInKind, Ebi, FollowUp, FollowUpId, Instrument, Measure, SessionId, TreatmentModel,
};
use crate::store::{SessionFilter, SessionSummary, Store, StoreError};

const NOTES: &[&str] = &[
    "Slept well; still thinking about what came up.",
    "Tired in the morning, calmer by the afternoon.",
    "Wrote down what they saw; wants to bring it next time.",
    "A heavy day, but not a frightening one.",
];

pub fn record_check_ins(store: &mut Store, last_day: NaiveDate) -> Result<(), StoreError> {
    if store.record().session_ids()?.is_empty() {
        return Ok(());
    }
    let mut follow_ups = Vec::new();
    for client in store.record().clients()? {
        // The session's own PHQ-9, the one a week on is compared with.
        let phq9: HashMap<SessionId, Measure> = store
            .record()
            .measures_of(client.id)?
            .into_iter()
            .filter(|recorded| recorded.measure.instrument() == Instrument::Phq9)
            .rev()
            .map(|recorded| (recorded.session, recorded.measure))
            .collect();
        let sessions = store.record().session_summaries(&SessionFilter {
            client_code: Some(client.code.clone()),
            ..SessionFilter::default()
        })?;
        for summary in sessions {
            if store.registers().follow_ups(summary.id)?.is_empty() {
                follow_ups.extend(check_ins(&summary, phq9.get(&summary.id), last_day));
            }
        }
    }
    store.registers_mut().insert_follow_ups(&follow_ups)
}

fn check_ins(
    summary: &SessionSummary,
    phq9: Option<&Measure>,
    last_day: NaiveDate,
) -> Vec<FollowUp> {
    let Some(ended) = summary.ended_at else {
        return Vec::new();
    };
    let id = summary.id.0.unsigned_abs() as usize;
    CheckInKind::ALL
        .into_iter()
        .map(|kind| {
            let due = kind.due_after(ended);
            let recent = due > last_day - Duration::days(10);
            let done = (due <= last_day && !(recent && id.is_multiple_of(3))).then(|| CheckIn {
                at: due.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc()
                    + Duration::minutes((id % 5 * 25) as i64),
                ebi: (kind == CheckInKind::NextDay)
                    .then(|| ebi(summary, id))
                    .flatten(),
                phq9: (kind == CheckInKind::OneWeek)
                    .then(|| phq9.and_then(|measure| week_on(measure, summary)))
                    .flatten(),
                note: NOTES[id % NOTES.len()].to_owned(),
            });
            FollowUp {
                id: FollowUpId(0),
                session_id: summary.id,
                kind,
                due,
                done,
            }
        })
        .collect()
}

/// Higher the more was worked through, more so in KAP; each item a little apart.
fn ebi(summary: &SessionSummary, id: usize) -> Option<Ebi> {
    let worked = i32::try_from(summary.worked_through.min(3)).unwrap_or(3);
    let base = match summary.model {
        TreatmentModel::Kap => 30 + 15 * worked,
        TreatmentModel::Medical => 20 + 8 * worked,
    };
    let ratings: Vec<u8> = (0..6)
        .map(|item| {
            let spread = i32::try_from((id * 7 + item * 13) % 21).unwrap_or(0) - 10;
            u8::try_from((base + spread).clamp(0, 100)).unwrap_or(0)
        })
        .collect();
    Ebi::try_from(ratings).ok()
}

/// The session's PHQ-9 with a few points fewer: one more for each deferral worked through, and
/// one more in KAP.
fn week_on(measure: &Measure, summary: &SessionSummary) -> Option<Measure> {
    let mut answers = measure.answers().to_vec();
    let mut fewer =
        summary.worked_through.min(3) as usize + usize::from(summary.model == TreatmentModel::Kap);
    // Round the items, never below zero; item 9 (self-harm) first when it was raised.
    let order = [8, 0, 1, 3, 5, 2, 4, 6, 7];
    while fewer > 0 && answers.iter().any(|answer| *answer > 0) {
        for &item in &order {
            if fewer > 0 && answers[item] > 0 {
                answers[item] -= 1;
                fewer -= 1;
            }
        }
    }
    Measure::new(Instrument::Phq9, answers).ok()
}
