//! The journal's colours, shared by the window and the PDF so that a session looks the same on
//! screen and on paper: teal for KAP, amber for the Medical Model, and one colour per "sit with it"
//! outcome. Plain RGB: neither egui nor the PDF library is known here. Each is dark enough to read
//! at 4.5:1 or better as text on white and on the window's light grounds; the dark theme has a
//! lighter twin of each ([`on_dark`]).

use crate::domain::{DeferralOutcome, TreatmentModel};

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const KAP: Rgb = Rgb(0, 118, 118);
pub const MEDICAL: Rgb = Rgb(153, 91, 0);
/// Saved, and a deferral worked through.
pub const SAVED: Rgb = Rgb(28, 121, 56);
/// A problem, a safety flag, a session stopped.
pub const WARNING: Rgb = Rgb(200, 40, 30);
/// What is brought to integration.
pub const MARKER: Rgb = Rgb(134, 80, 178);
/// Vitals, sedation and questionnaires.
pub const VITALS: Rgb = Rgb(0, 116, 126);
/// The dose line and dose entries.
pub const DOSE: Rgb = Rgb(40, 90, 180);
/// Secondary text and a deferral that ended early.
pub const MUTED: Rgb = Rgb(104, 104, 104);

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

/// The lighter twin of a palette colour for text on the dark theme's grounds, each at 4.5:1 or
/// better there (tested in `ui::theme`).
pub fn on_dark(color: Rgb) -> Rgb {
    match color {
        KAP => Rgb(77, 166, 166),
        MEDICAL => Rgb(200, 142, 56),
        SAVED => Rgb(98, 168, 119),
        WARNING => Rgb(222, 126, 120),
        MARKER => Rgb(178, 135, 215),
        VITALS => Rgb(84, 165, 171),
        DOSE => Rgb(122, 153, 208),
        MUTED => Rgb(152, 152, 152),
        other => other,
    }
}
