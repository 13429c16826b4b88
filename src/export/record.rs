//! One session with everything an export shows: the session, its client and its timeline.

use super::ExportOptions;
use crate::domain::{
    Addendum, Client, ClinicZone, Delivered, Event, ProgressNote, Session, SessionId, Signature,
    SignatureStanding, delivered, session_weight,
};
use crate::store::{PrivateNote, Store, StoreError};

/// A session as every export format reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub session: Session,
    pub client: Client,
    /// The whole timeline, in sequence order.
    pub events: Vec<Event>,
    /// The progress note, part of the clinical record.
    pub progress_note: Option<ProgressNote>,
    /// The private psychotherapy note: read only when the export asks for it on purpose.
    pub private_note: Option<PrivateNote>,
    /// Who signed the session and when, once it is signed.
    pub signature: Option<Signature>,
    /// Whose key made the signature, as far as this journal can say.
    pub signature_standing: Option<SignatureStanding>,
    /// Corrections and additions made after signing, oldest first, shown after the original.
    pub addenda: Vec<Addendum>,
    /// The integration check-ins planned after the session, and what those done found.
    pub follow_ups: Vec<crate::domain::FollowUp>,
    /// Who recorded it, when it is a colleague's session copied from the practice (read-only).
    pub copied_from: Option<crate::store::CopyAuthor>,
    /// The journal it comes from was made for synthetic data: every export says so.
    pub synthetic: bool,
    /// An esketamine session's REMS facts about its client, read for that form alone.
    pub rems: Option<RemsFacts>,
    /// Where the client's code is unique (the practice's, else this journal's): exports that
    /// identify the client name it, so two journals' D-0001 are never one person.
    pub client_code_system: String,
    /// A session logged with colleagues: the merged timeline this journal holds, and the
    /// signatures of it.
    pub co_session: Option<super::ArchivedCoSession>,
}

/// What the REMS form knows of the client beyond the session: read only for an esketamine
/// session, printed only on its form (no other export writes them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemsFacts {
    pub patient: Option<crate::domain::RemsPatient>,
    /// No earlier esketamine session of this client is in the journal.
    pub first_treatment: bool,
}

impl SessionRecord {
    /// What the timeline delivered by the end of the session (or by its last entry while live).
    pub fn delivered(&self) -> Delivered {
        let until_ms = match self.session.ended_at {
            Some(ended) => (ended - self.session.started_at).num_milliseconds(),
            None => self.events.last().map_or(0, |event| event.elapsed_ms),
        };
        delivered(&self.events, self.session.route, self.weight_kg(), until_ms)
    }

    /// The zone its times of day are read in: its own, else the clinic's as `context` gives it.
    pub fn zone(&self, context: &super::SummaryContext) -> ClinicZone {
        self.session.zone.unwrap_or(context.zone)
    }

    /// The weight this session's doses are worked out with: the checklist's, else the one it was
    /// dosed by (an older session without one: its client's).
    pub fn weight_kg(&self) -> Option<f64> {
        session_weight(
            &self.events,
            self.session.weight_kg.or(self.client.weight_kg),
        )
    }

    /// The unit the session's weight was typed in: the checklist's (kilograms without one).
    pub fn weighed_in(&self) -> crate::domain::WeightUnit {
        self.events
            .iter()
            .find_map(|event| match &event.kind {
                crate::domain::EventKind::PreSession(checklist)
                    if checklist.weight_kg.is_some() =>
                {
                    Some(checklist.weighed_in)
                }
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Reads one session from the journal. The private psychotherapy note is not even read unless
    /// `options` asks for it.
    pub fn load(store: &Store, id: SessionId, options: ExportOptions) -> Result<Self, StoreError> {
        let session = store.record().session(id)?;
        let client = store.record().client(session.client_id)?;
        let events = store.record().events(id)?;
        let progress_note = store.record().progress_note(id)?;
        let private_note = if options.include_private {
            store.record().private_note(id)?
        } else {
            None
        };
        let signature = store.record().signature(id)?;
        let copied_from = store.sharing().practice_copy_author(id)?;
        let signature_standing = signature
            .as_ref()
            .map(|signature| store.record().signature_standing(id, signature))
            .transpose()?
            .map(|standing| match (standing, &copied_from) {
                // Checked against the practice's key registry when it was copied.
                (SignatureStanding::UnknownKey { fingerprint }, Some(author)) => {
                    SignatureStanding::Practice {
                        fingerprint,
                        author: author.name.clone(),
                    }
                }
                (standing, _) => standing,
            });
        let rems = (session.route == crate::domain::Route::IntranasalEsketamine)
            .then(|| -> Result<RemsFacts, StoreError> {
                Ok(RemsFacts {
                    patient: store.registers().rems_patient(session.client_id)?,
                    first_treatment: store.registers().first_esketamine_treatment(id)?,
                })
            })
            .transpose()?;
        let co_session = co_session(store, &session)?;
        Ok(Self {
            co_session,
            rems,
            client_code_system: store.sharing().client_code_system()?,
            synthetic: store.record().is_synthetic()?,
            copied_from,
            signature,
            signature_standing,
            addenda: store.record().addenda(id)?,
            follow_ups: store.registers().follow_ups(id)?,
            session,
            client,
            events,
            progress_note,
            private_note,
        })
    }
}

/// The merged timeline and signatures of the live session `session` was logged in (its own, or the
/// colleague's it is this journal's part of), when the journal holds any.
fn co_session(
    store: &Store,
    session: &Session,
) -> Result<Option<super::ArchivedCoSession>, StoreError> {
    let live = store
        .sharing()
        .live_part(session.id)?
        .map_or(session.uuid, |part| part.live_uuid);
    let entries = store.sharing().live_merged(live)?;
    if entries.is_empty() {
        return Ok(None);
    }
    let signatures = store
        .sharing()
        .co_signatures(live)?
        .into_iter()
        .map(|(signature, _)| signature)
        .collect();
    Ok(Some(super::ArchivedCoSession {
        live_uuid: live,
        entries,
        signatures,
    }))
}
