//! The live-session engine: turns a clinician's commands into validated events, commits them, and keeps
//! the clock-derived state (time since dosing, countdowns) that the live view shows.

mod clock;
mod command;
mod idle;
mod rules;
mod session;

pub use clock::{Clock, ManualClock, SystemClock};
pub use command::LiveCommand;
pub use idle::IdleTimer;
pub use session::{LiveSession, Prepared};
