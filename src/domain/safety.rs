//! Safety signals: the readings and answers that must catch the clinician's eye at once, in the
//! timeline, in the live header (also during a "sit with it" deferral) and in every summary.

use super::{EventKind, LatestReadings, Thresholds};

/// The signals one entry raises under the clinic's thresholds, as short sentences.
pub fn entry_flags(kind: &EventKind, thresholds: &Thresholds) -> Vec<String> {
    match kind {
        EventKind::Vitals { vitals, .. } => thresholds
            .flags(vitals)
            .into_iter()
            .map(super::VitalsFlag::describe)
            .collect(),
        EventKind::Sedation { rating, .. } if rating.is_deep() => {
            vec![format!("Deep sedation (MOAA/S {})", rating.score())]
        }
        EventKind::Measure { measure, .. } if measure.self_harm_flag() => {
            vec!["PHQ-9 item 9 above zero".to_owned()]
        }
        EventKind::AdverseEvent(event) if event.severity == super::AdverseSeverity::Severe => {
            vec![format!("Severe adverse event: {}", event.category.label())]
        }
        EventKind::SuicideScreen { screen, .. } if screen.is_positive() => {
            vec![format!("Suicide risk screen {}", screen.result().label())]
        }
        EventKind::PreSession(checklist) => checklist.flags(),
        // Every other kind by name (kinds that raise no signal (or not this time)): a new kind is placed here or above.
        EventKind::Note { .. }
        | EventKind::DosingBegan { .. }
        | EventKind::DoseChange { .. }
        | EventKind::InfusionExtended { .. }
        | EventKind::DecisionPoint(_)
        | EventKind::DecisionDetail { .. }
        | EventKind::DeferralStart { .. }
        | EventKind::DeferralMinutes { .. }
        | EventKind::DeferralOutcome { .. }
        | EventKind::WentAhead { .. }
        | EventKind::Marker { .. }
        | EventKind::Sedation { .. }
        | EventKind::Measure { .. }
        | EventKind::AdverseEvent(_)
        | EventKind::SuicideScreen { .. }
        | EventKind::SafetyPlan(_)
        | EventKind::SessionEnded { .. } => Vec::new(),
    }
}

/// The signals still standing: the newest value of each vital sign and of sedation, judged against
/// the thresholds. A signal stays until a newer reading of that sign is inside its limits.
pub fn active_flags(latest: &LatestReadings, thresholds: &Thresholds) -> Vec<String> {
    let mut flags: Vec<String> = latest
        .vitals()
        .map(|vitals| {
            thresholds
                .flags(&vitals)
                .into_iter()
                .map(super::VitalsFlag::describe)
                .collect()
        })
        .unwrap_or_default();
    if let Some((rating, _)) = latest.sedation
        && rating.is_deep()
    {
        flags.push(format!("Deep sedation (MOAA/S {})", rating.score()));
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Sedation, Vitals};

    #[test]
    fn a_flag_stands_until_a_newer_reading_of_that_sign_is_normal() {
        let thresholds = Thresholds::default();
        let mut latest = LatestReadings {
            blood_pressure: Some(((184, 100), 1_000)),
            heart_rate: Some((80, 1_000)),
            ..LatestReadings::default()
        };
        assert_eq!(
            active_flags(&latest, &thresholds),
            ["Blood pressure 184/100 is high"]
        );
        // A newer heart rate alone leaves the blood pressure standing.
        latest.heart_rate = Some((84, 2_000));
        assert_eq!(active_flags(&latest, &thresholds).len(), 1);
        latest.blood_pressure = Some(((150, 90), 3_000));
        latest.sedation = Some((Sedation::new(2).unwrap(), 3_000));
        assert_eq!(
            active_flags(&latest, &thresholds),
            ["Deep sedation (MOAA/S 2)"]
        );
        let reading = EventKind::Vitals {
            vitals: Vitals::parse("", "", "90").unwrap(),
            note: String::new(),
        };
        assert_eq!(entry_flags(&reading, &thresholds), ["SpO2 90 % is low"]);
    }
}
