//! The record: clients, sessions and their entries, drafts and notes, signatures and their keys,
//! and the audit log that watches every record row. It reads nothing above it: the registers,
//! the journal's files, a session's end and imports are built on it.

pub(in crate::store) mod audit;
pub(in crate::store) mod audit_watch;
pub(in crate::store) mod clients;
pub(in crate::store) mod delivered_total;
pub(in crate::store) mod digest;
pub(in crate::store) mod drafts;
pub(in crate::store) mod event_rows;
pub(in crate::store) mod events;
pub(in crate::store) mod key_proof;
pub(in crate::store) mod link_repair;
pub(in crate::store) mod measures;
pub(in crate::store) mod notes;
pub(in crate::store) mod prefill;
pub(in crate::store) mod session_text;
pub(in crate::store) mod sessions;
pub(in crate::store) mod signing;
pub(in crate::store) mod signing_key;
pub(in crate::store) mod summaries;
pub(in crate::store) mod synthetic;
pub(in crate::store) mod unverified;

use super::Store;

/// The record, lent by the store: [`Store::record`] to read it, [`Store::record_mut`] to write it
/// (every write through the store's one doorway). Its methods are the record's tables'; what needs
/// the journal's files or the registers too stays with the store.
pub struct Record<S>(S);

impl Store {
    pub fn record(&self) -> Record<&Self> {
        Record(self)
    }

    pub fn record_mut(&mut self) -> Record<&mut Self> {
        Record(self)
    }
}
