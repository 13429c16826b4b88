//! The live session shown to its client's care team while it runs: after each entry the journal
//! confirms, a [`Job`] pushes what is new to the practice server (announcing the session the first
//! time) and brings back who joined; once the session has ended it pushes the last entries and says
//! the end. Logging never waits on it: it reads the journal through a reader of its own, and a
//! server that cannot be reached is said in the header while the session goes on alone.

use super::background::Job;
use crate::practice::{LiveConnection, PracticeError, Shared};
use crate::store::{ReaderSource, Store, StoreError};

/// Where the session stands with the practice, as the header says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareStatus {
    /// Not asked yet, or this journal is not in a practice.
    Quiet,
    Shared(Shared),
    /// The last push failed (the server could not be reached, or it refused): why, in a sentence;
    /// the session goes on here.
    Alone {
        unreachable: bool,
        why: String,
    },
}

type Pushed = (Option<LiveConnection>, Result<Shared, PracticeError>);

/// How long after a failed push the same entries are pushed again, if no new entry asks sooner.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// One live session's sharing with the practice.
pub struct LiveShare {
    uuid: uuid::Uuid,
    source: ReaderSource,
    /// The connection between pushes, made again after a failure.
    connection: Option<LiveConnection>,
    pushing: Option<Job<Pushed>>,
    /// Entries confirmed (and whether the session had ended) at the last push started.
    pushed: Option<(usize, bool)>,
    status: ShareStatus,
    /// After a failed push: when to push again if nothing new comes first.
    retry_at: Option<std::time::Instant>,
    ctx: Option<egui::Context>,
}

impl LiveShare {
    /// The sharing of session `uuid`, when the journal `store` reads is a clinician's in a practice.
    pub fn of(store: &Store, uuid: uuid::Uuid) -> Option<Self> {
        let membership = store.sharing().practice_membership().ok().flatten()?;
        membership.role.records_sessions().then(|| Self {
            uuid,
            source: store.reader_source(),
            connection: None,
            pushing: None,
            pushed: None,
            status: ShareStatus::Quiet,
            retry_at: None,
            ctx: None,
        })
    }

    pub fn status(&self) -> &ShareStatus {
        &self.status
    }

    /// Takes a finished push and starts the next when the session has moved on since: `confirmed`
    /// entries are in the journal, and `ended` says whether the session has ended.
    pub fn poll(&mut self, ctx: &egui::Context, confirmed: usize, ended: bool) {
        self.ctx = Some(ctx.clone());
        if let Some(job) = &self.pushing {
            let Some((connection, result)) =
                job.take(|| (None, Err(StoreError::BackgroundStopped.into())))
            else {
                return;
            };
            self.pushing = None;
            self.connection = connection;
            self.status = match result {
                Ok(shared) => {
                    self.retry_at = None;
                    ShareStatus::Shared(shared)
                }
                Err(error) => {
                    // Pushed again at the next entry, or after a while if none comes: never in a
                    // loop of frames while the server is away.
                    self.retry_at = Some(std::time::Instant::now() + RETRY_AFTER);
                    ctx.request_repaint_after(RETRY_AFTER);
                    ShareStatus::Alone {
                        unreachable: matches!(error, PracticeError::Unreachable { .. }),
                        why: error.to_string(),
                    }
                }
            };
        }
        let due_again = self
            .retry_at
            .is_some_and(|at| std::time::Instant::now() >= at);
        if self.pushed == Some((confirmed, ended)) && !due_again {
            return;
        }
        self.retry_at = None;
        self.pushed = Some((confirmed, ended));
        self.start(ctx);
    }

    fn start(&mut self, ctx: &egui::Context) {
        let (uuid, source, connection) = (self.uuid, self.source.clone(), self.connection.take());
        self.pushing = Some(Job::start(ctx, "live share", move |_| {
            push(&source, uuid, connection)
        }));
    }
}

impl Drop for LiveShare {
    /// A view left right after the end: the last push still goes (its thread outlives the view).
    fn drop(&mut self) {
        let ended = self.pushed.is_some_and(|(_, ended)| ended);
        let said = self.status == ShareStatus::Shared(Shared::Ended);
        if ended
            && !said
            && self.pushing.is_none()
            && let Some(ctx) = self.ctx.clone()
        {
            self.start(&ctx);
        }
    }
}

/// One push, on the job's thread: connects when there is no connection, then shares.
fn push(source: &ReaderSource, uuid: uuid::Uuid, connection: Option<LiveConnection>) -> Pushed {
    let reader = match source.open() {
        Ok(reader) => reader,
        Err(error) => return (connection, Err(error.into())),
    };
    let mut connection = match connection {
        Some(connection) => connection,
        None => match LiveConnection::open(&reader) {
            Ok(connection) => connection,
            Err(error) => return (None, Err(error)),
        },
    };
    match connection.share(&reader, uuid) {
        Ok(shared) => (Some(connection), Ok(shared)),
        // A failed push drops its connection: the next one connects afresh.
        Err(error) => (None, Err(error)),
    }
}
