use serde::{Deserialize, Serialize};

/// How ketamine is used in a session. Lists, statistics and summaries always keep the two apart.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TreatmentModel {
    /// Ketamine for its effect on the brain; discomfort is met by lowering the dose.
    Medical,
    /// Ketamine-assisted psychotherapy; the therapist first asks whether the client will "sit with it".
    Kap,
}

impl TreatmentModel {
    /// Both models, KAP first because it is the journal's main use.
    pub const ALL: [Self; 2] = [Self::Kap, Self::Medical];

    /// The stable identifier used in the database, the command line and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Kap => "kap",
        }
    }

    /// The name a clinician reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Medical => "Medical Model",
            Self::Kap => "KAP",
        }
    }

    /// Parses the stable identifier (`medical` or `kap`, any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "medical" => Some(Self::Medical),
            "kap" => Some(Self::Kap),
            _ => None,
        }
    }
}

impl std::fmt::Display for TreatmentModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
