//! The open journal as the window holds it: a read-only connection for everything it draws, and
//! the journal worker for every write. Reads see each write as soon as its answer has come.

use super::{JournalWorker, Pending, Wake, Write, Written};
use crate::store::{StartUpCheck, Store, StoreError};

pub struct Journal {
    reader: Store,
    worker: JournalWorker,
}

impl Journal {
    /// Gives the writer `store` to a worker thread and opens a reader beside it.
    pub fn open(store: Store, wake: Wake) -> Result<Self, StoreError> {
        Self::open_slowed(store, wake, std::time::Duration::ZERO)
    }

    /// [`open`](Self::open) with each write carried out at once, inside `send`: for tests that drive
    /// the window frame by frame.
    pub fn open_inline(store: Store, wake: Wake) -> Result<Self, StoreError> {
        let reader = reader_of(&store)?;
        Ok(Self {
            reader,
            worker: JournalWorker::inline(store, wake),
        })
    }

    /// [`open`](Self::open) with every commit held up by `delay` (a slow disk made on purpose).
    #[doc(hidden)]
    pub fn open_slowed(
        store: Store,
        wake: Wake,
        delay: std::time::Duration,
    ) -> Result<Self, StoreError> {
        let reader = reader_of(&store)?;
        Ok(Self {
            reader,
            worker: JournalWorker::start_slowed(store, wake, delay)?,
        })
    }

    /// The reader: what every view draws from.
    pub fn read(&self) -> &Store {
        &self.reader
    }

    /// Sends a write to the worker; its answer comes through the [`Pending`].
    pub fn send(&self, write: Write) -> Pending {
        self.worker.send(write)
    }

    /// Sends a write and waits for its answer.
    pub fn write(&self, write: Write) -> Result<Written, StoreError> {
        self.worker.write(write)
    }

    /// Starts the start-up check on the reader (see [`Store::start_up_check`]); damage it finds at
    /// once stops the writer too.
    pub fn start_up_check(&mut self) -> Result<Option<StartUpCheck>, StoreError> {
        let check = self.reader.start_up_check()?;
        if !self.reader.damage().is_empty() {
            drop(
                self.worker
                    .send(Write::MarkDamaged(self.reader.damage().to_vec())),
            );
        }
        Ok(check)
    }

    /// What the start-up check found: the reader and the writer both stop writing.
    pub fn mark_damaged(&mut self, problems: Vec<String>) {
        self.reader.mark_damaged(problems.clone());
        // The worker's answer only repeats what was sent; the reader already says it.
        drop(self.worker.send(Write::MarkDamaged(problems)));
    }

    /// Carries out every write already sent and gives the writer back (a restore replaces the journal).
    pub fn close(self) -> Result<Store, StoreError> {
        drop(self.reader);
        self.worker.stop()
    }
}

/// A reader beside `store`, damaged as it is.
fn reader_of(store: &Store) -> Result<Store, StoreError> {
    let mut reader = store.reader()?;
    reader.mark_damaged(store.damage().to_vec());
    Ok(reader)
}
