//! A dose-adjustment decision point (what came up, who asked, what was decided and why) and how
//! the "sit with it" deferral it may open ends.

use serde::{Deserialize, Serialize};

use super::event::with_reason;

/// A moment when a dose change was asked for or considered: what came up, who asked, what was decided and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionPoint {
    pub came_up: CameUp,
    /// A few words on what came up.
    pub detail: String,
    pub asked: Asked,
    pub decision: Decision,
    pub rationale: String,
}

impl DecisionPoint {
    /// e.g. "Emotion: Client asks to lower — sit with it 5 min — “grief”"; what nobody stated is
    /// left out rather than printed twice as "Not stated".
    pub(super) fn describe(&self) -> String {
        let mut line = match (self.came_up, self.asked) {
            (CameUp::NotStated, Asked::NotStated) => {
                super::words::capitalised(&self.decision.label())
            }
            (CameUp::NotStated, asked) => format!("{} — {}", asked.label(), self.decision.label()),
            (came_up, Asked::NotStated) => {
                format!("{}: {}", came_up.label(), self.decision.label())
            }
            (came_up, asked) => format!(
                "{}: {} — {}",
                came_up.label(),
                asked.label(),
                self.decision.label()
            ),
        };
        if !self.detail.trim().is_empty() {
            line = format!("{line} — “{}”", self.detail.trim());
        }
        with_reason(line, &self.rationale)
    }
}

/// What came up for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CameUp {
    Emotion,
    Memory,
    Thought,
    BodySensation,
    /// Nobody said which: a decision recorded in one key keeps the typed words and states no kind.
    NotStated,
}

impl CameUp {
    /// The start of a sentence in a drafted note: "a memory came up".
    pub fn as_sentence_start(self) -> &'static str {
        match self {
            Self::Emotion => "an emotion came up",
            Self::Memory => "a memory came up",
            Self::Thought => "a thought came up",
            Self::BodySensation => "a body sensation came up",
            Self::NotStated => "something came up",
        }
    }

    pub const ALL: [Self; 5] = [
        Self::NotStated,
        Self::Emotion,
        Self::Memory,
        Self::Thought,
        Self::BodySensation,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Emotion => "Emotion",
            Self::Memory => "Memory",
            Self::Thought => "Thought",
            Self::BodySensation => "Body sensation",
            Self::NotStated => "Not stated",
        }
    }
}

/// Who asked for what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Asked {
    ClientAsksToLower,
    ClinicianConsidersLowering,
    ClientAsksToStop,
    /// Nobody said who asked: a decision recorded in one key states nothing nobody chose.
    NotStated,
}

impl Asked {
    /// Who asked, as a clause of a drafted note's sentence; `None` when nobody said.
    pub fn as_clause(self) -> Option<&'static str> {
        match self {
            Self::ClientAsksToLower => Some("the client asked to lower the dose"),
            Self::ClinicianConsidersLowering => Some("the clinician considered lowering the dose"),
            Self::ClientAsksToStop => Some("the client asked to stop"),
            Self::NotStated => None,
        }
    }

    pub const ALL: [Self; 4] = [
        Self::NotStated,
        Self::ClientAsksToLower,
        Self::ClinicianConsidersLowering,
        Self::ClientAsksToStop,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::ClientAsksToLower => "Client asks to lower",
            Self::ClinicianConsidersLowering => "Clinician considers lowering",
            Self::ClientAsksToStop => "Client asks to stop",
            Self::NotStated => "Not stated",
        }
    }
}

/// What was decided at a decision point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decision {
    /// Lower the dose now; the new dose is logged as a dose change right after.
    LowerNow,
    /// Keep the dose as it is.
    Hold,
    /// Wait the agreed minutes and explore what came up before acting.
    SitWithIt { minutes: u32 },
    /// Stop giving ketamine.
    Stop,
}

impl Decision {
    pub fn label(self) -> String {
        match self {
            Self::LowerNow => "lower now".to_owned(),
            Self::Hold => "hold".to_owned(),
            Self::SitWithIt { minutes } => format!("sit with it {minutes} min"),
            Self::Stop => "stop".to_owned(),
        }
    }
}

/// How a "sit with it" deferral ended. Every deferral must end with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeferralOutcome {
    /// The client worked through it; no dose change.
    WorkedThrough,
    /// The client still wanted a lower dose, and it was lowered.
    DoseLowered,
    /// The deferral was ended before its time, with no dose change.
    EndedEarly,
    /// The session was stopped.
    SessionStopped,
}

impl DeferralOutcome {
    pub const ALL: [Self; 4] = [
        Self::WorkedThrough,
        Self::DoseLowered,
        Self::EndedEarly,
        Self::SessionStopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WorkedThrough => "worked_through",
            Self::DoseLowered => "dose_lowered",
            Self::EndedEarly => "ended_early",
            Self::SessionStopped => "session_stopped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::WorkedThrough => "worked through (no change)",
            Self::DoseLowered => "dose lowered after all",
            Self::EndedEarly => "ended early",
            Self::SessionStopped => "session stopped",
        }
    }
}
