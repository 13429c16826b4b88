//! What is recorded when a session ends: whether the client was fit to leave, how they get home, and
//! what comes next.

use serde::{Deserialize, Serialize};

/// The after-session record, kept with the session's closing entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Discharge {
    /// The clinic's discharge criteria were met (see [`DISCHARGE_CRITERIA`]).
    pub criteria_met: bool,
    /// Someone else takes the client home; nobody drives after ketamine the same day.
    pub ride_home: bool,
    /// Follow-up and integration plan, in the clinician's words.
    pub follow_up: String,
    /// Who monitored the client, as they sign: recorded with the session, so the REMS form names
    /// the clinician who was there, never whoever exports it later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitored_by: Option<String>,
    /// Intranasal esketamine: how many minutes after the administration the client would have
    /// been ready to leave had there been no two-hour rule (the clinician's judgement; the REMS
    /// form asks for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_after_minutes: Option<u32>,
    /// Intranasal esketamine: whether a serious adverse event occurred (the REMS form asks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serious_adverse_event: Option<bool>,
    /// After a positive ASQ screen in the session: whether the suicide safety assessment NIMH asks
    /// for was done before the client left (a brief one after a non-acute positive, a full
    /// evaluation after an acute one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suicide_safety_assessment: Option<bool>,
}

/// The longest "ready to leave after" the end form takes, in minutes (a day).
pub const MAX_READY_AFTER_MINUTES: u32 = 24 * 60;

/// What "discharge criteria met" stands for, shown beside the tick box.
pub const DISCHARGE_CRITERIA: &str = "Alert and oriented, vital signs near baseline, walks steadily, nausea settled, no new distress";

/// The shortest monitoring after intranasal esketamine before discharge (Spravato REMS: two hours).
pub const ESKETAMINE_MONITORING_MS: i64 = 2 * 60 * 60 * 1000;

impl Discharge {
    /// The two confirmations, e.g. "discharge criteria met · ride home NOT confirmed".
    pub fn checks(&self) -> String {
        let criteria = if self.criteria_met {
            "discharge criteria met"
        } else {
            "discharge criteria NOT confirmed"
        };
        let ride = if self.ride_home {
            "ride home arranged"
        } else {
            "ride home NOT confirmed"
        };
        match self.suicide_safety_assessment {
            None => format!("{criteria} · {ride}"),
            Some(done) => {
                let assessment = if done {
                    "suicide safety assessment done"
                } else {
                    "suicide safety assessment NOT done"
                };
                format!("{criteria} · {ride} · {assessment}")
            }
        }
    }

    /// One line for timelines: the confirmations, then the follow-up plan.
    pub fn describe(&self) -> String {
        if self.follow_up.trim().is_empty() {
            self.checks()
        } else {
            format!("{} · follow-up: {}", self.checks(), self.follow_up.trim())
        }
    }
}

/// How long the client was watched after dosing began, if it began: from the first dose to the end.
pub fn monitoring_ms(dosing_began_ms: Option<i64>, ended_ms: i64) -> Option<i64> {
    dosing_began_ms.map(|began| (ended_ms - began).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unconfirmed_items_are_said_in_capitals() {
        let discharge = Discharge {
            criteria_met: true,
            ride_home: false,
            follow_up: " Integration Thursday ".into(),
            ..Discharge::default()
        };
        assert_eq!(
            discharge.describe(),
            "discharge criteria met · ride home NOT confirmed · follow-up: Integration Thursday"
        );
    }

    #[test]
    fn monitoring_counts_from_the_first_dose() {
        assert_eq!(monitoring_ms(Some(600_000), 8_400_000), Some(7_800_000));
        assert_eq!(monitoring_ms(None, 8_400_000), None);
        assert_eq!(monitoring_ms(Some(9_000), 1_000), Some(0));
    }
}
