//! How long the window has gone untouched, for the automatic lock.
//!
//! Two clocks are read because each misses a case: a suspended laptop's monotonic clock stands still
//! (so after two hours asleep it would say seconds), and a wall clock set back by a correction would say
//! nothing has passed. Idle time is the larger of the two.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Clock;

/// The moment of the last keystroke, click or pointer movement.
#[derive(Debug, Clone, Copy)]
pub struct IdleTimer {
    last_monotonic: Duration,
    last_wall: DateTime<Utc>,
}

impl IdleTimer {
    pub fn new(clock: &dyn Clock) -> Self {
        Self {
            last_monotonic: clock.monotonic(),
            last_wall: clock.wall(),
        }
    }

    /// The clinician did something just now.
    pub fn touch(&mut self, clock: &dyn Clock) {
        *self = Self::new(clock);
    }

    /// Time since the last activity, by whichever clock says more.
    pub fn idle(&self, clock: &dyn Clock) -> Duration {
        let monotonic = clock.monotonic().saturating_sub(self.last_monotonic);
        let wall = (clock.wall() - self.last_wall)
            .to_std()
            .unwrap_or(Duration::ZERO);
        monotonic.max(wall)
    }

    /// How long until `limit` is reached; zero once it has been.
    pub fn remaining(&self, clock: &dyn Clock, limit: Duration) -> Duration {
        limit.saturating_sub(self.idle(clock))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::live::ManualClock;

    fn clock() -> ManualClock {
        ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap())
    }

    #[test]
    fn idle_time_grows_with_time_and_resets_on_activity() {
        let clock = clock();
        let mut timer = IdleTimer::new(&clock);
        clock.advance(Duration::from_mins(5));
        assert_eq!(timer.idle(&clock), Duration::from_mins(5));
        assert_eq!(
            timer.remaining(&clock, Duration::from_mins(10)),
            Duration::from_mins(5)
        );
        timer.touch(&clock);
        assert_eq!(timer.idle(&clock), Duration::ZERO);
    }

    #[test]
    fn a_sleep_that_stops_the_monotonic_clock_still_counts() {
        let clock = clock();
        let timer = IdleTimer::new(&clock);
        // Suspended for two hours: only the wall clock moved.
        clock.set_wall(clock.wall() + chrono::Duration::hours(2));
        assert_eq!(timer.idle(&clock), Duration::from_hours(2));
        assert_eq!(
            timer.remaining(&clock, Duration::from_mins(10)),
            Duration::ZERO
        );
    }

    #[test]
    fn a_wall_clock_set_back_does_not_hide_idle_time() {
        let clock = clock();
        let timer = IdleTimer::new(&clock);
        clock.advance(Duration::from_secs(700));
        clock.set_wall(clock.wall() - chrono::Duration::hours(1));
        assert_eq!(timer.idle(&clock), Duration::from_secs(700));
    }
}
