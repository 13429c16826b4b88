//! Reading and sealing what a push sends, a batch ahead of the network: on a thread of its own,
//! with a reader of its own, so that the journal's part of a first sync (reading thousands of
//! sessions, sealing their rows) runs beside the server's part instead of taking turns with it.
//! What is due is worked out once, when the sync begins; a session that ends meanwhile goes next
//! time.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, sync_channel};

/// Sessions sent per server transaction: large enough that a first sync of thousands of sessions
/// is a few hundred round trips, small enough that a killed sync loses little work.
pub const SESSIONS_PER_BATCH: usize = 250;

use super::PracticeError;
use super::push_rows::SessionRows;
use crate::export::{ExportOptions, SessionRecord};
use crate::store::{PushDue, RowKey, Store};

/// One session due, read and sealed.
pub(super) struct Prepared {
    pub due: PushDue,
    pub uuid: uuid::Uuid,
    /// `None`: nothing to send (the session has not ended).
    pub rows: Option<SessionRows>,
}

type Batch = Result<Vec<Prepared>, PracticeError>;

/// The batches of a push, in order.
pub(super) enum Preparer {
    /// Prepared on a thread, one batch ahead; `None` is its end.
    Ahead(Receiver<Option<Batch>>),
    /// Prepared here, batch by batch (no thread could be started).
    Here {
        due: VecDeque<PushDue>,
        login: String,
        key: Box<RowKey>,
    },
}

impl Preparer {
    /// Starts preparing `due` for `login`, sealed by this journal's own key.
    pub(super) fn start(
        reader: &Store,
        due: Vec<PushDue>,
        login: &str,
    ) -> Result<Self, PracticeError> {
        // Every row goes sealed by this journal's own key (joining a practice makes one).
        let row_key = || {
            reader
                .record()
                .practice_row_key()?
                .ok_or(PracticeError::NoSigningKey)
        };
        let key = row_key()?;
        // A thread and a reader of its own pay only when there is a batch to prepare ahead.
        if due.len() <= SESSIONS_PER_BATCH {
            return Ok(Self::Here {
                due: due.into(),
                login: login.to_owned(),
                key: Box::new(key),
            });
        }
        let source = reader.reader_source();
        let (send, batches) = sync_channel::<Option<Batch>>(1);
        let thread_login = login.to_owned();
        let thread_due = due.clone();
        let started = std::thread::Builder::new()
            .name("practice-push".to_owned())
            .spawn(move || {
                let store = match source.open() {
                    Ok(store) => store,
                    Err(error) => {
                        let _ = send.send(Some(Err(error.into())));
                        return;
                    }
                };
                for chunk in thread_due.chunks(SESSIONS_PER_BATCH) {
                    let batch = prepare(&store, chunk, &thread_login, &key);
                    let failed = batch.is_err();
                    // A sync that stopped has dropped the other end: nothing more is wanted.
                    if send.send(Some(batch)).is_err() || failed {
                        return;
                    }
                }
                let _ = send.send(None);
            });
        Ok(match started {
            Ok(_) => Self::Ahead(batches),
            Err(_) => Self::Here {
                due: due.into(),
                login: login.to_owned(),
                key: Box::new(row_key()?),
            },
        })
    }

    /// The next batch; `None` once every one has been given.
    pub(super) fn next(&mut self, reader: &Store) -> Option<Batch> {
        match self {
            // A thread gone without its end said prepared nothing more.
            Self::Ahead(batches) => batches.recv().unwrap_or(Some(Err(PracticeError::Stopped))),
            Self::Here { due, login, key } => {
                let take = due.len().min(SESSIONS_PER_BATCH);
                if take == 0 {
                    return None;
                }
                let chunk: Vec<PushDue> = due.drain(..take).collect();
                Some(prepare(reader, &chunk, login, key))
            }
        }
    }
}

fn prepare(store: &Store, due: &[PushDue], login: &str, key: &RowKey) -> Batch {
    due.iter()
        .map(|item| {
            let record = SessionRecord::load(store, item.id, ExportOptions::default())?;
            Ok(Prepared {
                uuid: record.session.uuid,
                rows: SessionRows::of(item, &record, login, key)?,
                due: item.clone(),
            })
        })
        .collect()
}
