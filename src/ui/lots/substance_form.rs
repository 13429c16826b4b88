//! The inline form of the controlled-substance log: stock received, waste before a witness, or a
//! correction, checked into the entry it describes before it is sent.

use egui::Ui;

use super::super::widgets;
use crate::domain::{
    LotBalance, LotCode, Micrograms, Movement, NewSubstanceEntry, Substance, SubstanceLogError,
};
use crate::store::StoreError;

/// What the form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Received,
    Wasted,
    Correction,
}

/// The form's fields as typed.
pub struct SubstanceForm {
    kind: Kind,
    lot: String,
    substance: Substance,
    mg: String,
    witness: String,
    note: String,
}

impl Default for SubstanceForm {
    fn default() -> Self {
        Self {
            kind: Kind::Received,
            lot: String::new(),
            substance: Substance::Ketamine,
            mg: String::new(),
            witness: String::new(),
            note: String::new(),
        }
    }
}

impl SubstanceForm {
    /// Empties the fields after an entry was recorded, keeping what kind of entry is made.
    pub fn clear(&mut self) {
        *self = Self {
            kind: self.kind,
            ..Self::default()
        };
    }

    /// Draws the form; returns true when Record was clicked. `waiting` while an entry is on its way.
    pub fn ui(&mut self, ui: &mut Ui, waiting: bool) -> bool {
        widgets::chips(
            ui,
            "Record",
            &mut self.kind,
            &[
                (Kind::Received, "Stock received"),
                (Kind::Wasted, "Waste (witnessed)"),
                (Kind::Correction, "Correction"),
            ],
        );
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "Lot", &mut self.lot, "as on the vial", 120.0);
            if self.kind == Kind::Received {
                let options: Vec<_> = Substance::ALL.iter().map(|s| (*s, s.label())).collect();
                widgets::chips(ui, "Substance", &mut self.substance, &options);
            }
            let hint = if self.kind == Kind::Correction {
                "-20 or 15"
            } else {
                "mg"
            };
            widgets::labelled_field(ui, "Amount (mg)", &mut self.mg, hint, 80.0);
            if self.kind == Kind::Wasted {
                widgets::labelled_field(
                    ui,
                    "Witness",
                    &mut self.witness,
                    "who saw it destroyed",
                    180.0,
                );
            }
        });
        let hint = match self.kind {
            Kind::Received => "supplier, invoice",
            Kind::Wasted => "how it was destroyed",
            Kind::Correction => "why, e.g. count found 480 mg",
        };
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "Note", &mut self.note, hint, 360.0);
            let label = if waiting { "Recording…" } else { "Record" };
            ui.add_enabled(!waiting, egui::Button::new(label)).clicked()
        })
        .inner
    }

    /// The entry the form describes, or the sentence saying what is wrong. Waste and corrections
    /// are of a lot in `lots`, whose substance they take.
    pub fn entry(&self, lots: &[LotBalance]) -> Result<NewSubstanceEntry, StoreError> {
        let lot = LotCode::parse(&self.lot)?;
        let held = || {
            lots.iter()
                .find(|balance| balance.lot == lot)
                .map(|balance| balance.substance)
                .ok_or_else(|| SubstanceLogError::UnknownLot(lot.to_string()))
        };
        let (movement, amount, substance) = match self.kind {
            Kind::Received => (
                Movement::Received,
                Micrograms::parse_mg(&self.mg)?,
                self.substance,
            ),
            Kind::Wasted => (
                Movement::Wasted {
                    witness: self.witness.clone(),
                },
                Micrograms::parse_mg(&self.mg)?,
                held()?,
            ),
            Kind::Correction => (
                Movement::Correction,
                Micrograms::parse_signed_mg(&self.mg)?,
                held()?,
            ),
        };
        let entry = NewSubstanceEntry {
            lot,
            substance,
            movement,
            amount,
            note: self.note.clone(),
        };
        entry.check()?;
        Ok(entry)
    }
}
