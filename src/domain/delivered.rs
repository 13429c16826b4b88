//! How much ketamine a session actually delivered: the integral of the infusion's rate over the time
//! it ran, plus the bolus amount given (see [`super::administration`] for what each entry means).
//!
//! The total is kept in mg/kg and in mg, each when it can be known from the units and the weight.

use super::{Administration, Event, Route};

/// The delivered total in the units it can be known in.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Delivered {
    pub mg: Option<f64>,
    pub mg_per_kg: Option<f64>,
}

impl Delivered {
    /// e.g. "24.5 mg (0.35 mg/kg)"; "–" when dosing has not begun.
    pub fn describe(&self) -> String {
        // A total too small to show in thousandths is not "0": dosing did begin.
        let round = |value: f64| {
            let shown = super::figure::derived(value);
            if shown == "0" && value > 0.0 {
                "< 0.001".to_owned()
            } else {
                shown
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
pub fn delivered(
    events: &[Event],
    route: Route,
    weight_kg: Option<f64>,
    until_ms: i64,
) -> Delivered {
    Administration::of(events, route).delivered(weight_kg, until_ms)
}

impl Administration {
    /// What ran and was given up to `until_ms`.
    pub fn delivered(&self, weight_kg: Option<f64>, until_ms: i64) -> Delivered {
        let mut total = Accumulator::new();
        // Dosing that began this very moment has delivered nothing yet, which is not "–".
        total.any = self.has_begun();
        for span in self.rate_spans(until_ms) {
            let hours = (span.to_ms - span.from_ms) as f64 / 3_600_000.0;
            total.add(
                span.rate.mg_per_hour(weight_kg).map(|mg| mg * hours),
                span.rate
                    .mg_per_kg_per_hour(weight_kg)
                    .map(|per_kg| per_kg * hours),
            );
        }
        for dose in self.boluses_given_by(until_ms) {
            total.add(dose.milligrams(weight_kg), dose.mg_per_kg(weight_kg));
        }
        total.finish()
    }
}

/// Sums in both units; a unit that cannot be known for any part cannot be known for the total.
struct Accumulator {
    mg: Option<f64>,
    mg_per_kg: Option<f64>,
    any: bool,
}

impl Accumulator {
    fn new() -> Self {
        Self {
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
mod tests;
