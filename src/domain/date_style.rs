//! How the clinic writes dates and times of day: ISO dates (2026-12-07) unless the clinic chooses US
//! ones (12/07/2026, as the REMS form asks), and a 24- or 12-hour clock as the computer says unless
//! the clinic chooses one. Only text for people follows it; JSON, CSV and FHIR keep ISO 8601.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike as _};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The order a date is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// 2026-12-07: unambiguous anywhere, and sorted as text.
    #[default]
    Iso,
    /// 12/07/2026: month, day, year, as US forms ask.
    Us,
}

/// Which clock times of day are read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockChoice {
    /// As this computer's desktop or language settings say.
    #[default]
    System,
    /// 14:05.
    #[serde(rename = "24")]
    TwentyFour,
    /// 2:05 PM.
    #[serde(rename = "12")]
    Twelve,
}

/// The clinic's choice of date order and clock, as kept in the journal's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateTimeSettings {
    pub dates: DateOrder,
    pub clock: ClockChoice,
}

/// Why a date order or clock was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateStyleError {
    #[error("Dates are written iso (2026-12-07) or us (12/07/2026).")]
    UnknownOrder,
    #[error("The clock is system (as this computer says), 24 or 12.")]
    UnknownClock,
}

impl DateOrder {
    /// `iso` or `us`, as the command line takes it.
    pub fn parse(text: &str) -> Result<Self, DateStyleError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "iso" => Ok(Self::Iso),
            "us" => Ok(Self::Us),
            _ => Err(DateStyleError::UnknownOrder),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Iso => "iso",
            Self::Us => "us",
        }
    }
}

impl ClockChoice {
    /// `system`, `24` or `12`, as the command line takes it.
    pub fn parse(text: &str) -> Result<Self, DateStyleError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "system" => Ok(Self::System),
            "24" | "24h" => Ok(Self::TwentyFour),
            "12" | "12h" => Ok(Self::Twelve),
            _ => Err(DateStyleError::UnknownClock),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::TwentyFour => "24",
            Self::Twelve => "12",
        }
    }
}

impl DateTimeSettings {
    /// The style these settings give, with `system_twelve_hour` (what the computer says) standing
    /// in for "as the system says".
    pub fn style(self, system_twelve_hour: bool) -> DateTimeStyle {
        DateTimeStyle {
            dates: self.dates,
            twelve_hour: match self.clock {
                ClockChoice::System => system_twelve_hour,
                ClockChoice::TwentyFour => false,
                ClockChoice::Twelve => true,
            },
        }
    }
}

/// Dates and times of day as this clinic writes them, the clock settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateTimeStyle {
    pub dates: DateOrder,
    pub twelve_hour: bool,
}

/// The clinic's calendar days: the day an instant fell on in its zone, written in its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClinicDays {
    pub zone: super::ClinicZone,
    pub style: DateTimeStyle,
}

impl ClinicDays {
    /// The day `at` fell on at the clinic: `2026-12-07` or `12/07/2026`.
    pub fn day_of(self, at: chrono::DateTime<chrono::Utc>) -> String {
        self.style.date(self.zone.date(at))
    }

    /// A calendar day (a renewal date, a due date) written in the clinic's style.
    pub fn date(self, date: NaiveDate) -> String {
        self.style.date(date)
    }
}

/// A date typed that does not read in the clinic's order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Write a date as {0}.")]
pub struct UnreadableDate(&'static str);

impl DateTimeStyle {
    /// ISO dates on a 24-hour clock: what tests and machines read.
    pub const ISO: Self = Self {
        dates: DateOrder::Iso,
        twelve_hour: false,
    };

    /// `2026-12-07` or `12/07/2026`.
    pub fn date(self, date: NaiveDate) -> String {
        match self.dates {
            DateOrder::Iso => date.format("%Y-%m-%d").to_string(),
            DateOrder::Us => date.format("%m/%d/%Y").to_string(),
        }
    }

    /// A time of day to the minute: `14:05` or `2:05 PM`.
    pub fn time(self, time: NaiveTime) -> String {
        self.clock(time, false)
    }

    /// A time of day to the second: `14:05:09` or `2:05:09 PM`.
    pub fn time_with_seconds(self, time: NaiveTime) -> String {
        self.clock(time, true)
    }

    /// A date and a time of day to the minute: `2026-12-07 14:05` or `12/07/2026 2:05 PM`.
    pub fn date_time(self, at: NaiveDateTime) -> String {
        format!("{} {}", self.date(at.date()), self.time(at.time()))
    }

    fn clock(self, time: NaiveTime, seconds: bool) -> String {
        let (hour, minute, second) = (time.hour(), time.minute(), time.second());
        let seconds = if seconds {
            format!(":{second:02}")
        } else {
            String::new()
        };
        if self.twelve_hour {
            let (pm, hour) = time.hour12();
            let half = if pm { "PM" } else { "AM" };
            format!("{hour}:{minute:02}{seconds} {half}")
        } else {
            format!("{hour:02}:{minute:02}{seconds}")
        }
    }

    /// A sample date and time (2026-12-07 at 14:05) as this style writes it, to show a choice.
    pub fn sample(self) -> String {
        let sample = NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|day| day.and_hms_opt(14, 5, 0))
            .unwrap_or_default();
        self.date_time(sample)
    }

    /// How a date is to be typed, for a field's hint: `YYYY-MM-DD` or `MM/DD/YYYY`.
    pub fn date_hint(self) -> &'static str {
        match self.dates {
            DateOrder::Iso => "YYYY-MM-DD",
            DateOrder::Us => "MM/DD/YYYY",
        }
    }

    /// A date as typed: ISO always (it cannot be misread), and MM/DD/YYYY where the clinic writes
    /// US dates. A day-first date is never guessed at.
    pub fn parse_date(self, text: &str) -> Result<NaiveDate, UnreadableDate> {
        let text = text.trim();
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .or_else(|| {
                (self.dates == DateOrder::Us)
                    .then(|| NaiveDate::parse_from_str(text, "%m/%d/%Y").ok())
                    .flatten()
            })
            // A two-digit year reads as 0026 in chrono: refused rather than read so.
            .filter(|date| chrono::Datelike::year(date) >= 1900)
            .ok_or(UnreadableDate(match self.dates {
                DateOrder::Iso => "YYYY-MM-DD, e.g. 2026-12-07",
                DateOrder::Us => "MM/DD/YYYY, e.g. 12/07/2026",
            }))
    }
}

/// Whether a C library time format (`locale t_fmt`) reads on a 12-hour clock: `%r`, `%I` and `%l`
/// are its 12-hour conversions.
pub fn twelve_hour_in_strftime(format: &str) -> bool {
    ["%r", "%I", "%l", "%p"]
        .iter()
        .any(|conversion| format.contains(conversion))
}

/// Whether a Windows time format (`sTimeFormat`, e.g. `h:mm:ss tt`) reads on a 12-hour clock: its
/// hours are a lowercase `h`.
pub fn twelve_hour_in_windows_format(format: &str) -> bool {
    format.contains('h')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn dates_and_times_read_in_the_clinic_s_style() {
        let afternoon = day().and_hms_opt(14, 5, 9).unwrap();
        let us_twelve = DateTimeStyle {
            dates: DateOrder::Us,
            twelve_hour: true,
        };
        assert_eq!(DateTimeStyle::ISO.date_time(afternoon), "2026-12-07 14:05");
        assert_eq!(us_twelve.date_time(afternoon), "12/07/2026 2:05 PM");
        assert_eq!(us_twelve.sample(), "12/07/2026 2:05 PM");
        assert_eq!(us_twelve.time_with_seconds(afternoon.time()), "2:05:09 PM");
        assert_eq!(
            DateTimeStyle::ISO.time_with_seconds(afternoon.time()),
            "14:05:09"
        );
        let midnight = NaiveTime::from_hms_opt(0, 30, 0).unwrap();
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        assert_eq!(us_twelve.time(midnight), "12:30 AM");
        assert_eq!(us_twelve.time(noon), "12:00 PM");
        assert_eq!(DateTimeStyle::ISO.time(midnight), "00:30");
    }

    #[test]
    fn a_date_is_typed_in_iso_or_in_the_clinic_s_us_order_never_day_first() {
        let us = DateTimeStyle {
            dates: DateOrder::Us,
            twelve_hour: false,
        };
        assert_eq!(us.parse_date("12/07/2026"), Ok(day()));
        assert_eq!(us.parse_date(" 2026-12-07 "), Ok(day()));
        assert_eq!(DateTimeStyle::ISO.parse_date("2026-12-07"), Ok(day()));
        // Under ISO a slash date is not guessed at (07/12 is July in one country, December in
        // another).
        assert!(DateTimeStyle::ISO.parse_date("12/07/2026").is_err());
        // 31/12/2026 is day-first: refused, not read as a 31st month.
        assert!(us.parse_date("31/12/2026").is_err());
        assert!(us.parse_date("12/07/26").is_err());
        assert_eq!(
            us.parse_date("7 Dec").unwrap_err().to_string(),
            "Write a date as MM/DD/YYYY, e.g. 12/07/2026."
        );
    }

    #[test]
    fn a_day_is_the_clinic_s_day_not_greenwich_s() {
        let days = ClinicDays {
            zone: crate::domain::ClinicZone::parse("America/Los_Angeles").unwrap(),
            style: DateTimeStyle {
                dates: DateOrder::Us,
                twelve_hour: true,
            },
        };
        // 03:00 UTC on the 8th is still the evening of the 7th in Los Angeles.
        let evening = "2026-12-08T03:00:00Z".parse().unwrap();
        assert_eq!(days.day_of(evening), "12/07/2026");
    }

    #[test]
    fn the_clock_follows_the_system_unless_chosen() {
        let system = DateTimeSettings::default();
        assert!(system.style(true).twelve_hour);
        assert!(!system.style(false).twelve_hour);
        let chosen = DateTimeSettings {
            dates: DateOrder::Us,
            clock: ClockChoice::TwentyFour,
        };
        assert!(!chosen.style(true).twelve_hour);
        assert_eq!(chosen.style(true).dates, DateOrder::Us);
        assert_eq!(ClockChoice::parse("12h"), Ok(ClockChoice::Twelve));
        assert_eq!(DateOrder::parse("US"), Ok(DateOrder::Us));
        assert!(DateOrder::parse("eu").is_err());
        assert_eq!(
            serde_json::to_string(&chosen).unwrap(),
            r#"{"dates":"us","clock":"24"}"#
        );
    }

    #[test]
    fn the_system_s_clock_is_read_from_its_time_format() {
        // glibc: en_US is "%r", en_GB "%T", de_DE "%T", ko_KR "%p %I시 %M분 %S초".
        assert!(twelve_hour_in_strftime("%r"));
        assert!(twelve_hour_in_strftime("%p %I시 %M분 %S초"));
        assert!(!twelve_hour_in_strftime("%T"));
        assert!(!twelve_hour_in_strftime("%H:%M:%S"));
        assert!(twelve_hour_in_windows_format("h:mm:ss tt"));
        assert!(!twelve_hour_in_windows_format("HH:mm:ss"));
    }
}
