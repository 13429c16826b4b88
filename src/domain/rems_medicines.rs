//! The concomitant medicines the REMS monitoring form asks about, sorted from the checklist's
//! typed medicines into the form's five questions.

use super::{InteractionClass, interaction};

/// The classes of concomitant medicine the form asks about, one question each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concomitant {
    Benzodiazepines,
    /// Sedative hypnotics that are not benzodiazepines (zolpidem, gabapentin, quetiapine…).
    OtherSedatives,
    Stimulants,
    Maois,
    Opioids,
}

impl Concomitant {
    pub const ALL: [Self; 5] = [
        Self::Benzodiazepines,
        Self::OtherSedatives,
        Self::Stimulants,
        Self::Maois,
        Self::Opioids,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Benzodiazepines => "Benzodiazepines",
            Self::OtherSedatives => "Non-benzodiazepine sedative hypnotics",
            Self::Stimulants => "Psychostimulants",
            Self::Maois => "MAOIs",
            Self::Opioids => "Opioids",
        }
    }

    /// Whether a medicine as typed ("lorazepam 1 mg at night") is in this class.
    pub fn holds(self, medicine: &str) -> bool {
        let benzodiazepine = named_in(medicine, &BENZODIAZEPINES);
        let opioid = named_in(medicine, &OPIOIDS);
        match (self, interaction(medicine)) {
            (Self::Benzodiazepines, _) => benzodiazepine,
            (Self::Opioids, _) => opioid,
            (Self::OtherSedatives, Some(InteractionClass::Sedative)) => !benzodiazepine && !opioid,
            (Self::Stimulants, Some(InteractionClass::Stimulant))
            | (Self::Maois, Some(InteractionClass::Maoi)) => true,
            _ => false,
        }
    }
}

/// Benzodiazepines by generic and common brand name, as a typed word starts.
const BENZODIAZEPINES: [&str; 22] = [
    "alprazolam",
    "xanax",
    "lorazepam",
    "ativan",
    "clonazepam",
    "klonopin",
    "diazepam",
    "valium",
    "temazepam",
    "restoril",
    "oxazepam",
    "chlordiazepoxide",
    "librium",
    "triazolam",
    "halcion",
    "midazolam",
    "clorazepate",
    "tranxene",
    "estazolam",
    "flurazepam",
    "quazepam",
    "clobazam",
];

/// Opioids, named apart from the other sedatives because the form asks for them.
const OPIOIDS: [&str; 12] = [
    "oxycodone",
    "morphine",
    "hydrocodone",
    "hydromorphone",
    "tramadol",
    "tapentadol",
    "fentanyl",
    "methadone",
    "buprenorphine",
    "codeine",
    "oxymorphone",
    "percocet",
];

/// Whether a word of `medicine` starts with one of `names` (so "Lorazepam-1mg" counts).
fn named_in(medicine: &str, names: &[&str]) -> bool {
    let typed = medicine.to_lowercase();
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.len() >= 4)
        .any(|word| names.iter().any(|name| word.starts_with(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(medicine: &str) -> Vec<Concomitant> {
        Concomitant::ALL
            .into_iter()
            .filter(|class| class.holds(medicine))
            .collect()
    }

    #[test]
    fn benzodiazepines_and_other_sedatives_are_two_questions() {
        assert_eq!(classes("Lorazepam 1 mg"), [Concomitant::Benzodiazepines]);
        assert_eq!(classes("triazolam 0.25 mg"), [Concomitant::Benzodiazepines]);
        assert_eq!(classes("zolpidem 5 mg"), [Concomitant::OtherSedatives]);
        assert_eq!(classes("oxycodone 5 mg"), [Concomitant::Opioids]);
        assert_eq!(classes("ADDERALL XR"), [Concomitant::Stimulants]);
        assert_eq!(classes("phenelzine"), [Concomitant::Maois]);
        assert!(classes("sertraline 50 mg").is_empty());
    }
}
