//! The registers kept beside the record: consents, integration follow-ups, the controlled-substance
//! log, the REMS forms and details, and the accounting of disclosures. They read the record; the
//! record never reads them.

pub(in crate::store) mod consents;
pub(in crate::store) mod disclosure_outbox;
pub(in crate::store) mod disclosures;
pub(in crate::store) mod follow_ups;
pub(in crate::store) mod rems_patients;
pub(in crate::store) mod rems_submissions;
pub(in crate::store) mod substance_log;

use super::Store;

/// The registers, lent by the store: [`Store::registers`] to read them, [`Store::registers_mut`] to
/// write them (every write through the store's one doorway). They read the record; the record never
/// reads them.
pub struct Registers<S>(S);

impl Store {
    pub fn registers(&self) -> Registers<&Self> {
        Registers(self)
    }

    pub fn registers_mut(&mut self) -> Registers<&mut Self> {
        Registers(self)
    }
}
