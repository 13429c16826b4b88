//! What the worker carries out: a change to the journal with the answer it gives back. Each change is
//! a type of its own (`crate::changes` lists them), so whoever sends one gets its own answer's type
//! back and no branch for an answer that cannot come.

use crate::store::{Store, StoreError};

/// A change to the journal, carried out on the writer connection.
pub trait Change: Send + 'static {
    /// What the change gives back once it is committed.
    type Answer: Send + 'static;

    /// Carries the change out on `store`, in one transaction where the store allows.
    fn apply(self, store: &mut Store) -> Result<Self::Answer, StoreError>;

    /// Whether the change commits to the disk (a slowed disk holds those up, not the others).
    fn commits(&self) -> bool {
        true
    }
}
