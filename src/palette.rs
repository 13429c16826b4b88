//! The journal's colours, shared by the window and the PDF so that a session looks the same on
//! screen and on paper: teal for KAP, amber for the Medical Model, and one colour per "sit with it"
//! outcome. Plain RGB: neither egui nor the PDF library is known here.

use crate::domain::{DeferralOutcome, TreatmentModel};

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const KAP: Rgb = Rgb(0, 128, 128);
pub const MEDICAL: Rgb = Rgb(184, 110, 0);
/// Saved, and a deferral worked through.
pub const SAVED: Rgb = Rgb(30, 130, 60);
/// A problem, a safety flag, a session stopped.
pub const WARNING: Rgb = Rgb(200, 40, 30);
/// What is brought to integration.
pub const MARKER: Rgb = Rgb(150, 90, 200);
/// Vitals, sedation and questionnaires.
pub const VITALS: Rgb = Rgb(0, 120, 130);
/// The dose line and dose entries.
pub const DOSE: Rgb = Rgb(40, 90, 180);
/// Secondary text and a deferral that ended early.
pub const MUTED: Rgb = Rgb(110, 110, 110);

/// Teal for KAP, amber for the Medical Model, everywhere a session appears.
pub fn model(model: TreatmentModel) -> Rgb {
    match model {
        TreatmentModel::Kap => KAP,
        TreatmentModel::Medical => MEDICAL,
    }
}

/// How a "sit with it" ended; a deferral without an outcome yet is shown as a warning.
pub fn outcome(outcome: Option<DeferralOutcome>) -> Rgb {
    match outcome {
        Some(DeferralOutcome::WorkedThrough) => SAVED,
        Some(DeferralOutcome::DoseLowered) => MEDICAL,
        Some(DeferralOutcome::EndedEarly) => MUTED,
        Some(DeferralOutcome::SessionStopped) | None => WARNING,
    }
}
