//! How much of an archive one session may take. An import holds one session in memory at a time,
//! so a session bounded in entries and in bytes keeps an import's memory flat however large the
//! archive is; without a bound, one session of a million entries (or of a thousand 4 MiB notes)
//! would be read whole before anything could refuse it.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// The most of an archive one session may take: a real session is tens of KiB, a long one with
/// [`crate::domain::MAX_SESSION_ENTRIES`] entries a few MiB.
pub const MAX_SESSION_BYTES: u64 = 32 << 20;

/// What the reader has counted since the session being read began.
#[derive(Debug, Clone, Default)]
pub(super) struct SessionBudget(Rc<Budget>);

#[derive(Debug, Default)]
struct Budget {
    since_mark: Cell<u64>,
    exceeded: Cell<bool>,
}

impl SessionBudget {
    /// A session begins here.
    pub fn mark(&self) {
        self.0.since_mark.set(0);
    }

    /// Whether the reading stopped because a session took more than [`MAX_SESSION_BYTES`].
    pub fn exceeded(&self) -> bool {
        self.0.exceeded.get()
    }

    /// `reader`, stopped with an error once a session has taken more than its share.
    pub fn reader<R: Read>(&self, reader: R) -> BudgetedReader<R> {
        BudgetedReader {
            inner: reader,
            budget: self.clone(),
        }
    }
}

/// A reader that counts what it gives against the session's budget.
pub(super) struct BudgetedReader<R> {
    inner: R,
    budget: SessionBudget,
}

impl<R: Read> Read for BudgetedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let budget = &self.budget.0;
        let total = budget.since_mark.get() + read as u64;
        budget.since_mark.set(total);
        if total > MAX_SESSION_BYTES {
            budget.exceeded.set(true);
            return Err(std::io::Error::other(
                "a session takes too much of the archive",
            ));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read_all(reader: &mut impl Read) -> std::io::Result<u64> {
        let mut chunk = vec![0; 1 << 20];
        let mut total = 0;
        loop {
            match reader.read(&mut chunk)? {
                0 => return Ok(total),
                n => total += n as u64,
            }
        }
    }

    #[test]
    fn a_session_past_its_share_stops_the_reading() {
        let budget = SessionBudget::default();
        let big = vec![b' '; usize::try_from(MAX_SESSION_BYTES).unwrap() + 1];
        assert!(read_all(&mut budget.reader(big.as_slice())).is_err());
        assert!(budget.exceeded());
    }

    #[test]
    fn each_session_gets_its_own_share() {
        let budget = SessionBudget::default();
        let share = vec![b' '; usize::try_from(MAX_SESSION_BYTES).unwrap()];
        let mut reader = budget.reader(share.as_slice().chain(share.as_slice()));
        let mut first = (&mut reader).take(MAX_SESSION_BYTES);
        assert_eq!(read_all(&mut first).unwrap(), MAX_SESSION_BYTES);
        budget.mark();
        assert_eq!(read_all(&mut reader).unwrap(), MAX_SESSION_BYTES);
        assert!(!budget.exceeded());
    }
}
