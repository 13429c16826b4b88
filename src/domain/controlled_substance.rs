//! The controlled-substance log: ketamine (Schedule III) and esketamine received, administered and
//! wasted, per lot, with a running balance. Entries are never changed: a mistake is answered by a
//! correction entry that says why. What a session administered comes from its delivered total and
//! the lot on its checklist.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Route, SessionId};

/// Which substance a lot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Substance {
    Ketamine,
    Esketamine,
}

impl Substance {
    pub const ALL: [Self; 2] = [Self::Ketamine, Self::Esketamine];

    /// The substance a route gives: intranasal esketamine devices, racemic ketamine otherwise.
    pub fn of_route(route: Route) -> Self {
        match route {
            Route::IntranasalEsketamine => Self::Esketamine,
            Route::IvInfusion | Route::Intramuscular | Route::SublingualLozenge => Self::Ketamine,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ketamine => "Ketamine",
            Self::Esketamine => "Esketamine",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ketamine => "ketamine",
            Self::Esketamine => "esketamine",
        }
    }

    pub fn parse(text: &str) -> Result<Self, SubstanceLogError> {
        match text.trim().to_lowercase().as_str() {
            "ketamine" => Ok(Self::Ketamine),
            "esketamine" => Ok(Self::Esketamine),
            _ => Err(SubstanceLogError::Substance),
        }
    }
}

/// A manufacturer's lot number as printed on the vial or device: 1 to 40 letters, digits, dashes,
/// dots or slashes.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct LotCode(String);

impl LotCode {
    pub fn parse(text: &str) -> Result<Self, SubstanceLogError> {
        let code = text.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/');
        if code.is_empty() || code.chars().count() > 40 || !code.chars().all(allowed) {
            return Err(SubstanceLogError::Lot);
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LotCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LotCode {
    type Error = SubstanceLogError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<LotCode> for String {
    fn from(code: LotCode) -> Self {
        code.0
    }
}

/// An amount of substance, kept in whole micrograms so balances add up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Micrograms(pub i64);

/// The most one entry may move: 100 g, far beyond any clinic's stock of one lot.
const MAX_ENTRY_MICROGRAMS: i64 = 100_000_000;

impl Micrograms {
    /// The most one entry may move, in milligrams (100 g).
    #[expect(clippy::cast_precision_loss, reason = "1e8 is exact in an f64")]
    pub const MOST_MG: f64 = MAX_ENTRY_MICROGRAMS as f64 / 1000.0;

    /// Milligrams as typed (`500`, `12.5`, `0,25`), to the microgram; more than zero.
    pub fn parse_mg(text: &str) -> Result<Self, SubstanceLogError> {
        let number = text.trim().trim_end_matches("mg");
        let mg = super::parse_decimal(number)
            .map_err(|error| error.ambiguous_or(SubstanceLogError::Amount))?;
        Self::from_mg(mg)
    }

    /// A signed amount as typed for a correction (`-20`, `+15`, `15`): taken away when negative.
    pub fn parse_signed_mg(text: &str) -> Result<Self, SubstanceLogError> {
        let text = text.trim();
        let (sign, magnitude) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text.strip_prefix('+').unwrap_or(text)),
        };
        Ok(Self(sign * Self::parse_mg(magnitude)?.0))
    }

    /// Milligrams to the nearest microgram; more than zero and at most 100 g.
    pub fn from_mg(mg: f64) -> Result<Self, SubstanceLogError> {
        let micrograms = (mg * 1000.0).round();
        if !micrograms.is_finite() || micrograms < 1.0 || micrograms > MAX_ENTRY_MICROGRAMS as f64 {
            return Err(SubstanceLogError::Amount);
        }
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a whole number within 1..=1e8, checked above"
        )]
        let micrograms = micrograms as i64;
        Ok(Self(micrograms))
    }

    pub fn mg(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// e.g. "12.5 mg", "-3 mg"; up to three decimals, none when whole.
    pub fn describe(self) -> String {
        super::words::milligrams(self.mg())
    }
}

/// What one entry of the log records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Movement {
    /// Stock received (from a supplier, a pharmacy).
    Received,
    /// Given to a client in a session (its delivered total), recorded when the session ends.
    Administered { session: SessionId },
    /// Drawn up or opened and not given, destroyed before a witness.
    Wasted { witness: String },
    /// A count that differs from the log, or an entry made in error: `amount` is added to the
    /// balance (negative to take away), and the note says why.
    Correction,
}

impl Movement {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Administered { .. } => "administered",
            Self::Wasted { .. } => "wasted",
            Self::Correction => "correction",
        }
    }

    /// How this movement changes the balance: stock in, stock out, or as signed.
    fn signed(&self, amount: Micrograms) -> i64 {
        match self {
            Self::Received | Self::Correction => amount.0,
            Self::Administered { .. } | Self::Wasted { .. } => -amount.0,
        }
    }
}

/// A new entry, checked before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubstanceEntry {
    pub lot: LotCode,
    pub substance: Substance,
    pub movement: Movement,
    /// Positive, except for a correction, which may take away.
    pub amount: Micrograms,
    pub note: String,
}

impl NewSubstanceEntry {
    /// The rules an entry keeps whatever the balance: a witness for waste, a reason for a
    /// correction, an amount within bounds.
    pub fn check(&self) -> Result<(), SubstanceLogError> {
        let within = self.amount.0.abs() <= MAX_ENTRY_MICROGRAMS;
        match &self.movement {
            Movement::Correction if self.amount.0 == 0 || !within => {
                return Err(SubstanceLogError::Amount);
            }
            Movement::Correction if self.note.trim().is_empty() => {
                return Err(SubstanceLogError::CorrectionReason);
            }
            Movement::Correction => {}
            _ if self.amount.0 <= 0 || !within => return Err(SubstanceLogError::Amount),
            Movement::Wasted { witness } if witness.trim().is_empty() => {
                return Err(SubstanceLogError::Witness);
            }
            _ => {}
        }
        if self.note.chars().count() > 500 {
            return Err(SubstanceLogError::NoteTooLong);
        }
        Ok(())
    }

    /// The balance after this entry, from the lot's balance before it. Waste and corrections may not
    /// take a lot below nothing (a typing error, most likely); what a session administered is
    /// recorded whatever the balance, since a session is never kept from ending.
    pub fn balance_after(&self, before: Micrograms) -> Result<Micrograms, SubstanceLogError> {
        let after = Micrograms(before.0 + self.movement.signed(self.amount));
        let may_go_below = matches!(
            self.movement,
            Movement::Administered { .. } | Movement::Received
        );
        if after.0 < 0 && !may_go_below {
            return Err(SubstanceLogError::BelowZero {
                balance: before.describe(),
            });
        }
        Ok(after)
    }
}

/// One stored entry with the lot's balance after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubstanceEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub lot: LotCode,
    pub substance: Substance,
    /// `received`, `administered`, `wasted` or `correction`.
    pub movement: &'static str,
    /// As it changed the balance: negative for what left the stock.
    pub change_mg: f64,
    pub session: Option<SessionId>,
    pub witness: String,
    pub note: String,
    /// Who recorded it (the clinician set in Settings, when set).
    pub recorded_by: String,
    pub balance_mg: f64,
    /// Its clock reads earlier than an entry recorded before it (a clock set back, an entry dated
    /// back): kept where it was recorded, and said.
    pub clock_earlier: bool,
}

/// A lot with what is left of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LotBalance {
    pub lot: LotCode,
    pub substance: Substance,
    pub received_mg: f64,
    pub administered_mg: f64,
    pub wasted_mg: f64,
    pub balance_mg: f64,
    pub entries: usize,
}

/// Why an entry of the log was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubstanceLogError {
    #[error(
        "A lot number is 1 to 40 letters, digits, dashes, dots or slashes, as printed on the vial or device."
    )]
    Lot,
    #[error("The substance is ketamine or esketamine.")]
    Substance,
    #[error("An amount is milligrams above zero and at most 100 g, e.g. 500 or 12.5.")]
    Amount,
    #[error(transparent)]
    AmbiguousAmount(#[from] super::NumberError),
    #[error("Waste is destroyed before a witness: give the witness's name.")]
    Witness,
    #[error("A correction says why it is made, e.g. \"count on 2026-12-01 found 480 mg\".")]
    CorrectionReason,
    #[error("A note in the log is at most 500 characters.")]
    NoteTooLong,
    #[error("This would take the lot below nothing (its balance is {balance}); check the amount.")]
    BelowZero { balance: String },
    #[error("Lot {lot} holds {held}, not {asked}: one lot number is one substance.")]
    OtherSubstance {
        lot: String,
        held: &'static str,
        asked: &'static str,
    },
    #[error("The journal has no entries for lot {0}; receive it first.")]
    UnknownLot(String),
}

/// The balance after each change of one lot, in the order given (oldest first).
pub fn running_balance(changes: impl IntoIterator<Item = Micrograms>) -> Vec<Micrograms> {
    let mut balance = 0_i64;
    changes
        .into_iter()
        .map(|change| {
            balance += change.0;
            Micrograms(balance)
        })
        .collect()
}

#[cfg(test)]
mod tests;
