//! Soft stops: the moments the journal asks "are you sure?" without a dialog. Each is one plain
//! sentence shown inline; one key goes ahead, and going ahead is itself an entry of the timeline, so
//! the record shows what the clinician knew when they chose.

use super::{
    ClinicSettings, CurrentDose, Discharge, ESKETAMINE_MONITORING_MS, Route, TimelineState,
    active_flags,
};

/// What the clinician is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded<'a> {
    BeginDosing,
    SitWithIt,
    /// Ending the session with this after-session record.
    End(&'a Discharge),
}

/// How long the client must be watched after the first dose on `route` before discharge:
/// two hours after intranasal esketamine (Spravato REMS), else the clinic's setting.
pub fn required_monitoring_ms(route: Route, settings: &ClinicSettings) -> i64 {
    match route {
        Route::IntranasalEsketamine => ESKETAMINE_MONITORING_MS,
        _ => i64::from(settings.monitor_minutes) * 60_000,
    }
}

/// The sentences that stand between the clinician and `action` at `now_ms`; empty when nothing does.
pub fn soft_stops(
    action: Guarded<'_>,
    state: &TimelineState,
    route: Route,
    settings: &ClinicSettings,
    now_ms: i64,
) -> Vec<String> {
    let flags = active_flags(&state.latest, &settings.thresholds);
    let mut stops = Vec::new();
    match action {
        Guarded::BeginDosing => {
            stops.extend(
                flags
                    .iter()
                    .map(|flag| format!("{flag}: begin dosing while this stands?")),
            );
            if state.latest.vitals_at_ms.is_none() {
                stops.push("No baseline vitals were taken: begin dosing without them?".to_owned());
            }
        }
        Guarded::SitWithIt => stops.extend(
            flags
                .iter()
                .map(|flag| format!("{flag}: ask to sit with it while this stands?")),
        ),
        Guarded::End(discharge) => {
            if matches!(
                state.administration.current(now_ms),
                CurrentDose::Infusing { .. }
            ) {
                stops.push(
                    "The infusion is still running: end the session and record it stopped now?"
                        .to_owned(),
                );
            }
            let required = required_monitoring_ms(route, settings);
            if let Some(began) = state.dosing_began_ms
                && now_ms - began < required
            {
                stops.push(format!(
                    "Monitored {} min of the {} min required since the first dose: end the session now?",
                    (now_ms - began) / 60_000,
                    required / 60_000
                ));
            }
            if settings.dissociation_due(state, now_ms, true).is_some() {
                stops.push("CADSS-6 is due before discharge: end without it?".to_owned());
            }
            if !discharge.ride_home {
                stops.push("The ride home is NOT confirmed: end the session anyway?".to_owned());
            }
            if let Some(asq) = state.asq.filter(|asq| *asq != super::AsqResult::Negative)
                && discharge.suicide_safety_assessment != Some(true)
            {
                stops.push(format!(
                    "The ASQ screen was {}: the {} is NOT marked done; end the session anyway?",
                    asq.label(),
                    super::suicide_safety_assessment(asq)
                ));
            }
        }
    }
    stops
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::{Dose, Event, EventKind, Seq, SessionId, Vitals};

    fn event(seq: u32, minute: i64, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: chrono::Utc::now(),
            elapsed_ms: minute * 60_000,
            kind,
        }
    }

    fn vitals(seq: u32, minute: i64, bp: (u16, u16)) -> Event {
        event(
            seq,
            minute,
            EventKind::Vitals {
                vitals: Vitals::new(Some(bp), Some(80), Some(98)).unwrap(),
                note: String::new(),
            },
        )
    }

    #[test]
    fn dosing_without_a_baseline_or_with_a_safety_flag_asks_first() {
        let settings = ClinicSettings::default();
        let stops = |events: &[Event]| {
            soft_stops(
                Guarded::BeginDosing,
                &TimelineState::from_events(Route::IvInfusion, events),
                Route::IvInfusion,
                &settings,
                60_000,
            )
        };
        assert_eq!(
            stops(&[]),
            ["No baseline vitals were taken: begin dosing without them?"]
        );
        assert!(stops(&[vitals(1, 0, (124, 80))]).is_empty());
        let high = stops(&[vitals(1, 0, (186, 104))]);
        assert_eq!(high.len(), 1);
        assert!(
            high[0].ends_with("begin dosing while this stands?"),
            "{high:?}"
        );
        assert!(high[0].contains("186/104"), "{high:?}");
    }

    #[test]
    fn ending_early_without_a_ride_or_with_the_scale_due_asks_first() {
        let settings = ClinicSettings::default();
        let began = event(
            2,
            5,
            EventKind::DosingBegan {
                dose: Dose::parse("84 mg").unwrap(),
            },
        );
        let state = TimelineState::from_events(
            Route::IntranasalEsketamine,
            &[vitals(1, 0, (120, 80)), began],
        );
        let ready = Discharge {
            criteria_met: true,
            ride_home: true,
            follow_up: String::new(),
            ..Discharge::default()
        };
        let at = |minute: i64, route, discharge: &Discharge| {
            soft_stops(
                Guarded::End(discharge),
                &state,
                route,
                &settings,
                minute * 60_000,
            )
        };
        let early = at(65, Route::IntranasalEsketamine, &ready);
        assert_eq!(
            early[0],
            "Monitored 60 min of the 120 min required since the first dose: end the session now?"
        );
        assert!(early[1].starts_with("CADSS-6 is due"));
        assert_eq!(at(65, Route::IvInfusion, &ready).len(), 1, "the scale only");
        let no_ride = Discharge {
            ride_home: false,
            ..ready
        };
        assert!(
            at(200, Route::IntranasalEsketamine, &no_ride)
                .last()
                .unwrap()
                .contains("ride home is NOT confirmed")
        );
    }

    #[test]
    fn ending_after_a_positive_asq_asks_for_the_assessment_it_calls_for() {
        use crate::domain::{AsqAnswer, AsqScreen};
        let settings = ClinicSettings::default();
        let screen = |answers, right_now| {
            event(
                1,
                0,
                EventKind::SuicideScreen {
                    screen: AsqScreen::new(answers, right_now).unwrap(),
                    note: String::new(),
                },
            )
        };
        let (yes, no) = (AsqAnswer::Yes, AsqAnswer::No);
        let end = |events: &[Event], done: Option<bool>| {
            let discharge = Discharge {
                criteria_met: true,
                ride_home: true,
                suicide_safety_assessment: done,
                ..Discharge::default()
            };
            soft_stops(
                Guarded::End(&discharge),
                &TimelineState::from_events(Route::IvInfusion, events),
                Route::IvInfusion,
                &settings,
                60_000,
            )
        };
        let non_acute = [screen([yes, no, no, no], Some(no))];
        assert_eq!(
            end(&non_acute, None),
            [
                "The ASQ screen was non-acute positive: the brief suicide safety assessment is NOT marked done; end the session anyway?"
            ]
        );
        assert_eq!(
            end(&non_acute, Some(false)).len(),
            1,
            "not done is asked too"
        );
        assert!(end(&non_acute, Some(true)).is_empty());
        let acute = [
            screen([no, no, no, no], None),
            screen([yes, yes, no, no], Some(yes)),
        ];
        assert!(
            end(&acute, None)[0].contains("ACUTE positive: the full suicide safety evaluation")
        );
        assert!(
            end(&[screen([no; 4], None)], None).is_empty(),
            "a negative screen asks nothing"
        );
    }
}
