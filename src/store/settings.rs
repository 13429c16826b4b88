//! The clinic's settings, its name and the clinician's signature name, kept in the journal so the window and
//! the command line use the same ones.

use rusqlite::OptionalExtension;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Store, StoreError};
use crate::domain::{ClinicName, ClinicSettings, ClinicZone, Clinician, DateTimeSettings};

const CLINIC_KEY: &str = "clinic";
const CLINICIAN_KEY: &str = "clinician";
const CLINIC_NAME_KEY: &str = "clinic-name";
const CLINIC_ZONE_KEY: &str = "clinic-zone";
const DATE_STYLE_KEY: &str = "date-style";

impl Store {
    /// The clinic's settings; the defaults until someone changes them.
    pub fn clinic_settings(&self) -> Result<ClinicSettings, StoreError> {
        const WHAT: &str = "the clinic settings";
        let settings: Option<ClinicSettings> = self.setting(CLINIC_KEY, WHAT)?;
        let settings = settings.unwrap_or_default();
        settings.check().map_err(|_| StoreError::Damaged(WHAT))?;
        Ok(settings)
    }

    /// Checks and stores the clinic's settings.
    pub fn save_clinic_settings(&mut self, settings: &ClinicSettings) -> Result<(), StoreError> {
        settings.check()?;
        self.write_setting(CLINIC_KEY, settings, "the clinic settings")
    }

    /// Who signs sessions and writes addenda on this computer; `None` until set in Settings.
    pub fn clinician(&self) -> Result<Option<Clinician>, StoreError> {
        self.setting(CLINICIAN_KEY, "the clinician's name")
    }

    /// The clinician as they sign (`R. Example, PsyD`); empty until set in Settings or unreadable
    /// (who took a consent is a record of its own, not a reason to refuse one).
    pub fn signs_as(&self) -> String {
        self.clinician()
            .ok()
            .flatten()
            .map(|clinician| clinician.signed_as())
            .unwrap_or_default()
    }

    /// Stores the clinician's name and credentials, trimmed; a name is needed.
    pub fn save_clinician(&mut self, clinician: &Clinician) -> Result<Clinician, StoreError> {
        let clinician = clinician.checked()?;
        self.write_setting(CLINICIAN_KEY, &clinician, "the clinician's name")?;
        Ok(clinician)
    }

    /// The clinic's name, the healthcare setting of the REMS form; `None` until set in Settings.
    pub fn clinic_name(&self) -> Result<Option<ClinicName>, StoreError> {
        self.setting(CLINIC_NAME_KEY, "the clinic's name")
    }

    /// Stores the clinic's name (checked and trimmed), or clears it with `None`.
    pub fn save_clinic_name(&mut self, name: Option<&ClinicName>) -> Result<(), StoreError> {
        self.write(|tx| put_clinic_name(tx, name))
    }

    /// The clinic's time zone, kept with each session started: the one set in Settings, else this
    /// computer's.
    pub fn clinic_zone(&self) -> Result<ClinicZone, StoreError> {
        Ok(self
            .setting(CLINIC_ZONE_KEY, "the clinic's time zone")?
            .unwrap_or_else(ClinicZone::of_this_computer))
    }

    /// Sets the clinic's time zone for the sessions started from now on (each keeps its own).
    pub fn save_clinic_zone(&mut self, zone: ClinicZone) -> Result<(), StoreError> {
        self.write_setting(CLINIC_ZONE_KEY, &zone, "the clinic's time zone")
    }

    /// How the clinic writes dates and which clock it reads: ISO dates and the system's clock until
    /// set.
    pub fn date_time_settings(&self) -> Result<DateTimeSettings, StoreError> {
        Ok(self
            .setting(DATE_STYLE_KEY, "the date and clock settings")?
            .unwrap_or_default())
    }

    /// Sets how the clinic writes dates and which clock it reads.
    pub fn save_date_time_settings(
        &mut self,
        settings: DateTimeSettings,
    ) -> Result<(), StoreError> {
        self.write_setting(DATE_STYLE_KEY, &settings, "the date and clock settings")
    }

    /// One setting read from its JSON; `what` names it if it cannot be read.
    pub(super) fn setting<T: DeserializeOwned>(
        &self,
        key: &str,
        what: &'static str,
    ) -> Result<Option<T>, StoreError> {
        let stored: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?;
        stored
            .map(|json| serde_json::from_str(&json).map_err(|_| StoreError::Damaged(what)))
            .transpose()
    }

    /// Stores one setting as JSON, through the write doorway.
    pub(super) fn write_setting<T: Serialize>(
        &mut self,
        key: &str,
        value: &T,
        what: &'static str,
    ) -> Result<(), StoreError> {
        self.write(|tx| put_setting(tx, key, value, what))
    }
}

/// Stores the clinic's name in the transaction given, or clears it with `None`.
pub(super) fn put_clinic_name(
    tx: &rusqlite::Transaction<'_>,
    name: Option<&ClinicName>,
) -> Result<(), StoreError> {
    if let Some(name) = name {
        return put_setting(tx, CLINIC_NAME_KEY, name, "the clinic's name");
    }
    tx.prepare_cached("DELETE FROM settings WHERE key = ?1")?
        .execute([CLINIC_NAME_KEY])?;
    Ok(())
}

/// Stores one setting as JSON in the transaction given (`what` names it if it cannot be written).
pub(super) fn put_setting<T: Serialize>(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    value: &T,
    what: &'static str,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(value).map_err(|_| StoreError::Damaged(what))?;
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, &json])?;
    Ok(())
}
