use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Where the engine reads time. The wall clock stamps events for the record; the monotonic clock
/// measures elapsed time, so a wall clock that jumps (NTP, time zone, sleep) reorders nothing.
pub trait Clock: Send + Sync {
    /// Wall-clock time, which may jump in either direction.
    fn wall(&self) -> DateTime<Utc>;
    /// Time since an arbitrary origin; never goes backwards.
    fn monotonic(&self) -> Duration;
}

/// The computer's clocks.
#[derive(Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn wall(&self) -> DateTime<Utc> {
        crate::domain::wall_now()
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A clock that moves only when told: for tests, benchmarks and reproducible demo data.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<(DateTime<Utc>, Duration)>,
}

impl ManualClock {
    pub fn new(wall: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new((wall, Duration::ZERO)),
        }
    }

    /// Moves both clocks forward, as real time passing does.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        now.0 += chrono::Duration::from_std(by).unwrap_or_default();
        now.1 += by;
    }

    /// Moves only the wall clock, as a clock correction does.
    pub fn set_wall(&self, wall: DateTime<Utc>) {
        self.lock().0 = wall;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (DateTime<Utc>, Duration)> {
        // A poisoned lock only means another test thread panicked; the time it holds is still valid.
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn wall(&self) -> DateTime<Utc> {
        self.lock().0
    }

    fn monotonic(&self) -> Duration {
        self.lock().1
    }
}
