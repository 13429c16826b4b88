//! What the REMS monitoring form reads from the timeline's readings: the blood pressures at its
//! three moments, pulse oximetry, and whether sedation, dissociation and slow breathing occurred
//! and resolved.

use super::{AdverseCategory, Event, EventKind, Instrument, Thresholds};

/// A blood pressure reading and when it was taken, in minutes after the first administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedPressure {
    pub systolic: u16,
    pub diastolic: u16,
    /// Minutes after the first administration (negative before it).
    pub minutes: i64,
}

/// Whether an effect the form asks about occurred, and whether it had resolved by the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    pub occurred: bool,
    /// `None` when it occurred and the timeline shows no later reading to tell.
    pub resolved: Option<bool>,
}

/// Pulse oximetry after the first administration: how many readings, and the lowest with when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oximetry {
    pub readings: usize,
    /// The lowest SpO2 read, in percent.
    pub lowest: u8,
    /// When the lowest was read, in minutes after the first administration.
    pub lowest_at_minutes: i64,
}

/// The SpO2 readings taken after the first administration; `None` when there were none.
pub(super) fn oximetry(
    events: &[Event],
    minutes_after: &dyn Fn(i64) -> Option<i64>,
) -> Option<Oximetry> {
    let readings: Vec<(u8, i64)> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Vitals { vitals, .. } => {
                let minutes = minutes_after(event.elapsed_ms).filter(|minutes| *minutes >= 0)?;
                Some((vitals.spo2()?, minutes))
            }
            _ => None,
        })
        .collect();
    let (lowest, lowest_at_minutes) = readings.iter().copied().min_by_key(|(spo2, _)| *spo2)?;
    Some(Oximetry {
        readings: readings.len(),
        lowest,
        lowest_at_minutes,
    })
}

/// The blood pressures the form asks for: the last before dosing, the one nearest 40 minutes
/// after it (within 30 to 60), and the last after that.
pub(super) fn pressures(
    events: &[Event],
    minutes_after: &dyn Fn(i64) -> Option<i64>,
) -> (
    Option<TimedPressure>,
    Option<TimedPressure>,
    Option<TimedPressure>,
) {
    let pressures: Vec<TimedPressure> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Vitals { vitals, .. } => {
                let (systolic, diastolic) = vitals.blood_pressure()?;
                Some(TimedPressure {
                    systolic,
                    diastolic,
                    minutes: minutes_after(event.elapsed_ms)?,
                })
            }
            _ => None,
        })
        .collect();
    let before_dosing = pressures.iter().rev().find(|bp| bp.minutes < 0).copied();
    let at_about_40 = pressures
        .iter()
        .filter(|bp| (30..=60).contains(&bp.minutes))
        .min_by_key(|bp| (bp.minutes - 40).abs())
        .copied();
    let before_leaving = pressures
        .iter()
        .rev()
        .find(|bp| bp.minutes > 0 && at_about_40.is_none_or(|forty| bp.minutes > forty.minutes))
        .copied();
    (before_dosing, at_about_40, before_leaving)
}

/// Any rating below fully alert (MOAA/S 5) is sedation; it resolved when the last rating is 5.
pub(super) fn sedation(events: &[Event]) -> Effect {
    let ratings: Vec<u8> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Sedation { rating, .. } => Some(rating.score()),
            _ => None,
        })
        .collect();
    let occurred = ratings.iter().any(|score| *score < 5);
    Effect {
        occurred,
        resolved: occurred.then(|| ratings.last().is_some_and(|score| *score == 5)),
    }
}

/// A CADSS-6 above zero is dissociation; it resolved when a later one is zero. With no later one,
/// whether it resolved is not known from the timeline.
pub(super) fn dissociation(events: &[Event]) -> Effect {
    let totals: Vec<u32> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Measure { measure, .. } if measure.instrument() == Instrument::Cadss6 => {
                Some(measure.total())
            }
            _ => None,
        })
        .collect();
    let first_above = totals.iter().position(|total| *total > 0);
    Effect {
        occurred: first_above.is_some(),
        resolved: first_above.and_then(|first| {
            let later = &totals[first + 1..];
            (!later.is_empty()).then(|| later.last() == Some(&0))
        }),
    }
}

/// A respiratory rate below the clinic's threshold, or the adverse event of that name; it resolved
/// when the last rate read is at or above the threshold.
pub(super) fn respiratory_depression(events: &[Event], thresholds: &Thresholds) -> Effect {
    let rates: Vec<u8> = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::Vitals { vitals, .. } => vitals.respiratory_rate(),
            _ => None,
        })
        .collect();
    let slow = |rate: &u8| *rate < thresholds.respiratory_rate_below;
    let reported = events.iter().any(|event| {
        matches!(&event.kind, EventKind::AdverseEvent(adverse) if adverse.category == AdverseCategory::RespiratoryDepression)
    });
    let occurred = reported || rates.iter().any(slow);
    Effect {
        occurred,
        resolved: occurred
            .then(|| rates.last().map(|rate| !slow(rate)))
            .flatten(),
    }
}
