//! The clinic's settings, kept in the journal so the window and the command line use the same ones.

use rusqlite::OptionalExtension;

use super::{Store, StoreError};
use crate::domain::ClinicSettings;

const CLINIC_KEY: &str = "clinic";

impl Store {
    /// The clinic's settings; the defaults until someone changes them.
    pub fn clinic_settings(&self) -> Result<ClinicSettings, StoreError> {
        let stored: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([CLINIC_KEY], |row| row.get(0))
            .optional()?;
        match stored {
            None => Ok(ClinicSettings::default()),
            Some(json) => {
                let settings: ClinicSettings = serde_json::from_str(&json)
                    .map_err(|_| StoreError::Damaged("the clinic settings"))?;
                settings
                    .check()
                    .map_err(|_| StoreError::Damaged("the clinic settings"))?;
                Ok(settings)
            }
        }
    }

    /// Checks and stores the clinic's settings.
    pub fn save_clinic_settings(&mut self, settings: &ClinicSettings) -> Result<(), StoreError> {
        self.require_writer()?;
        settings.check()?;
        let json = serde_json::to_string(settings)
            .map_err(|_| StoreError::Damaged("the clinic settings"))?;
        self.conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([CLINIC_KEY, &json])?;
        Ok(())
    }
}
