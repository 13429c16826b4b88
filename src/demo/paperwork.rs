//! What follows a synthetic session in the journal: its progress note (in the clinician's format:
//! SOAP, DAP or BIRP), now and then a private psychotherapy note, and for older sessions a signature,
//! some with an addendum.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::phrases::pick;
use crate::domain::{Addendum, Clinician, NoteFormat, ProgressNote, TreatmentModel};

/// The clinicians of the synthetic practice.
pub const CLINICIANS: [(&str, &str); 3] = [
    ("R. Example", "PsyD (synthetic)"),
    ("J. Sample", "RN (synthetic)"),
    ("M. Placeholder", "MD (synthetic)"),
];

/// Who signs: the psychiatrist signs Medical Model sessions, the therapist KAP sessions.
pub fn clinician(model: TreatmentModel) -> Clinician {
    let (name, credentials) = match model {
        TreatmentModel::Kap => CLINICIANS[0],
        TreatmentModel::Medical => CLINICIANS[2],
    };
    Clinician {
        name: name.to_owned(),
        credentials: credentials.to_owned(),
    }
}

/// A progress note in `format`, written from what the session held.
pub fn progress_note(
    rng: &mut StdRng,
    format: NoteFormat,
    phq9: u32,
    model: TreatmentModel,
) -> Option<ProgressNote> {
    const SUBJECTIVE: &[&str] = &[
        "Reports sleeping better since the last session.",
        "Says the week was hard; low mood most mornings.",
        "Describes less rumination at work.",
        "Reports more patience with the children.",
    ];
    const ASSESSMENT: &[&str] = &[
        "Tolerated the session well; engaged with difficult material.",
        "Mood improving; continues to benefit from the course.",
        "Mixed response so far; keep the current plan and review in two sessions.",
    ];
    let plans: &[&str] = match model {
        TreatmentModel::Kap => &[
            "Next session as scheduled; integration in between.",
            "Continue the course; bring the journal to integration.",
            "Review dose at the next session.",
        ],
        TreatmentModel::Medical => &[
            "Next session as scheduled.",
            "Psychiatrist to review response after the series.",
            "Review dose at the next session.",
        ],
    };
    let objective = format!(
        "PHQ-9 {phq9} before dosing; vitals stable throughout; discharged with criteria met ({}).",
        model.label()
    );
    let sections = match format {
        NoteFormat::Soap => vec![
            (*pick(rng, SUBJECTIVE)).to_owned(),
            objective,
            (*pick(rng, ASSESSMENT)).to_owned(),
            (*pick(rng, plans)).to_owned(),
        ],
        NoteFormat::Dap => vec![
            format!("{} {objective}", pick(rng, SUBJECTIVE)),
            (*pick(rng, ASSESSMENT)).to_owned(),
            (*pick(rng, plans)).to_owned(),
        ],
        NoteFormat::Birp => vec![
            (*pick(rng, SUBJECTIVE)).to_owned(),
            "Ketamine session with therapist present; comfort plan used as agreed.".to_owned(),
            (*pick(rng, ASSESSMENT)).to_owned(),
            (*pick(rng, plans)).to_owned(),
        ],
    };
    ProgressNote::new(format, sections).ok()
}

/// A private psychotherapy note, for a few KAP sessions.
pub fn private_note(rng: &mut StdRng) -> String {
    const PRIVATE: &[&str] = &[
        "Transference: reached for my hand at the hardest moment; explore dependence gently.",
        "My own reaction to the grief material was strong today; take to supervision.",
        "Hypothesis: the anger protects an older fear of abandonment.",
    ];
    (*pick(rng, PRIVATE)).to_owned()
}

/// An addendum to a signed session.
pub fn addendum(
    rng: &mut StdRng,
    clinician: &Clinician,
    signed_at: DateTime<Utc>,
) -> Option<Addendum> {
    const LATE: &[(&str, &str)] = &[
        (
            "late entry",
            "Client called the next day: slept well, mood brighter.",
        ),
        (
            "correction",
            "The memory discussed concerned the grandfather, not the father.",
        ),
        (
            "late entry",
            "Partner reported the client was calm and talkative on the way home.",
        ),
    ];
    let (reason, text) = *pick(rng, LATE);
    Addendum::new(
        clinician,
        signed_at + Duration::hours(rng.random_range(12..=60)),
        reason,
        text,
    )
    .ok()
}
