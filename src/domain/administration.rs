//! What a session's dose entries mean over time. This is the one meaning every place uses: the live
//! header, the delivered totals in lists and summaries, the dose chart and the PDF.
//!
//! - **An IV infusion is a rate.** "Dosing began" with "0.5 mg/kg over 40 min" starts an infusion
//!   at 0.75 mg/kg/h that runs until it is stopped or until 40 minutes after dosing began.
//! - **A dose change while it runs changes the rate only**: "0.35 mg/kg over 40 min" means the rate
//!   0.35 mg/kg per 40 min, "0.5 mg/kg/h" that rate, and a plain "0.35 mg/kg" that amount over the
//!   infusion's planned minutes. The planned end stays where it was.
//! - **Only an extension moves the planned end** (its own entry). Extending an infusion that has
//!   already run its length restarts it at its last rate for the minutes added. A dose entered once
//!   it has run its length, without an extension, gives nothing (the live engine refuses it; journals
//!   from before may hold such entries, and they are shown as not given).
//! - **A rate given when dosing begins** ("0.75 mg/kg/h") runs until it is stopped.
//! - After a stop, an infusion dose starts a new infusion of its own length: a restart, which is a raise.
//! - **Bolus routes** (IM, lozenge, or a plain amount on an IV line with no infusion running): a
//!   dose is given at once. A later dose entry is *the next administration instead* (a smaller
//!   lozenge), so the bolus total is the last amount set; a stop ends any further administration and
//!   leaves what was given.
//! - **Intranasal esketamine devices add up**: each entry is a device (or devices) used, so 56 mg
//!   and then one more 28 mg device is 84 mg, as the REMS form asks. A stop ends further devices.
//!
//! Worked example: 70 kg, 0.5 mg/kg over 40 min, lowered at minute 20 to 0.35 mg/kg over 40 min,
//! not extended: 0.75 mg/kg/h × 20 min + 0.525 mg/kg/h × 20 min = 0.25 + 0.175 = 0.425 mg/kg = 29.75 mg.

use super::{Dose, DoseUnit, Event, EventKind, Route};

/// A rate of administration per hour, in mg or mg/kg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The amount per hour, in `unit`.
    pub per_hour: f64,
    pub unit: DoseUnit,
}

impl Rate {
    /// The rate a dose runs at, when it runs over time (an infusion or a rate per hour).
    pub fn of(dose: &Dose) -> Option<Self> {
        dose.per_hour_amount().map(|per_hour| Self {
            per_hour,
            unit: dose.unit(),
        })
    }

    /// mg per hour, when it can be known (mg/kg needs the weight).
    pub fn mg_per_hour(&self, weight_kg: Option<f64>) -> Option<f64> {
        match self.unit {
            DoseUnit::Mg => Some(self.per_hour),
            DoseUnit::MgPerKg => weight_kg.map(|weight| self.per_hour * weight),
        }
    }

    /// mg/kg per hour, when it can be known (mg needs the weight).
    pub fn mg_per_kg_per_hour(&self, weight_kg: Option<f64>) -> Option<f64> {
        match self.unit {
            DoseUnit::MgPerKg => Some(self.per_hour),
            DoseUnit::Mg => weight_kg.filter(|w| *w > 0.0).map(|w| self.per_hour / w),
        }
    }

    /// The rate as a dose to type or record ("0.53 mg/kg/h"), rounded as a pump is set; `None` when
    /// the rounded rate would be refused (zero or absurd).
    pub fn as_dose(&self) -> Option<Dose> {
        Dose::per_hour(self.per_hour, self.unit)
            .ok()?
            .scaled(1.0)
            .ok()
    }

    /// e.g. "0.75 mg/kg/h (52.5 mg/h at 70 kg)".
    pub fn describe(&self, weight_kg: Option<f64>) -> String {
        use super::figure::{derived, typed};
        let head = format!("{} {}/h", typed(self.per_hour), self.unit.as_str());
        match (self.unit, weight_kg) {
            (DoseUnit::MgPerKg, Some(weight)) => format!(
                "{head} ({} mg/h at {} kg)",
                derived(self.per_hour * weight),
                typed(weight)
            ),
            (DoseUnit::Mg, Some(weight)) if weight > 0.0 => {
                format!("{head} ({} mg/kg/h)", derived(self.per_hour / weight))
            }
            _ => head,
        }
    }
}

/// A stretch of time during which an infusion ran at one rate (ms since the session started).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateSpan {
    pub from_ms: i64,
    pub to_ms: i64,
    pub rate: Rate,
}

/// The dose being given at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CurrentDose {
    /// Dosing has not begun.
    NotStarted,
    /// An infusion runs at `rate` until `ends_ms` (`None`: until it is stopped).
    Infusing { rate: Rate, ends_ms: Option<i64> },
    /// The infusion ran its planned length at `ended_ms`; nothing runs now.
    InfusionComplete { ended_ms: i64 },
    /// A dose given at once (a bolus route).
    Given(Dose),
    /// Administration was stopped.
    Stopped,
}

/// The infusion in progress as of the last entry (it may have run past its planned end since).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Running {
    rate: Rate,
    since_ms: i64,
    ends_ms: Option<i64>,
    /// The minutes of the infusion as planned, for a dose change typed as a plain amount.
    planned_minutes: Option<u32>,
}

/// A session's dose entries folded into what ran when. Build it with [`Administration::of`] or
/// fold entries in one by one into [`Administration::new`] with [`Administration::apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Administration {
    /// Each bolus entry is given on top of the ones before (intranasal esketamine's devices), not
    /// instead of them.
    boluses_add_up: bool,
    spans: Vec<RateSpan>,
    running: Option<Running>,
    /// The last infusion that ran its full length, which an extension restarts.
    completed: Option<Running>,
    /// Bolus amounts set, with when; the last one set by a moment is what was given by then.
    boluses: Vec<(i64, Dose)>,
    began: bool,
    stopped: bool,
}

/// The rules of a route whose bolus entries replace each other (for a state built before its route
/// is known; [`TimelineState::from_events`](super::TimelineState::from_events) sets the route).
impl Default for Administration {
    fn default() -> Self {
        Self::new(Route::IvInfusion)
    }
}

impl Administration {
    /// Nothing given yet, by `route` (which says whether bolus entries add up).
    pub fn new(route: Route) -> Self {
        Self {
            boluses_add_up: route == Route::IntranasalEsketamine,
            spans: Vec::new(),
            running: None,
            completed: None,
            boluses: Vec::new(),
            began: false,
            stopped: false,
        }
    }

    /// Folds a timeline given by `route` in sequence order.
    pub fn of(events: &[Event], route: Route) -> Self {
        let mut administration = Self::new(route);
        for event in events {
            administration.apply(event);
        }
        administration
    }

    /// Folds one more entry in (entries that are not about the dose are passed over).
    pub fn apply(&mut self, event: &Event) {
        let at = event.elapsed_ms;
        match &event.kind {
            EventKind::DosingBegan { dose }
            | EventKind::DoseChange {
                dose: Some(dose), ..
            } => {
                self.settle(at);
                self.began = true;
                self.stopped = false;
                self.set_dose(dose, at);
            }
            EventKind::DoseChange { dose: None, .. } => {
                self.settle(at);
                if let Some(running) = self.running.take() {
                    self.close(&running, at);
                }
                self.completed = None;
                self.began = true;
                self.stopped = true;
            }
            EventKind::InfusionExtended { minutes, .. } => {
                self.settle(at);
                let added = i64::from(*minutes) * 60_000;
                if let Some(running) = &mut self.running {
                    running.ends_ms = running.ends_ms.map(|end| end + added);
                } else if let Some(done) = self.completed.take() {
                    self.running = Some(Running {
                        since_ms: at,
                        ends_ms: Some(at + added),
                        ..done
                    });
                }
            }
            // Entries that are not about the dose, by name: a new kind is placed here or above.
            EventKind::Note { .. }
            | EventKind::PreSession(_)
            | EventKind::DecisionPoint(_)
            | EventKind::DecisionDetail { .. }
            | EventKind::DeferralStart { .. }
            | EventKind::DeferralMinutes { .. }
            | EventKind::DeferralOutcome { .. }
            | EventKind::WentAhead { .. }
            | EventKind::Marker { .. }
            | EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. }
            | EventKind::SafetyPlan(_)
            | EventKind::SessionEnded { .. } => {}
        }
    }

    /// Whether any dose was given or stopped.
    pub fn has_begun(&self) -> bool {
        self.began
    }

    /// Whether an infusion runs at `at_ms` (and so can have its rate changed or be extended).
    pub fn infusing_at(&self, at_ms: i64) -> bool {
        matches!(self.current(at_ms), CurrentDose::Infusing { .. })
    }

    /// Whether an infusion has run its planned length by `at_ms` and can be extended.
    pub fn extendable_at(&self, at_ms: i64) -> bool {
        match self.current(at_ms) {
            CurrentDose::Infusing { ends_ms, .. } => ends_ms.is_some(),
            CurrentDose::InfusionComplete { .. } => true,
            _ => false,
        }
    }

    /// The dose being given at `at_ms` (at or after the last entry folded in).
    pub fn current(&self, at_ms: i64) -> CurrentDose {
        if !self.began {
            return CurrentDose::NotStarted;
        }
        if let Some(running) = self.running {
            return match running.ends_ms {
                Some(end) if end <= at_ms => CurrentDose::InfusionComplete { ended_ms: end },
                ends_ms => CurrentDose::Infusing {
                    rate: running.rate,
                    ends_ms,
                },
            };
        }
        if self.stopped {
            return CurrentDose::Stopped;
        }
        if let Some(done) = self.completed {
            return CurrentDose::InfusionComplete {
                ended_ms: done.ends_ms.unwrap_or(done.since_ms),
            };
        }
        match self.bolus_by(i64::MAX) {
            Some(dose) => CurrentDose::Given(dose),
            None => CurrentDose::Stopped,
        }
    }

    /// The stretches each rate ran, up to `until_ms` (the end of the session, or now).
    pub fn rate_spans(&self, until_ms: i64) -> Vec<RateSpan> {
        let running = self.running.map(|running| RateSpan {
            from_ms: running.since_ms,
            to_ms: running.ends_ms.map_or(until_ms, |end| end.min(until_ms)),
            rate: running.rate,
        });
        self.spans
            .iter()
            .copied()
            .chain(running)
            .filter_map(|span| {
                let to_ms = span.to_ms.min(until_ms);
                (to_ms > span.from_ms).then_some(RateSpan { to_ms, ..span })
            })
            .collect()
    }

    /// The bolus amount given by `until_ms`: the last one set by then, or for devices that add up,
    /// all of them together (in one unit; devices are in mg).
    pub fn bolus_by(&self, until_ms: i64) -> Option<Dose> {
        let given = self.boluses_given_by(until_ms);
        let last = given.last().copied()?;
        if given.len() == 1 || given.iter().any(|dose| dose.unit() != last.unit()) {
            return Some(last);
        }
        let total: f64 = given.iter().map(Dose::amount).sum();
        Dose::new(total, last.unit(), None).ok().or(Some(last))
    }

    /// The bolus doses that count by `until_ms`: the last one set, or every one when they add up.
    pub fn boluses_given_by(&self, until_ms: i64) -> Vec<Dose> {
        let set: Vec<Dose> = self
            .boluses
            .iter()
            .take_while(|(at, _)| *at <= until_ms)
            .map(|(_, dose)| *dose)
            .collect();
        if self.boluses_add_up {
            set
        } else {
            set.last().copied().into_iter().collect()
        }
    }

    /// Every bolus amount set, with when (ms since the session started).
    pub fn boluses(&self) -> &[(i64, Dose)] {
        &self.boluses
    }

    /// The infusion still running at `at_ms`: what [`Administration::settle`] would leave running,
    /// read without changing anything.
    fn running_at(&self, at_ms: i64) -> Option<Running> {
        self.running
            .filter(|running| running.ends_ms.is_none_or(|end| end > at_ms))
    }

    /// The infusion that has run its full length by `at_ms`, read as [`Administration::running_at`].
    fn completed_at(&self, at_ms: i64) -> Option<Running> {
        match self.running {
            Some(running) if running.ends_ms.is_some_and(|end| end <= at_ms) => Some(running),
            _ => self.completed,
        }
    }

    /// Closes the running infusion if its planned end has come by `at_ms`.
    fn settle(&mut self, at_ms: i64) {
        if let Some(running) = self.running
            && let Some(end) = running.ends_ms
            && end <= at_ms
        {
            self.close(&running, end);
            self.running = None;
            self.completed = Some(running);
        }
    }

    fn close(&mut self, running: &Running, to_ms: i64) {
        if to_ms > running.since_ms {
            self.spans.push(RateSpan {
                from_ms: running.since_ms,
                to_ms,
                rate: running.rate,
            });
        }
    }

    /// The rate a dose entered at `at_ms` would run at: its own rate, or while an infusion with a
    /// planned length runs, a plain amount over those minutes. `None` for a bolus.
    pub fn rate_set_by(&self, dose: &Dose, at_ms: i64) -> Option<Rate> {
        Rate::of(dose).or_else(|| {
            let minutes = self.running_at(at_ms)?.planned_minutes?;
            Some(Rate {
                per_hour: dose.amount() * 60.0 / f64::from(minutes),
                unit: dose.unit(),
            })
        })
    }

    /// A dose entry made at `at_ms` in words that say what it does: during an infusion the rate it
    /// sets ("Rate changed to 0.525 mg/kg/h (36.75 mg/h at 70 kg), typed as 0.35 mg/kg over 40 min"),
    /// otherwise the dose with its conversion.
    pub fn describe_change(&self, dose: &Dose, at_ms: i64, weight_kg: Option<f64>) -> String {
        let running = self.running_at(at_ms);
        if running.is_none() && self.completed_at(at_ms).is_some() {
            return format!(
                "Dose changed to {} after the infusion had run its planned length (not counted as given)",
                dose.describe(weight_kg)
            );
        }
        match (running, self.rate_set_by(dose, at_ms)) {
            (Some(_), Some(rate)) if dose.delivery() == super::Delivery::PerHour => {
                format!("Rate changed to {}", rate.describe(weight_kg))
            }
            (Some(_), Some(rate)) => format!(
                "Rate changed to {}, typed as {dose}",
                rate.describe(weight_kg)
            ),
            _ => format!("Dose changed to {}", dose.describe(weight_kg)),
        }
    }

    fn set_dose(&mut self, dose: &Dose, at_ms: i64) {
        if let Some(running) = self.running {
            // A change while an infusion runs is a new rate with the same planned end.
            if let Some(rate) = self.rate_set_by(dose, at_ms) {
                self.close(&running, at_ms);
                self.running = Some(Running {
                    rate,
                    since_ms: at_ms,
                    ..running
                });
                return;
            }
            // A plain amount beside a rate with no planned length: an IV push on top.
            self.boluses.push((at_ms, *dose));
            return;
        }
        if self.completed.is_some() {
            // It ran its planned length: only an extension gives more.
            return;
        }
        match (Rate::of(dose), dose.infusion()) {
            (Some(rate), infusion) => {
                self.completed = None;
                self.running = Some(Running {
                    rate,
                    since_ms: at_ms,
                    ends_ms: infusion.map(|i| at_ms + i64::from(i.over_minutes) * 60_000),
                    planned_minutes: infusion.map(|i| i.over_minutes),
                });
            }
            (None, _) => self.boluses.push((at_ms, *dose)),
        }
    }
}
