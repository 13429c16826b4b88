//! Adverse events during a session: what happened, how severe it was, and what was done.

use serde::{Deserialize, Serialize};

/// The adverse events a ketamine clinic charts most; anything else is `Other` with a description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdverseCategory {
    NauseaVomiting,
    Hypertension,
    EmergenceReaction,
    AnxietyPanic,
    /// Slow or shallow breathing: one of the effects the esketamine REMS form asks about.
    RespiratoryDepression,
    Other,
}

impl AdverseCategory {
    pub const ALL: [Self; 6] = [
        Self::NauseaVomiting,
        Self::Hypertension,
        Self::EmergenceReaction,
        Self::AnxietyPanic,
        Self::RespiratoryDepression,
        Self::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::NauseaVomiting => "Nausea/vomiting",
            Self::Hypertension => "Hypertension",
            Self::EmergenceReaction => "Emergence reaction",
            Self::AnxietyPanic => "Anxiety/panic",
            Self::RespiratoryDepression => "Respiratory depression",
            Self::Other => "Other",
        }
    }
}

/// How severe an adverse event was (the common mild / moderate / severe grading).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AdverseSeverity {
    Mild,
    Moderate,
    Severe,
}

impl AdverseSeverity {
    pub const ALL: [Self; 3] = [Self::Mild, Self::Moderate, Self::Severe];

    pub fn label(self) -> &'static str {
        match self {
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }
}

/// One adverse event as charted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdverseEvent {
    pub category: AdverseCategory,
    pub severity: AdverseSeverity,
    /// What was seen; required for `Other`.
    pub detail: String,
    /// What was done about it (e.g. "ondansetron 4 mg IV", "infusion paused").
    pub action: String,
}

impl AdverseEvent {
    /// e.g. "Adverse event: Nausea/vomiting, moderate — retching — action: ondansetron 4 mg".
    pub fn describe(&self) -> String {
        let mut line = format!(
            "Adverse event: {}, {}",
            self.category.label(),
            self.severity.label()
        );
        if !self.detail.trim().is_empty() {
            line = format!("{line} — {}", self.detail.trim());
        }
        if !self.action.trim().is_empty() {
            line = format!("{line} — action: {}", self.action.trim());
        }
        line
    }
}
