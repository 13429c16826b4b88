//! The live session shown to its client's care team while it runs: after each entry the journal
//! confirms, a [`Job`] pushes what is new to the practice server (announcing the session the first
//! time) and brings back who joined and the merged timeline after what the journal holds; while the
//! session is shown, the next job waits for the server's signal that a colleague wrote (a second at
//! most, or until this clinician's next entry) and reads again. Once the session has ended it
//! pushes the last entries and says the end. Logging never waits on it: it reads the journal
//! through a reader of its own, and a server that cannot be reached is said in the header while the
//! session goes on alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::background::{Job, Progress};
use crate::domain::LiveEntry;
use crate::practice::{Exchanged, LiveConnection, PracticeError, Shared};
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

type Pushed = (Option<LiveConnection>, Result<Exchanged, PracticeError>);

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
    /// Set when an entry is confirmed while a job waits for the server's signal: it stops waiting.
    poke: Arc<AtomicBool>,
}

/// What a finished exchange brought the view.
#[derive(Debug, Default)]
pub struct Arrived {
    /// Entries of the merged timeline after what the journal held, in the server's order.
    pub merged: Vec<LiveEntry>,
    /// The session's author said its end (a joined clinician's part takes no more there).
    pub ended_by_author: bool,
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
            poke: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn status(&self) -> &ShareStatus {
        &self.status
    }

    /// Takes a finished exchange and starts the next: at once when the session has moved on since
    /// (`confirmed` entries are in the journal, and `ended` says whether it has ended), else, while
    /// it is shown to the care team, one that waits for a colleague's entry. What arrived is for the
    /// view to take.
    pub fn poll(&mut self, ctx: &egui::Context, confirmed: usize, ended: bool) -> Option<Arrived> {
        self.ctx = Some(ctx.clone());
        let moved_on = self.pushed != Some((confirmed, ended));
        if self.pushing.is_some() && moved_on {
            self.poke.store(true, Ordering::Relaxed);
        }
        let mut arrived = None;
        if let Some(job) = &self.pushing {
            let (connection, result) =
                job.take(|| (None, Err(StoreError::BackgroundStopped.into())))?;
            self.pushing = None;
            self.connection = connection;
            self.status = match result {
                Ok(exchanged) => {
                    self.retry_at = None;
                    arrived = Some(Arrived {
                        merged: exchanged.merged,
                        ended_by_author: exchanged.ended,
                    });
                    ShareStatus::Shared(exchanged.shared)
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
        let shown = matches!(self.status, ShareStatus::Shared(Shared::Shown { .. }));
        if moved_on || due_again {
            self.retry_at = None;
            self.pushed = Some((confirmed, ended));
            self.start(ctx, false);
        } else if shown && self.retry_at.is_none() {
            self.start(ctx, true);
        }
        arrived
    }

    /// Starts an exchange; `wait` first waits for a colleague's entry (a second at most).
    fn start(&mut self, ctx: &egui::Context, wait: bool) {
        let (uuid, source, connection) = (self.uuid, self.source.clone(), self.connection.take());
        self.poke.store(false, Ordering::Relaxed);
        let poke = self.poke.clone();
        self.pushing = Some(Job::start(ctx, "live share", move |progress| {
            exchange(
                &source,
                uuid,
                connection,
                wait.then_some((&*poke, progress)),
            )
        }));
    }
}

impl Drop for LiveShare {
    /// A view left right after the end: the last push still goes (its thread outlives the view).
    fn drop(&mut self) {
        // A job waiting for a colleague's entry stops waiting.
        if let Some(job) = &self.pushing {
            job.cancel();
        }
        let ended = self.pushed.is_some_and(|(_, ended)| ended);
        let said = self.status == ShareStatus::Shared(Shared::Ended);
        if ended
            && !said
            && self.pushing.is_none()
            && let Some(ctx) = self.ctx.clone()
        {
            self.start(&ctx, false);
        }
    }
}

/// How long a job waits for a colleague's entry before it reads anyway.
const WAIT_AT_MOST: std::time::Duration = std::time::Duration::from_secs(1);

/// One exchange, on the job's thread: connects when there is no connection, waits for a signal
/// when asked (until a colleague writes, this clinician's next entry, the view leaves, or a second
/// passes), then pushes and reads.
fn exchange(
    source: &ReaderSource,
    uuid: uuid::Uuid,
    connection: Option<LiveConnection>,
    wait: Option<(&AtomicBool, &Progress)>,
) -> Pushed {
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
    if let Some((poke, progress)) = wait {
        let stop = || poke.load(Ordering::Relaxed) || progress.cancelled();
        if let Err(error) = connection.wait_for_entry(WAIT_AT_MOST, &stop) {
            return (None, Err(error));
        }
    }
    match connection.exchange(&reader, uuid) {
        Ok(exchanged) => (Some(connection), Ok(exchanged)),
        // A failed push drops its connection: the next one connects afresh.
        Err(error) => (None, Err(error)),
    }
}
