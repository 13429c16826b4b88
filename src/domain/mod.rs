//! Pure types and rules of the journal: clients, sessions, events and doses.
//!
//! Nothing here knows about SQL or egui, so every rule can be tested on its own.

mod client;
mod delivered;
mod dose;
mod event;
mod measure;
mod model;
mod route;
mod session;
mod timeline;
mod vitals;

pub use client::{Client, ClientError, ClientId, NewClient, WEIGHT_RANGE_KG, parse_weight};
pub use delivered::{Delivered, delivered};
pub use dose::{Dose, DoseError, DoseUnit, Infusion};
pub use event::{
    Asked, CameUp, DEFAULT_SIT_WITH_IT_MINUTES, Decision, DecisionPoint, DeferralOutcome, Event,
    EventKind, MAX_SIT_WITH_IT_MINUTES, Seq,
};
pub use measure::{Instrument, Measure, MeasureError, Severity};
pub use model::TreatmentModel;
pub use route::Route;
pub use session::{NewSession, Session, SessionError, SessionId, SessionStatus};
pub use timeline::{CurrentDose, OpenDeferral, TimelineState};
pub use vitals::{Thresholds, Vitals, VitalsError, VitalsFlag};
