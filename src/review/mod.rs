//! Read models for review and preparation: statistics that keep Medical Model and KAP apart, a client's
//! history, and the prep sheet for the next integration appointment. No SQL and no egui here: they
//! are built from what the store returns.

mod breakthrough;
mod dose_curve;
mod history_words;
mod list_filter;
mod measure_trend;
mod prep;
mod statistics;
mod suicide_risk;

pub use breakthrough::{Breakthrough, Followed, SessionFollowed};
pub use dose_curve::{DeferralSpan, DoseCurve};
pub use history_words::HistoryWords;
pub use list_filter::{ListFilter, SortKey, parse_day, sort};
pub use measure_trend::{MeasureTrend, TrendPoint};
pub use prep::{DecisionSummary, MarkedEntry, PREP_SESSIONS, PrepSession, PrepSheet};
pub use statistics::{ModelStatistics, OutcomeCounts, Statistics};
pub use suicide_risk::SuicideRisk;
