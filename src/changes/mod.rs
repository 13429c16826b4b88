//! Everything a clinician can change in the journal from the window, one request type each with the
//! answer it gives back. A view sends one to the journal worker (`Journal::send`) and gets a
//! `Pending` of exactly that answer.
//!
//! | change | what it does | answer |
//! | --- | --- | --- |
//! | [`StartSession`] | a live session with its first entries, for a new client too | [`Started`] |
//! | [`AppendEvents`] | entries of a live session (the draft cleared with them) | the entries |
//! | [`EndSession`] | the closing entry of a live session | the entries |
//! | [`SaveDraft`] | the half-typed live note | – |
//! | [`SaveProgressNote`], [`SavePrivateNote`] | the notes written after a session | – |
//! | [`SignSession`], [`AddAddendum`] | a signature; an addendum to a signed session | the signature; – |
//! | [`RecordConsent`] | a client's consent or its withdrawal | the record |
//! | [`RecordCheckIn`] | what an integration check-in found | – |
//! | [`RecordSubstance`] | stock received, waste or a correction in the substance log | the entry |
//! | [`MarkRemsSubmitted`], [`WithdrawRemsSubmission`] | a REMS form's "submitted" mark and its withdrawal | – |
//! | [`TakeInDisclosures`] | disclosures an export left in the outbox | – |
//! | [`SaveClinicSettings`] | monitoring thresholds and the clinic's zone | – |
//! | [`SaveClinician`] | the clinician's name and credentials | the name as kept |
//! | [`SaveClinic`] | the clinic's name and REMS contact | – |
//! | [`SaveDateTimeSettings`] | how dates and the clock are written | – |
//! | [`AdoptConsentText`] | a new version of the clinic's consent text | the text |
//! | [`SaveRemsPatient`] | a client's REMS details | – |
//! | [`ChangePassphrase`] | the journal's passphrase | – |
//! | [`SavePracticeMembership`] | joining a practice, or the time of a sync | – |
//! | [`WritePracticeStep`] | the journal's part of one step of a practice sync | what the step wrote |
//! | [`LinkPracticeClient`] | a client linked to the practice's code | – |
//! | [`JoinLiveSession`] | this journal's part of a colleague's live session | the part |
//! | [`KeepLiveMerged`] | entries of a live session's merged timeline read from the server | how many were new |
//! | [`SignCoSession`] | a signature of a session logged together | the signature |
//! | [`KeepCoSession`] | a session logged together and its signatures, read from the server | what was new |
//!
//! Each is a short [`Change`](crate::worker::Change) over one store method: the store checks and
//! writes; the worker carries out and answers. The live session's own four are the live engine's
//! (`live/changes.rs`), which sends them itself.

mod practice;
mod records;
mod settings;

pub use crate::live::{AppendEvents, EndSession, SaveDraft, StartSession, Started};
pub use practice::{
    JoinLiveSession, KeepCoSession, KeepLiveMerged, LinkPracticeClient, SavePracticeMembership,
    SignCoSession, WritePracticeStep,
};
pub use records::{
    AddAddendum, MarkRemsSubmitted, RecordCheckIn, RecordConsent, RecordSubstance, SavePrivateNote,
    SaveProgressNote, SignSession, TakeInDisclosures, WithdrawRemsSubmission,
};
pub use settings::{
    AdoptConsentText, ChangePassphrase, SaveClinic, SaveClinicSettings, SaveClinician,
    SaveDateTimeSettings, SaveRemsPatient,
};

use crate::store::{Store, StoreError};
use crate::worker::Change;

/// Makes the journal behave as on a full disk, or lifts that (tests of a failing disk).
#[doc(hidden)]
pub struct SimulateFullDisk(pub bool);

impl Change for SimulateFullDisk {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.simulate_full_disk(self.0)
    }

    fn commits(&self) -> bool {
        false
    }
}
