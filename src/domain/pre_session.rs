//! The checklist before a session: today's weight (what mg/kg is worked out with), fasting, current
//! medicines with the ones that matter with ketamine flagged, and consent. Baseline vitals and
//! measures are ordinary entries logged with it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Event, EventKind, WEIGHT_RANGE_KG, WeightUnit, parse_weight};

/// Fewer hours since food than this are flagged (nausea and aspiration risk under sedation).
pub const MIN_FASTING_HOURS: f64 = 4.0;

/// The pre-session checklist, recorded as the session's first entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreSession {
    /// Weighed today; doses in mg/kg are worked out with it for this session.
    pub weight_kg: Option<f64>,
    /// The unit the weight was typed in, so it is shown back so (absent: kilograms).
    #[serde(default, skip_serializing_if = "WeightUnit::is_kg")]
    pub weighed_in: WeightUnit,
    /// Hours since the last food.
    pub fasting_hours: Option<f64>,
    /// Current medicines, one per line as typed.
    pub medicines: Vec<String>,
    pub consent: bool,
    /// The lot of the ketamine or esketamine given, as printed on the vial or device: every
    /// administration of the session carries it, and the controlled-substance log takes the
    /// session's delivered total from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<super::LotCode>,
    /// The clinic consent the session went ahead under, filled in by the journal as it starts
    /// (absent while the clinic has no consent text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_given: Option<super::ConsentGiven>,
}

/// Why a checklist cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PreSessionError {
    #[error("Confirm the client's consent before starting the session.")]
    NoConsent,
    #[error("Hours since food is a number from 0 to 72, e.g. 6 or 5.5.")]
    Fasting,
    #[error("A weight must be between {} and {} kg.", WEIGHT_RANGE_KG.start(), WEIGHT_RANGE_KG.end())]
    Weight,
}

impl PreSession {
    /// Reads the checklist as typed: weight and hours may be empty, medicines one per line.
    pub fn parse(
        weight: &str,
        fasting: &str,
        medicines: &str,
        consent: bool,
    ) -> Result<Self, PreSessionError> {
        let weight_kg = if weight.trim().is_empty() {
            None
        } else {
            Some(parse_weight(weight).map_err(|_| PreSessionError::Weight)?)
        };
        let fasting_hours = match fasting.trim() {
            "" => None,
            text => Some(
                super::parse_decimal(text)
                    .ok()
                    .filter(|hours| (0.0..=72.0).contains(hours))
                    .ok_or(PreSessionError::Fasting)?,
            ),
        };
        let checklist = Self {
            weight_kg,
            weighed_in: WeightUnit::of_typed(weight),
            fasting_hours,
            medicines: medicine_lines(medicines),
            consent,
            lot: None,
            consent_given: None,
        };
        checklist.check()?;
        Ok(checklist)
    }

    /// The rules a recorded checklist keeps (also for imported ones).
    pub fn check(&self) -> Result<(), PreSessionError> {
        if !self.consent {
            return Err(PreSessionError::NoConsent);
        }
        if self
            .weight_kg
            .is_some_and(|weight| !WEIGHT_RANGE_KG.contains(&weight))
        {
            return Err(PreSessionError::Weight);
        }
        if self
            .fasting_hours
            .is_some_and(|hours| !(0.0..=72.0).contains(&hours))
        {
            return Err(PreSessionError::Fasting);
        }
        Ok(())
    }

    /// Everything worth a second look before dosing, as short sentences.
    pub fn flags(&self) -> Vec<String> {
        let mut flags: Vec<String> = self
            .medicines
            .iter()
            .filter_map(|medicine| {
                interaction(medicine).map(|class| format!("{medicine}: {}", class.concern()))
            })
            .collect();
        if let Some(hours) = self.fasting_hours
            && hours < MIN_FASTING_HOURS
        {
            flags.push(format!(
                "Only {hours} h since food (under {MIN_FASTING_HOURS} h)"
            ));
        }
        flags
    }

    /// One line for timelines: "Checklist: 71 kg · fasted 6 h · 2 medicines · consent confirmed".
    pub fn describe(&self) -> String {
        let mut parts = vec!["Checklist".to_owned()];
        if let Some(weight) = self.weight_kg {
            parts.push(self.weighed_in.describe(weight));
        }
        if let Some(hours) = self.fasting_hours {
            parts.push(format!("fasted {hours} h"));
        }
        parts.push(if self.medicines.is_empty() {
            "no current medicines".to_owned()
        } else {
            format!("medicines: {}", self.medicines.join(", "))
        });
        parts.push(self.consent_given.as_ref().map_or_else(
            || "consent confirmed".to_owned(),
            super::ConsentGiven::describe,
        ));
        if let Some(lot) = &self.lot {
            parts.push(format!("lot {lot}"));
        }
        parts.join(" · ")
    }
}

/// The medicines typed one per line (or separated by commas), trimmed, empty lines left out.
pub fn medicine_lines(text: &str) -> Vec<String> {
    text.split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The weight a session's doses are worked out with: the checklist's, else the client's record.
pub fn session_weight(events: &[Event], client_weight: Option<f64>) -> Option<f64> {
    events
        .iter()
        .find_map(|event| match &event.kind {
            EventKind::PreSession(checklist) => checklist.weight_kg,
            _ => None,
        })
        .or(client_weight)
}

/// A kind of medicine that matters with ketamine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionClass {
    Sedative,
    Stimulant,
    Maoi,
    BloodPressure,
}

impl InteractionClass {
    /// Why it is flagged, in a few plain words for the clinician (not advice to the client).
    pub fn concern(self) -> &'static str {
        match self {
            Self::Sedative => {
                "benzodiazepine or other sedative: may blunt the response and deepen sedation"
            }
            Self::Stimulant => "stimulant: may raise blood pressure and heart rate further",
            Self::Maoi => "MAOI: risk of a sharp rise in blood pressure",
            Self::BloodPressure => {
                "blood-pressure medicine: check today's dose was taken and the baseline BP"
            }
        }
    }
}

/// Generic and common brand names, lower case, by class. A medicine is flagged when a word of what
/// was typed starts with one of them ("lorazepam 1 mg at night" → sedative).
const KNOWN: &[(InteractionClass, &[&str])] = &[
    (
        InteractionClass::Sedative,
        &[
            "alprazolam",
            "xanax",
            "lorazepam",
            "ativan",
            "clonazepam",
            "klonopin",
            "diazepam",
            "valium",
            "temazepam",
            "oxazepam",
            "chlordiazepoxide",
            "triazolam",
            "midazolam",
            "clorazepate",
            "estazolam",
            "flurazepam",
            "zolpidem",
            "ambien",
            "zopiclone",
            "eszopiclone",
            "lunesta",
            "zaleplon",
            "gabapentin",
            "pregabalin",
            "quetiapine",
            "seroquel",
            "diphenhydramine",
            "hydroxyzine",
            "oxycodone",
            "morphine",
            "hydrocodone",
            "tramadol",
            "methadone",
            "buprenorphine",
            "phenobarbital",
        ],
    ),
    (
        InteractionClass::Stimulant,
        &[
            "methylphenidate",
            "ritalin",
            "concerta",
            "amphetamine",
            "dextroamphetamine",
            "adderall",
            "lisdexamfetamine",
            "vyvanse",
            "modafinil",
            "armodafinil",
            "atomoxetine",
            "bupropion",
            "wellbutrin",
        ],
    ),
    (
        InteractionClass::Maoi,
        &[
            "phenelzine",
            "nardil",
            "tranylcypromine",
            "parnate",
            "isocarboxazid",
            "marplan",
            "selegiline",
            "emsam",
            "moclobemide",
            "rasagiline",
            "linezolid",
        ],
    ),
    (
        InteractionClass::BloodPressure,
        &[
            "amlodipine",
            "lisinopril",
            "enalapril",
            "ramipril",
            "losartan",
            "valsartan",
            "irbesartan",
            "metoprolol",
            "atenolol",
            "propranolol",
            "carvedilol",
            "bisoprolol",
            "labetalol",
            "clonidine",
            "guanfacine",
            "prazosin",
            "hydrochlorothiazide",
            "chlorthalidone",
            "furosemide",
            "spironolactone",
            "nifedipine",
            "diltiazem",
            "verapamil",
            "hydralazine",
        ],
    ),
];

/// The class of a typed medicine, if it is one that matters with ketamine.
pub fn interaction(medicine: &str) -> Option<InteractionClass> {
    let typed = medicine.to_lowercase();
    let words: Vec<&str> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.len() >= 4)
        .collect();
    KNOWN.iter().find_map(|(class, names)| {
        names
            .iter()
            .any(|name| words.iter().any(|word| word.starts_with(name)))
            .then_some(*class)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medicines_that_matter_with_ketamine_are_flagged_by_class() {
        assert_eq!(
            interaction("Lorazepam 1 mg at night"),
            Some(InteractionClass::Sedative)
        );
        assert_eq!(
            interaction("ADDERALL XR"),
            Some(InteractionClass::Stimulant)
        );
        assert_eq!(interaction("phenelzine"), Some(InteractionClass::Maoi));
        assert_eq!(
            interaction("amlodipine/valsartan"),
            Some(InteractionClass::BloodPressure)
        );
        assert_eq!(interaction("sertraline 50 mg"), None);
        assert_eq!(interaction("vitamin D"), None);
    }

    #[test]
    fn the_checklist_is_read_as_typed_and_refused_without_consent() {
        let checklist = PreSession::parse(
            " 71.5 ",
            "2,5",
            "sertraline 50 mg\n\nclonazepam, lisinopril",
            true,
        )
        .unwrap();
        assert_eq!(checklist.weight_kg, Some(71.5));
        assert_eq!(checklist.fasting_hours, Some(2.5));
        assert_eq!(
            checklist.medicines,
            ["sertraline 50 mg", "clonazepam", "lisinopril"]
        );
        assert_eq!(
            checklist.flags().len(),
            3,
            "two medicines and the short fast"
        );
        assert_eq!(
            PreSession::parse("70", "6", "", false),
            Err(PreSessionError::NoConsent)
        );
        assert_eq!(
            PreSession::parse("-70", "", "", true),
            Err(PreSessionError::Weight)
        );
        assert_eq!(
            PreSession::parse("", "soon", "", true),
            Err(PreSessionError::Fasting)
        );
    }
}
