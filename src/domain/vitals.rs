//! Vital signs as a ketamine clinic records them (blood pressure, heart rate, SpO2, respiratory rate,
//! and supplemental oxygen when it is given), the ranges outside which a number is a typing error,
//! and how a reading is typed and stored (the thresholds that flag one are in `vitals_thresholds.rs`).
//! Respiratory depression is one of the effects the esketamine REMS monitoring form asks about, so
//! breathing is watched like the rest.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Outside these a reading is a typing error, not a patient (mmHg, beats per minute, %).
pub const SYSTOLIC_RANGE: std::ops::RangeInclusive<u16> = 50..=300;
pub const DIASTOLIC_RANGE: std::ops::RangeInclusive<u16> = 20..=200;
pub const HEART_RATE_RANGE: std::ops::RangeInclusive<u16> = 20..=250;
pub const SPO2_RANGE: std::ops::RangeInclusive<u8> = 50..=100;
/// Breaths per minute.
pub const RESPIRATORY_RATE_RANGE: std::ops::RangeInclusive<u8> = 2..=60;
/// Supplemental oxygen, in tenths of a litre per minute (nasal cannula from 0.5, a mask up to 15).
pub const OXYGEN_TENTHS_RANGE: std::ops::RangeInclusive<u16> = 5..=150;

/// One set of vital signs; any of them may be left out, at least one is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "VitalsRecord", into = "VitalsRecord")]
pub struct Vitals {
    blood_pressure: Option<(u16, u16)>,
    heart_rate: Option<u16>,
    spo2: Option<u8>,
    respiratory_rate: Option<u8>,
    /// Supplemental oxygen given at the reading, in tenths of a litre per minute; `None` is room air.
    oxygen_tenths: Option<u16>,
}

/// The fields of a reading as typed; an empty field is left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct VitalsText<'a> {
    pub blood_pressure: &'a str,
    pub heart_rate: &'a str,
    pub spo2: &'a str,
    pub respiratory_rate: &'a str,
    /// Litres per minute, e.g. `2` or `2.5 L/min`; empty or `0` is room air.
    pub oxygen: &'a str,
}

/// Why a reading was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VitalsError {
    #[error("Enter at least one of blood pressure, heart rate, SpO2 or respiratory rate.")]
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
    #[error("A respiratory rate is a whole number of breaths per minute from {} to {}.", RESPIRATORY_RATE_RANGE.start(), RESPIRATORY_RATE_RANGE.end())]
    RespiratoryRate,
    #[error(
        "Supplemental oxygen is 0.5 to 15 litres per minute, to one decimal (0 or empty for room air)."
    )]
    Oxygen,
    #[error(
        "Oxygen is recorded with a reading it was given at: add the SpO2 or the respiratory rate."
    )]
    OxygenAlone,
}

impl Vitals {
    /// Checks a reading of the circulation and SpO2 (no breathing recorded).
    pub fn new(
        blood_pressure: Option<(u16, u16)>,
        heart_rate: Option<u16>,
        spo2: Option<u8>,
    ) -> Result<Self, VitalsError> {
        Self::with_breathing(blood_pressure, heart_rate, spo2, None, None)
    }

    /// Checks a whole reading: `oxygen_tenths` is supplemental oxygen in tenths of a litre per
    /// minute (`None`: room air).
    pub fn with_breathing(
        blood_pressure: Option<(u16, u16)>,
        heart_rate: Option<u16>,
        spo2: Option<u8>,
        respiratory_rate: Option<u8>,
        oxygen_tenths: Option<u16>,
    ) -> Result<Self, VitalsError> {
        if blood_pressure.is_none()
            && heart_rate.is_none()
            && spo2.is_none()
            && respiratory_rate.is_none()
        {
            return Err(if oxygen_tenths.is_some() {
                VitalsError::OxygenAlone
            } else {
                VitalsError::Empty
            });
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
        if respiratory_rate.is_some_and(|rate| !RESPIRATORY_RATE_RANGE.contains(&rate)) {
            return Err(VitalsError::RespiratoryRate);
        }
        if oxygen_tenths.is_some_and(|tenths| !OXYGEN_TENTHS_RANGE.contains(&tenths)) {
            return Err(VitalsError::Oxygen);
        }
        Ok(Self {
            blood_pressure,
            heart_rate,
            spo2,
            respiratory_rate,
            oxygen_tenths,
        })
    }

    /// Parses blood pressure, heart rate and SpO2 as typed; empty fields are left out. `SpO2` may
    /// carry a `%`.
    pub fn parse(blood_pressure: &str, heart_rate: &str, spo2: &str) -> Result<Self, VitalsError> {
        Self::read(&VitalsText {
            blood_pressure,
            heart_rate,
            spo2,
            ..VitalsText::default()
        })
    }

    /// The reading the fields describe, or `None` when every field is empty (a form that records
    /// only a sedation rating, a checklist without baseline vitals).
    pub fn read_if_any(text: &VitalsText<'_>) -> Result<Option<Self>, VitalsError> {
        let fields = [
            text.blood_pressure,
            text.heart_rate,
            text.spo2,
            text.respiratory_rate,
            text.oxygen,
        ];
        if fields.iter().all(|field| field.trim().is_empty()) {
            return Ok(None);
        }
        Self::read(text).map(Some)
    }

    /// Parses every field of a reading as typed; empty fields are left out.
    pub fn read(text: &VitalsText<'_>) -> Result<Self, VitalsError> {
        let blood_pressure = match text.blood_pressure.trim() {
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
        let heart_rate = match text.heart_rate.trim() {
            "" => None,
            text => Some(text.parse::<u16>().map_err(|_| VitalsError::HeartRate)?),
        };
        let spo2 = match text.spo2.trim().trim_end_matches('%').trim() {
            "" => None,
            text => Some(text.parse::<u8>().map_err(|_| VitalsError::Spo2)?),
        };
        let respiratory_rate = match text.respiratory_rate.trim() {
            "" => None,
            text => Some(
                text.parse::<u8>()
                    .map_err(|_| VitalsError::RespiratoryRate)?,
            ),
        };
        let oxygen_tenths = parse_oxygen(text.oxygen)?;
        Self::with_breathing(
            blood_pressure,
            heart_rate,
            spo2,
            respiratory_rate,
            oxygen_tenths,
        )
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

    /// Breaths per minute.
    pub fn respiratory_rate(&self) -> Option<u8> {
        self.respiratory_rate
    }

    /// Supplemental oxygen in litres per minute; `None` is room air.
    pub fn oxygen_l_min(&self) -> Option<f64> {
        self.oxygen_tenths.map(|tenths| f64::from(tenths) / 10.0)
    }

    /// e.g. "BP 128/82 · HR 76 · SpO2 98 % · RR 14 · O2 2 L/min".
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
        if let Some(rate) = self.respiratory_rate {
            parts.push(format!("RR {rate}"));
        }
        if let Some(litres) = self.oxygen_l_min() {
            parts.push(format!("O2 {litres} L/min"));
        }
        parts.join(" · ")
    }
}

/// Supplemental oxygen as typed (`2`, `2.5`, `2,5 L/min`) in tenths of a litre per minute; empty
/// or zero is room air.
fn parse_oxygen(text: &str) -> Result<Option<u16>, VitalsError> {
    let lowered = text.trim().to_lowercase();
    let number = lowered
        .trim_end_matches("l/min")
        .trim_end_matches('l')
        .trim();
    if number.is_empty() || lowered == "room air" {
        return Ok(None);
    }
    let litres = super::parse_decimal(number).map_err(|_| VitalsError::Oxygen)?;
    let tenths = (litres * 10.0).round();
    if !litres.is_finite() || (litres * 10.0 - tenths).abs() > 1e-6 {
        return Err(VitalsError::Oxygen);
    }
    if tenths == 0.0 {
        return Ok(None);
    }
    if !(0.0..=f64::from(u16::MAX)).contains(&tenths) {
        return Err(VitalsError::Oxygen);
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a whole number within u16, checked above"
    )]
    let tenths = tenths as u16;
    Ok(Some(tenths))
}

/// The stored form; reading it back checks it again.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    respiratory_rate: Option<u8>,
    /// Supplemental oxygen in tenths of a litre per minute (a whole number keeps it exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oxygen_tenths_l_min: Option<u16>,
}

impl TryFrom<VitalsRecord> for Vitals {
    type Error = VitalsError;

    fn try_from(record: VitalsRecord) -> Result<Self, Self::Error> {
        let blood_pressure = match (record.systolic, record.diastolic) {
            (Some(systolic), Some(diastolic)) => Some((systolic, diastolic)),
            (None, None) => None,
            _ => return Err(VitalsError::BloodPressureFormat),
        };
        Self::with_breathing(
            blood_pressure,
            record.heart_rate,
            record.spo2,
            record.respiratory_rate,
            record.oxygen_tenths_l_min,
        )
    }
}

impl From<Vitals> for VitalsRecord {
    fn from(vitals: Vitals) -> Self {
        Self {
            systolic: vitals.blood_pressure.map(|(systolic, _)| systolic),
            diastolic: vitals.blood_pressure.map(|(_, diastolic)| diastolic),
            heart_rate: vitals.heart_rate,
            spo2: vitals.spo2,
            respiratory_rate: vitals.respiratory_rate,
            oxygen_tenths_l_min: vitals.oxygen_tenths,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Thresholds, VitalsFlag};

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
    fn breathing_and_oxygen_are_read_as_typed_and_flagged() {
        let text = |respiratory_rate, oxygen| VitalsText {
            spo2: "95",
            respiratory_rate,
            oxygen,
            ..VitalsText::default()
        };
        let vitals = Vitals::read(&text("8", "2")).unwrap();
        assert_eq!(vitals.describe(), "SpO2 95 % · RR 8 · O2 2 L/min");
        assert_eq!(
            Thresholds::default().flags(&vitals),
            [VitalsFlag::SlowBreathing(8)]
        );
        let half = Vitals::read(&text("14", "2,5 L/min")).unwrap();
        assert_eq!(half.oxygen_l_min(), Some(2.5));
        assert!(Thresholds::default().flags(&half).is_empty());
        for room_air in ["", "0", "room air"] {
            assert_eq!(
                Vitals::read(&text("14", room_air)).unwrap().oxygen_l_min(),
                None
            );
        }
        assert_eq!(
            Thresholds::default().flags(&Vitals::read(&text("25", "")).unwrap()),
            [VitalsFlag::FastBreathing(25)]
        );
        assert!(
            Thresholds::default()
                .flags(&Vitals::read(&text("10", "")).unwrap())
                .is_empty(),
            "10 is the edge, not below it"
        );
        assert_eq!(
            Vitals::read(&text("1", "")),
            Err(VitalsError::RespiratoryRate)
        );
        assert_eq!(
            Vitals::read(&text("fast", "")),
            Err(VitalsError::RespiratoryRate)
        );
        for bad in ["0.25", "16", "two", "-1", "2.55", "NaN"] {
            assert_eq!(
                Vitals::read(&text("14", bad)),
                Err(VitalsError::Oxygen),
                "{bad}"
            );
        }
        let alone = VitalsText {
            oxygen: "2",
            ..VitalsText::default()
        };
        assert_eq!(Vitals::read(&alone), Err(VitalsError::OxygenAlone));
        let breathing_only = VitalsText {
            respiratory_rate: "12",
            ..VitalsText::default()
        };
        assert_eq!(Vitals::read(&breathing_only).unwrap().describe(), "RR 12");
    }

    #[test]
    fn stored_vitals_are_checked_again_when_read() {
        let vitals = Vitals::parse("128/82", "", "97").unwrap();
        let json = serde_json::to_string(&vitals).unwrap();
        assert_eq!(json, r#"{"systolic":128,"diastolic":82,"spo2":97}"#);
        assert_eq!(serde_json::from_str::<Vitals>(&json).unwrap(), vitals);
        assert!(serde_json::from_str::<Vitals>(r#"{"spo2":130}"#).is_err());
        assert!(serde_json::from_str::<Vitals>(r#"{"systolic":128}"#).is_err());
        let breathing = Vitals::read(&VitalsText {
            respiratory_rate: "9",
            oxygen: "1.5",
            ..VitalsText::default()
        })
        .unwrap();
        let json = serde_json::to_string(&breathing).unwrap();
        assert_eq!(json, r#"{"respiratory_rate":9,"oxygen_tenths_l_min":15}"#);
        assert_eq!(serde_json::from_str::<Vitals>(&json).unwrap(), breathing);
        assert!(serde_json::from_str::<Vitals>(r#"{"respiratory_rate":0}"#).is_err());
        assert!(serde_json::from_str::<Vitals>(r#"{"oxygen_tenths_l_min":20}"#).is_err());
    }
}
