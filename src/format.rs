//! How times read on screen and in exports.

use std::cell::Cell;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, Utc};

use crate::domain::{ClinicZone, DateTimeStyle};

// How numbers, counts and durations read are the domain's own words (the domain writes sentences
// with them too); they are named here as well, where the window and the exports look for them.
pub use crate::domain::words::{
    capitalised, count, countdown, elapsed, milligram_number, milligrams, sentence, thousands,
    trimmed,
};

thread_local! {
    /// The clinic's zone, in which this thread shows times of day: the window's thread, once a
    /// journal is open (a laptop that travelled still shows the clinic's times); the computer's
    /// zone until then and on every other thread.
    static SHOWN_IN: Cell<Option<ClinicZone>> = const { Cell::new(None) };
    /// How this thread writes dates and times of day: the clinic's style on the window's thread
    /// and the command line's, once a journal is open; ISO on a 24-hour clock until then.
    static STYLE: Cell<DateTimeStyle> = const { Cell::new(DateTimeStyle::ISO) };
}

/// Shows times of day on this thread in `zone` (`None`: the computer's zone).
pub fn show_times_in(zone: Option<ClinicZone>) {
    SHOWN_IN.with(|shown| shown.set(zone));
}

/// Writes dates and times of day on this thread in `style`.
pub fn write_dates_as(style: DateTimeStyle) {
    STYLE.with(|current| current.set(style));
}

/// How this thread writes dates and times of day (see [`write_dates_as`]).
pub fn date_style() -> DateTimeStyle {
    STYLE.with(Cell::get)
}

/// The clinic's calendar days as this thread shows them (its zone and style).
pub fn clinic_days() -> crate::domain::ClinicDays {
    crate::domain::ClinicDays {
        zone: SHOWN_IN
            .with(Cell::get)
            .unwrap_or_else(ClinicZone::of_this_computer),
        style: date_style(),
    }
}

/// `time` as the wall clock in the zone this thread shows times in reads it.
fn shown(time: DateTime<Utc>) -> NaiveDateTime {
    match SHOWN_IN.with(Cell::get) {
        Some(zone) => zone.local(time).naive_local(),
        None => time.with_timezone(&Local).naive_local(),
    }
}

/// Wall-clock time of day to the second in the clinic's zone and style (see [`show_times_in`]).
pub fn clock_time(time: DateTime<Utc>) -> String {
    date_style().time_with_seconds(shown(time).time())
}

/// Wall-clock time of day to the minute in the clinic's zone and style: `14:05` or `2:05 PM`.
pub fn time_of_day(time: DateTime<Utc>) -> String {
    date_style().time(shown(time).time())
}

/// A calendar day in the clinic's style: `2026-12-07` or `12/07/2026`.
pub fn date(date: NaiveDate) -> String {
    date_style().date(date)
}

/// The clinic's calendar day at `time`, in its zone and style.
pub fn day_of(time: DateTime<Utc>) -> String {
    date(shown(time).date())
}

/// Date and time in the clinic's zone and style (see [`show_times_in`]), for lists.
pub fn date_time(time: DateTime<Utc>) -> String {
    date_style().date_time(shown(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_thread_writes_times_in_the_clinic_s_zone_and_style() {
        let at = "2026-07-01T18:05:09Z".parse::<DateTime<Utc>>().unwrap();
        show_times_in(Some(ClinicZone::parse("America/New_York").unwrap()));
        assert_eq!(date_time(at), "2026-07-01 14:05");
        write_dates_as(DateTimeStyle {
            dates: crate::domain::DateOrder::Us,
            twelve_hour: true,
        });
        assert_eq!(date_time(at), "07/01/2026 2:05 PM");
        assert_eq!(clock_time(at), "2:05:09 PM");
        assert_eq!(day_of(at), "07/01/2026");
        // Another thread keeps its own (ISO, until told).
        let elsewhere = std::thread::spawn(move || day_of(at)).join().unwrap();
        assert!(elsewhere.starts_with("2026-07-0"), "{elsewhere}");
        write_dates_as(DateTimeStyle::ISO);
        show_times_in(None);
    }
}
