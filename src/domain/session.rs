use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{
    ClientId, Dose, DoseError, MeasureError, PreSessionError, Route, SedationError, TreatmentModel,
    VitalsError,
};

/// The most entries one session keeps: a long session has a few hundred, a whole day logged every
/// few seconds some thousands. The bound keeps every session small enough to read, export and
/// import whole in little memory; the last two places are kept for the entries that end it.
pub const MAX_SESSION_ENTRIES: usize = 10_000;

/// The database id of a session; the number clinicians use on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub i64);

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a session is in its life. Only a live session takes new events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Live,
    Ended,
    /// Signed by the clinician; never changes again (corrections are addenda).
    Signed,
}

impl SessionStatus {
    /// The stable identifier used in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Ended => "ended",
            Self::Signed => "signed",
        }
    }

    /// Parses the stable identifier.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "live" => Some(Self::Live),
            "ended" => Some(Self::Ended),
            "signed" => Some(Self::Signed),
            _ => None,
        }
    }
}

/// One treatment sitting of one client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    /// Stable across journals, so an exported session is recognised when imported again.
    pub uuid: uuid::Uuid,
    pub client_id: ClientId,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: Dose,
    /// What the client hopes to meet or understand in this session.
    pub intention: String,
    /// How the client wants to be supported when it gets hard; shown throughout the live session.
    pub comfort_plan: String,
    pub status: SessionStatus,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The client's weight this session was dosed by, as known when it started (or as its archive
    /// recorded it): a later weighing never changes what an earlier session delivered.
    pub weight_kg: Option<f64>,
    /// The clinic's time zone when the session was held: its times of day are read there. `None`
    /// for a session recorded before zones were kept (read in the clinic's zone of today).
    pub zone: Option<super::ClinicZone>,
}

/// A session as chosen in the start form, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    pub client_id: ClientId,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: Dose,
    pub intention: String,
    pub comfort_plan: String,
}

/// Why a session could not be started, ended or changed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SessionError {
    #[error(transparent)]
    Dose(#[from] DoseError),
    #[error("Choose a client for the session, or add a new one.")]
    NoClient,
    #[error("This session has ended; it no longer takes new entries.")]
    NotLive,
    #[error(
        "A \"sit with it\" deferral is still open; record how it ended before ending the session."
    )]
    OpenDeferral,
    #[error(
        "A \"sit with it\" is already running; record how it ends (Ctrl+1 to Ctrl+4) before agreeing another."
    )]
    DeferralRunning,
    #[error("That \"sit with it\" deferral already has an outcome.")]
    DeferralAlreadyClosed,
    #[error("There is no \"sit with it\" deferral with that number in this session.")]
    UnknownDeferral,
    #[error("There is no entry with that number in this session.")]
    UnknownEvent,
    #[error("A \"sit with it\" deferral lasts between 1 and {max} minutes.", max = super::MAX_SIT_WITH_IT_MINUTES)]
    DeferralMinutes,
    #[error("The note is empty.")]
    EmptyNote,
    #[error("Dosing has already begun in this session.")]
    DosingAlreadyBegun,
    #[error(
        "The infusion has run its planned length; extend it (Dose change, Extend infusion) to give more."
    )]
    InfusionComplete,
    #[error("No infusion is running or has just run its length, so there is nothing to extend.")]
    NothingToExtend,
    #[error("An infusion can be extended by 1 to {max} minutes at a time.", max = super::MAX_EXTENSION_MINUTES)]
    ExtensionMinutes,
    #[error("Ready to leave after how many minutes: a whole number from 1 to {max}, or leave it empty.", max = super::MAX_READY_AFTER_MINUTES)]
    ReadyAfterMinutes,
    #[error("Choose why the dose changes: the client asked, vitals, your judgement or the plan.")]
    DoseChangeWhy,
    #[error(
        "This infusion runs at a rate with no planned length; give the new rate as mg/kg/h, mg/h or \"0.35 mg/kg over 40 min\"."
    )]
    RateNeeded,
    #[error(transparent)]
    Vitals(#[from] VitalsError),
    #[error(transparent)]
    Asq(#[from] super::AsqError),
    #[error(transparent)]
    SafetyPlan(#[from] super::SafetyPlanError),
    #[error(transparent)]
    Sedation(#[from] SedationError),
    #[error(transparent)]
    Measure(#[from] MeasureError),
    #[error(transparent)]
    PreSession(#[from] PreSessionError),
    #[error(transparent)]
    Lot(#[from] super::SubstanceLogError),
    #[error(
        "Enter at least one of blood pressure, heart rate, SpO2, respiratory rate or sedation."
    )]
    EmptyReading,
    #[error("Say what happened when the adverse event is \"Other\".")]
    AdverseDetail,
}
