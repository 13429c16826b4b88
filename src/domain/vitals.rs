//! Vital signs as a ketamine clinic records them (blood pressure, heart rate, SpO2), the ranges
//! outside which a number is a typing error, and the thresholds that flag a reading at once.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Outside these a reading is a typing error, not a patient (mmHg, beats per minute, %).
pub const SYSTOLIC_RANGE: std::ops::RangeInclusive<u16> = 50..=300;
pub const DIASTOLIC_RANGE: std::ops::RangeInclusive<u16> = 20..=200;
pub const HEART_RATE_RANGE: std::ops::RangeInclusive<u16> = 20..=250;
pub const SPO2_RANGE: std::ops::RangeInclusive<u8> = 50..=100;

/// One set of vital signs; any of them may be left out, at least one is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "VitalsRecord", into = "VitalsRecord")]
pub struct Vitals {
    blood_pressure: Option<(u16, u16)>,
    heart_rate: Option<u16>,
    spo2: Option<u8>,
}

/// Why a reading was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VitalsError {
    #[error("Enter at least one of blood pressure, heart rate or SpO2.")]
    Empty,
    #[error("A blood pressure is written systolic/diastolic, for example 128/82.")]
    BloodPressureFormat,
    #[error(
        "Blood pressure {systolic}/{diastolic} cannot be right: systolic is {}–{} and diastolic {}–{} mmHg, systolic above diastolic.",
        SYSTOLIC_RANGE.start(), SYSTOLIC_RANGE.end(), DIASTOLIC_RANGE.start(), DIASTOLIC_RANGE.end()
    )]
    BloodPressureRange { systolic: u16, diastolic: u16 },
    #[error("A heart rate is a whole number of beats per minute from {} to {}.", HEART_RATE_RANGE.start(), HEART_RATE_RANGE.end())]
    HeartRate,
    #[error("SpO2 is a whole percentage from {} to {}.", SPO2_RANGE.start(), SPO2_RANGE.end())]
    Spo2,
}

impl Vitals {
    /// Checks a reading.
    pub fn new(
        blood_pressure: Option<(u16, u16)>,
        heart_rate: Option<u16>,
        spo2: Option<u8>,
    ) -> Result<Self, VitalsError> {
        if blood_pressure.is_none() && heart_rate.is_none() && spo2.is_none() {
            return Err(VitalsError::Empty);
        }
        if let Some((systolic, diastolic)) = blood_pressure
            && (!SYSTOLIC_RANGE.contains(&systolic)
                || !DIASTOLIC_RANGE.contains(&diastolic)
                || systolic <= diastolic)
        {
            return Err(VitalsError::BloodPressureRange {
                systolic,
                diastolic,
            });
        }
        if heart_rate.is_some_and(|rate| !HEART_RATE_RANGE.contains(&rate)) {
            return Err(VitalsError::HeartRate);
        }
        if spo2.is_some_and(|value| !SPO2_RANGE.contains(&value)) {
            return Err(VitalsError::Spo2);
        }
        Ok(Self {
            blood_pressure,
            heart_rate,
            spo2,
        })
    }

    /// Parses the three fields as typed; empty fields are left out. `SpO2` may carry a `%`.
    pub fn parse(blood_pressure: &str, heart_rate: &str, spo2: &str) -> Result<Self, VitalsError> {
        let blood_pressure = match blood_pressure.trim() {
            "" => None,
            text => {
                let (systolic, diastolic) = text
                    .split_once(['/', ' '])
                    .ok_or(VitalsError::BloodPressureFormat)?;
                let number = |part: &str| {
                    part.trim()
                        .parse::<u16>()
                        .map_err(|_| VitalsError::BloodPressureFormat)
                };
                Some((number(systolic)?, number(diastolic)?))
            }
        };
        let heart_rate = match heart_rate.trim() {
            "" => None,
            text => Some(text.parse::<u16>().map_err(|_| VitalsError::HeartRate)?),
        };
        let spo2 = match spo2.trim().trim_end_matches('%').trim() {
            "" => None,
            text => Some(text.parse::<u8>().map_err(|_| VitalsError::Spo2)?),
        };
        Self::new(blood_pressure, heart_rate, spo2)
    }

    pub fn blood_pressure(&self) -> Option<(u16, u16)> {
        self.blood_pressure
    }

    pub fn heart_rate(&self) -> Option<u16> {
        self.heart_rate
    }

    pub fn spo2(&self) -> Option<u8> {
        self.spo2
    }

    /// e.g. "BP 128/82 · HR 76 · SpO2 98 %".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((systolic, diastolic)) = self.blood_pressure {
            parts.push(format!("BP {systolic}/{diastolic}"));
        }
        if let Some(rate) = self.heart_rate {
            parts.push(format!("HR {rate}"));
        }
        if let Some(value) = self.spo2 {
            parts.push(format!("SpO2 {value} %"));
        }
        parts.join(" · ")
    }
}

/// The readings that are flagged at once. Every limit is configurable; the defaults are common
/// ketamine-clinic practice (hold dosing at or above 180/110).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub systolic_at_or_above: u16,
    pub diastolic_at_or_above: u16,
    pub heart_rate_at_or_above: u16,
    pub heart_rate_at_or_below: u16,
    pub spo2_below: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            systolic_at_or_above: 180,
            diastolic_at_or_above: 110,
            heart_rate_at_or_above: 130,
            heart_rate_at_or_below: 45,
            spo2_below: 92,
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
        }
    }
}

impl Thresholds {
    /// Every limit the reading crosses.
    pub fn flags(&self, vitals: &Vitals) -> Vec<VitalsFlag> {
        let mut flags = Vec::new();
        if let Some((systolic, diastolic)) = vitals.blood_pressure
            && (systolic >= self.systolic_at_or_above || diastolic >= self.diastolic_at_or_above)
        {
            flags.push(VitalsFlag::HighBloodPressure {
                systolic,
                diastolic,
            });
        }
        match vitals.heart_rate {
            Some(rate) if rate >= self.heart_rate_at_or_above => {
                flags.push(VitalsFlag::FastHeartRate(rate));
            }
            Some(rate) if rate <= self.heart_rate_at_or_below => {
                flags.push(VitalsFlag::SlowHeartRate(rate));
            }
            _ => {}
        }
        if let Some(value) = vitals.spo2
            && value < self.spo2_below
        {
            flags.push(VitalsFlag::LowSpo2(value));
        }
        flags
    }
}

/// The stored form; reading it back checks it again.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VitalsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    systolic: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    diastolic: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heart_rate: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spo2: Option<u8>,
}

impl TryFrom<VitalsRecord> for Vitals {
    type Error = VitalsError;

    fn try_from(record: VitalsRecord) -> Result<Self, Self::Error> {
        let blood_pressure = match (record.systolic, record.diastolic) {
            (Some(systolic), Some(diastolic)) => Some((systolic, diastolic)),
            (None, None) => None,
            _ => return Err(VitalsError::BloodPressureFormat),
        };
        Self::new(blood_pressure, record.heart_rate, record.spo2)
    }
}

impl From<Vitals> for VitalsRecord {
    fn from(vitals: Vitals) -> Self {
        Self {
            systolic: vitals.blood_pressure.map(|(systolic, _)| systolic),
            diastolic: vitals.blood_pressure.map(|(_, diastolic)| diastolic),
            heart_rate: vitals.heart_rate,
            spo2: vitals.spo2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_parsed_as_typed() {
        let vitals = Vitals::parse("128/82", "76", "98 %").unwrap();
        assert_eq!(vitals.describe(), "BP 128/82 · HR 76 · SpO2 98 %");
        assert_eq!(Vitals::parse("", "64", "").unwrap().describe(), "HR 64");
        assert_eq!(Vitals::parse("", "", ""), Err(VitalsError::Empty));
        assert_eq!(
            Vitals::parse("128", "", ""),
            Err(VitalsError::BloodPressureFormat)
        );
    }

    #[test]
    fn impossible_values_are_refused_with_a_plain_message() {
        let error = Vitals::parse("400/20", "", "").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("Blood pressure 400/20 cannot be right")
        );
        assert_eq!(
            Vitals::parse("80/120", "", ""),
            Err(VitalsError::BloodPressureRange {
                systolic: 80,
                diastolic: 120
            })
        );
        assert_eq!(Vitals::parse("", "", "130"), Err(VitalsError::Spo2));
        assert_eq!(Vitals::parse("", "0", ""), Err(VitalsError::HeartRate));
        assert_eq!(Vitals::parse("", "-5", ""), Err(VitalsError::HeartRate));
        assert_eq!(Vitals::parse("", "fast", ""), Err(VitalsError::HeartRate));
    }

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

    #[test]
    fn stored_vitals_are_checked_again_when_read() {
        let vitals = Vitals::parse("128/82", "", "97").unwrap();
        let json = serde_json::to_string(&vitals).unwrap();
        assert_eq!(json, r#"{"systolic":128,"diastolic":82,"spo2":97}"#);
        assert_eq!(serde_json::from_str::<Vitals>(&json).unwrap(), vitals);
        assert!(serde_json::from_str::<Vitals>(r#"{"spo2":130}"#).is_err());
        assert!(serde_json::from_str::<Vitals>(r#"{"systolic":128}"#).is_err());
    }
}
