//! When vitals are due, per route, from the timeline and the session's elapsed time (so a test can
//! drive it with any clock):
//!
//! - **IV infusion and IM**: once before dosing, then every N minutes after dosing began.
//! - **Intranasal esketamine and sublingual lozenge**: once before dosing, at about 40 minutes after
//!   dosing (the esketamine REMS blood-pressure check), and before discharge.
//! - **Every route**: before discharge, i.e. when the session is being ended, unless vitals were taken
//!   in the last ten minutes.
//!
//! A reading taken up to two minutes before a checkpoint counts for it.

use super::{Route, TimelineState};

const MINUTE_MS: i64 = 60_000;
/// How early a reading may be taken and still count for a checkpoint.
pub const EARLY_ALLOWANCE_MS: i64 = 2 * MINUTE_MS;
/// A discharge needs vitals this recent.
pub const DISCHARGE_WITHIN_MS: i64 = 10 * MINUTE_MS;
/// The esketamine REMS check after dosing.
pub const AFTER_DOSING_CHECK_MS: i64 = 40 * MINUTE_MS;

/// Why vitals are (or will be) due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    BeforeDosing,
    /// The scheduled check every `minutes` of an infusion or after an injection.
    Every {
        minutes: u32,
    },
    /// About 40 minutes after dosing.
    AfterDosing,
    BeforeDischarge,
}

impl Checkpoint {
    pub fn label(self) -> String {
        match self {
            Self::BeforeDosing => "before dosing".to_owned(),
            Self::Every { minutes } => format!("every {minutes} min"),
            Self::AfterDosing => "40 min after dosing".to_owned(),
            Self::BeforeDischarge => "before discharge".to_owned(),
        }
    }
}

/// Where the schedule stands at a moment of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VitalsStatus {
    /// Vitals should be taken now; the checkpoint passed at `since_ms` (elapsed).
    Due {
        checkpoint: Checkpoint,
        since_ms: i64,
    },
    /// The next checkpoint, at `at_ms` (elapsed).
    Next { checkpoint: Checkpoint, at_ms: i64 },
    /// Nothing more is scheduled until discharge.
    UpToDate,
}

/// The schedule of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VitalsSchedule {
    pub route: Route,
    /// The interval for infusions and injections, in minutes.
    pub every_minutes: u32,
}

impl VitalsSchedule {
    /// The status at `now_ms` (elapsed). `discharging` is true while the session is being ended.
    pub fn status(&self, state: &TimelineState, now_ms: i64, discharging: bool) -> VitalsStatus {
        let last = state.latest.vitals_at_ms;
        let taken_for =
            |checkpoint_ms: i64| last.is_some_and(|at| at >= checkpoint_ms - EARLY_ALLOWANCE_MS);
        if discharging {
            return match last {
                Some(at) if now_ms - at <= DISCHARGE_WITHIN_MS => VitalsStatus::UpToDate,
                _ => VitalsStatus::Due {
                    checkpoint: Checkpoint::BeforeDischarge,
                    since_ms: now_ms,
                },
            };
        }
        let Some(dosing_ms) = state.dosing_began_ms else {
            return if last.is_some() {
                VitalsStatus::UpToDate
            } else {
                VitalsStatus::Due {
                    checkpoint: Checkpoint::BeforeDosing,
                    since_ms: 0,
                }
            };
        };
        match self.route {
            Route::IvInfusion | Route::Intramuscular => {
                let minutes = self.every_minutes.max(1);
                let interval = i64::from(minutes) * MINUTE_MS;
                let checkpoint = Checkpoint::Every { minutes };
                let passed = (now_ms - dosing_ms).max(0) / interval;
                let latest = dosing_ms + passed * interval;
                if passed >= 1 && !taken_for(latest) {
                    VitalsStatus::Due {
                        checkpoint,
                        since_ms: latest,
                    }
                } else {
                    VitalsStatus::Next {
                        checkpoint,
                        at_ms: latest + interval,
                    }
                }
            }
            Route::IntranasalEsketamine | Route::SublingualLozenge => {
                let check_ms = dosing_ms + AFTER_DOSING_CHECK_MS;
                if taken_for(check_ms) {
                    VitalsStatus::UpToDate
                } else if now_ms >= check_ms {
                    VitalsStatus::Due {
                        checkpoint: Checkpoint::AfterDosing,
                        since_ms: check_ms,
                    }
                } else {
                    VitalsStatus::Next {
                        checkpoint: Checkpoint::AfterDosing,
                        at_ms: check_ms,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = MINUTE_MS;

    fn state(dosing_ms: Option<i64>, vitals_at: &[i64]) -> TimelineState {
        let mut state = TimelineState {
            dosing_began_ms: dosing_ms,
            ..TimelineState::default()
        };
        for at in vitals_at {
            state.latest.blood_pressure = Some(((120, 80), *at));
            state.latest.vitals_at_ms = Some(*at);
        }
        state
    }

    fn iv(every: u32) -> VitalsSchedule {
        VitalsSchedule {
            route: Route::IvInfusion,
            every_minutes: every,
        }
    }

    #[test]
    fn an_infusion_wants_baseline_vitals_then_one_every_interval() {
        let schedule = iv(15);
        let every = Checkpoint::Every { minutes: 15 };
        assert_eq!(
            schedule.status(&state(None, &[]), 3 * MIN, false),
            VitalsStatus::Due {
                checkpoint: Checkpoint::BeforeDosing,
                since_ms: 0
            }
        );
        assert_eq!(
            schedule.status(&state(None, &[2 * MIN]), 3 * MIN, false),
            VitalsStatus::UpToDate
        );
        // Dosing at 5 min: next at 20, due from 20 until taken, taken at 21 → next at 35.
        let dosed = |vitals: &[i64]| state(Some(5 * MIN), vitals);
        assert_eq!(
            schedule.status(&dosed(&[2 * MIN]), 19 * MIN, false),
            VitalsStatus::Next {
                checkpoint: every,
                at_ms: 20 * MIN
            }
        );
        assert_eq!(
            schedule.status(&dosed(&[2 * MIN]), 20 * MIN, false),
            VitalsStatus::Due {
                checkpoint: every,
                since_ms: 20 * MIN
            }
        );
        assert_eq!(
            schedule.status(&dosed(&[2 * MIN, 21 * MIN]), 22 * MIN, false),
            VitalsStatus::Next {
                checkpoint: every,
                at_ms: 35 * MIN
            }
        );
        // Two minutes early counts; three does not.
        assert!(matches!(
            schedule.status(&dosed(&[18 * MIN]), 21 * MIN, false),
            VitalsStatus::Next { .. }
        ));
        assert!(matches!(
            schedule.status(&dosed(&[17 * MIN]), 21 * MIN, false),
            VitalsStatus::Due { .. }
        ));
        // A missed checkpoint is overtaken by the next one.
        assert_eq!(
            schedule.status(&dosed(&[21 * MIN]), 51 * MIN, false),
            VitalsStatus::Due {
                checkpoint: every,
                since_ms: 50 * MIN
            }
        );
        // The interval is the clinic's.
        assert_eq!(
            iv(5).status(&dosed(&[2 * MIN]), 11 * MIN, false),
            VitalsStatus::Due {
                checkpoint: Checkpoint::Every { minutes: 5 },
                since_ms: 10 * MIN
            }
        );
    }

    #[test]
    fn esketamine_wants_vitals_at_forty_minutes_and_before_discharge() {
        let schedule = VitalsSchedule {
            route: Route::IntranasalEsketamine,
            every_minutes: 15,
        };
        let dosed = |vitals: &[i64]| state(Some(0), vitals);
        assert_eq!(
            schedule.status(&dosed(&[]), 39 * MIN, false),
            VitalsStatus::Next {
                checkpoint: Checkpoint::AfterDosing,
                at_ms: 40 * MIN
            }
        );
        assert_eq!(
            schedule.status(&dosed(&[]), 45 * MIN, false),
            VitalsStatus::Due {
                checkpoint: Checkpoint::AfterDosing,
                since_ms: 40 * MIN
            }
        );
        assert_eq!(
            schedule.status(&dosed(&[41 * MIN]), 90 * MIN, false),
            VitalsStatus::UpToDate
        );
        assert_eq!(
            schedule.status(&dosed(&[41 * MIN]), 90 * MIN, true),
            VitalsStatus::Due {
                checkpoint: Checkpoint::BeforeDischarge,
                since_ms: 90 * MIN
            }
        );
        assert_eq!(
            schedule.status(&dosed(&[41 * MIN, 85 * MIN]), 90 * MIN, true),
            VitalsStatus::UpToDate
        );
    }
}
