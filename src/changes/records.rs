//! The changes to the record around sessions: notes, signatures, consents, check-ins, the substance
//! log, REMS marks and disclosures.

use chrono::{DateTime, Utc};

use crate::domain::{
    Addendum, CheckIn, Clinician, ConsentRecord, FollowUpId, NewConsent, NewSubstanceEntry,
    ProgressNote, SessionId, Signature, SubstanceEntry,
};
use crate::store::{Store, StoreError};
use crate::worker::Change;

/// A session's progress note (SOAP, DAP or BIRP).
pub struct SaveProgressNote {
    pub session: SessionId,
    pub note: ProgressNote,
    pub at: DateTime<Utc>,
}

impl Change for SaveProgressNote {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .record_mut()
            .save_progress_note(self.session, &self.note, self.at)
    }
}

/// A session's private note (never printed or exported).
pub struct SavePrivateNote {
    pub session: SessionId,
    pub text: String,
    pub at: DateTime<Utc>,
}

impl Change for SavePrivateNote {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .record_mut()
            .save_private_note(self.session, &self.text, self.at)
    }
}

/// Signs a session with the clinician's key.
pub struct SignSession {
    pub session: SessionId,
    pub clinician: Clinician,
    pub at: DateTime<Utc>,
}

impl Change for SignSession {
    type Answer = Signature;

    fn apply(self, store: &mut Store) -> Result<Signature, StoreError> {
        store
            .record_mut()
            .sign_session(self.session, &self.clinician, self.at)
    }
}

/// An addendum to a signed session.
pub struct AddAddendum {
    pub session: SessionId,
    pub addendum: Addendum,
}

impl Change for AddAddendum {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .record_mut()
            .add_addendum(self.session, &self.addendum)
    }
}

/// A client's consent (or its withdrawal) to the newest text.
pub struct RecordConsent {
    pub consent: NewConsent,
    pub at: DateTime<Utc>,
}

impl Change for RecordConsent {
    type Answer = ConsentRecord;

    fn apply(self, store: &mut Store) -> Result<ConsentRecord, StoreError> {
        store.registers_mut().record_consent(&self.consent, self.at)
    }
}

/// What an integration check-in found.
pub struct RecordCheckIn {
    pub id: FollowUpId,
    pub check_in: CheckIn,
}

impl Change for RecordCheckIn {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .registers_mut()
            .record_check_in(self.id, &self.check_in)
            .map(drop)
    }
}

/// Stock received, waste before a witness or a correction, into the controlled-substance log.
pub struct RecordSubstance {
    pub entry: NewSubstanceEntry,
    pub at: DateTime<Utc>,
}

impl Change for RecordSubstance {
    type Answer = SubstanceEntry;

    fn apply(self, store: &mut Store) -> Result<SubstanceEntry, StoreError> {
        store.registers_mut().record_substance(&self.entry, self.at)
    }
}

/// A session's REMS monitoring form was submitted.
pub struct MarkRemsSubmitted {
    pub session: SessionId,
    pub at: DateTime<Utc>,
}

impl Change for MarkRemsSubmitted {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .registers_mut()
            .mark_rems_submitted(self.session, self.at)
    }
}

/// A "submitted" mark made in error is taken back, with why.
pub struct WithdrawRemsSubmission {
    pub session: SessionId,
    pub at: DateTime<Utc>,
    pub reason: String,
}

impl Change for WithdrawRemsSubmission {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .registers_mut()
            .withdraw_rems_submission(self.session, self.at, &self.reason)
    }
}

/// Takes into the journal the disclosures an export recorded in the outbox.
pub struct TakeInDisclosures;

impl Change for TakeInDisclosures {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.registers().take_in_disclosure_outbox()
    }
}
