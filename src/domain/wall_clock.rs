//! The computer's wall clock, read so that a clock set wrong never stops the journal.

use chrono::{DateTime, Utc};

/// The computer's wall clock as UTC, even when it is set before 1970: chrono's `Utc::now` panics
/// there, and a clock set wrong must never stop the journal (its order comes from sequence numbers,
/// not clocks).
pub fn wall_now() -> DateTime<Utc> {
    wall_at(std::time::SystemTime::now())
}

/// `time` as UTC, before 1970 included; beyond what chrono holds, the epoch.
fn wall_at(time: std::time::SystemTime) -> DateTime<Utc> {
    let since_epoch = match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => chrono::TimeDelta::from_std(after).ok(),
        Err(before) => chrono::TimeDelta::from_std(before.duration())
            .ok()
            .map(|delta| -delta),
    };
    since_epoch
        .and_then(|delta| DateTime::UNIX_EPOCH.checked_add_signed(delta))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod wall_tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_clock_set_before_1970_reads_as_that_time_without_a_panic() {
        let before = std::time::UNIX_EPOCH - Duration::from_hours(24 * 365);
        assert_eq!(wall_at(before).format("%Y-%m-%d").to_string(), "1969-01-01");
        let after = std::time::UNIX_EPOCH + Duration::from_millis(1_500);
        assert_eq!(wall_at(after).timestamp_millis(), 1_500);
        assert!(wall_now() > DateTime::UNIX_EPOCH);
    }
}
