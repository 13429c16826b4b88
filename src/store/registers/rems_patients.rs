//! The clients' REMS details (names, birthdate, sex, enrolment) and the clinic's contact details:
//! what the esketamine REMS form asks beyond the timeline. Kept in the encrypted journal, one row
//! per client, audited like the record (the log keeps a digest, never the names), and read only
//! for that form: no summary, archive or practice copy carries them.

use rusqlite::{OptionalExtension, params};
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, to_ms};
use super::Registers;
use crate::domain::{ClientId, RemsContact, RemsPatient, Route, SessionId, wall_now};

/// Migration 21: one row of details per client.
pub(in crate::store) const CREATE_REMS_PATIENTS: &str = r"
    CREATE TABLE rems_patients (
        client_id  INTEGER PRIMARY KEY REFERENCES clients(id),
        details    TEXT NOT NULL,
        saved_ms   INTEGER NOT NULL
    );
";

const CONTACT_KEY: &str = "rems-contact";

impl<S: Deref<Target = Store>> Registers<S> {
    /// The client's REMS details; `None` until some were saved.
    pub fn rems_patient(&self, client: ClientId) -> Result<Option<RemsPatient>, StoreError> {
        const WHAT: &str = "a client's REMS details";
        let stored: Option<String> = self
            .0
            .conn
            .prepare_cached("SELECT details FROM rems_patients WHERE client_id = ?1")?
            .query_row([client.0], |row| row.get(0))
            .optional()?;
        stored
            .map(|json| serde_json::from_str(&json).map_err(|_| StoreError::Damaged(WHAT)))
            .transpose()
    }

    /// Whether `session` is its client's first intranasal esketamine treatment in this journal.
    pub fn first_esketamine_treatment(&self, session: SessionId) -> Result<bool, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached(
                "SELECT NOT EXISTS (
                    SELECT 1 FROM sessions earlier, sessions this
                    WHERE this.id = ?1 AND earlier.client_id = this.client_id
                      AND earlier.route = ?2 AND earlier.id <> this.id
                      AND (earlier.started_ms < this.started_ms
                           OR (earlier.started_ms = this.started_ms AND earlier.id < this.id)))",
            )?
            .query_row(
                params![session.0, Route::IntranasalEsketamine.as_str()],
                |row| row.get(0),
            )?)
    }

    /// The clinic's telephone, email and address for the REMS form; empty until set.
    pub fn rems_contact(&self) -> Result<RemsContact, StoreError> {
        Ok(self
            .0
            .setting(CONTACT_KEY, "the clinic's contact details")?
            .unwrap_or_default())
    }
}

impl<S: DerefMut<Target = Store>> Registers<S> {
    /// Checks and keeps the client's REMS details (empty details remove them); returns them as kept.
    pub fn save_rems_patient(
        &mut self,
        client: ClientId,
        details: &RemsPatient,
    ) -> Result<RemsPatient, StoreError> {
        let now = wall_now();
        let details = details.checked(now.date_naive())?;
        self.0.record().client(client)?;
        let json = (!details.is_empty())
            .then(|| serde_json::to_string(&details))
            .transpose()
            .map_err(|_| StoreError::Damaged("a client's REMS details"))?;
        self.0.write(|tx| {
            match json {
                None => tx
                    .prepare_cached("DELETE FROM rems_patients WHERE client_id = ?1")?
                    .execute([client.0])?,
                Some(json) => tx
                    .prepare_cached(
                        "INSERT INTO rems_patients (client_id, details, saved_ms) VALUES (?1, ?2, ?3)
                         ON CONFLICT (client_id) DO UPDATE SET
                            details = excluded.details, saved_ms = excluded.saved_ms",
                    )?
                    .execute(params![client.0, json, to_ms(now)])?,
            };
            Ok(())
        })?;
        Ok(details)
    }

    /// Checks and keeps the clinic's contact details; returns them as kept.
    pub fn save_rems_contact(&mut self, contact: &RemsContact) -> Result<RemsContact, StoreError> {
        let contact = contact.checked()?;
        self.0
            .write_setting(CONTACT_KEY, &contact, "the clinic's contact details")?;
        Ok(contact)
    }

    /// The clinic's name (or none) and its contact details together, in one write: both are kept
    /// or, when the contact does not read, neither (Settings saves them with one button).
    pub fn save_clinic(
        &mut self,
        name: Option<&crate::domain::ClinicName>,
        contact: &RemsContact,
    ) -> Result<RemsContact, StoreError> {
        let contact = contact.checked()?;
        self.0.write(|tx| {
            super::super::settings::put_clinic_name(tx, name)?;
            super::super::settings::put_setting(
                tx,
                CONTACT_KEY,
                &contact,
                "the clinic's contact details",
            )
        })?;
        Ok(contact)
    }
}
