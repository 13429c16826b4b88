//! The readings a synthetic session takes: vitals on the route's schedule (now and then raised),
//! questionnaires answered item by item to a total, and the rare adverse event.

use rand::Rng;
use rand::rngs::StdRng;

use crate::domain::{
    AdverseCategory, AdverseEvent, AdverseSeverity, EventKind, Instrument, Measure, Route, Vitals,
};

/// A minute in milliseconds, the unit a synthetic timeline is laid out in.
pub(super) const MINUTE: i64 = 60_000;

/// How often vitals are due after dosing: every 15 minutes, but intranasal esketamine is checked at
/// about 40 minutes and before leaving.
pub(super) fn vitals_every(route: Route) -> i64 {
    match route {
        Route::IntranasalEsketamine => 40 * MINUTE,
        _ => 15 * MINUTE,
    }
}

pub(super) fn vitals(rng: &mut StdRng, raised: bool) -> EventKind {
    let (systolic, diastolic) = if raised {
        (rng.random_range(160..=178), rng.random_range(95..=105))
    } else {
        (rng.random_range(112..=142), rng.random_range(70..=90))
    };
    let heart_rate = rng.random_range(62..=96);
    // Breathing follows the heart rate a little (12–18 a minute), drawn from no randomness of its
    // own so every seed's practice stays the one it was.
    let respiratory_rate = 12 + u8::try_from(heart_rate % 7).unwrap_or_default();
    let reading = Vitals::with_breathing(
        Some((systolic, diastolic)),
        Some(heart_rate),
        Some(rng.random_range(95..=99)),
        Some(respiratory_rate),
        None,
    );
    match reading {
        Ok(vitals) => EventKind::Vitals {
            vitals,
            note: String::new(),
        },
        Err(_) => EventKind::Note {
            text: "Vitals taken, within range.".to_owned(),
        },
    }
}

/// A questionnaire whose items add up to `total`, spread over the items as answers are.
pub(super) fn measure(rng: &mut StdRng, instrument: Instrument, total: u32) -> EventKind {
    let items = instrument.items();
    let max = instrument.max_answer();
    let mut answers = vec![0_u8; items];
    // PHQ-9's last item (thoughts of self-harm) is left at 0 here; the few clients at risk have it
    // set afterwards (`with_item_9`).
    let answerable = if instrument == Instrument::Phq9 {
        items - 1
    } else {
        items
    };
    let capacity = answerable as u32 * u32::from(max);
    for _ in 0..total.min(capacity) {
        loop {
            let item = rng.random_range(0..answerable);
            if answers[item] < max {
                answers[item] += 1;
                break;
            }
        }
    }
    match Measure::new(instrument, answers) {
        Ok(measure) => EventKind::Measure {
            measure,
            note: String::new(),
        },
        Err(_) => EventKind::Note {
            text: format!("{} completed.", instrument.label()),
        },
    }
}

/// A rare adverse event and the minute after dosing it happens at.
pub(super) fn pick_adverse(rng: &mut StdRng) -> Option<(i64, AdverseEvent)> {
    let roll: f64 = rng.random();
    let (category, severity, detail, action) = match roll {
        r if r < 0.06 => (
            AdverseCategory::NauseaVomiting,
            AdverseSeverity::Mild,
            "Nausea, no vomiting.",
            "Ondansetron 4 mg given; settled.",
        ),
        r if r < 0.08 => (
            AdverseCategory::AnxietyPanic,
            AdverseSeverity::Mild,
            "Brief panic as the effects came on.",
            "Grounding and comfort plan; settled in minutes.",
        ),
        r if r < 0.10 => (
            AdverseCategory::Hypertension,
            AdverseSeverity::Mild,
            "Blood pressure rose above the clinic's threshold.",
            "Rechecked in five minutes; settled without treatment.",
        ),
        r if r < 0.11 => (
            AdverseCategory::EmergenceReaction,
            AdverseSeverity::Moderate,
            "Disoriented and frightened for a few minutes.",
            "Stayed with client, lights lowered; resolved.",
        ),
        _ => return None,
    };
    Some((
        rng.random_range(10..=35),
        AdverseEvent {
            category,
            severity,
            detail: detail.to_owned(),
            action: action.to_owned(),
        },
    ))
}
