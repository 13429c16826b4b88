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
