//! A practice sync run from the window. Each step's network part runs as a [`Job`] on a thread of
//! its own with a reader of the journal; what the step brings is handed to the journal worker as
//! one short write, and the next step starts once it is answered. So logging never waits on the
//! server: a note typed meanwhile queues behind at most one local transaction.

use chrono::{DateTime, Utc};

use super::background::Job;
use crate::changes::{SavePracticeMembership, WritePracticeStep};
use crate::practice::{PracticeError, SyncConnection, SyncReport, SyncStep};
use crate::store::{Store, StoreError};
use crate::worker::{Journal, Pending};

/// What one step's thread gives back: the connection and the reader (to go on with), and the
/// step; or why the sync cannot go on.
type Fetched = Result<(SyncConnection, Store, Option<SyncStep>), PracticeError>;

/// The window's sync: idle, or one step on its way.
#[derive(Default)]
pub struct PracticeSync {
    state: State,
    /// How the last sync ended: its report, or the sentence saying why it stopped.
    last: Option<Result<SyncReport, String>>,
    /// Sessions sent and received so far in the running sync, for its progress line.
    so_far: SyncReport,
    /// How many syncs have ended, so views reload what a sync may have changed.
    ended: u64,
}

#[derive(Default)]
enum State {
    #[default]
    Idle,
    /// A step's network part on its thread.
    Fetching(Job<Fetched>),
    /// A step being written by the journal worker.
    Writing(Box<Writing>),
    /// The sync is done; the time of it is being saved with the membership.
    Finishing(Pending<()>, Box<SyncReport>),
}

/// A step on its way to the journal worker, with what the next step goes on with.
struct Writing {
    connection: SyncConnection,
    reader: Store,
    pending: Pending<crate::practice::StepWritten>,
}

impl PracticeSync {
    pub fn is_running(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// How many syncs have ended (changes when one ends, whichever way).
    pub fn ended(&self) -> u64 {
        self.ended
    }

    /// How the last sync ended, once one has.
    pub fn last(&self) -> Option<&Result<SyncReport, String>> {
        self.last.as_ref()
    }

    /// "Sent 250 sessions, received 0 so far", while a sync runs.
    pub fn progress(&self) -> Option<String> {
        self.is_running().then(|| {
            format!(
                "Syncing: sent {} sessions, received {} so far…",
                self.so_far.pushed.sessions, self.so_far.pulled.sessions
            )
        })
    }

    /// Starts a sync unless one is running.
    pub fn start(&mut self, ctx: &egui::Context, journal: &Journal, now: DateTime<Utc>) {
        if self.is_running() {
            return;
        }
        self.so_far = SyncReport::default();
        match journal.read().reader() {
            Ok(reader) => {
                self.state = State::Fetching(Job::start(ctx, "practice sync", move |_| {
                    let mut connection = SyncConnection::open(&reader)?;
                    let step = connection.next_step(&reader, now)?;
                    Ok((connection, reader, step))
                }));
            }
            Err(error) => self.end(Err(error.to_string())),
        }
        self.poll(ctx, journal, now);
    }

    /// Moves the sync on: a fetched step goes to the worker, a written one starts the next.
    /// Called every frame of the open journal.
    pub fn poll(&mut self, ctx: &egui::Context, journal: &Journal, now: DateTime<Utc>) {
        // Inline jobs and an inline worker (tests) finish at once: go on until something waits.
        loop {
            match std::mem::take(&mut self.state) {
                State::Idle => return,
                State::Fetching(job) => {
                    let Some(fetched) = job.take(|| Err(StoreError::BackgroundStopped.into()))
                    else {
                        self.state = State::Fetching(job);
                        return;
                    };
                    self.fetched(journal, fetched);
                }
                State::Finishing(pending, report) => {
                    let Some(ack) = pending.poll() else {
                        self.state = State::Finishing(pending, report);
                        return;
                    };
                    // The report stands even if the time of the sync could not be saved.
                    match ack.result {
                        Ok(()) => self.end(Ok(*report)),
                        Err(error) => self.end(Err(error.to_string())),
                    }
                }
                State::Writing(writing) => {
                    let Some(ack) = writing.pending.poll() else {
                        self.state = State::Writing(writing);
                        return;
                    };
                    let Writing {
                        mut connection,
                        reader,
                        ..
                    } = *writing;
                    match ack.result {
                        Ok(written) => {
                            connection.written(written);
                            self.so_far = connection.report().clone();
                            self.state =
                                State::Fetching(Job::start(ctx, "practice sync", move |_| {
                                    let step = connection.next_step(&reader, now)?;
                                    Ok((connection, reader, step))
                                }));
                        }
                        Err(error) => self.end(Err(error.to_string())),
                    }
                }
            }
        }
    }

    fn end(&mut self, outcome: Result<SyncReport, String>) {
        self.last = Some(outcome);
        self.ended += 1;
    }

    /// A step fetched: written by the worker, or the sync finished or stopped.
    fn fetched(&mut self, journal: &Journal, fetched: Fetched) {
        match fetched {
            Ok((connection, reader, Some(step))) => {
                self.so_far.pushed = connection.report().pushed;
                let pending = journal.send(WritePracticeStep(step));
                self.state = State::Writing(Box::new(Writing {
                    connection,
                    reader,
                    pending,
                }));
            }
            Ok((connection, _, None)) => {
                let (report, membership) = connection.finish(crate::domain::wall_now());
                let pending = journal.send(SavePracticeMembership(membership));
                self.state = State::Finishing(pending, Box::new(report));
            }
            Err(error) => self.end(Err(error.to_string())),
        }
    }
}
