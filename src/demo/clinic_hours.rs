//! When a clinic sees clients: on weekdays, starting between 08:00 and 15:30, in the computer's time
//! zone (a demo made in Berlin starts its sessions at Berlin's office hours).

use chrono::{
    DateTime, Datelike as _, Duration, Local, NaiveDate, NaiveTime, TimeZone as _, Utc, Weekday,
};
use rand::Rng;
use rand::rngs::StdRng;

/// The first and last half-hour slot a session may start in.
const FIRST_SLOT: u32 = 16; // 08:00
const LAST_SLOT: u32 = 31; // 15:30

/// `day`, or the Friday before it when it falls on a weekend.
pub fn weekday_on_or_before(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Duration::days(1),
        Weekday::Sun => day - Duration::days(2),
        _ => day,
    }
}

/// A start time on `day` within clinic hours, as an instant.
pub fn session_start(rng: &mut StdRng, day: NaiveDate) -> DateTime<Utc> {
    let slot = rng.random_range(FIRST_SLOT..=LAST_SLOT);
    let time = NaiveTime::from_hms_opt(slot / 2, (slot % 2) * 30, 0).unwrap_or(NaiveTime::MIN);
    let local = day.and_time(time);
    // A clock change at that hour has no such local time, or two: the first is taken, and a gap is
    // crossed an hour later (clinic hours never meet either in practice).
    Local
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Local
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |start| start.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike as _;
    use rand::SeedableRng;

    #[test]
    fn sessions_start_on_weekdays_within_clinic_hours_locally() {
        let mut rng = StdRng::seed_from_u64(5);
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let friday = weekday_on_or_before(sunday);
        assert_eq!(friday, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        for _ in 0..200 {
            let start = session_start(&mut rng, friday).with_timezone(&Local);
            assert!((8..16).contains(&start.hour()), "{start}");
            assert_eq!(start.weekday(), Weekday::Fri);
        }
    }
}
