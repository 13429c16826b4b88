//! The Spravato (esketamine) REMS Patient Monitoring Form, filled from the session's timeline so
//! nothing is typed twice. A field the timeline cannot answer is named as missing, never invented.

use chrono::{DateTime, Utc};

use super::{
    AdverseCategory, Event, EventKind, Instrument, InteractionClass, LotCode, Route, Session,
    Thresholds, delivered, interaction,
};

/// Monitoring after intranasal esketamine lasts at least two hours from the first administration.
pub const REMS_MONITORING_MINUTES: i64 = 120;

/// The form is submitted within this many days of the treatment.
pub const REMS_SUBMIT_WITHIN_DAYS: i64 = 7;

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

/// The classes of concomitant medicine the form asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concomitant {
    /// Benzodiazepines and other sedatives or hypnotics.
    Sedatives,
    Stimulants,
    Maois,
    Opioids,
}

impl Concomitant {
    pub const ALL: [Self; 4] = [
        Self::Sedatives,
        Self::Stimulants,
        Self::Maois,
        Self::Opioids,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Sedatives => "Benzodiazepines or other sedatives/hypnotics",
            Self::Stimulants => "Psychostimulants",
            Self::Maois => "MAOIs",
            Self::Opioids => "Opioids",
        }
    }
}

/// Opioids among the sedatives the checklist flags, named apart because the form asks for them.
const OPIOIDS: [&str; 12] = [
    "oxycodone",
    "morphine",
    "hydrocodone",
    "hydromorphone",
    "tramadol",
    "tapentadol",
    "fentanyl",
    "methadone",
    "buprenorphine",
    "codeine",
    "oxymorphone",
    "percocet",
];

/// The form as the timeline fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemsForm {
    pub treatment_started: DateTime<Utc>,
    /// The clinic's zone the treatment was in: its date and times of day are read there.
    pub zone: super::ClinicZone,
    /// What the devices gave, in mg (56 or 84 for the labelled doses).
    pub dose_mg: Option<f64>,
    pub lots: Vec<LotCode>,
    /// Each class the form asks about, with the checklist's medicines in it (empty: none taken).
    pub concomitant: Vec<(Concomitant, Vec<String>)>,
    /// Whether the checklist (and so the medicines) was recorded at all.
    pub checklist_recorded: bool,
    pub monitoring_clinician: Option<String>,
    /// The healthcare setting: the clinic's name in Settings.
    pub healthcare_setting: Option<String>,
    pub before_dosing: Option<TimedPressure>,
    /// The reading nearest 40 minutes after the first administration, within 30 to 60 minutes.
    pub at_about_40_minutes: Option<TimedPressure>,
    /// The last reading before the session ended, after the 40-minute one.
    pub before_leaving: Option<TimedPressure>,
    /// Whether every sign read before dosing, and the last before leaving, was inside the
    /// clinic's thresholds.
    pub acceptable_before_dosing: Option<bool>,
    pub acceptable_before_leaving: Option<bool>,
    /// From the first administration to the end of monitoring (the session's end).
    pub monitoring_minutes: Option<i64>,
    /// When the client was ready to leave: the end, once discharge criteria were met.
    pub ready_to_leave: Option<DateTime<Utc>>,
    pub sedation: Effect,
    pub dissociation: Effect,
    pub respiratory_depression: Effect,
}

/// Who monitored the client, and where: the names set in Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitoring {
    pub clinician: Option<String>,
    pub setting: Option<String>,
    /// The clinic's zone today, for a session that kept none of its own.
    pub zone: super::ClinicZone,
}

/// Why a session has no REMS form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemsError {
    #[error("The REMS monitoring form is for intranasal esketamine sessions; this one is {0}.")]
    NotEsketamine(&'static str),
    #[error("The REMS monitoring form is filled once the session has ended.")]
    NotEnded,
}

impl RemsForm {
    /// Fills the form from an ended esketamine session's timeline; `monitoring` says who monitored
    /// and where (the clinician and clinic names set in Settings).
    pub fn of(
        session: &Session,
        events: &[Event],
        weight_kg: Option<f64>,
        thresholds: &Thresholds,
        monitoring: Monitoring,
    ) -> Result<Self, RemsError> {
        if session.route != Route::IntranasalEsketamine {
            return Err(RemsError::NotEsketamine(session.route.label()));
        }
        let ended = session.ended_at.ok_or(RemsError::NotEnded)?;
        let end_ms = (ended - session.started_at).num_milliseconds();
        let first_dose_ms = events.iter().find_map(|event| match event.kind {
            EventKind::DosingBegan { .. } => Some(event.elapsed_ms),
            _ => None,
        });
        let minutes_after = |ms: i64| first_dose_ms.map(|first| (ms - first) / 60_000);
        let checklist = events.iter().find_map(|event| match &event.kind {
            EventKind::PreSession(checklist) => Some(checklist),
            _ => None,
        });
        let (before_dosing, at_about_40_minutes, before_leaving) =
            pressures(events, &minutes_after);
        let acceptable = |event: Option<&Event>| {
            event.map(|event| match &event.kind {
                EventKind::Vitals { vitals, .. } => thresholds.flags(vitals).is_empty(),
                _ => true,
            })
        };
        let last_vitals_before_dosing = events.iter().rev().find(|event| {
            matches!(event.kind, EventKind::Vitals { .. })
                && first_dose_ms.is_some_and(|first| event.elapsed_ms < first)
        });
        let last_vitals = events
            .iter()
            .rev()
            .find(|event| matches!(event.kind, EventKind::Vitals { .. }));
        let discharged = events.iter().any(|event| {
            matches!(&event.kind, EventKind::SessionEnded { discharge: Some(discharge), .. } if discharge.criteria_met)
        });
        Ok(Self {
            treatment_started: session.started_at,
            zone: session.zone.unwrap_or(monitoring.zone),
            dose_mg: delivered(events, weight_kg, end_ms).mg,
            lots: checklist
                .and_then(|checklist| checklist.lot.clone())
                .into_iter()
                .collect(),
            concomitant: Concomitant::ALL
                .into_iter()
                .map(|class| {
                    let taken = checklist
                        .map(|checklist| {
                            checklist
                                .medicines
                                .iter()
                                .filter(|medicine| in_class(medicine, class))
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default();
                    (class, taken)
                })
                .collect(),
            checklist_recorded: checklist.is_some(),
            monitoring_clinician: monitoring.clinician.filter(|name| !name.trim().is_empty()),
            healthcare_setting: monitoring.setting.filter(|name| !name.trim().is_empty()),
            before_dosing,
            at_about_40_minutes,
            before_leaving,
            acceptable_before_dosing: acceptable(last_vitals_before_dosing),
            acceptable_before_leaving: acceptable(
                last_vitals
                    .filter(|event| first_dose_ms.is_some_and(|first| event.elapsed_ms > first)),
            ),
            monitoring_minutes: minutes_after(end_ms),
            ready_to_leave: discharged.then_some(ended),
            sedation: sedation(events),
            dissociation: dissociation(events),
            respiratory_depression: respiratory_depression(events, thresholds),
        })
    }

    /// The fields the timeline could not fill, by their names on the form.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let mut need = |absent: bool, name: &'static str| {
            if absent {
                missing.push(name);
            }
        };
        need(self.dose_mg.is_none(), "dose (dosing never began)");
        need(
            self.lots.is_empty(),
            "lot number of the devices (the checklist's lot)",
        );
        need(
            !self.checklist_recorded,
            "concomitant medicines (no checklist)",
        );
        need(
            self.monitoring_clinician.is_none(),
            "monitoring clinician (the name in Settings)",
        );
        need(
            self.healthcare_setting.is_none(),
            "healthcare setting (the clinic's name in Settings)",
        );
        need(self.before_dosing.is_none(), "blood pressure before dosing");
        need(
            self.at_about_40_minutes.is_none(),
            "blood pressure at about 40 minutes (30–60 minutes after dosing)",
        );
        need(
            self.before_leaving.is_none(),
            "blood pressure before leaving",
        );
        need(
            self.acceptable_before_dosing.is_none(),
            "vitals acceptable before dosing",
        );
        need(
            self.acceptable_before_leaving.is_none(),
            "vitals acceptable before leaving",
        );
        need(self.monitoring_minutes.is_none(), "total monitoring time");
        need(
            self.ready_to_leave.is_none(),
            "time ready to leave (discharge criteria met at the end)",
        );
        for (effect, name) in [
            (self.sedation, "whether sedation had resolved"),
            (self.dissociation, "whether dissociation had resolved"),
            (
                self.respiratory_depression,
                "whether respiratory depression had resolved",
            ),
        ] {
            need(effect.occurred && effect.resolved.is_none(), name);
        }
        missing
    }

    /// The last day to submit the form: 7 days from the clinic's treatment date.
    pub fn due(&self) -> chrono::NaiveDate {
        self.zone.date(self.treatment_started)
            + chrono::Days::new(REMS_SUBMIT_WITHIN_DAYS.unsigned_abs())
    }

    /// A moment of the treatment as the clinic's clock read it, with the zone.
    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        format!(
            "{} ({})",
            self.zone.local(at).format("%Y-%m-%d %H:%M"),
            self.zone.describe_at(at)
        )
    }
}

/// The blood pressures the form asks for: the last before dosing, the one nearest 40 minutes
/// after it (within 30 to 60), and the last after that.
fn pressures(
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

fn in_class(medicine: &str, class: Concomitant) -> bool {
    let lowered = medicine.to_lowercase();
    let opioid = OPIOIDS.iter().any(|name| lowered.contains(name));
    match (class, interaction(medicine)) {
        (Concomitant::Opioids, _) => opioid,
        (Concomitant::Sedatives, Some(InteractionClass::Sedative)) => !opioid,
        (Concomitant::Stimulants, Some(InteractionClass::Stimulant))
        | (Concomitant::Maois, Some(InteractionClass::Maoi)) => true,
        _ => false,
    }
}

/// Any rating below fully alert (MOAA/S 5) is sedation; it resolved when the last rating is 5.
fn sedation(events: &[Event]) -> Effect {
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
fn dissociation(events: &[Event]) -> Effect {
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
fn respiratory_depression(events: &[Event], thresholds: &Thresholds) -> Effect {
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
