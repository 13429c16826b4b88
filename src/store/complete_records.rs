//! Whole records written in one go, with what follows a session in the journal: its progress and
//! private notes, its signature and addenda. What synthetic data (the demo) writes; each batch is one
//! transaction, as an import is.

use chrono::{DateTime, Utc};

use super::complete_sessions::{Origin, insert_complete_session};
use super::{CompleteSession, Store, StoreError};
use crate::domain::{Addendum, Clinician, ProgressNote, SessionId};

/// A session with its notes, signature and addenda.
#[derive(Debug, Clone)]
pub struct CompleteRecord {
    pub session: CompleteSession,
    pub progress_note: Option<ProgressNote>,
    pub private_note: Option<String>,
    /// When the notes were last saved (after the session ended).
    pub notes_saved_at: DateTime<Utc>,
    /// Who signed it and when; the seal is made with that clinician's key as it is written.
    pub signed: Option<(Clinician, DateTime<Utc>)>,
    /// Written after signing; only a signed record has them.
    pub addenda: Vec<Addendum>,
}

impl Store {
    /// Writes many whole records in one transaction: all of them or none.
    pub fn insert_complete_records(
        &mut self,
        records: &[CompleteRecord],
    ) -> Result<Vec<SessionId>, StoreError> {
        self.write(|tx| {
            let mut ids = Vec::with_capacity(records.len());
            for record in records {
                let id = insert_complete_session(tx, &record.session, Origin::ThisClinic)?;
                crate::store::record::notes::insert_notes(
                    tx,
                    id,
                    record.progress_note.as_ref(),
                    record.private_note.as_deref(),
                    record.notes_saved_at,
                )?;
                if let Some((clinician, at)) = &record.signed {
                    crate::store::record::signing::sign_in(tx, id, clinician.checked()?, *at)?;
                    for addendum in &record.addenda {
                        crate::store::record::signing::insert_addendum(tx, id, addendum)?;
                    }
                }
                ids.push(id);
            }
            super::search::index_waiting(tx)?;
            Ok(ids)
        })
    }
}
