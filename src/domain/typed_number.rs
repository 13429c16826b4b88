//! A number as a clinician types it: `12.5` or `12,5` (a decimal comma), never a form that two
//! readers would take for two different numbers. `1,000` is one thousand to some and one to others
//! (and `12.500` the same), so it is refused in a sentence rather than stored as either: an
//! append-only record must not keep a thousand milligrams as one.

use thiserror::Error;

/// Why typed text is not one number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NumberError {
    #[error("That is not a number.")]
    NotANumber,
    #[error(
        "\"{0}\" can be read as two different numbers (a thousands separator or a decimal mark); type it without thousands separators, such as 1000 or 12.5."
    )]
    Ambiguous(String),
}

impl NumberError {
    /// The error a caller gives: its own for text that is no number, this one's sentence for a
    /// number open to two readings.
    pub fn ambiguous_or<E: From<Self>>(self, not_a_number: E) -> E {
        match self {
            Self::Ambiguous(_) => E::from(self),
            Self::NotANumber => not_a_number,
        }
    }
}

/// The number `text` means, with `.` or `,` as its decimal mark; refused when empty, not a finite
/// number, or open to two readings (a single separator followed by exactly three digits after a
/// whole part that is not 0, or more than one separator).
pub fn parse_decimal(text: &str) -> Result<f64, NumberError> {
    let text = text.trim();
    let separators: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, ',' | '.'))
        .map(|(at, _)| at)
        .collect();
    let ambiguous = || NumberError::Ambiguous(text.chars().take(24).collect());
    match separators.as_slice() {
        [] => {}
        [at] => {
            let (whole, fraction) = (&text[..*at], &text[at + 1..]);
            let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let whole_digits = whole.trim_start_matches(['-', '+']);
            // `1,000` and `12.500`: a thousands group as much as a fraction. `0,125` is not.
            if digits(whole_digits)
                && !whole_digits.trim_start_matches('0').is_empty()
                && whole_digits.len() <= 3
                && fraction.len() == 3
                && digits(fraction)
            {
                return Err(ambiguous());
            }
        }
        _ => return Err(ambiguous()),
    }
    let number: f64 = text
        .replace(',', ".")
        .parse()
        .map_err(|_| NumberError::NotANumber)?;
    if number.is_finite() {
        Ok(number)
    } else {
        Err(NumberError::NotANumber)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn one_reading_is_taken_and_two_are_refused() {
        for (typed, meant) in [
            ("1000", 1000.0),
            ("12.5", 12.5),
            ("12,5", 12.5),
            ("0,125", 0.125),
            ("0.125", 0.125),
            ("1.25", 1.25),
            ("1234.5", 1234.5),
            (" 56 ", 56.0),
            ("-20", -20.0),
            ("+15", 15.0),
        ] {
            assert_eq!(parse_decimal(typed), Ok(meant), "{typed}");
        }
        for typed in [
            "1,000",
            "12.500",
            "1.000",
            "100,000",
            "1,000.5",
            "1.000,5",
            "1,000,000",
            "-1,000",
        ] {
            assert!(
                matches!(parse_decimal(typed), Err(NumberError::Ambiguous(_))),
                "{typed}"
            );
        }
        for typed in ["", "mg", "1e999", "NaN", "inf", "12,5,"] {
            assert!(parse_decimal(typed).is_err(), "{typed}");
        }
    }
}
