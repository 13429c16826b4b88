use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The database id of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub i64);

/// The lightest and heaviest weights the journal accepts, in kg; outside them the entry is a typing error.
pub const WEIGHT_RANGE_KG: std::ops::RangeInclusive<f64> = 20.0..=350.0;
/// The longest pseudonymous code the journal accepts.
pub const MAX_CODE_CHARS: usize = 32;
/// The longest display name the journal keeps, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// A person in treatment, known by a pseudonymous code so the journal need not hold a real name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    /// Pseudonymous code such as `C-0142`; unique in the journal.
    pub code: String,
    /// An optional name the clinician chooses to show beside the code.
    pub display_name: Option<String>,
    /// Body weight, for mg/kg dosing.
    pub weight_kg: Option<f64>,
}

impl Client {
    /// The code, followed by the display name when there is one.
    pub fn title(&self) -> String {
        match &self.display_name {
            Some(name) => format!("{} · {name}", self.code),
            None => self.code.clone(),
        }
    }
}

/// A client as typed in the start form, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClient {
    pub code: String,
    pub display_name: Option<String>,
    pub weight_kg: Option<f64>,
}

/// Why a client entry was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ClientError {
    #[error("Enter a client code, for example C-0142.")]
    MissingCode,
    #[error(
        "A client code can have at most {MAX_CODE_CHARS} letters, digits, dashes, dots, slashes or spaces, all of one script (no Latin and Cyrillic mixed), and nothing invisible or that moves text."
    )]
    BadCode,
    #[error(
        "A display name can have at most {MAX_NAME_CHARS} characters, and no line breaks, control, direction or invisible characters."
    )]
    BadName,
    #[error(
        "The code {0} reads the same as this one: choose that client from the list, or another code."
    )]
    LooksLike(String),
    #[error("The weight is not a number of kilograms or pounds (for example 70 or 154 lb).")]
    WeightNotANumber,
    #[error(transparent)]
    WeightAmbiguous(#[from] super::NumberError),
    #[error("A weight must be between {} and {} kg.", WEIGHT_RANGE_KG.start(), WEIGHT_RANGE_KG.end())]
    WeightOutOfRange,
    #[error("A client with this code already exists; choose them from the list.")]
    DuplicateCode,
}

impl NewClient {
    /// Validates the three fields of the start form. The weight may be left empty.
    pub fn parse(code: &str, display_name: &str, weight_kg: &str) -> Result<Self, ClientError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(ClientError::MissingCode);
        }
        if code.chars().count() > MAX_CODE_CHARS || !super::is_identifier_code(code) {
            return Err(ClientError::BadCode);
        }
        let weight_kg = match weight_kg.trim() {
            "" => None,
            text => Some(parse_weight(text)?),
        };
        let display_name = Some(display_name.trim())
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        if display_name.as_ref().is_some_and(|name| {
            name.chars().count() > MAX_NAME_CHARS || name.chars().any(super::hides_or_moves_text)
        }) {
            return Err(ClientError::BadName);
        }
        Ok(Self {
            code: code.to_owned(),
            display_name,
            weight_kg,
        })
    }
}

/// The international pound, in kilograms (exactly).
const KG_PER_POUND: f64 = 0.453_592_37;

/// The words a weight in pounds may end with, longest first.
const POUNDS: [&str; 4] = ["pounds", "pound", "lbs", "lb"];

/// Parses a weight in kilograms (`70`, `70.5 kg`, a decimal comma allowed) or in pounds
/// (`154 lb`, `154 lbs`, `154 pounds`), as a clinic weighs; pounds are kept in kilograms, to the
/// gram.
pub fn parse_weight(text: &str) -> Result<f64, ClientError> {
    let lower = text.trim().to_lowercase();
    let (number, kg_per_unit) = match POUNDS.iter().find_map(|unit| lower.strip_suffix(unit)) {
        Some(number) => (number, KG_PER_POUND),
        None => (lower.trim_end_matches("kg"), 1.0),
    };
    let typed = super::parse_decimal(number.trim())
        .map_err(|error| error.ambiguous_or(ClientError::WeightNotANumber))?;
    let weight = (typed * kg_per_unit * 1000.0).round() / 1000.0;
    if !WEIGHT_RANGE_KG.contains(&weight) {
        return Err(ClientError::WeightOutOfRange);
    }
    Ok(weight)
}

/// Whether `text` is a weight typed in pounds (the form then shows it in kilograms beside it).
pub fn typed_in_pounds(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    POUNDS.iter().any(|unit| lower.ends_with(unit))
}

/// The unit a weight was typed in: kept beside the kilograms so it is shown back as the clinic
/// weighed (a US clinic reads pounds), while doses are worked out in kilograms.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    #[default]
    Kg,
    Lb,
}

impl WeightUnit {
    /// The unit of `text` as typed: pounds when it ends in one of their words.
    pub fn of_typed(text: &str) -> Self {
        if typed_in_pounds(text) {
            Self::Lb
        } else {
            Self::Kg
        }
    }

    /// Kilograms, the unit a record says nothing of (for `skip_serializing_if`).
    pub fn is_kg(&self) -> bool {
        *self == Self::Kg
    }

    /// `kg` written in this unit, to a tenth: `70 kg`, or `154 lb (69.9 kg)` with the kilograms
    /// doses were worked out with beside the pounds.
    pub fn describe(self, kg: f64) -> String {
        match self {
            Self::Kg => format!("{} kg", super::figure::derived(kg)),
            Self::Lb => format!(
                "{} lb ({} kg)",
                trimmed_tenth(kg / KG_PER_POUND),
                trimmed_tenth(kg)
            ),
        }
    }

    /// `kg` as it would be typed again in this unit: `70.5` or `154 lb`.
    pub fn as_typed(self, kg: f64) -> String {
        match self {
            Self::Kg => super::figure::derived(kg),
            Self::Lb => format!("{} lb", trimmed_tenth(kg / KG_PER_POUND)),
        }
    }
}

/// A number to a tenth without a trailing zero: `154`, `69.9`.
fn trimmed_tenth(value: f64) -> String {
    let text = format!("{value:.1}");
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_is_typed_in_kilograms_or_pounds_and_kept_in_kilograms() {
        for (typed, kg) in [
            ("70", 70.0),
            ("70,5 kg", 70.5),
            ("154 lb", 69.853),
            ("154lbs", 69.853),
            ("232 Pounds", 105.233),
            ("100 pound", 45.359),
        ] {
            assert_eq!(parse_weight(typed), Ok(kg), "{typed}");
        }
        assert!(typed_in_pounds("154 LB") && !typed_in_pounds("70 kg"));
        assert_eq!(parse_weight("lb"), Err(ClientError::WeightNotANumber));
        // 1,000 lb is refused as two readings before any range is tried.
        assert!(matches!(
            parse_weight("1,000 lb"),
            Err(ClientError::WeightAmbiguous(_))
        ));
        assert_eq!(parse_weight("900 lb"), Err(ClientError::WeightOutOfRange));
    }

    #[test]
    fn a_weight_is_shown_back_in_the_unit_it_was_typed_in() {
        let typed = "154 lb";
        let unit = WeightUnit::of_typed(typed);
        let kg = parse_weight(typed).unwrap();
        assert_eq!(unit.describe(kg), "154 lb (69.9 kg)");
        assert_eq!(unit.as_typed(kg), "154 lb");
        assert_eq!(WeightUnit::of_typed("70,5").describe(70.5), "70.5 kg");
        assert_eq!(WeightUnit::Kg.as_typed(70.5), "70.5");
        // Half pounds survive the trip through kilograms kept to the gram.
        let half = parse_weight("150.5 lbs").unwrap();
        assert_eq!(WeightUnit::Lb.as_typed(half), "150.5 lb");
    }

    #[test]
    fn a_code_with_control_direction_or_invisible_characters_is_refused() {
        for code in [
            "C-01\u{1b}[31m42",
            "C-0142\u{202E}",
            "C-\u{200B}0142",
            "C-01\t42",
            "C-\u{2066}0142",
            "\u{FEFF}C-0142",
        ] {
            assert_eq!(
                NewClient::parse(code, "", ""),
                Err(ClientError::BadCode),
                "{code:?}"
            );
        }
        assert!(
            NewClient::parse("Ç-0142 ÅÆ", "", "").is_ok(),
            "letters of any script are fine"
        );
    }

    #[test]
    fn a_new_client_needs_a_code_and_a_plausible_weight() {
        let client = NewClient::parse(" C-0142 ", "", "72,5 kg").unwrap();
        assert_eq!(client.code, "C-0142");
        assert_eq!(client.display_name, None);
        assert_eq!(client.weight_kg, Some(72.5));
        assert_eq!(
            NewClient::parse("", "Ann", "70"),
            Err(ClientError::MissingCode)
        );
        assert_eq!(
            NewClient::parse("C-1", "", "-70"),
            Err(ClientError::WeightOutOfRange)
        );
        assert_eq!(
            NewClient::parse("C-1", "", "seventy"),
            Err(ClientError::WeightNotANumber)
        );
        assert_eq!(
            NewClient::parse("C-1", "", "NaN"),
            Err(ClientError::WeightNotANumber)
        );
        assert_eq!(NewClient::parse("C-1", "", "").unwrap().weight_kg, None);
    }
}
