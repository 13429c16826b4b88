//! The clinic's time zone: an IANA zone (`America/New_York`), kept with each session so that every
//! time of day it shows or prints uses the offset in force at that instant there, in summer and in
//! winter, on this computer or on one that travelled.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An IANA time zone the journal knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct ClinicZone(Tz);

/// Why a time zone name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "\"{0}\" is not a time zone the journal knows; give an IANA name such as America/New_York or Europe/Berlin."
)]
pub struct UnknownZone(String);

impl ClinicZone {
    /// UTC: where a record says nothing of its zone and nothing better is known.
    pub const UTC: Self = Self(Tz::UTC);

    /// The zone named `name` (an IANA name, e.g. `Australia/Sydney`).
    pub fn parse(name: &str) -> Result<Self, UnknownZone> {
        let name = name.trim();
        name.parse::<Tz>()
            .map(Self)
            .map_err(|_| UnknownZone(name.chars().take(60).collect()))
    }

    /// This computer's zone, as the system names it; UTC when it names none the journal knows.
    pub fn of_this_computer() -> Self {
        // TZ, as the C library reads it, first: a shell or a test may set it for one process.
        std::env::var("TZ")
            .ok()
            .and_then(|name| Self::parse(name.trim_start_matches(':')).ok())
            .or_else(|| {
                iana_time_zone::get_timezone()
                    .ok()
                    .and_then(|name| Self::parse(&name).ok())
            })
            .unwrap_or(Self::UTC)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// `time` as a clock on the clinic's wall shows it.
    pub fn local(self, time: DateTime<Utc>) -> DateTime<Tz> {
        time.with_timezone(&self.0)
    }

    /// The clinic's calendar day at `time`: the treatment date a form asks for.
    pub fn date(self, time: DateTime<Utc>) -> NaiveDate {
        self.local(time).date_naive()
    }

    /// The zone and the offset in force at `time`, e.g. `America/New_York, UTC-04:00`.
    pub fn describe_at(self, time: DateTime<Utc>) -> String {
        // UTC by any of its names (a server's zone is often "Etc/UTC") reads as plain UTC.
        if matches!(
            self.0,
            Tz::UTC
                | Tz::Etc__UTC
                | Tz::Etc__UCT
                | Tz::UCT
                | Tz::Universal
                | Tz::Etc__Universal
                | Tz::Zulu
                | Tz::Etc__Zulu
        ) {
            return "UTC".to_owned();
        }
        format!("{}, UTC{}", self.name(), self.local(time).format("%:z"))
    }
}

impl fmt::Display for ClinicZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TryFrom<String> for ClinicZone {
    type Error = UnknownZone;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        Self::parse(&name)
    }
}

impl From<ClinicZone> for String {
    fn from(zone: ClinicZone) -> Self {
        zone.name().to_owned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_time_of_day_uses_the_offset_in_force_at_that_instant() {
        let new_york = ClinicZone::parse("America/New_York").unwrap();
        let july = Utc.with_ymd_and_hms(2026, 7, 14, 14, 0, 0).unwrap();
        let december = Utc.with_ymd_and_hms(2026, 12, 14, 15, 0, 0).unwrap();
        assert_eq!(new_york.local(july).format("%H:%M").to_string(), "10:00");
        assert_eq!(
            new_york.local(december).format("%H:%M").to_string(),
            "10:00"
        );
        assert_eq!(new_york.describe_at(july), "America/New_York, UTC-04:00");
        assert_eq!(
            new_york.describe_at(december),
            "America/New_York, UTC-05:00"
        );
        assert_eq!(
            ClinicZone::parse("Etc/UTC").unwrap().describe_at(july),
            "UTC"
        );
    }

    #[test]
    fn the_treatment_date_is_the_clinics_calendar_day() {
        let los_angeles = ClinicZone::parse("America/Los_Angeles").unwrap();
        let sydney = ClinicZone::parse("Australia/Sydney").unwrap();
        // 17:30 in Los Angeles is already the next day in UTC; 09:00 in Sydney is the day before.
        let evening = Utc.with_ymd_and_hms(2026, 11, 25, 1, 30, 0).unwrap();
        let morning = Utc.with_ymd_and_hms(2026, 11, 24, 22, 0, 0).unwrap();
        assert_eq!(los_angeles.date(evening).to_string(), "2026-11-24");
        assert_eq!(sydney.date(morning).to_string(), "2026-11-25");
    }

    #[test]
    fn an_unknown_name_is_refused_in_a_sentence() {
        let error = ClinicZone::parse("Mars/Olympus_Mons").unwrap_err();
        assert!(error.to_string().contains("IANA name"), "{error}");
        assert_eq!(
            ClinicZone::parse(" Europe/Berlin ").unwrap().name(),
            "Europe/Berlin"
        );
    }
}
