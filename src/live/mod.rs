//! The live-session engine: turns a clinician's commands into validated events, asks at soft stops,
//! sends them to be committed and confirms or takes them back on the answer, keeps the draft, and
//! keeps the clock-derived state (time since dosing, countdowns) that the live view shows.

mod changes;
mod clock;
mod command;
mod draft;
mod idle;
mod rules;
mod sender;
mod sending;
mod session;
mod soft_stop;
mod team;

pub use changes::{AppendEvents, EndSession, SaveDraft, StartSession, Started};
pub use clock::{Clock, ManualClock, SystemClock};
pub use command::LiveCommand;
pub use draft::SaveStatus;
pub use idle::IdleTimer;
pub use sender::Sender;
pub use sending::{Memo, Refused, Submitted};
pub use session::{LiveSession, Prepared};
