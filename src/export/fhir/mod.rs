//! The FHIR R4 export: a session (or every session) as a `collection` Bundle.
//!
//! What goes in: the client as a Patient known only by their pseudonymous code, the session as an
//! Encounter, the medication with its lot, one `MedicationAdministration` per stretch at one rate (or
//! per bolus), vital signs and questionnaire totals as LOINC-coded Observations with their item
//! answers as `QuestionnaireResponses`, adverse events, the consent, decision points and "sit with
//! it" deferrals in the journal's own code system, and a Provenance for the signature. Every
//! reference points at an entry of the same bundle (`urn:uuid:` full URLs). The private
//! psychotherapy note is never written, whatever the export options say.
//!
//! Ids are derived from the session's uuid (and the client's code), so exporting a session twice
//! gives the same bundle byte for byte. See `docs/fhir.md` for the mapping.

mod codes;
mod deferrals;
mod observations;
mod questionnaire;
mod risk_and_follow_up;
mod scope;
mod session;

use std::collections::HashSet;
use std::io::Write;
use std::ops::ControlFlow;

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::{ExportError, ExportOptions, SessionRecord};
use crate::domain::SessionId;
use crate::store::Store;

pub use codes::{JOURNAL_CODES, JOURNAL_SYSTEM, KNOWN_SYSTEMS};

/// One entry of a bundle: its full URL and its resource.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub full_url: String,
    pub resource: Value,
}

impl Entry {
    /// The reference other resources use to point at this one.
    pub fn reference(&self) -> Value {
        json!({"reference": self.full_url})
    }
}

/// A stable `urn:uuid:` for the resource `name` of `scope` (a session's uuid, a client's code).
pub(crate) fn stable_urn(scope: &[u8], name: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"kap-journal fhir\0");
    hasher.update(scope);
    hasher.update(b"\0");
    hasher.update(name.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "urn:uuid:{}",
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    )
}

/// Writes one session as a bundle of its own.
pub fn write_record_bundle(record: &SessionRecord, out: impl Write) -> Result<(), ExportError> {
    let mut bundle = BundleWriter::start(out, Some(record.session.uuid), record.synthetic)?;
    bundle.add_session(record)?;
    bundle.finish()
}

/// Writes the sessions `ids` as one bundle, from one consistent moment of the journal. Each client
/// appears once, however many sessions they had. `progress` is as for the JSON archive.
pub fn write_bundle(
    store: &Store,
    ids: &[SessionId],
    mut out: impl Write,
    mut progress: impl FnMut(usize, usize) -> ControlFlow<()>,
) -> Result<(), ExportError> {
    store.read_consistent(|store| {
        let mut bundle = BundleWriter::start(&mut out, None, store.record().is_synthetic()?)?;
        for (index, id) in ids.iter().enumerate() {
            // The private note is never read for FHIR.
            bundle.add_session(&SessionRecord::load(store, *id, ExportOptions::default())?)?;
            if progress(index + 1, ids.len()).is_break() {
                return Err(ExportError::Cancelled);
            }
        }
        bundle.finish()
    })
}

/// Streams a bundle out one entry per line, so 20,000 sessions never sit in memory at once.
struct BundleWriter<W: Write> {
    out: W,
    entries: usize,
    patients: HashSet<String>,
}

impl<W: Write> BundleWriter<W> {
    /// Opens the bundle; one from a synthetic journal is tagged as test health data (HL7 v3
    /// `ActReason` `HTEST`), so a receiving system never takes it for a patient's record.
    fn start(
        mut out: W,
        session: Option<uuid::Uuid>,
        synthetic: bool,
    ) -> Result<Self, ExportError> {
        let meta = if synthetic {
            format!(
                ",\"meta\":{{\"tag\":[{{\"system\":\"{}\",\"code\":\"HTEST\",\"display\":\"test health data\"}}]}}",
                codes::ACT_REASON
            )
        } else {
            String::new()
        };
        let identifier = session.map_or(String::new(), |uuid| {
            format!(
                ",\"identifier\":{{\"system\":\"{}\",\"value\":\"urn:uuid:{uuid}\"}}",
                codes::URI_IDENTIFIER
            )
        });
        write!(
            out,
            "{{\"resourceType\":\"Bundle\"{meta}{identifier},\"type\":\"collection\",\"entry\":["
        )?;
        let mut writer = Self {
            out,
            entries: 0,
            patients: HashSet::new(),
        };
        writer.write_entry(&Entry {
            full_url: stable_urn(b"", "code-system"),
            resource: codes::journal_code_system(),
        })?;
        Ok(writer)
    }

    fn add_session(&mut self, record: &SessionRecord) -> Result<(), ExportError> {
        let resources = session::SessionResources::of(record);
        if self.patients.insert(record.client.code.clone()) {
            self.write_entry(&resources.patient)?;
        }
        for entry in &resources.entries {
            self.write_entry(entry)?;
        }
        Ok(())
    }

    fn write_entry(&mut self, entry: &Entry) -> Result<(), ExportError> {
        self.out
            .write_all(if self.entries == 0 { b"\n" } else { b",\n" })?;
        // Written field by field: a `json!` wrapper would copy the whole resource through the
        // serializer first (a quarter of an export's time on the 20k demo). The keys stay in
        // `json!`'s sorted order.
        self.out.write_all(b"{\"fullUrl\":")?;
        serde_json::to_writer(&mut self.out, &entry.full_url).map_err(|_| ExportError::Write)?;
        self.out.write_all(b",\"resource\":")?;
        serde_json::to_writer(&mut self.out, &entry.resource).map_err(|_| ExportError::Write)?;
        self.out.write_all(b"}")?;
        self.entries += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(())
    }
}
