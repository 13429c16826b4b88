//! Practice sync: a group practice shares records through a PostgreSQL server while each journal
//! stays the local, encrypted place its clinician writes. A sync pushes what this journal
//! recorded and pulls, as read-only copies, what this clinician's role may read; the server is
//! append-only and decides who reads what (`schema.sql`). The design: docs/practice-sync.md.

mod address;
mod colleague_keys;
mod emergency;
mod error;
mod fetch;
mod fetch_log;
mod key_registry;
mod link;
mod live;
mod live_join;
mod live_signatures;
mod live_timeline;
mod problems;
mod pull;
mod push;
mod push_prepare;
mod push_rows;
mod refused;
mod registry;
mod row_seal;
mod server_columns;
mod setup;
mod sync;
mod trust;
mod upgrade;
mod witness;

pub use crate::domain::LiveEntry;
pub use address::{
    CA_FILE_ENV, OWNER_PASSWORD_ENV, PASSWORD_ENV, PracticeAddress, Transport, password_from,
};
pub use colleague_keys::{
    ColleagueKey, KeyStanding, colleague_keys, key_with_fingerprint, trust_colleague_key,
};
pub use emergency::{EMERGENCY_HOURS, EmergencyOpening, open_as, open_in_emergency};
pub use error::PracticeError;
pub use link::{link, may_link};
pub use live::{Announced, Colleague, Joined, LiveConnection, LiveInPractice, Shared};
pub use live_join::{Exchanged, join_here};
pub use live_signatures::{
    CoSessionBrought, CoSessionFetched, bring_co_session, fetch_co_session, keep_co_session,
};
pub use live_timeline::Followed;
pub use problems::{InertClinician, Problems, RefusedSession, UnprovenKey, problems};
pub use pull::Incoming;
pub use push::Moved;
pub use push_prepare::SESSIONS_PER_BATCH;
pub use refused::{Refused, RefusedWhy};
pub use registry::{Assignment, EnrolledClient, assign, clients, enrol};
pub use setup::{
    ACCESS_SQL, MIN_PASSWORD_CHARS, NewClinician, SCHEMA_SQL, add_clinician, connect, init, join,
};
pub use sync::{StepWritten, SyncConnection, SyncReport, SyncStep, sync, write_step};
pub use upgrade::{Added, Upgraded, upgrade};
