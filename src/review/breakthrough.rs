//! What followed sitting with it: each session's "sit with it" outcomes beside the next-day EBI and
//! the PHQ-9 change a week on (the one-week check-in's PHQ-9 against the session's own), Medical
//! Model and KAP apart. The evidence the KAP model needs, one client at a time.

use crate::domain::{FollowUp, Instrument, SessionId, TreatmentModel};
use crate::store::{RecordedMeasure, SessionSummary};

/// One session's outcomes and what followed.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFollowed {
    pub session: SessionId,
    /// Its place in the client's course, from 1.
    pub number: usize,
    pub model: TreatmentModel,
    pub deferrals: u32,
    pub worked_through: u32,
    /// The next-day EBI score, 0–100.
    pub ebi: Option<f64>,
    /// The one-week PHQ-9 total minus the session's own (negative: better).
    pub phq9_change: Option<i32>,
}

impl SessionFollowed {
    /// The share of the session's deferrals worked through, 0–1; `None` without deferrals.
    pub fn worked_through_share(&self) -> Option<f64> {
        (self.deferrals > 0).then(|| f64::from(self.worked_through) / f64::from(self.deferrals))
    }
}

/// Means over one model's sessions of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Followed {
    pub sessions: usize,
    pub mean_ebi: Option<f64>,
    /// How many sessions had an EBI.
    pub with_ebi: usize,
    pub mean_phq9_change: Option<f64>,
    pub with_phq9: usize,
}

impl Followed {
    fn of<'a>(sessions: impl Iterator<Item = &'a SessionFollowed>) -> Self {
        let sessions: Vec<&SessionFollowed> = sessions.collect();
        let ebi: Vec<f64> = sessions.iter().filter_map(|session| session.ebi).collect();
        let change: Vec<f64> = sessions
            .iter()
            .filter_map(|session| session.phq9_change.map(f64::from))
            .collect();
        let mean = |values: &[f64]| {
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        };
        Self {
            sessions: sessions.len(),
            mean_ebi: mean(&ebi),
            with_ebi: ebi.len(),
            mean_phq9_change: mean(&change),
            with_phq9: change.len(),
        }
    }
}

/// A client's sessions with what followed, and per model the sessions where something was worked
/// through against those where a deferral was not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Breakthrough {
    /// Oldest first.
    pub sessions: Vec<SessionFollowed>,
}

impl Breakthrough {
    /// From the client's sessions (oldest first), their questionnaires and their check-ins.
    pub fn of(
        sessions: &[SessionSummary],
        measures: &[RecordedMeasure],
        follow_ups: &[FollowUp],
    ) -> Self {
        let sessions = sessions
            .iter()
            .enumerate()
            .map(|(index, summary)| {
                let done = |kind| {
                    follow_ups
                        .iter()
                        .find(|follow_up| {
                            follow_up.session_id == summary.id && follow_up.kind == kind
                        })
                        .and_then(|follow_up| follow_up.done.as_ref())
                };
                let session_phq9 = measures
                    .iter()
                    .find(|recorded| {
                        recorded.session == summary.id
                            && recorded.measure.instrument() == Instrument::Phq9
                    })
                    .map(|recorded| recorded.measure.total());
                let week_phq9 = done(crate::domain::CheckInKind::OneWeek)
                    .and_then(|check_in| check_in.phq9.as_ref())
                    .map(crate::domain::Measure::total);
                SessionFollowed {
                    session: summary.id,
                    number: index + 1,
                    model: summary.model,
                    deferrals: summary.deferrals,
                    worked_through: summary.worked_through,
                    ebi: done(crate::domain::CheckInKind::NextDay)
                        .and_then(|check_in| check_in.ebi)
                        .map(|ebi| ebi.score()),
                    phq9_change: session_phq9.zip(week_phq9).map(|(before, after)| {
                        i32::try_from(after).unwrap_or(i32::MAX)
                            - i32::try_from(before).unwrap_or(i32::MAX)
                    }),
                }
            })
            .collect();
        Self { sessions }
    }

    /// Sessions of `model` where at least one deferral was worked through.
    pub fn worked_through(&self, model: TreatmentModel) -> Followed {
        Followed::of(
            self.sessions
                .iter()
                .filter(|session| session.model == model && session.worked_through > 0),
        )
    }

    /// Sessions of `model` with deferrals, none of them worked through.
    pub fn not_worked_through(&self, model: TreatmentModel) -> Followed {
        Followed::of(self.sessions.iter().filter(|session| {
            session.model == model && session.deferrals > 0 && session.worked_through == 0
        }))
    }

    /// Sessions of `model` without a deferral.
    pub fn without_deferral(&self, model: TreatmentModel) -> Followed {
        Followed::of(
            self.sessions
                .iter()
                .filter(|session| session.model == model && session.deferrals == 0),
        )
    }

    /// Whether any session has an EBI or a PHQ-9 change to show.
    pub fn has_follow_ups(&self) -> bool {
        self.sessions
            .iter()
            .any(|session| session.ebi.is_some() || session.phq9_change.is_some())
    }
}
