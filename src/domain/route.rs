use serde::{Deserialize, Serialize};

/// How the ketamine is given.
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
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Intravenous infusion, usually dosed as mg/kg over a number of minutes.
    IvInfusion,
    /// Intramuscular injection.
    Intramuscular,
    /// Sublingual lozenge or troche.
    SublingualLozenge,
    /// Intranasal esketamine (Spravato), dosed in 28 mg devices.
    IntranasalEsketamine,
}

impl Route {
    /// Every route, in the order the start form offers them.
    pub const ALL: [Self; 4] = [
        Self::IvInfusion,
        Self::Intramuscular,
        Self::SublingualLozenge,
        Self::IntranasalEsketamine,
    ];

    /// The stable identifier used in the database, the command line and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IvInfusion => "iv_infusion",
            Self::Intramuscular => "intramuscular",
            Self::SublingualLozenge => "sublingual_lozenge",
            Self::IntranasalEsketamine => "intranasal_esketamine",
        }
    }

    /// The name a clinician reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::IvInfusion => "IV infusion",
            Self::Intramuscular => "IM",
            Self::SublingualLozenge => "Sublingual lozenge",
            Self::IntranasalEsketamine => "Intranasal esketamine",
        }
    }

    /// Parses the stable identifier.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|route| route.as_str() == text.trim())
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
