//! How much ketamine a session actually delivered, from its dose and rate entries.
//!
//! - An **infusion** dose ("0.5 mg/kg over 40 min") runs at its rate (amount ÷ minutes) from its
//!   entry until its minutes are up, the next dose entry, a stop, or `until`, whichever comes first.
//!   A change to another infusion dose is a change of rate from that moment.
//! - A **bolus** dose (IM, lozenge, intranasal: no infusion length) is given at once; a later dose
//!   entry on a bolus route replaces the amount (a lowered lozenge or a skipped spray device), so the
//!   bolus part of the total is the last amount set before any stop.
//!
//! The total is kept in mg/kg and in mg, each when it can be known from the units and the weight.

use super::{Dose, Event, EventKind};

/// The delivered total in the units it can be known in.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Delivered {
    pub mg: Option<f64>,
    pub mg_per_kg: Option<f64>,
}

impl Delivered {
    /// e.g. "24.5 mg (0.35 mg/kg)"; "–" when dosing has not begun.
    pub fn describe(&self) -> String {
        // A total too small to show in hundredths is not "0": dosing did begin.
        let round = |value: f64| {
            let rounded = (value * 100.0).round() / 100.0;
            if rounded == 0.0 && value > 0.0 {
                "< 0.01".to_owned()
            } else {
                rounded.to_string()
            }
        };
        match (self.mg, self.mg_per_kg) {
            (Some(mg), Some(per_kg)) => format!("{} mg ({} mg/kg)", round(mg), round(per_kg)),
            (Some(mg), None) => format!("{} mg", round(mg)),
            (None, Some(per_kg)) => format!("{} mg/kg", round(per_kg)),
            (None, None) => "–".to_owned(),
        }
    }
}

/// The total delivered by the timeline `events` (in sequence order) up to `until_ms` after the
/// session started (the end of the session, or now while it is live).
pub fn delivered(events: &[Event], weight_kg: Option<f64>, until_ms: i64) -> Delivered {
    let mut total = Accumulator::new(weight_kg);
    // The dose in effect and when it was set.
    let mut current: Option<(Dose, i64)> = None;
    let mut bolus: Option<Dose> = None;
    for event in events {
        let next = match &event.kind {
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } => Some(*dose),
            EventKind::DoseChange { dose: None, .. } => None,
            _ => continue,
        };
        if let Some((dose, since)) = current.take() {
            total.infused(&dose, since, event.elapsed_ms.min(until_ms));
        }
        match next {
            Some(dose) if dose.infusion().is_some() => current = Some((dose, event.elapsed_ms)),
            Some(dose) => bolus = Some(dose),
            None => {
                // A stop ends any infusion; a bolus already given stays given.
                current = None;
            }
        }
    }
    if let Some((dose, since)) = current {
        total.infused(&dose, since, until_ms);
    }
    if let Some(dose) = bolus {
        total.add(dose.milligrams(weight_kg), dose.mg_per_kg(weight_kg));
    }
    total.finish()
}

/// Sums in both units; a unit that cannot be known for any part cannot be known for the total.
struct Accumulator {
    weight_kg: Option<f64>,
    mg: Option<f64>,
    mg_per_kg: Option<f64>,
    any: bool,
}

impl Accumulator {
    fn new(weight_kg: Option<f64>) -> Self {
        Self {
            weight_kg,
            mg: Some(0.0),
            mg_per_kg: Some(0.0),
            any: false,
        }
    }

    fn add(&mut self, mg: Option<f64>, mg_per_kg: Option<f64>) {
        self.any = true;
        self.mg = self.mg.zip(mg).map(|(total, part)| total + part);
        self.mg_per_kg = self
            .mg_per_kg
            .zip(mg_per_kg)
            .map(|(total, part)| total + part);
    }

    /// An infusion of `dose` running from `from_ms` to `to_ms`, capped at its own length.
    fn infused(&mut self, dose: &Dose, from_ms: i64, to_ms: i64) {
        let Some(infusion) = dose.infusion() else {
            return;
        };
        let length_ms = i64::from(infusion.over_minutes) * 60_000;
        let ran_ms = (to_ms - from_ms).clamp(0, length_ms);
        let share = ran_ms as f64 / length_ms as f64;
        self.add(
            dose.milligrams(self.weight_kg).map(|mg| mg * share),
            dose.mg_per_kg(self.weight_kg).map(|per_kg| per_kg * share),
        );
    }

    fn finish(self) -> Delivered {
        if self.any {
            Delivered {
                mg: self.mg,
                mg_per_kg: self.mg_per_kg,
            }
        } else {
            Delivered::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Seq, SessionId};

    fn at(minute: i64, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(1),
            wall_time: Utc::now(),
            elapsed_ms: minute * 60_000,
            kind,
        }
    }

    /// Equal to within rounding of the last bits.
    fn close(actual: Option<f64>, expected: f64) -> bool {
        actual.is_some_and(|value| (value - expected).abs() < 1e-9)
    }

    fn dose(text: &str) -> Dose {
        Dose::parse(text).unwrap()
    }

    fn change(minute: i64, text: Option<&str>) -> Event {
        at(
            minute,
            EventKind::DoseChange {
                dose: text.map(dose),
                reason: String::new(),
            },
        )
    }

    #[test]
    fn a_stepped_iv_infusion_adds_up_rate_by_rate() {
        // 0.5 mg/kg over 40 min = 0.0125 mg/kg/min for 16 min (0.2), then 0.25 mg/kg over 40 min
        // = 0.00625 mg/kg/min for 16 min (0.1), then stopped: 0.3 mg/kg, 24 mg at 80 kg.
        let events = [
            at(
                4,
                EventKind::DosingBegan {
                    dose: dose("0.5 mg/kg over 40 min"),
                },
            ),
            change(20, Some("0.25 mg/kg over 40 min")),
            change(36, None),
        ];
        let total = delivered(&events, Some(80.0), 90 * 60_000);
        assert!(close(total.mg_per_kg, 0.3), "{total:?}");
        assert!(close(total.mg, 24.0), "{total:?}");
        assert_eq!(total.describe(), "24 mg (0.3 mg/kg)");
    }

    #[test]
    fn an_infusion_stops_at_its_own_length_and_a_live_one_counts_to_now() {
        let events = [at(
            0,
            EventKind::DosingBegan {
                dose: dose("40 mg over 40 min"),
            },
        )];
        assert_eq!(
            delivered(&events, None, 100 * 60_000).mg,
            Some(40.0),
            "all of it, once"
        );
        assert_eq!(
            delivered(&events, None, 10 * 60_000).mg,
            Some(10.0),
            "a quarter so far"
        );
        assert_eq!(
            delivered(&events, None, 10 * 60_000).mg_per_kg,
            None,
            "no weight"
        );
    }

    #[test]
    fn a_bolus_route_counts_the_last_amount_set() {
        let events = [
            at(
                2,
                EventKind::DosingBegan {
                    dose: dose("84 mg"),
                },
            ),
            change(10, Some("56 mg")),
            change(12, None),
        ];
        assert!(close(delivered(&events, Some(70.0), 60 * 60_000).mg, 56.0));
    }

    #[test]
    fn nothing_is_delivered_before_dosing_begins() {
        let total = delivered(&[], Some(70.0), 60_000);
        assert_eq!(total, Delivered::default());
        assert_eq!(total.describe(), "–");
    }
}
