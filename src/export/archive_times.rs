//! The times of an archived session: whole milliseconds (what the journal keeps, so nothing is
//! rounded on the way in), in years a clinic could have written them, and a timeline no longer than a
//! day. An absurd time is refused rather than carried into lists, charts and PDFs that would stretch
//! to fit it.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike as _, Duration, Timelike as _, Utc};

use super::ArchivedSession;

/// The longest a session's timeline runs, from its start to its end or last entry: a day holds any
/// session with its monitoring.
pub const MAX_SESSION_HOURS: i64 = 24;
/// The years an archived time may fall in.
const YEARS: RangeInclusive<i32> = 2000..=2100;
/// How far an entry's clock time may stray before the session's start (a clock set back a little).
const CLOCK_SLACK_MINUTES: i64 = 5;

/// Checks every time of `session`; the error names the time that is wrong, never the text near it.
pub fn check_times(session: &ArchivedSession) -> Result<(), String> {
    let longest = Duration::hours(MAX_SESSION_HOURS);
    plausible(session.started_at, "its start time")?;
    if let Some(ended) = session.ended_at {
        plausible(ended, "its end time")?;
        if ended - session.started_at > longest {
            return Err(format!(
                "it ends more than {MAX_SESSION_HOURS} hours after it starts"
            ));
        }
    }
    let earliest = session.started_at - Duration::minutes(CLOCK_SLACK_MINUTES);
    let latest = session.started_at + longest + Duration::minutes(CLOCK_SLACK_MINUTES);
    for (index, event) in session.events.iter().enumerate() {
        let entry = format!("entry {}", index + 1);
        plausible(event.wall_time, &format!("the time of {entry}"))?;
        if !(0..=longest.num_milliseconds()).contains(&event.elapsed_ms) {
            return Err(format!(
                "{entry} is timed outside the session's first {MAX_SESSION_HOURS} hours"
            ));
        }
        if event.wall_time < earliest || event.wall_time > latest {
            return Err(format!(
                "{entry} has a clock time outside the session's first {MAX_SESSION_HOURS} hours"
            ));
        }
    }
    if let Some(signature) = &session.signature {
        plausible(signature.signed_at, "its signature's time")?;
    }
    for (index, addendum) in session.addenda.iter().enumerate() {
        plausible(
            addendum.written_at,
            &format!("the time of addendum {}", index + 1),
        )?;
    }
    Ok(())
}

/// A time in whole milliseconds within [`YEARS`].
fn plausible(time: DateTime<Utc>, what: &str) -> Result<(), String> {
    if !YEARS.contains(&time.year()) {
        return Err(format!(
            "{what} is outside the years {} to {}",
            YEARS.start(),
            YEARS.end()
        ));
    }
    if !time.nanosecond().is_multiple_of(1_000_000) {
        return Err(format!(
            "{what} is given to less than a millisecond, which the journal would round"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_milliseconds_in_plausible_years_pass() {
        let time = DateTime::parse_from_rfc3339("2026-11-24T09:00:00.123Z")
            .unwrap()
            .to_utc();
        assert_eq!(plausible(time, "x"), Ok(()));
    }

    #[test]
    fn a_fraction_of_a_millisecond_or_an_absurd_year_is_refused() {
        let fine = DateTime::parse_from_rfc3339("2026-11-24T09:00:00.1234Z")
            .unwrap()
            .to_utc();
        assert!(
            plausible(fine, "its start time")
                .unwrap_err()
                .contains("less than a millisecond")
        );
        let far = DateTime::parse_from_rfc3339("9999-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        assert!(
            plausible(far, "its start time")
                .unwrap_err()
                .contains("outside the years")
        );
    }
}
