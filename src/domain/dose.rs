//! Ketamine doses: parsing what a clinician types, and refusing what cannot be right.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A dose above this many mg per kg of body weight is refused as a typing error (usual doses are 0.1–2 mg/kg).
pub const MAX_MG_PER_KG: f64 = 10.0;
/// Without a known weight, a dose above this many mg is refused as a typing error.
pub const MAX_MG_WITHOUT_WEIGHT: f64 = 1000.0;
/// The longest infusion the journal accepts, in minutes.
pub const MAX_INFUSION_MINUTES: u32 = 600;

/// The unit a dose is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum DoseUnit {
    /// Milligrams.
    #[serde(rename = "mg")]
    Mg,
    /// Milligrams per kilogram of body weight.
    #[serde(rename = "mg/kg")]
    MgPerKg,
}

impl DoseUnit {
    /// The unit as written on screen and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mg => "mg",
            Self::MgPerKg => "mg/kg",
        }
    }

    /// Parses a unit as clinicians write it: `mg`, `mg/kg`, `mg per kg`, `mgkg`.
    pub fn parse(text: &str) -> Result<Self, DoseError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.to_ascii_lowercase().as_str() {
            "mg" | "milligram" | "milligrams" => Ok(Self::Mg),
            "mg/kg" | "mgperkg" | "mgkg" | "mg/kgbw" => Ok(Self::MgPerKg),
            "" => Err(DoseError::MissingUnit),
            _ => Err(DoseError::UnknownUnit(truncate_for_message(text.trim()))),
        }
    }
}

/// An IV infusion runs its dose over a number of minutes, e.g. 0.5 mg/kg over 40 min.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Infusion {
    /// How long the dose runs.
    pub over_minutes: u32,
}

/// How a dose is given: at once, as an amount over minutes, or as a rate per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Given at once (an injection, a lozenge, a spray device): "56 mg".
    Bolus,
    /// The amount runs over the minutes: "0.5 mg/kg over 40 min" is 0.75 mg/kg/h.
    Infusion(Infusion),
    /// The amount runs every hour until stopped: "0.75 mg/kg/h".
    PerHour,
}

/// A validated dose: a positive, finite amount in a known unit, given at once, over minutes or per hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "DoseRecord", into = "DoseRecord")]
pub struct Dose {
    amount: f64,
    unit: DoseUnit,
    delivery: Delivery,
}

/// Why a dose was refused. Each message is a sentence a clinician can act on.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DoseError {
    #[error("Enter a dose, for example \"0.5 mg/kg over 40 min\" or \"56 mg\".")]
    Empty,
    #[error("The dose amount is not a number.")]
    NotANumber,
    #[error(transparent)]
    Ambiguous(#[from] super::NumberError),
    #[error("A dose must be more than zero.")]
    NotPositive,
    #[error("Add a unit to the dose: mg or mg/kg.")]
    MissingUnit,
    #[error("The unit \"{0}\" is not one the journal knows; use mg or mg/kg.")]
    UnknownUnit(String),
    #[error("A dose of more than {max} mg/kg cannot be right; check the amount and unit.", max = MAX_MG_PER_KG)]
    AbsurdPerKg,
    #[error("A dose of more than {max} mg cannot be right without a known weight; check the amount.", max = MAX_MG_WITHOUT_WEIGHT)]
    AbsurdWithoutWeight,
    #[error("A dose in mg/kg needs the client's weight; add it to the client first.")]
    MissingWeight,
    #[error("An infusion must run between 1 and {max} minutes.", max = MAX_INFUSION_MINUTES)]
    InfusionLength,
    #[error("Write an infusion as \"0.5 mg/kg over 40 min\" or a rate as \"0.75 mg/kg/h\".")]
    InfusionSyntax,
    #[error("A rate of more than {max} mg/kg/h cannot be right; check the amount and unit.", max = MAX_MG_PER_KG)]
    AbsurdRate,
    #[error(
        "A rate of {rate} mg/kg/h is above the clinic's ceiling of {ceiling} mg/kg/h; check the amount and the minutes."
    )]
    AboveCeiling { rate: f64, ceiling: f64 },
    #[error(
        "A rate in mg/h needs the client's weight to be checked against the clinic's ceiling; add it first."
    )]
    RateNeedsWeight,
}

impl Dose {
    /// Builds a dose and checks it is plausible on its own (see [`Dose::check_for_weight`] for the weight).
    pub fn new(amount: f64, unit: DoseUnit, infusion: Option<Infusion>) -> Result<Self, DoseError> {
        Self::with_delivery(
            amount,
            unit,
            infusion.map_or(Delivery::Bolus, Delivery::Infusion),
        )
    }

    /// A rate per hour, e.g. 0.75 mg/kg/h, checked like [`Dose::new`].
    pub fn per_hour(amount: f64, unit: DoseUnit) -> Result<Self, DoseError> {
        Self::with_delivery(amount, unit, Delivery::PerHour)
    }

    /// Builds a dose given as `delivery`, checked like [`Dose::new`].
    pub fn with_delivery(
        amount: f64,
        unit: DoseUnit,
        delivery: Delivery,
    ) -> Result<Self, DoseError> {
        if amount.is_nan() {
            return Err(DoseError::NotANumber);
        }
        if amount <= 0.0 {
            return Err(DoseError::NotPositive);
        }
        if !amount.is_finite() {
            return Err(match unit {
                DoseUnit::Mg => DoseError::AbsurdWithoutWeight,
                DoseUnit::MgPerKg => DoseError::AbsurdPerKg,
            });
        }
        if unit == DoseUnit::MgPerKg && amount > MAX_MG_PER_KG {
            return Err(if delivery == Delivery::PerHour {
                DoseError::AbsurdRate
            } else {
                DoseError::AbsurdPerKg
            });
        }
        if unit == DoseUnit::Mg && amount > MAX_MG_WITHOUT_WEIGHT {
            return Err(DoseError::AbsurdWithoutWeight);
        }
        if let Delivery::Infusion(infusion) = delivery
            && (infusion.over_minutes == 0 || infusion.over_minutes > MAX_INFUSION_MINUTES)
        {
            return Err(DoseError::InfusionLength);
        }
        Ok(Self {
            amount,
            unit,
            delivery,
        })
    }

    /// Parses what a clinician types: `56 mg`, `0.5 mg/kg`, `0.5 mg/kg over 40 min`, `35mg over 40 minutes`,
    /// and rates: `0.75 mg/kg/h`, `52.5 mg/h`, `0.6 mg/kg per hour`.
    pub fn parse(text: &str) -> Result<Self, DoseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DoseError::Empty);
        }
        let lower = text.to_lowercase();
        let (dose_part, infusion) = match lower.split_once(" over ") {
            Some((dose_part, rest)) => (dose_part.trim(), Some(parse_infusion(rest)?)),
            None => (lower.as_str(), None),
        };
        let number_end = dose_part
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '+'))
            .unwrap_or(dose_part.len());
        let (number, unit) = dose_part.split_at(number_end);
        let amount = parse_number(number)?;
        match (strip_per_hour(unit), infusion) {
            (Some(_), Some(_)) => Err(DoseError::InfusionSyntax),
            (Some(unit), None) => Self::per_hour(amount, DoseUnit::parse(&unit)?),
            (None, infusion) => Self::new(amount, DoseUnit::parse(unit)?, infusion),
        }
    }

    /// Checks the dose against the client's weight: mg/kg needs one, and neither unit may exceed
    /// [`MAX_MG_PER_KG`] once converted.
    pub fn check_for_weight(&self, weight_kg: Option<f64>) -> Result<(), DoseError> {
        match (self.unit, weight_kg) {
            (DoseUnit::MgPerKg, None) => Err(DoseError::MissingWeight),
            (DoseUnit::Mg, Some(weight)) if self.amount / weight > MAX_MG_PER_KG => {
                Err(DoseError::AbsurdPerKg)
            }
            _ => Ok(()),
        }
    }

    /// The amount in the dose's own unit.
    pub fn amount(&self) -> f64 {
        self.amount
    }

    /// The unit the dose was written in.
    pub fn unit(&self) -> DoseUnit {
        self.unit
    }

    /// The infusion length, when the dose runs as an amount over minutes.
    pub fn infusion(&self) -> Option<Infusion> {
        match self.delivery {
            Delivery::Infusion(infusion) => Some(infusion),
            Delivery::Bolus | Delivery::PerHour => None,
        }
    }

    /// How the dose is given.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// The rate per hour in the dose's own unit, when it runs over time (an infusion or a rate);
    /// `None` for a bolus.
    pub fn per_hour_amount(&self) -> Option<f64> {
        match self.delivery {
            Delivery::Bolus => None,
            Delivery::Infusion(infusion) => {
                Some(self.amount * 60.0 / f64::from(infusion.over_minutes))
            }
            Delivery::PerHour => Some(self.amount),
        }
    }

    /// The rate in mg/kg/h, when the dose runs over time and the weight (for mg) is known.
    pub fn mg_per_kg_per_hour(&self, weight_kg: Option<f64>) -> Option<f64> {
        let per_hour = self.per_hour_amount()?;
        match self.unit {
            DoseUnit::MgPerKg => Some(per_hour),
            DoseUnit::Mg => weight_kg.filter(|w| *w > 0.0).map(|w| per_hour / w),
        }
    }

    /// Refuses a rate above the clinic's ceiling (mg/kg/h). A bolus has no rate and passes.
    pub fn check_ceiling(&self, weight_kg: Option<f64>, ceiling: f64) -> Result<(), DoseError> {
        if self.per_hour_amount().is_none() {
            return Ok(());
        }
        let rate = self
            .mg_per_kg_per_hour(weight_kg)
            .ok_or(DoseError::RateNeedsWeight)?;
        if rate > ceiling {
            return Err(DoseError::AboveCeiling {
                rate: round3(rate),
                ceiling: round3(ceiling),
            });
        }
        Ok(())
    }

    /// The dose in mg, when it can be known (mg/kg needs the weight). For a rate, the mg per hour.
    pub fn milligrams(&self, weight_kg: Option<f64>) -> Option<f64> {
        match self.unit {
            DoseUnit::Mg => Some(self.amount),
            DoseUnit::MgPerKg => weight_kg.map(|weight| self.amount * weight),
        }
    }

    /// The dose in mg/kg, when it can be known (mg needs the weight). For a rate, the mg/kg per hour.
    pub fn mg_per_kg(&self, weight_kg: Option<f64>) -> Option<f64> {
        match self.unit {
            DoseUnit::MgPerKg => Some(self.amount),
            DoseUnit::Mg => weight_kg
                .filter(|w| *w > 0.0)
                .map(|weight| self.amount / weight),
        }
    }

    /// The dose written out with its conversion, e.g. `0.5 mg/kg over 40 min (35 mg at 70 kg)`
    /// or `0.75 mg/kg/h (52.5 mg/h at 70 kg)`.
    pub fn describe(&self, weight_kg: Option<f64>) -> String {
        let per = if self.delivery == Delivery::PerHour {
            "/h"
        } else {
            ""
        };
        let converted = match (self.unit, weight_kg) {
            (DoseUnit::MgPerKg, Some(weight)) => {
                format!(
                    " ({} mg{per} at {} kg)",
                    super::figure::derived(self.amount * weight),
                    super::figure::typed(weight)
                )
            }
            (DoseUnit::Mg, Some(weight)) if weight > 0.0 => {
                format!(
                    " ({} mg/kg{per})",
                    super::figure::derived(self.amount / weight)
                )
            }
            _ => String::new(),
        };
        format!("{self}{converted}")
    }

    /// This dose with its amount multiplied by `factor` (a proposed lower rate), rounded to what a
    /// pump is set to: hundredths of a mg/kg, tenths of a mg.
    pub fn scaled(&self, factor: f64) -> Result<Self, DoseError> {
        let step = match self.unit {
            DoseUnit::MgPerKg => 100.0,
            DoseUnit::Mg => 10.0,
        };
        let amount = (self.amount * factor * step).round() / step;
        Self::with_delivery(amount, self.unit, self.delivery)
    }
}

impl std::fmt::Display for Dose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            super::figure::typed(self.amount),
            self.unit.as_str()
        )?;
        match self.delivery {
            Delivery::Bolus => {}
            Delivery::Infusion(infusion) => write!(f, " over {} min", infusion.over_minutes)?,
            Delivery::PerHour => f.write_str("/h")?,
        }
        Ok(())
    }
}

/// Rounds a worked-out rate to the thousandth for a sentence.
fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn parse_number(text: &str) -> Result<f64, DoseError> {
    // The caller has already refused an empty dose, so a missing number means words where it belongs.
    super::parse_decimal(text).map_err(|error| error.ambiguous_or(DoseError::NotANumber))
}

fn parse_infusion(rest: &str) -> Result<Infusion, DoseError> {
    let rest = rest.trim();
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, unit) = rest.split_at(digits_end);
    if !matches!(unit.trim(), "min" | "mins" | "minute" | "minutes" | "") {
        return Err(DoseError::InfusionSyntax);
    }
    let over_minutes = digits
        .parse::<u32>()
        .map_err(|_| DoseError::InfusionSyntax)?;
    Ok(Infusion { over_minutes })
}

/// The unit of a rate without its "per hour" (`mg/kg/h` → `mg/kg`), or `None` when it is not a rate.
fn strip_per_hour(unit: &str) -> Option<String> {
    let compact: String = unit.chars().filter(|c| !c.is_whitespace()).collect();
    ["/hour", "/hr", "/h", "perhour"]
        .iter()
        .find_map(|suffix| compact.strip_suffix(suffix))
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
}

/// Keeps user text in error messages short.
fn truncate_for_message(text: &str) -> String {
    text.chars().take(16).collect()
}

/// The serialised shape of a dose; deserialising goes through [`Dose::new`] so stored or imported
/// doses are validated like typed ones.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct DoseRecord {
    amount: f64,
    unit: DoseUnit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    over_minutes: Option<u32>,
    /// `true` for a rate per hour (absent otherwise, so archives from before rates read unchanged).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    per_hour: bool,
}

impl TryFrom<DoseRecord> for Dose {
    type Error = DoseError;

    fn try_from(record: DoseRecord) -> Result<Self, Self::Error> {
        let delivery = match (record.over_minutes, record.per_hour) {
            (Some(_), true) => return Err(DoseError::InfusionSyntax),
            (Some(over_minutes), false) => Delivery::Infusion(Infusion { over_minutes }),
            (None, true) => Delivery::PerHour,
            (None, false) => Delivery::Bolus,
        };
        Dose::with_delivery(record.amount, record.unit, delivery)
    }
}

impl From<Dose> for DoseRecord {
    fn from(dose: Dose) -> Self {
        Self {
            amount: dose.amount,
            unit: dose.unit,
            over_minutes: dose.infusion().map(|infusion| infusion.over_minutes),
            per_hour: dose.delivery == Delivery::PerHour,
        }
    }
}

#[cfg(test)]
mod tests;
