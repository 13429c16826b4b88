//! Pulling the sessions this clinician may read (the server's row-level security decides which)
//! as read-only copies marked with their author. A signed session is kept only when its signature
//! matches what arrived and was made with a key its author registered, so a row changed on the
//! server is found here and not copied.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use postgres::{Client, Row};

use super::fetch::fetch;
use super::push::Moved;
use super::refused::{Refused, RefusedWhy};
use super::server_columns::cell;
use super::{PracticeAddress, PracticeError};
use crate::domain::ClientId;
use crate::export::{ArchivedSession, check_session, write_archived_session};
use crate::store::{CopyAuthor, CopyHeld, ImportBatch, Store, StoreError};

/// Sessions fetched per round trip.
const SESSIONS_PER_FETCH: usize = 250;

/// What one step of a pull brought.
#[derive(Debug, Clone, Default)]
pub struct Pulled {
    pub moved: Moved,
    pub refused: Vec<Refused>,
    /// Sessions copied here for the first time.
    pub copied: Vec<uuid::Uuid>,
}

/// One colleague's session as the server lists it.
#[derive(Debug, Clone)]
struct Listed {
    uuid: uuid::Uuid,
    client_code: String,
    author: CopyAuthor,
    signed: bool,
    addenda: u32,
    check_ins: u32,
}

/// What a pull still has to fetch, worked out once per sync: the sessions new to this journal
/// and the copies whose author has added to them.
pub(super) struct PullPlan {
    source: Fetching,
    /// Practice clients this login may read that no client of the journal is linked to.
    unlinked: Vec<String>,
}

/// Where the pull's batches come from.
enum Fetching {
    /// Fetched and checked here, batch by batch, on the sync's own connection.
    Here(Fetcher),
    /// Fetched and checked a batch ahead on a second connection, on a thread of its own, while
    /// the journal writes the batch before (a psychiatrist's first pull of thousands of sessions).
    Ahead(std::sync::mpsc::Receiver<Result<Option<Vec<Incoming>>, PracticeError>>),
    /// Everything is fetched.
    Done,
}

/// What is left to fetch, and the keys to check it by.
struct Fetcher {
    /// The keys a colleague's rows may be sealed with.
    trust: super::trust::KeyTrust,
    pending: std::collections::VecDeque<(Listed, Option<CopyHeld>)>,
}

/// A colleague's session as it arrived (or why it cannot be copied), to be written by
/// [`write_incoming`] inside the journal.
#[derive(Debug)]
pub struct Incoming {
    listed: Listed,
    /// What the journal already holds of it, when it is a copy the author has added to.
    held: Option<CopyHeld>,
    session: Result<ArchivedSession, RefusedWhy>,
    /// The author's keys to pin when the copy is written (the first time this journal meets them).
    pin: Vec<String>,
}

impl PullPlan {
    /// Lists what this login may read and compares it with the copies `reader` holds.
    /// With more than a batch to fetch, a second connection (with `password`) fetches ahead.
    pub(super) fn new(
        client: &mut Client,
        address: &PracticeAddress,
        password: &str,
        reader: &Store,
        practice: uuid::Uuid,
    ) -> Result<Self, PracticeError> {
        let trust = super::trust::KeyTrust::new(
            super::key_registry::proven_keys(client, address, practice)?,
            reader.sharing().practice_pinned_keys()?,
        );
        let held = reader.sharing().practice_copies_held()?;
        // Only a linked client's sessions are copied: the practice's D-0001 is this journal's
        // D-0001 only once its clinician has said so.
        let linked: std::collections::HashSet<String> =
            reader.sharing().practice_links()?.into_values().collect();
        let (listed, not_linked): (Vec<Listed>, Vec<Listed>) = list(client, address)?
            .into_iter()
            .partition(|listed| linked.contains(&listed.client_code));
        let mut unlinked: Vec<String> = not_linked
            .into_iter()
            .map(|listed| listed.client_code)
            .collect();
        unlinked.sort_unstable();
        unlinked.dedup();
        let pending = listed
            .into_iter()
            .filter_map(|listed| match held.get(&listed.uuid) {
                None => Some((listed, None)),
                Some(copy) if has_more(&listed, copy) => Some((listed, Some(*copy))),
                Some(_) => None,
            })
            .collect();
        let fetcher = Fetcher { trust, pending };
        let source = if fetcher.pending.len() > SESSIONS_PER_FETCH {
            fetch_ahead(fetcher, address, password)
        } else {
            Fetching::Here(fetcher)
        };
        Ok(Self { source, unlinked })
    }

    /// Practice clients this login may read that no client of the journal is linked to.
    pub(super) fn unlinked_clients(&self) -> &[String] {
        &self.unlinked
    }

    /// Fetches the next few sessions; `None` once everything is fetched.
    pub(super) fn next(
        &mut self,
        client: &mut Client,
        address: &PracticeAddress,
    ) -> Result<Option<Vec<Incoming>>, PracticeError> {
        let next = match &mut self.source {
            Fetching::Here(fetcher) => fetcher.next(client, address),
            // Its end is said (`Ok(None)`): a thread gone without a word fetched nothing more.
            Fetching::Ahead(batches) => batches.recv().unwrap_or(Err(PracticeError::Stopped)),
            Fetching::Done => Ok(None),
        };
        if matches!(next, Ok(None)) {
            self.source = Fetching::Done;
        }
        next
    }
}

/// Starts fetching on a second connection; if none can be had (or no thread), the pull fetches
/// here.
fn fetch_ahead(fetcher: Fetcher, address: &PracticeAddress, password: &str) -> Fetching {
    let Ok(client) = address.connect(password) else {
        return Fetching::Here(fetcher);
    };
    let address = address.clone();
    // The fetcher goes to the thread once it runs, so a thread that cannot start leaves it here.
    let (give, take) = std::sync::mpsc::channel::<(Fetcher, Client)>();
    let (send, batches) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("practice-pull".to_owned())
        .spawn(move || {
            let Ok((mut fetcher, mut client)) = take.recv() else {
                return;
            };

            loop {
                let batch = fetcher.next(&mut client, &address);
                let last = !matches!(batch, Ok(Some(_)));
                // A sync that stopped has dropped the other end: nothing more is wanted.
                if send.send(batch).is_err() || last {
                    return;
                }
            }
        });
    if spawned.is_err() {
        return Fetching::Here(fetcher);
    }
    match give.send((fetcher, client)) {
        Ok(()) => Fetching::Ahead(batches),
        Err(std::sync::mpsc::SendError((fetcher, _))) => Fetching::Here(fetcher),
    }
}

impl Fetcher {
    fn next(
        &mut self,
        client: &mut Client,
        address: &PracticeAddress,
    ) -> Result<Option<Vec<Incoming>>, PracticeError> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let take = self.pending.len().min(SESSIONS_PER_FETCH);
        let chunk: Vec<(Listed, Option<CopyHeld>)> = self.pending.drain(..take).collect();
        let uuids: Vec<uuid::Uuid> = chunk.iter().map(|(listed, _)| listed.uuid).collect();
        let mut fetched = fetch(client, address, &uuids)?;
        Ok(Some(
            chunk
                .into_iter()
                .filter_map(|(listed, held)| {
                    let session = fetched.remove(&listed.uuid)?;
                    let session =
                        session
                            .map_err(|()| RefusedWhy::Unreadable)
                            .and_then(|fetched| {
                                self.trust.check(&fetched, &listed.author.login)?;
                                Ok(fetched.session)
                            });
                    let pin = self.trust.to_pin(&listed.author.login);
                    Some(Incoming {
                        listed,
                        held,
                        session,
                        pin,
                    })
                })
                .collect(),
        ))
    }
}

/// Writes sessions that arrived into the journal, in one transaction: each new one as a
/// read-only copy, each grown one with what its author added. A session whose signature does not
/// match is left out (and reported); the others are kept.
pub fn write_incoming(
    store: &mut Store,
    incoming: Vec<Incoming>,
    now: DateTime<Utc>,
) -> Result<Pulled, StoreError> {
    let mut pulled = Pulled::default();
    // Each practice client is filed under the client of this journal linked to it, whatever its
    // code here.
    let filed_under: HashMap<String, ClientId> = store
        .sharing()
        .practice_links()?
        .into_iter()
        .map(|(client, practice_code)| (practice_code, client))
        .collect();
    let mut batch = store.begin_import()?;
    for Incoming {
        listed,
        held,
        session,
        pin,
    } in incoming
    {
        let first_copy = held.is_none();
        // The code the signature was made under travels with it: the server names it where it is
        // not the practice's own.
        let session = session.map(|mut session| {
            if let Some(signature) = &mut session.signature
                && signature.client_code.is_none()
            {
                signature.client_code = Some(session.client.code.clone());
            }
            session
        });
        let written = match (session, held) {
            (Err(why), _) => Err(why),
            (Ok(session), None) => copy_new(&mut batch, &listed, session, &filed_under, now)?,
            (Ok(session), Some(copy)) => complete_copy(&mut batch, &copy, &session, now)?,
        };
        match written {
            Ok(moved) => {
                batch.pin_keys(&listed.author.login, &pin, now)?;
                pulled.moved.add(moved);
                if first_copy {
                    pulled.copied.push(listed.uuid);
                }
            }
            Err(why) => {
                batch.note_refused(listed.uuid, &listed.author.login, why.as_str(), now)?;
                pulled.refused.push(refusal(&listed, why));
            }
        }
    }
    batch.commit_step()?;
    Ok(pulled)
}

fn refusal(listed: &Listed, why: RefusedWhy) -> Refused {
    Refused {
        uuid: listed.uuid,
        author: listed.author.login.clone(),
        why,
    }
}

/// Whether the server holds more of a copy than the journal: a signature, addenda, check-ins.
fn has_more(listed: &Listed, copy: &CopyHeld) -> bool {
    (listed.signed && !copy.signed)
        || listed.addenda > copy.addenda
        || listed.check_ins > copy.check_ins
}

/// Every colleague's session this login may read, with how much of it there is.
fn list(client: &mut Client, address: &PracticeAddress) -> Result<Vec<Listed>, PracticeError> {
    let rows = client
        .query(
            // From the directory, which a care team reads without a fetch; the counts are of what
            // this login has fetched before (a session never fetched is new whatever they are).
            // Counted per colleague's session only (a journal with none counts nothing).
            "SELECT s.uuid, s.author::text, c.name,
                    EXISTS (SELECT 1 FROM kap.signatures g WHERE g.session_uuid = s.uuid),
                    (SELECT count(*) FROM kap.addenda a WHERE a.session_uuid = s.uuid),
                    (SELECT count(*) FROM kap.check_ins k WHERE k.session_uuid = s.uuid),
                    s.client_code
             FROM kap.session_directory s JOIN kap.clinicians c ON c.login = s.author
             WHERE s.author <> current_user
             ORDER BY s.started_at, s.uuid",
            &[],
        )
        .map_err(|error| address.error(&error))?;
    let listed = |row: &Row| -> Result<Listed, ()> {
        Ok(Listed {
            uuid: cell(row, 0)?,
            client_code: cell(row, 6)?,
            author: CopyAuthor {
                login: cell(row, 1)?,
                name: cell(row, 2)?,
            },
            signed: cell(row, 3)?,
            addenda: u32::try_from(cell::<i64>(row, 4)?).unwrap_or(u32::MAX),
            check_ins: u32::try_from(cell::<i64>(row, 5)?).unwrap_or(u32::MAX),
        })
    };
    rows.iter()
        .map(listed)
        .collect::<Result<_, ()>>()
        .map_err(|()| PracticeError::Unreadable("a list of sessions"))
}

/// What a store error while writing a copy says about the copy; `None`: a fault of the journal.
fn refused_by(error: &StoreError) -> Option<RefusedWhy> {
    match error {
        StoreError::SignatureMismatch => Some(RefusedWhy::Changed),
        StoreError::SignatureForged => Some(RefusedWhy::Forged),
        _ => None,
    }
}

/// A store error while writing a copy: a refusal of that copy, or a fault of the journal.
fn refused_or_fault(
    written: Result<Moved, StoreError>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    match written {
        Ok(moved) => Ok(Ok(moved)),
        Err(error) => match refused_by(&error) {
            Some(why) => Ok(Err(why)),
            None => Err(error),
        },
    }
}

/// Writes a colleague's session new to this journal as a read-only copy.
fn copy_new(
    batch: &mut ImportBatch<'_>,
    listed: &Listed,
    session: ArchivedSession,
    filed_under: &HashMap<String, ClientId>,
    now: DateTime<Utc>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    let Ok(client) = check_session(&session) else {
        return Ok(Err(RefusedWhy::Unreadable));
    };
    if batch.has_session(session.uuid)? {
        // The journal has it already as its own (imported from an archive): nothing to copy.
        return Ok(Ok(Moved::default()));
    }
    let moved = Moved {
        sessions: 1,
        entries: session.events.len() as u64,
        signatures: u64::from(session.signature.is_some()),
        addenda: session.addenda.len() as u64,
        check_ins: session.follow_ups.len() as u64,
    };
    refused_or_fault(batch.attempt(|batch| {
        let client_id = match filed_under.get(&client.code) {
            Some(linked) => *linked,
            None => batch.client(&client, now)?.id(),
        };
        let id = write_archived_session(batch, client_id, session, now)?;
        batch.mark_practice_copy(id, &listed.author, now)?;
        Ok(moved)
    }))
}

/// Adds to a copy what its author has added since: the signature with its progress note,
/// addenda, check-ins.
fn complete_copy(
    batch: &mut ImportBatch<'_>,
    copy: &CopyHeld,
    session: &ArchivedSession,
    now: DateTime<Utc>,
) -> Result<Result<Moved, RefusedWhy>, StoreError> {
    refused_or_fault(batch.attempt(|batch| {
        let mut moved = Moved::default();
        let new_addenda = &session.addenda[(copy.addenda as usize).min(session.addenda.len())..];
        match &session.signature {
            Some(signature) if !copy.signed => {
                batch.insert_notes(copy.id, session.progress_note.as_ref(), None, now)?;
                batch.insert_signature(copy.id, signature, new_addenda)?;
                moved.signatures = 1;
            }
            _ => batch.insert_addenda(copy.id, new_addenda)?,
        }
        moved.addenda = new_addenda.len() as u64;
        let recorded = batch.recorded_check_ins(copy.id)?;
        let check_ins: Vec<crate::domain::FollowUp> = session
            .follow_ups
            .iter()
            .filter(|follow_up| !recorded.iter().any(|kind| kind == follow_up.kind.as_str()))
            .map(crate::domain::FollowUp::from)
            .collect();
        moved.check_ins = check_ins.len() as u64;
        batch.insert_follow_ups(copy.id, &check_ins)?;
        Ok(moved)
    }))
}
