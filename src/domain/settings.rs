//! The clinic's settings: when vitals are due, which readings are flagged, when an untouched window
//! locks itself, and how many automatic backups are kept.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Thresholds;

/// The settings a clinic sets once; stored in the journal so every window and command agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClinicSettings {
    pub thresholds: Thresholds,
    /// During an IV infusion or after an IM injection, vitals are due this often (minutes).
    pub vitals_every_minutes: u32,
    /// The dissociation scale (CADSS-6) is due this many minutes after dosing began.
    pub dissociation_at_minutes: u32,
    /// The window locks after this many minutes without a keystroke or click.
    pub lock_after_minutes: u32,
    /// How many automatic backups are kept (the oldest go first).
    pub backups_kept: u32,
    /// "Lower dose" proposes this share of the rate or dose running now (percent).
    pub lower_to_percent: u32,
    /// An infusion rate above this many mg/kg/h is refused as a typing error.
    pub rate_ceiling_mg_per_kg_h: u32,
    /// Ending a session sooner than this many minutes after the first dose asks first (intranasal
    /// esketamine always asks for two hours).
    pub monitor_minutes: u32,
}

impl Default for ClinicSettings {
    fn default() -> Self {
        Self {
            thresholds: Thresholds::default(),
            vitals_every_minutes: 15,
            // Around the end of a 40-minute infusion, when dissociation is usually deepest.
            dissociation_at_minutes: 40,
            // The automatic logoff most clinical systems use.
            lock_after_minutes: 10,
            // Two weeks of daily backups, or the last fortnight's sessions.
            backups_kept: 14,
            // A quarter off: a step a client notices, without ending the experience.
            lower_to_percent: 75,
            // Twice the usual 0.5–1 mg/kg over 40 min (0.75–1.5 mg/kg/h), so only typing errors meet it.
            rate_ceiling_mg_per_kg_h: 3,
            // An hour after the first dose: the usual recovery time after a ketamine session.
            monitor_minutes: 60,
        }
    }
}

/// The interval a schedule accepts, in minutes.
pub const VITALS_INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 5..=60;

/// When after dosing the dissociation scale may be set to fall due, in minutes.
pub const DISSOCIATION_AT_RANGE: std::ops::RangeInclusive<u32> = 5..=180;

/// How long the window may stay untouched before it locks, in minutes.
pub const LOCK_AFTER_RANGE: std::ops::RangeInclusive<u32> = 1..=60;

/// How many automatic backups may be kept.
pub const BACKUPS_KEPT_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

/// The share of the running rate "Lower dose" may propose, in percent.
pub const LOWER_TO_RANGE: std::ops::RangeInclusive<u32> = 10..=95;

/// The clinic's infusion-rate ceiling may be set within these mg/kg/h.
pub const RATE_CEILING_RANGE: std::ops::RangeInclusive<u32> = 1..=10;

/// How long the clinic may ask to watch the client after the first dose, in minutes.
pub const MONITOR_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 15..=240;

/// A setting that would make monitoring meaningless.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SettingsError {
    #[error("Vitals can be scheduled every {} to {} minutes.", VITALS_INTERVAL_RANGE.start(), VITALS_INTERVAL_RANGE.end())]
    Interval,
    #[error("A blood-pressure threshold is systolic 100–250 and diastolic 60–150 mmHg.")]
    BloodPressure,
    #[error("Heart-rate thresholds are 30–80 (slow) and 90–200 (fast) beats per minute.")]
    HeartRate,
    #[error("The SpO2 threshold is 80–99 %.")]
    Spo2,
    #[error("Respiratory-rate thresholds are 6–14 (slow) and 18–40 (fast) breaths per minute.")]
    RespiratoryRate,
    #[error("The dissociation scale can be due {} to {} minutes after dosing began.", DISSOCIATION_AT_RANGE.start(), DISSOCIATION_AT_RANGE.end())]
    DissociationAt,
    #[error("The window can lock after {} to {} idle minutes.", LOCK_AFTER_RANGE.start(), LOCK_AFTER_RANGE.end())]
    LockAfter,
    #[error("Between {} and {} automatic backups can be kept.", BACKUPS_KEPT_RANGE.start(), BACKUPS_KEPT_RANGE.end())]
    BackupsKept,
    #[error("\"Lower dose\" can propose {} to {} % of the running rate.", LOWER_TO_RANGE.start(), LOWER_TO_RANGE.end())]
    LowerTo,
    #[error("The infusion-rate ceiling is {} to {} mg/kg/h.", RATE_CEILING_RANGE.start(), RATE_CEILING_RANGE.end())]
    RateCeiling,
    #[error("Monitoring before discharge can be set to {} to {} minutes.", MONITOR_MINUTES_RANGE.start(), MONITOR_MINUTES_RANGE.end())]
    MonitorMinutes,
    #[error("There is no setting called \"{0}\"; the settings are {keys}.", keys = SETTING_KEYS.iter().map(|(key, _)| *key).collect::<Vec<_>>().join(", "))]
    UnknownKey(String),
    #[error("The setting {0} takes a whole number.")]
    NotANumber(&'static str),
}

/// Every setting's name (on the command line and in the window) with what it means.
pub const SETTING_KEYS: [(&str, &str); 14] = [
    ("vitals-every", "Vitals due every (minutes, IV and IM)"),
    (
        "dissociation-at",
        "CADSS-6 due (minutes after dosing began)",
    ),
    ("systolic", "Flag systolic at or above (mmHg)"),
    ("diastolic", "Flag diastolic at or above (mmHg)"),
    ("heart-rate-high", "Flag heart rate at or above (bpm)"),
    ("heart-rate-low", "Flag heart rate at or below (bpm)"),
    ("spo2-below", "Flag SpO2 below (%)"),
    (
        "respiratory-rate-low",
        "Flag respiratory rate below (breaths/min)",
    ),
    (
        "respiratory-rate-high",
        "Flag respiratory rate at or above (breaths/min)",
    ),
    ("lock-after", "Lock the window after (idle minutes)"),
    ("backups-kept", "Automatic backups kept"),
    ("lower-to", "Lower dose proposes (% of the running rate)"),
    ("rate-ceiling", "Refuse infusion rates above (mg/kg/h)"),
    (
        "monitor-minutes",
        "Monitor before discharge (minutes after the first dose; esketamine 120)",
    ),
];

impl ClinicSettings {
    /// The value of the setting named `key` (one of [`SETTING_KEYS`]).
    pub fn get(&self, key: &str) -> Result<u32, SettingsError> {
        let t = &self.thresholds;
        Ok(match key {
            "vitals-every" => self.vitals_every_minutes,
            "dissociation-at" => self.dissociation_at_minutes,
            "systolic" => u32::from(t.systolic_at_or_above),
            "diastolic" => u32::from(t.diastolic_at_or_above),
            "heart-rate-high" => u32::from(t.heart_rate_at_or_above),
            "heart-rate-low" => u32::from(t.heart_rate_at_or_below),
            "spo2-below" => u32::from(t.spo2_below),
            "respiratory-rate-low" => u32::from(t.respiratory_rate_below),
            "respiratory-rate-high" => u32::from(t.respiratory_rate_at_or_above),
            "lock-after" => self.lock_after_minutes,
            "backups-kept" => self.backups_kept,
            "lower-to" => self.lower_to_percent,
            "rate-ceiling" => self.rate_ceiling_mg_per_kg_h,
            "monitor-minutes" => self.monitor_minutes,
            other => return Err(SettingsError::UnknownKey(other.to_owned())),
        })
    }

    /// Sets the setting named `key` from text; the whole settings are checked before saving.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let name = SETTING_KEYS
            .iter()
            .find(|(known, _)| *known == key)
            .map(|(known, _)| *known)
            .ok_or_else(|| SettingsError::UnknownKey(key.to_owned()))?;
        let number: u32 = value
            .trim()
            .parse()
            .map_err(|_| SettingsError::NotANumber(name))?;
        self.set_number(name, number);
        Ok(())
    }

    /// Sets a known setting; values too large for their field are clamped, then refused by `check`.
    pub fn set_number(&mut self, key: &str, number: u32) {
        let small = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        let tiny = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
        let t = &mut self.thresholds;
        match key {
            "vitals-every" => self.vitals_every_minutes = number,
            "dissociation-at" => self.dissociation_at_minutes = number,
            "systolic" => t.systolic_at_or_above = small(number),
            "diastolic" => t.diastolic_at_or_above = small(number),
            "heart-rate-high" => t.heart_rate_at_or_above = small(number),
            "heart-rate-low" => t.heart_rate_at_or_below = small(number),
            "spo2-below" => t.spo2_below = tiny(number),
            "respiratory-rate-low" => t.respiratory_rate_below = tiny(number),
            "respiratory-rate-high" => t.respiratory_rate_at_or_above = tiny(number),
            "lock-after" => self.lock_after_minutes = number,
            "backups-kept" => self.backups_kept = number,
            "lower-to" => self.lower_to_percent = number,
            "rate-ceiling" => self.rate_ceiling_mg_per_kg_h = number,
            "monitor-minutes" => self.monitor_minutes = number,
            _ => {}
        }
    }

    /// The dose "Lower dose" proposes: the running rate (or bolus amount) times the clinic's share,
    /// rounded as a pump is set; `None` before dosing, after a stop, or when nothing lower can be set.
    pub fn proposed_lower(&self, current: super::CurrentDose) -> Option<super::Dose> {
        let share = f64::from(self.lower_to_percent) / 100.0;
        let dose = match current {
            super::CurrentDose::Infusing { rate, .. } => {
                super::Dose::per_hour(rate.per_hour, rate.unit).ok()?
            }
            super::CurrentDose::Given(dose) => dose,
            _ => return None,
        };
        dose.scaled(share).ok()
    }

    /// Whether the dissociation scale is due at `now_ms`, and since when. It falls due twice: the
    /// set minutes after dosing began (2 minutes early counts), and before discharge (while
    /// `discharging`), to see that dissociation has settled, unless one was answered in the last 10
    /// minutes.
    pub fn dissociation_due(
        &self,
        state: &super::TimelineState,
        now_ms: i64,
        discharging: bool,
    ) -> Option<i64> {
        let began = state.dosing_began_ms?;
        let last = state.latest.dissociation_at_ms;
        if discharging && last.is_none_or(|at| now_ms - at > 10 * 60_000) {
            return Some(now_ms);
        }
        let due_at = began + i64::from(self.dissociation_at_minutes) * 60_000;
        let answered = last.is_some_and(|at| at >= due_at - 2 * 60_000);
        (now_ms >= due_at && !answered).then_some(due_at)
    }

    /// Checks every value; the window and the command line refuse the same things.
    pub fn check(&self) -> Result<(), SettingsError> {
        let t = &self.thresholds;
        if !VITALS_INTERVAL_RANGE.contains(&self.vitals_every_minutes) {
            return Err(SettingsError::Interval);
        }
        if !DISSOCIATION_AT_RANGE.contains(&self.dissociation_at_minutes) {
            return Err(SettingsError::DissociationAt);
        }
        if !(100..=250).contains(&t.systolic_at_or_above)
            || !(60..=150).contains(&t.diastolic_at_or_above)
        {
            return Err(SettingsError::BloodPressure);
        }
        if !(30..=80).contains(&t.heart_rate_at_or_below)
            || !(90..=200).contains(&t.heart_rate_at_or_above)
        {
            return Err(SettingsError::HeartRate);
        }
        if !(80..=99).contains(&t.spo2_below) {
            return Err(SettingsError::Spo2);
        }
        if !(6..=14).contains(&t.respiratory_rate_below)
            || !(18..=40).contains(&t.respiratory_rate_at_or_above)
        {
            return Err(SettingsError::RespiratoryRate);
        }
        if !LOCK_AFTER_RANGE.contains(&self.lock_after_minutes) {
            return Err(SettingsError::LockAfter);
        }
        if !BACKUPS_KEPT_RANGE.contains(&self.backups_kept) {
            return Err(SettingsError::BackupsKept);
        }
        if !LOWER_TO_RANGE.contains(&self.lower_to_percent) {
            return Err(SettingsError::LowerTo);
        }
        if !RATE_CEILING_RANGE.contains(&self.rate_ceiling_mg_per_kg_h) {
            return Err(SettingsError::RateCeiling);
        }
        if !MONITOR_MINUTES_RANGE.contains(&self.monitor_minutes) {
            return Err(SettingsError::MonitorMinutes);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_nonsense_is_refused() {
        assert_eq!(ClinicSettings::default().check(), Ok(()));
        let every = |minutes| ClinicSettings {
            vitals_every_minutes: minutes,
            ..ClinicSettings::default()
        };
        assert_eq!(every(0).check(), Err(SettingsError::Interval));
        assert_eq!(every(61).check(), Err(SettingsError::Interval));
        let mut spo2 = ClinicSettings::default();
        spo2.thresholds.spo2_below = 100;
        assert_eq!(spo2.check(), Err(SettingsError::Spo2));
    }

    #[test]
    fn settings_are_read_and_set_by_name() {
        let mut settings = ClinicSettings::default();
        for (key, _) in SETTING_KEYS {
            let value = settings.get(key).unwrap();
            settings.set(key, &value.to_string()).unwrap();
        }
        assert_eq!(
            settings,
            ClinicSettings::default(),
            "every key reads back what it sets"
        );
        settings.set("systolic", " 170 ").unwrap();
        assert_eq!(settings.thresholds.systolic_at_or_above, 170);
        assert_eq!(
            settings.set("systole", "170"),
            Err(SettingsError::UnknownKey("systole".into()))
        );
        assert_eq!(
            settings.set("spo2-below", "ninety"),
            Err(SettingsError::NotANumber("spo2-below"))
        );
        settings.set("spo2-below", "400").unwrap();
        assert_eq!(
            settings.check(),
            Err(SettingsError::Spo2),
            "clamped, then refused"
        );
    }

    #[test]
    fn the_dissociation_scale_falls_due_at_its_minute_until_answered() {
        use crate::domain::{
            Dose, Event, EventKind, Instrument, Measure, Seq, SessionId, TimelineState,
        };
        let settings = ClinicSettings::default();
        let event = |seq, elapsed_ms, kind| Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: chrono::Utc::now(),
            elapsed_ms,
            kind,
        };
        let mut state = TimelineState::default();
        assert_eq!(
            settings.dissociation_due(&state, 3_600_000, false),
            None,
            "no dosing, no scale"
        );
        state.apply(&event(
            1,
            60_000,
            EventKind::DosingBegan {
                dose: Dose::parse("0.5 mg/kg over 40 min").unwrap(),
            },
        ));
        let due = 41 * 60_000;
        assert_eq!(settings.dissociation_due(&state, due - 1, false), None);
        assert_eq!(settings.dissociation_due(&state, due, false), Some(due));
        let cadss = |at| {
            event(
                2,
                at,
                EventKind::Measure {
                    measure: Measure::new(Instrument::Cadss6, vec![0; 6]).unwrap(),
                    note: String::new(),
                },
            )
        };
        // Answered 3 minutes early: too early to count.
        state.apply(&cadss(due - 3 * 60_000));
        assert_eq!(settings.dissociation_due(&state, due + 1, false), Some(due));
        state.apply(&cadss(due + 60_000));
        assert_eq!(
            settings.dissociation_due(&state, due + 120_000, false),
            None
        );
        // Before discharge it is asked again, unless answered in the last 10 minutes.
        assert_eq!(settings.dissociation_due(&state, due + 120_000, true), None);
        let later = due + 30 * 60_000;
        assert_eq!(settings.dissociation_due(&state, later, true), Some(later));
    }
}
