//! The journal's part of practice sync. The network part runs beside the worker, never in it; these
//! write what it brought.

use chrono::{DateTime, Utc};

use crate::domain::PracticeMembership;
use crate::practice::{StepWritten, SyncStep};
use crate::store::{Store, StoreError};
use crate::worker::Change;

/// Joins (or re-joins) a practice with the membership a join checked with the server, or keeps the
/// time of a sync.
pub struct SavePracticeMembership(pub PracticeMembership);

impl Change for SavePracticeMembership {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.sharing_mut().save_practice_membership(&self.0)
    }
}

/// The local part of one step of a sync: what the server now holds, and colleagues' sessions to
/// copy.
pub struct WritePracticeStep(pub SyncStep);

impl Change for WritePracticeStep {
    type Answer = StepWritten;

    fn apply(self, store: &mut Store) -> Result<StepWritten, StoreError> {
        crate::practice::write_step(store, self.0)
    }
}

/// Links a client of this journal to a practice client (after the server said it may be).
pub struct LinkPracticeClient {
    pub local_code: String,
    pub practice_code: String,
    pub at: DateTime<Utc>,
}

impl Change for LinkPracticeClient {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .sharing_mut()
            .link_practice_client(&self.local_code, &self.practice_code, self.at)
            .map(drop)
    }
}

/// Starts this journal's part of a colleague's live session, joined on the server already.
pub struct JoinLiveSession {
    pub live: crate::practice::LiveInPractice,
    pub at: DateTime<Utc>,
}

impl Change for JoinLiveSession {
    /// The part: a live session of this journal's, under the client it is for.
    type Answer = crate::domain::Session;

    fn apply(self, store: &mut Store) -> Result<crate::domain::Session, StoreError> {
        crate::practice::join_here(store, &self.live, self.at)
    }
}

/// Entries of a live session's merged timeline read from the server, kept in the journal.
pub struct KeepLiveMerged {
    pub live: uuid::Uuid,
    pub entries: Vec<crate::domain::LiveEntry>,
}

impl Change for KeepLiveMerged {
    /// How many were new to the journal.
    type Answer = usize;

    fn apply(self, store: &mut Store) -> Result<usize, StoreError> {
        store
            .sharing_mut()
            .keep_live_merged(self.live, &self.entries)
    }
}

/// What the practice holds of a session logged together, read beside the window: kept.
pub struct KeepCoSession(pub crate::practice::CoSessionFetched, pub DateTime<Utc>);

impl Change for KeepCoSession {
    type Answer = crate::practice::CoSessionBrought;

    fn apply(self, store: &mut Store) -> Result<crate::practice::CoSessionBrought, StoreError> {
        crate::practice::keep_co_session(store, &self.0, self.1)
    }
}

/// A signature of a session logged together, made over the merged timeline the journal holds.
pub struct SignCoSession {
    pub live: uuid::Uuid,
    pub part: crate::domain::CoSignedPart,
    /// The practice login the clinician signs as.
    pub login: String,
    pub clinician: crate::domain::Clinician,
    pub at: DateTime<Utc>,
}

impl Change for SignCoSession {
    type Answer = crate::domain::CoSignature;

    fn apply(self, store: &mut Store) -> Result<crate::domain::CoSignature, StoreError> {
        store.sharing_mut().sign_co_session(
            self.live,
            self.part,
            &self.login,
            &self.clinician,
            self.at,
        )
    }
}
