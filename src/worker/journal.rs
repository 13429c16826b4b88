//! The open journal as the window holds it: a read-only connection for everything it draws, and
//! the journal worker for every write. Reads see each write as soon as its answer has come.

use super::{Change, JournalWorker, Pending, Wake};
use crate::store::{FullCheckMark, StartUpCheck, Store, StoreError};

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

    /// Sends a change to the worker; its answer comes through the [`Pending`].
    pub fn send<C: Change>(&self, change: C) -> Pending<C::Answer> {
        self.worker.send(change)
    }

    /// Sends a change and waits for its answer.
    pub fn write<C: Change>(&self, change: C) -> Result<C::Answer, StoreError> {
        self.worker.write(change)
    }

    /// Starts the start-up check on the reader (see [`Store::start_up_check`]); damage it finds at
    /// once stops the writer too.
    pub fn start_up_check(&mut self) -> Result<Option<StartUpCheck>, StoreError> {
        let check = self.reader.start_up_check()?;
        if !self.reader.damage().is_empty() {
            drop(self.worker.send(MarkDamaged(self.reader.damage().to_vec())));
        }
        Ok(check)
    }

    /// A full check of every page on a reader of its own, to run beside the window (in idle time).
    pub fn full_check(&self) -> Result<StartUpCheck, StoreError> {
        self.reader.full_check()
    }

    /// Records a full check that found nothing (the answer is not waited for: a journal that cannot
    /// record it is checked fully again at its next start).
    pub fn record_full_check(&self, mark: FullCheckMark) {
        drop(self.worker.send(RecordFullCheck(mark)));
    }

    /// What the start-up check found: the reader and the writer both stop writing.
    pub fn mark_damaged(&mut self, problems: Vec<String>) {
        self.reader.mark_damaged(problems.clone());
        // The worker's answer only repeats what was sent; the reader already says it.
        drop(self.worker.send(MarkDamaged(problems)));
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

/// A full check that found nothing, recorded by the writer.
struct RecordFullCheck(FullCheckMark);

impl Change for RecordFullCheck {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.record_full_check(&self.0)
    }
}

/// What the start-up check found, told to the writer: from now on the journal is only read.
struct MarkDamaged(Vec<String>);

impl Change for MarkDamaged {
    type Answer = ();

    fn apply(self, store: &mut Store) -> Result<(), StoreError> {
        store.mark_damaged(self.0);
        Ok(())
    }

    fn commits(&self) -> bool {
        false
    }
}
