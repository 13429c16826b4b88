//! The thresholds that flag a reading at once: each limit is a clinic setting, and a reading
//! beyond one is a safety signal in the timeline, the live header and every summary.

use serde::{Deserialize, Serialize};

use super::Vitals;

/// The readings that are flagged at once. Every limit is configurable; the defaults are common
/// ketamine-clinic practice (hold dosing at or above 180/110).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    pub systolic_at_or_above: u16,
    pub diastolic_at_or_above: u16,
    pub heart_rate_at_or_above: u16,
    pub heart_rate_at_or_below: u16,
    pub spo2_below: u8,
    /// Slow breathing: respiratory depression.
    pub respiratory_rate_below: u8,
    pub respiratory_rate_at_or_above: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            systolic_at_or_above: 180,
            diastolic_at_or_above: 110,
            heart_rate_at_or_above: 130,
            heart_rate_at_or_below: 45,
            spo2_below: 92,
            // Fewer than 10 breaths a minute is the usual sign of opioid-like respiratory depression.
            respiratory_rate_below: 10,
            respiratory_rate_at_or_above: 25,
        }
    }
}

/// A reading beyond a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VitalsFlag {
    HighBloodPressure { systolic: u16, diastolic: u16 },
    FastHeartRate(u16),
    SlowHeartRate(u16),
    LowSpo2(u8),
    SlowBreathing(u8),
    FastBreathing(u8),
}

impl VitalsFlag {
    pub fn describe(self) -> String {
        match self {
            Self::HighBloodPressure {
                systolic,
                diastolic,
            } => format!("Blood pressure {systolic}/{diastolic} is high"),
            Self::FastHeartRate(rate) => format!("Heart rate {rate} is fast"),
            Self::SlowHeartRate(rate) => format!("Heart rate {rate} is slow"),
            Self::LowSpo2(value) => format!("SpO2 {value} % is low"),
            Self::SlowBreathing(rate) => {
                format!("Respiratory rate {rate} is slow (respiratory depression?)")
            }
            Self::FastBreathing(rate) => format!("Respiratory rate {rate} is fast"),
        }
    }
}

impl Thresholds {
    /// Every limit the reading crosses.
    pub fn flags(&self, vitals: &Vitals) -> Vec<VitalsFlag> {
        let mut flags = Vec::new();
        if let Some((systolic, diastolic)) = vitals.blood_pressure()
            && (systolic >= self.systolic_at_or_above || diastolic >= self.diastolic_at_or_above)
        {
            flags.push(VitalsFlag::HighBloodPressure {
                systolic,
                diastolic,
            });
        }
        match vitals.heart_rate() {
            Some(rate) if rate >= self.heart_rate_at_or_above => {
                flags.push(VitalsFlag::FastHeartRate(rate));
            }
            Some(rate) if rate <= self.heart_rate_at_or_below => {
                flags.push(VitalsFlag::SlowHeartRate(rate));
            }
            _ => {}
        }
        if let Some(value) = vitals.spo2()
            && value < self.spo2_below
        {
            flags.push(VitalsFlag::LowSpo2(value));
        }
        match vitals.respiratory_rate() {
            Some(rate) if rate < self.respiratory_rate_below => {
                flags.push(VitalsFlag::SlowBreathing(rate));
            }
            Some(rate) if rate >= self.respiratory_rate_at_or_above => {
                flags.push(VitalsFlag::FastBreathing(rate));
            }
            _ => {}
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_flag_each_limit_at_its_edge() {
        let thresholds = Thresholds::default();
        let flags = |bp: &str, hr: &str, spo2: &str| {
            thresholds.flags(&Vitals::parse(bp, hr, spo2).unwrap())
        };
        assert!(
            flags("179/109", "129", "92").is_empty(),
            "just inside every limit"
        );
        assert_eq!(
            flags("180/90", "", ""),
            [VitalsFlag::HighBloodPressure {
                systolic: 180,
                diastolic: 90
            }]
        );
        assert_eq!(
            flags("150/110", "", ""),
            [VitalsFlag::HighBloodPressure {
                systolic: 150,
                diastolic: 110
            }]
        );
        assert_eq!(
            flags("", "130", "91"),
            [VitalsFlag::FastHeartRate(130), VitalsFlag::LowSpo2(91)]
        );
        assert_eq!(flags("", "45", ""), [VitalsFlag::SlowHeartRate(45)]);
        let stricter = Thresholds {
            systolic_at_or_above: 160,
            ..Thresholds::default()
        };
        assert_eq!(
            stricter
                .flags(&Vitals::parse("165/90", "", "").unwrap())
                .len(),
            1
        );
    }
}
