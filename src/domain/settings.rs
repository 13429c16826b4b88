//! The clinic's settings for monitoring: when vitals are due and which readings are flagged.

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
}

impl Default for ClinicSettings {
    fn default() -> Self {
        Self {
            thresholds: Thresholds::default(),
            vitals_every_minutes: 15,
        }
    }
}

/// The interval a schedule accepts, in minutes.
pub const VITALS_INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 5..=60;

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
}

impl ClinicSettings {
    /// Checks every value; the window and the command line refuse the same things.
    pub fn check(&self) -> Result<(), SettingsError> {
        let t = &self.thresholds;
        if !VITALS_INTERVAL_RANGE.contains(&self.vitals_every_minutes) {
            return Err(SettingsError::Interval);
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
}
