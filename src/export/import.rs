//! Reading an archive back into the journal: streamed one session at a time, checked, and written in
//! a single transaction, so a bad file changes nothing and a large one never sits in memory whole.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

pub use super::import_report::ImportReport;
use super::import_wording::{clause, from_json};
use super::session_budget::{MAX_SESSION_BYTES, SessionBudget};
use super::validate::{check_session, repair_links};
use super::{ArchivedSession, FORMAT_VERSION, ImportError};
use crate::domain::{ClientId, FollowUp, NewSession};
use crate::store::{ClientMatch, CompleteSession, ImportBatch, NewEvent, Store, StoreError};

/// The largest archive the journal reads: far above 20,000 sessions (about 200 MiB), far below what
/// would exhaust a laptop.
pub const MAX_IMPORT_BYTES: u64 = 1 << 30;

/// What to do with a session the journal already has (the same uuid).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnExisting {
    /// Import nothing and say which session it was.
    #[default]
    Refuse,
    /// Keep the journal's copy and import the others.
    Skip,
}

/// Refuses what is not a plain file of at most [`MAX_IMPORT_BYTES`] before the journal is opened:
/// opening a pipe waits for a writer forever, and a device never ends.
pub fn refuse_unreadable_source(path: &Path) -> Result<(), ImportError> {
    open_archive(path).map(|_| ())
}

/// The archive at `path`, opened through the one reader of named files.
fn open_archive(path: &Path) -> Result<std::fs::File, ImportError> {
    use crate::store::PlainFileError;
    match crate::store::open_plain_file(path, MAX_IMPORT_BYTES) {
        Ok((file, _)) => Ok(file),
        Err(PlainFileError::NotPlain { path }) => Err(ImportError::NotAPlainFile { path }),
        Err(PlainFileError::TooLarge { size, limit, .. }) => Err(ImportError::TooLarge {
            size_mib: size >> 20,
            limit_mib: limit >> 20,
        }),
        Err(PlainFileError::Unreadable { source, .. }) => Err(ImportError::Io(source)),
    }
}

/// Imports the archive file at `path` (see [`import_archive`]).
pub fn import_file(
    store: &mut Store,
    path: &Path,
    on_existing: OnExisting,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let file = open_archive(path)?;
    // The size can grow while reading; never read past the limit.
    import_archive(
        store,
        BufReader::new(file.take(MAX_IMPORT_BYTES + 1)),
        on_existing,
        now,
    )
}

/// Imports an archive from `reader`: all of it in one transaction, or nothing.
pub fn import_archive(
    store: &mut Store,
    reader: impl Read,
    on_existing: OnExisting,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let batch = store.begin_import()?;
    let budget = SessionBudget::default();
    let sink = RefCell::new(Sink {
        batch,
        on_existing,
        now,
        seen: HashSet::new(),
        added: HashSet::new(),
        report: ImportReport::default(),
        reading: None,
        failure: None,
    });
    let mut deserializer = serde_json::Deserializer::from_reader(budget.reader(reader));
    let parsed = ArchiveSeed {
        sink: &sink,
        budget: &budget,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    let sink = sink.into_inner();
    match (parsed, sink.failure) {
        (Ok(()), _) => {
            sink.batch.commit()?;
            Ok(sink.report)
        }
        (Err(_), None) if budget.exceeded() => Err(ImportError::InSession {
            number: sink.reading.unwrap_or(0),
            problem: format!(
                "it takes more than {} MiB of the archive, the most one session may take",
                MAX_SESSION_BYTES >> 20
            ),
        }),
        (Err(_), Some(Failure::Store(error))) => Err(ImportError::Store(error)),
        (Err(_), Some(Failure::Session { number, problem })) => Err(ImportError::InSession {
            number,
            problem: clause(problem),
        }),
        (Err(error), None) => Err(from_json(&error, sink.reading)),
    }
}

/// Where the sessions go as they are read.
struct Sink<'store> {
    batch: ImportBatch<'store>,
    on_existing: OnExisting,
    now: DateTime<Utc>,
    seen: HashSet<uuid::Uuid>,
    /// Clients this import added: their later sessions may carry another weight (each session
    /// keeps its own), which is no difference from what the journal had before.
    added: HashSet<ClientId>,
    report: ImportReport,
    /// The number of the session being read, for messages about a broken one.
    reading: Option<usize>,
    /// The first problem found, kept whole; serde only carries a string.
    failure: Option<Failure>,
}

enum Failure {
    /// What is wrong with session `number` of the file.
    Session {
        number: usize,
        problem: String,
    },
    Store(StoreError),
}

impl Sink<'_> {
    /// The archive is synthetic: the journal must be new (and is marked synthetic) or synthetic.
    fn claim_for_synthetic_data<E: de::Error>(&mut self) -> Result<(), E> {
        self.batch
            .claim_for_synthetic_data(self.now)
            .map_err(|error| {
                self.failure = Some(Failure::Store(error));
                E::custom("the journal cannot take synthetic data")
            })
    }

    /// Checks and writes one session; `number` counts from 1 in the file.
    fn take(&mut self, number: usize, mut session: ArchivedSession) -> Result<(), Failure> {
        let at = |problem: String| Failure::Session { number, problem };
        if !self.seen.insert(session.uuid) {
            return Err(at(format!(
                "its uuid {} appears earlier in the file",
                session.uuid
            )));
        }
        let client = check_session(&session).map_err(at)?;
        if self
            .batch
            .has_session(session.uuid)
            .map_err(Failure::Store)?
        {
            return match self.on_existing {
                OnExisting::Skip => {
                    self.report.skipped += 1;
                    Ok(())
                }
                OnExisting::Refuse => Err(at(format!(
                    "it ({}) is already in the journal; import again with --skip-existing to add only the sessions the journal does not have",
                    session.uuid
                ))),
            };
        }
        let client_id = match self
            .batch
            .client(&client, self.now)
            .map_err(Failure::Store)?
        {
            ClientMatch::Added(id) => {
                self.report.clients_added += 1;
                self.added.insert(id);
                id
            }
            ClientMatch::Same(id) => id,
            ClientMatch::Differs(existing) if self.added.contains(&existing.id) => existing.id,
            ClientMatch::Differs(existing) => {
                if !self.report.clients_kept.contains(&existing.code) {
                    self.report.clients_kept.push(existing.code.clone());
                }
                existing.id
            }
        };
        self.report.events += session.events.len();
        self.report.sessions += 1;
        self.report.links_repaired += repair_links(&mut session);
        write_archived_session(&mut self.batch, client_id, session, self.now)
            .map(|_| ())
            .map_err(|error| signature_failure(error, number))
    }
}

/// Writes one checked session of client `client_id` into `batch`: its timeline, notes and
/// check-ins, then its signature, refused (`SignatureMismatch`, `SignatureForged`) unless it
/// matches what was written. The practice pull writes colleagues' sessions through here too.
pub fn write_archived_session(
    batch: &mut ImportBatch<'_>,
    client_id: ClientId,
    mut session: ArchivedSession,
    now: DateTime<Utc>,
) -> Result<crate::domain::SessionId, StoreError> {
    let complete = CompleteSession {
        weight_kg: session.client.weight_kg,
        new: NewSession {
            client_id,
            model: session.model,
            route: session.route,
            planned_dose: session.planned_dose,
            intention: session.intention,
            comfort_plan: session.comfort_plan,
        },
        uuid: session.uuid,
        status: session.status,
        started_at: session.started_at,
        ended_at: session.ended_at,
        zone: session.zone,
        events: std::mem::take(&mut session.events)
            .into_iter()
            .map(|event| NewEvent {
                wall_time: event.wall_time,
                elapsed_ms: event.elapsed_ms,
                kind: event.entry,
            })
            .collect(),
    };
    let id = batch.insert_session(&complete)?;
    batch.insert_notes(
        id,
        session.progress_note.as_ref(),
        session.private_note.as_deref(),
        now,
    )?;
    let follow_ups: Vec<FollowUp> = session.follow_ups.iter().map(FollowUp::from).collect();
    batch.insert_follow_ups(id, &follow_ups)?;
    if let Some(signature) = &session.signature {
        batch.insert_signature(id, signature, &session.addenda)?;
    }
    if let Some(co) = &session.co_session {
        batch.insert_co_session(co.live_uuid, &co.entries, &co.signatures)?;
    }
    Ok(id)
}

/// A signature the import refuses, said of session `number`.
fn signature_failure(error: StoreError, number: usize) -> Failure {
    let problem = match error {
        StoreError::SignatureMismatch => {
            "it no longer matches its signature: it was changed after it was signed"
        }
        StoreError::SignatureForged => {
            "its signature does not verify: it was not made by the key it names, or its signer, time or weight was changed"
        }
        StoreError::CoSignatureBroken => {
            "a signature of it as logged together does not verify over its merged timeline: the timeline was changed after it was signed, or the signature was not made by the key it names"
        }
        other => return Failure::Store(other),
    };
    Failure::Session {
        number,
        problem: problem.to_owned(),
    }
}

/// The archive's top level: `format_version` first, then `sessions`.
struct ArchiveSeed<'a, 'store> {
    sink: &'a RefCell<Sink<'store>>,
    budget: &'a SessionBudget,
}

impl<'de> DeserializeSeed<'de> for ArchiveSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ArchiveSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a KAP Journal archive (an object starting with format_version)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match map.next_key::<String>()?.as_deref() {
            Some("format_version") => {}
            _ => {
                return Err(de::Error::custom(
                    "this is not a KAP Journal archive: it does not begin with format_version",
                ));
            }
        }
        let version: u64 = map.next_value()?;
        if version != u64::from(FORMAT_VERSION) {
            return Err(de::Error::custom(format!(
                "the archive has format_version {version}; this version of KAP Journal reads format_version {FORMAT_VERSION}"
            )));
        }
        let mut sessions_read = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "synthetic" if !sessions_read => {
                    if map.next_value::<bool>()? {
                        self.sink.borrow_mut().claim_for_synthetic_data()?;
                    }
                }
                "synthetic" => {
                    return Err(de::Error::custom(
                        "the archive says it is synthetic only after its sessions",
                    ));
                }
                "sessions" if !sessions_read => {
                    map.next_value_seed(SessionsSeed {
                        sink: self.sink,
                        budget: self.budget,
                    })?;
                    sessions_read = true;
                }
                "sessions" => return Err(de::Error::custom("the sessions list appears twice")),
                _ => {
                    return Err(de::Error::custom(format!(
                        "the archive has an unknown field `{}`",
                        key.chars().take(40).collect::<String>()
                    )));
                }
            }
        }
        if sessions_read {
            Ok(())
        } else {
            Err(de::Error::custom("the archive has no sessions list"))
        }
    }
}

/// The sessions list, handed to the sink one session at a time.
struct SessionsSeed<'a, 'store> {
    sink: &'a RefCell<Sink<'store>>,
    /// Counts what each session takes of the archive, from its start.
    budget: &'a SessionBudget,
}

impl<'de> DeserializeSeed<'de> for SessionsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SessionsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of sessions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut number = 0;
        loop {
            number += 1;
            self.sink.borrow_mut().reading = Some(number);
            self.budget.mark();
            let Some(session) = seq.next_element::<ArchivedSession>()? else {
                self.sink.borrow_mut().reading = None;
                return Ok(());
            };
            let mut sink = self.sink.borrow_mut();
            if let Err(failure) = sink.take(number, session) {
                sink.failure = Some(failure);
                return Err(de::Error::custom("stopped"));
            }
        }
    }
}
