//! The lossless JSON archive: what `export --format json` writes and `import` reads.
//!
//! Sessions are known by their uuid and clients by their code, never by this journal's row ids, so an
//! archive imported into another journal and exported again is the same file byte for byte. The top
//! level is written by hand so that each session is one line: a 20,000-session archive streams out
//! (and back in) one session at a time, and a diff of two archives shows whole sessions.

use std::io::Write;
use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ExportError, ExportOptions, SessionRecord};
use crate::domain::{
    Addendum, CheckIn, CheckInKind, ClinicZone, CoSignature, Dose, EventKind, FollowUp, FollowUpId,
    LiveEntry, MAX_SESSION_ENTRIES, ProgressNote, Route, SessionId, SessionStatus, Signature,
    TreatmentModel,
};
use crate::store::Store;

/// The version of the archive layout. An importer refuses any other.
pub const FORMAT_VERSION: u32 = 1;

/// One session in an archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchivedSession {
    pub uuid: uuid::Uuid,
    pub client: ArchivedClient,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned_dose: Dose,
    pub intention: String,
    pub comfort_plan: String,
    pub status: SessionStatus,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The clinic's IANA time zone when the session was held (absent from archives of sessions
    /// recorded before zones were kept): where its times of day are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ClinicZone>,
    /// At most [`MAX_SESSION_ENTRIES`]: a longer list is refused as it is read, before it fills memory.
    #[serde(deserialize_with = "at_most_a_session_of_entries")]
    pub events: Vec<ArchivedEvent>,
    /// The progress note (SOAP, DAP or BIRP), when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_note: Option<ProgressNote>,
    /// The private psychotherapy note: present only when the export was asked to include it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_note: Option<String>,
    /// The signature of a signed session, with the digest of what was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// Addenda written after signing, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addenda: Vec<Addendum>,
    /// The integration check-ins planned after the session, with what those done found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<ArchivedFollowUp>,
    /// A session logged with colleagues: the merged timeline and its signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_session: Option<ArchivedCoSession>,
}

/// The merged timeline of a live session logged by several clinicians, with its signatures: each
/// verifies over the entries beside it, in any journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchivedCoSession {
    /// The live session, as the practice server knows it.
    pub live_uuid: uuid::Uuid,
    /// Every entry, in the server's order, with its author.
    pub entries: Vec<LiveEntry>,
    pub signatures: Vec<CoSignature>,
}

/// One integration check-in of an archived session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchivedFollowUp {
    pub kind: CheckInKind,
    pub due: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<CheckIn>,
}

/// The client of an archived session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchivedClient {
    pub code: String,
    pub display_name: Option<String>,
    pub weight_kg: Option<f64>,
}

/// One timeline entry of an archived session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchivedEvent {
    pub seq: u32,
    pub wall_time: DateTime<Utc>,
    pub elapsed_ms: i64,
    pub entry: EventKind,
}

impl From<&ArchivedFollowUp> for FollowUp {
    /// A check-in as the import writes it; the journal gives it its id and session.
    fn from(archived: &ArchivedFollowUp) -> Self {
        Self {
            id: FollowUpId(0),
            session_id: SessionId(0),
            kind: archived.kind,
            due: archived.due,
            done: archived.done.clone(),
        }
    }
}

impl From<&SessionRecord> for ArchivedSession {
    fn from(record: &SessionRecord) -> Self {
        let session = &record.session;
        Self {
            uuid: session.uuid,
            client: ArchivedClient {
                code: record.client.code.clone(),
                display_name: record.client.display_name.clone(),
                // The weight the session was dosed by, which an import keeps with it.
                weight_kg: record.session.weight_kg.or(record.client.weight_kg),
            },
            model: session.model,
            route: session.route,
            planned_dose: session.planned_dose,
            intention: session.intention.clone(),
            comfort_plan: session.comfort_plan.clone(),
            status: session.status,
            started_at: session.started_at,
            ended_at: session.ended_at,
            zone: session.zone,
            events: record
                .events
                .iter()
                .map(|event| ArchivedEvent {
                    seq: event.seq.0,
                    wall_time: event.wall_time,
                    elapsed_ms: event.elapsed_ms,
                    entry: event.kind.clone(),
                })
                .collect(),
            progress_note: record.progress_note.clone(),
            private_note: record.private_note.as_ref().map(|note| note.text.clone()),
            signature: record.signature.clone(),
            addenda: record.addenda.clone(),
            follow_ups: record
                .follow_ups
                .iter()
                .map(|follow_up| ArchivedFollowUp {
                    kind: follow_up.kind,
                    due: follow_up.due,
                    done: follow_up.done.clone(),
                })
                .collect(),
            co_session: record.co_session.clone(),
        }
    }
}

/// Writes the sessions `ids` as one archive, reading them from one consistent moment of the journal.
///
/// `progress` hears `(written, total)` after each session and may stop the export; a stopped export
/// returns [`ExportError::Cancelled`] and the caller discards what was written.
pub fn write_archive(
    store: &Store,
    ids: &[SessionId],
    options: ExportOptions,
    mut out: impl Write,
    mut progress: impl FnMut(usize, usize) -> ControlFlow<()>,
) -> Result<(), ExportError> {
    store.read_consistent(|store| {
        write_header(&mut out, store.record().is_synthetic()?)?;
        for (index, id) in ids.iter().enumerate() {
            write_session_line(&mut out, index, &SessionRecord::load(store, *id, options)?)?;
            if progress(index + 1, ids.len()).is_break() {
                return Err(ExportError::Cancelled);
            }
        }
        write_footer(&mut out, ids.is_empty())
    })
}

/// Writes one session, already read, as an archive of its own.
pub fn write_record_archive(
    record: &SessionRecord,
    mut out: impl Write,
) -> Result<(), ExportError> {
    write_header(&mut out, record.synthetic)?;
    write_session_line(&mut out, 0, record)?;
    write_footer(&mut out, false)
}

/// The archive's opening; an archive of a synthetic journal says so before its sessions, so an
/// import knows before it writes anything.
fn write_header(out: &mut impl Write, synthetic: bool) -> Result<(), ExportError> {
    write!(out, "{{\n  \"format_version\": {FORMAT_VERSION},")?;
    if synthetic {
        write!(out, "\n  \"synthetic\": true,")?;
    }
    write!(out, "\n  \"sessions\": [")?;
    Ok(())
}

/// The `index`th session (from 0) on a line of its own.
fn write_session_line(
    out: &mut impl Write,
    index: usize,
    record: &SessionRecord,
) -> Result<(), ExportError> {
    out.write_all(if index == 0 { b"\n    " } else { b",\n    " })?;
    serde_json::to_writer(&mut *out, &ArchivedSession::from(record)).map_err(|_| ExportError::Write)
}

fn write_footer(out: &mut impl Write, empty: bool) -> Result<(), ExportError> {
    out.write_all(if empty { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    out.flush()?;
    Ok(())
}

/// Reads a session's entries, refusing the list as soon as it holds more than one session keeps.
fn at_most_a_session_of_entries<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ArchivedEvent>, D::Error> {
    struct Entries;

    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<ArchivedEvent>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of entries")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(entry) = seq.next_element()? {
                if entries.len() == MAX_SESSION_ENTRIES {
                    return Err(serde::de::Error::custom(format!(
                        "it holds more than {} entries, the most one session keeps",
                        crate::format::thousands(MAX_SESSION_ENTRIES)
                    )));
                }
                entries.push(entry);
            }
            Ok(entries)
        }
    }

    deserializer.deserialize_seq(Entries)
}
