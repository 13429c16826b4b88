//! The changes to the clinic's and this journal's settings.

use chrono::{DateTime, Utc};

use crate::domain::{
    ClientId, ClinicName, ClinicSettings, Clinician, ConsentText, DateTimeSettings, RemsContact,
    RemsPatient,
};
use crate::store::{Passphrase, Store, StoreError};
use crate::worker::Change;

/// The monitoring thresholds, the vitals schedule and the clinic's zone.
pub struct SaveClinicSettings(pub ClinicSettings);

impl Change for SaveClinicSettings {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.save_clinic_settings(&self.0)
    }
}

/// The clinician's name and credentials, as the summaries and signatures carry them.
pub struct SaveClinician(pub Clinician);

impl Change for SaveClinician {
    /// The clinician as kept (trimmed).
    type Answer = Clinician;

    fn apply(self, store: &mut Store) -> Result<Clinician, StoreError> {
        store.save_clinician(&self.0)
    }
}

/// The clinic's name (or none) and its contact details for the REMS form.
pub struct SaveClinic {
    pub name: Option<ClinicName>,
    pub contact: RemsContact,
}

impl Change for SaveClinic {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .registers_mut()
            .save_clinic(self.name.as_ref(), &self.contact)
            .map(drop)
    }
}

/// How the clinic writes dates and which clock it reads.
pub struct SaveDateTimeSettings(pub DateTimeSettings);

impl Change for SaveDateTimeSettings {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.save_date_time_settings(self.0)
    }
}

/// Adopts a new version of the clinic's consent text.
pub struct AdoptConsentText {
    pub text: String,
    pub renew_after_days: u32,
    pub at: DateTime<Utc>,
}

impl Change for AdoptConsentText {
    /// The version adopted.
    type Answer = ConsentText;

    fn apply(self, store: &mut Store) -> Result<ConsentText, StoreError> {
        store
            .registers_mut()
            .adopt_consent_text(&self.text, self.renew_after_days, self.at)
    }
}

/// Keeps a client's details for the REMS form (empty details remove them).
pub struct SaveRemsPatient {
    pub client: ClientId,
    pub details: RemsPatient,
}

impl Change for SaveRemsPatient {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store
            .registers_mut()
            .save_rems_patient(self.client, &self.details)
            .map(drop)
    }
}

/// A new passphrase for the journal (its key file rewrapped; Argon2 runs here, off the window).
pub struct ChangePassphrase {
    pub current: Passphrase,
    pub new: Passphrase,
}

impl Change for ChangePassphrase {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.change_passphrase(&self.current, &self.new)
    }
}
