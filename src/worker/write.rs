//! The writes the journal worker carries out, one variant per thing a clinician can change, and what
//! each gives back. Carrying one out is a call into the store; nothing here knows of threads or egui.

use chrono::{DateTime, Utc};

use crate::domain::{
    Addendum, Client, ClinicSettings, Clinician, Event, NewClient, NewSession, NewSubstanceEntry,
    ProgressNote, Seq, Session, SessionId, Signature, SubstanceEntry,
};
use crate::store::{NewEvent, Passphrase, Store, StoreError};

/// One change to the journal, as sent to the worker.
pub enum Write {
    /// A live session with its first entries (the checklist and baseline readings), for the client
    /// `client` names first when it is a new one.
    StartSession {
        client: Option<NewClient>,
        session: NewSession,
        at: DateTime<Utc>,
        first: Vec<NewEvent>,
        /// A consent given on the start form, recorded just before the session starts.
        consent: Option<crate::domain::NewConsent>,
    },
    /// Entries of a live session; `clear_draft` when they are what the draft became.
    AppendEvents {
        session: SessionId,
        expected_next: Seq,
        events: Vec<NewEvent>,
        clear_draft: bool,
    },
    /// The closing entry of a live session.
    EndSession {
        session: SessionId,
        expected_next: Seq,
        closing: Vec<NewEvent>,
    },
    /// The half-typed live note (empty clears it).
    SaveDraft {
        session: SessionId,
        text: String,
        at: DateTime<Utc>,
    },
    SaveProgressNote {
        session: SessionId,
        note: ProgressNote,
        at: DateTime<Utc>,
    },
    SavePrivateNote {
        session: SessionId,
        text: String,
        at: DateTime<Utc>,
    },
    SignSession {
        session: SessionId,
        clinician: Clinician,
        at: DateTime<Utc>,
    },
    AddAddendum {
        session: SessionId,
        addendum: Addendum,
    },
    SaveClinicSettings(ClinicSettings),
    SaveClinician(Clinician),
    /// Adopts a new version of the clinic's consent text.
    AdoptConsentText {
        text: String,
        renew_after_days: u32,
        at: DateTime<Utc>,
    },
    /// Records a client's consent (or its withdrawal) to the newest text.
    RecordConsent {
        consent: crate::domain::NewConsent,
        at: DateTime<Utc>,
    },
    /// Records what an integration check-in found.
    RecordCheckIn {
        id: crate::domain::FollowUpId,
        check_in: crate::domain::CheckIn,
    },
    /// Sets the clinic's name (or clears it) and its contact details.
    SaveClinic {
        name: Option<crate::domain::ClinicName>,
        contact: crate::domain::RemsContact,
    },
    /// Sets how the clinic writes dates and which clock it reads.
    SaveDateTimeSettings(crate::domain::DateTimeSettings),
    /// Keeps a client's details for the REMS form (empty details remove them).
    SaveRemsPatient {
        client: crate::domain::ClientId,
        details: crate::domain::RemsPatient,
    },
    ChangePassphrase {
        current: Passphrase,
        new: Passphrase,
    },
    /// Stock received, waste before a witness or a correction, into the controlled-substance log.
    RecordSubstance {
        entry: NewSubstanceEntry,
        at: DateTime<Utc>,
    },
    /// A session's REMS monitoring form was submitted.
    MarkRemsSubmitted {
        session: SessionId,
        at: DateTime<Utc>,
    },
    /// A "submitted" mark made in error is taken back, with why.
    WithdrawRemsSubmission {
        session: SessionId,
        at: DateTime<Utc>,
        reason: String,
    },
    /// What the start-up check found: from now on the journal is only read.
    MarkDamaged(Vec<String>),
    /// The journal's part of practice sync.
    Practice(PracticeWrite),
    /// Takes into the journal the disclosures an export recorded in the outbox.
    TakeInDisclosures,
    /// Makes the journal behave as on a full disk, or lifts that (tests of a failing disk).
    #[doc(hidden)]
    SimulateFullDisk(bool),
}

/// The journal's part of practice sync (the network part runs beside the worker, never in it).
pub enum PracticeWrite {
    /// Joins (or re-joins) a practice: the membership a join checked with the server.
    SaveMembership(Box<crate::domain::PracticeMembership>),
    /// The local part of one step of a sync: what the server now holds, and colleagues'
    /// sessions to copy.
    Step(Box<crate::practice::SyncStep>),
    /// Links a client of this journal to a practice client (after the server said it may be).
    Link {
        local_code: String,
        practice_code: String,
        at: chrono::DateTime<chrono::Utc>,
    },
}

impl PracticeWrite {
    fn apply(self, store: &mut Store) -> Result<Written, StoreError> {
        match self {
            Self::SaveMembership(membership) => {
                store.save_practice_membership(&membership)?;
                Ok(Written::Done)
            }
            Self::Step(step) => Ok(Written::PracticeStep(crate::practice::write_step(
                store, *step,
            )?)),
            Self::Link {
                local_code,
                practice_code,
                at,
            } => {
                store.link_practice_client(&local_code, &practice_code, at)?;
                Ok(Written::Done)
            }
        }
    }
}

/// What a write gives back once it is committed.
#[derive(Debug)]
pub enum Written {
    Started {
        /// The client made for the session, when it was a new one.
        client: Option<Client>,
        session: Session,
        events: Vec<Event>,
    },
    Appended(Vec<Event>),
    Ended(Vec<Event>),
    Signed(Signature),
    Clinician(Clinician),
    Substance(SubstanceEntry),
    ConsentText(crate::domain::ConsentText),
    Consent(crate::domain::ConsentRecord),
    PracticeStep(crate::practice::StepWritten),
    /// Done; there is nothing to give back.
    Done,
}

/// Makes the new client (if any), records a consent given on the start form, then starts the
/// session with its first entries.
fn start_session(
    store: &mut Store,
    client: Option<NewClient>,
    session: &mut NewSession,
    (at, first): (DateTime<Utc>, &[NewEvent]),
    consent: Option<crate::domain::NewConsent>,
) -> Result<Written, StoreError> {
    // The client stays made if the session then fails; the start form finds it again.
    let client = client
        .map(|new| store.create_client(&new, at))
        .transpose()?;
    if let Some(client) = &client {
        session.client_id = client.id;
    }
    // A consent given today stays recorded even if the start then fails.
    if let Some(mut consent) = consent {
        consent.client_id = session.client_id;
        store.record_consent(&consent, at)?;
    }
    let (session, events) = store.start_session_with(session, at, first)?;
    Ok(Written::Started {
        client,
        session,
        events,
    })
}

impl Write {
    /// Carries the write out on `store`, in one transaction where the store allows.
    #[allow(
        clippy::too_many_lines,
        reason = "one short arm per write, the list of everything a clinician can change"
    )]
    pub fn apply(self, store: &mut Store) -> Result<Written, StoreError> {
        match self {
            Self::StartSession {
                client,
                mut session,
                at,
                first,
                consent,
            } => start_session(store, client, &mut session, (at, &first), consent),
            Self::AppendEvents {
                session,
                expected_next,
                events,
                clear_draft,
            } => {
                let committed = if clear_draft {
                    store.append_events_clearing_draft(session, expected_next, &events)?
                } else {
                    store.append_events(session, expected_next, &events)?
                };
                Ok(Written::Appended(committed))
            }
            Self::EndSession {
                session,
                expected_next,
                closing,
            } => Ok(Written::Ended(store.end_session(
                session,
                expected_next,
                &closing,
            )?)),
            Self::SaveDraft { session, text, at } => {
                store.save_draft(session, &text, at).map(|()| Written::Done)
            }
            Self::SaveProgressNote { session, note, at } => store
                .save_progress_note(session, &note, at)
                .map(|()| Written::Done),
            Self::SavePrivateNote { session, text, at } => store
                .save_private_note(session, &text, at)
                .map(|()| Written::Done),
            Self::SignSession {
                session,
                clinician,
                at,
            } => Ok(Written::Signed(
                store.sign_session(session, &clinician, at)?,
            )),
            Self::AddAddendum { session, addendum } => store
                .add_addendum(session, &addendum)
                .map(|()| Written::Done),
            Self::SaveClinicSettings(settings) => store
                .save_clinic_settings(&settings)
                .map(|()| Written::Done),
            Self::SaveClinician(clinician) => {
                Ok(Written::Clinician(store.save_clinician(&clinician)?))
            }
            Self::AdoptConsentText {
                text,
                renew_after_days,
                at,
            } => Ok(Written::ConsentText(store.adopt_consent_text(
                &text,
                renew_after_days,
                at,
            )?)),
            Self::RecordConsent { consent, at } => {
                Ok(Written::Consent(store.record_consent(&consent, at)?))
            }
            Self::RecordCheckIn { id, check_in } => {
                store.record_check_in(id, &check_in).map(|_| Written::Done)
            }
            Self::SaveClinic { name, contact } => {
                store.save_clinic_name(name.as_ref())?;
                store.save_rems_contact(&contact).map(|_| Written::Done)
            }
            Self::SaveDateTimeSettings(settings) => store
                .save_date_time_settings(settings)
                .map(|()| Written::Done),
            Self::SaveRemsPatient { client, details } => store
                .save_rems_patient(client, &details)
                .map(|_| Written::Done),
            Self::ChangePassphrase { current, new } => store
                .change_passphrase(&current, &new)
                .map(|()| Written::Done),
            Self::RecordSubstance { entry, at } => {
                Ok(Written::Substance(store.record_substance(&entry, at)?))
            }
            Self::MarkRemsSubmitted { session, at } => store
                .mark_rems_submitted(session, at)
                .map(|()| Written::Done),
            Self::WithdrawRemsSubmission {
                session,
                at,
                reason,
            } => store
                .withdraw_rems_submission(session, at, &reason)
                .map(|()| Written::Done),
            Self::MarkDamaged(problems) => {
                store.mark_damaged(problems);
                Ok(Written::Done)
            }
            Self::Practice(write) => write.apply(store),
            Self::TakeInDisclosures => store.take_in_disclosure_outbox().map(|()| Written::Done),
            Self::SimulateFullDisk(full) => store.simulate_full_disk(full).map(|()| Written::Done),
        }
    }

    /// Whether the write commits to the disk (a slow disk holds those up, not the others).
    pub(super) fn is_commit(&self) -> bool {
        !matches!(self, Self::MarkDamaged(_) | Self::SimulateFullDisk(_))
    }
}
