//! Each synthetic client's story across their sessions: which model they are treated under (some move
//! from the Medical Model to KAP), by which route, how often they come, how their PHQ-9 and GAD-7 move
//! over the course (falling for most, not for all), and how their trust grows, so that "sit with it"
//! ends in "worked through" more often as the course goes on.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::clinic_hours::weekday_on_or_before;
use super::phrases::pick;
use crate::domain::{NoteFormat, Route, TreatmentModel};

/// Sessions of an induction course, before the visits space out.
const INDUCTION: usize = 6;
/// The longest span a client's sessions are spread over.
const LONGEST_SPAN_DAYS: i64 = 5 * 365;

/// How a client moves between the models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelPath {
    MedicalOnly,
    KapOnly,
    /// Medical Model sessions first; KAP from this session on.
    MedicalThenKap {
        from_session: usize,
    },
}

/// One client's course.
#[derive(Debug, Clone)]
pub struct Story {
    pub path: ModelPath,
    pub route: Route,
    /// PHQ-9 at the first session, and whether the client improves over the course.
    pub phq9_start: f64,
    pub responds: bool,
    /// How this client's clinician writes progress notes.
    pub note_format: NoteFormat,
    /// The days of their sessions, oldest first.
    pub days: Vec<NaiveDate>,
    /// Medicines as the checklist lists them.
    pub medicines: Vec<String>,
    /// The client's place in the practice, from 0: what a few storylines hang on, drawn from no
    /// randomness so every seed's practice stays the one it was.
    pub client_index: usize,
}

impl Story {
    /// A story for a client with `sessions` sessions, all on or before `last_day`.
    pub fn new(
        rng: &mut StdRng,
        client_index: usize,
        sessions: usize,
        last_day: NaiveDate,
    ) -> Self {
        let path = match client_index % 3 {
            0 => ModelPath::KapOnly,
            1 => ModelPath::MedicalThenKap {
                from_session: (sessions * 2 / 5).max(1),
            },
            _ => ModelPath::MedicalOnly,
        };
        // Most clinics give ketamine by IV infusion; KAP also uses IM and lozenges; esketamine is the
        // Spravato route, given under REMS monitoring. Every route has its clients in a practice of
        // a dozen or more.
        let route = match path {
            ModelPath::KapOnly => [
                Route::IvInfusion,
                Route::Intramuscular,
                Route::SublingualLozenge,
                Route::IntranasalEsketamine,
            ][client_index / 3 % 4],
            ModelPath::MedicalThenKap { .. } | ModelPath::MedicalOnly => [
                Route::IvInfusion,
                Route::IntranasalEsketamine,
                Route::IvInfusion,
            ][client_index / 3 % 3],
        };
        // Most improve, not all: four in five of the clients in KAP, three in five of the others.
        let responds = match path {
            ModelPath::MedicalOnly => client_index % 5 < 3,
            _ => client_index % 5 != 4,
        };
        Self {
            path,
            route,
            phq9_start: f64::from(rng.random_range(14..=24_u8)),
            responds,
            note_format: *pick(rng, &NoteFormat::ALL),
            days: schedule(rng, sessions, last_day),
            medicines: medicines(rng),
            client_index,
        }
    }

    pub fn model(&self, session: usize) -> TreatmentModel {
        match self.path {
            ModelPath::KapOnly => TreatmentModel::Kap,
            ModelPath::MedicalThenKap { from_session } if session >= from_session => {
                TreatmentModel::Kap
            }
            ModelPath::MedicalOnly | ModelPath::MedicalThenKap { .. } => TreatmentModel::Medical,
        }
    }

    /// The PHQ-9 total expected before session `session` (0-based), before the day's noise.
    pub fn phq9(&self, session: usize) -> f64 {
        let course = session.min(INDUCTION * 2) as f64;
        if self.responds {
            (self.phq9_start - course * 1.4).max(4.0)
        } else {
            self.phq9_start - (course * 0.2).min(2.0)
        }
    }

    /// How far into the client's KAP work session `session` is: trust grows with it.
    pub fn kap_sessions_before(&self, session: usize) -> usize {
        (0..session)
            .filter(|index| self.model(*index) == TreatmentModel::Kap)
            .count()
    }
}

/// Session days: an induction course of two a week, then every two to four weeks, on weekdays, the
/// last on or before `last_day` (a few weeks before it for some). Laid out backwards from the end, so
/// no day is ever after it. A client with very many sessions comes more often, so the course fits in
/// [`LONGEST_SPAN_DAYS`].
fn schedule(rng: &mut StdRng, sessions: usize, last_day: NaiveDate) -> Vec<NaiveDate> {
    let gaps: Vec<i64> = (1..sessions)
        .map(|index| {
            if index < INDUCTION {
                rng.random_range(3..=4)
            } else {
                rng.random_range(14..=28)
            }
        })
        .collect();
    let span: i64 = gaps.iter().sum();
    let squeeze = if span > LONGEST_SPAN_DAYS {
        LONGEST_SPAN_DAYS as f64 / span as f64
    } else {
        1.0
    };
    let slack = rng.random_range(0..=60);
    let mut day = weekday_on_or_before(last_day - Duration::days(slack));
    let mut days = Vec::with_capacity(sessions);
    days.push(day);
    for gap in gaps.iter().rev() {
        day = weekday_on_or_before(day - Duration::days(((*gap as f64 * squeeze) as i64).max(1)));
        days.push(day);
    }
    days.truncate(sessions);
    days.reverse();
    days
}

fn medicines(rng: &mut StdRng) -> Vec<String> {
    const MEDICINES: &[&str] = &[
        "sertraline 100 mg daily",
        "escitalopram 10 mg daily",
        "bupropion XL 150 mg daily",
        "lamotrigine 100 mg daily",
        "propranolol 10 mg as needed",
        "levothyroxine 50 mcg daily",
        "vitamin D 1000 IU daily",
    ];
    (0..rng.random_range(0..=2))
        .map(|_| (*pick(rng, MEDICINES)).to_owned())
        .collect()
}
