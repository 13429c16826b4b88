//! Filtering and sorting the session lists: by model, client, route and date range.

use chrono::{Local, NaiveDate};

use crate::domain::DateTimeStyle;

use crate::domain::{Route, TreatmentModel};
use crate::store::SessionSummary;

/// Which sessions a list shows. Dates are whole days in the computer's time zone, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub model: Option<TreatmentModel>,
    pub client_code: Option<String>,
    pub route: Option<Route>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ListFilter {
    /// Whether the session passes every filter that is set.
    pub fn keeps(&self, session: &SessionSummary) -> bool {
        let day = session.started_at.with_timezone(&Local).date_naive();
        self.model.is_none_or(|model| model == session.model)
            && self
                .client_code
                .as_ref()
                .is_none_or(|code| *code == session.client_code)
            && self.route.is_none_or(|route| route == session.route)
            && self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
    }
}

/// Reads a date typed as `2026-11-24` (or `11/24/2026` where the clinic writes US dates); empty
/// means no limit.
pub fn parse_day(text: &str, style: DateTimeStyle) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    style
        .parse_date(text)
        .map(Some)
        .map_err(|error| error.to_string())
}

/// A column a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Started,
    Client,
    Route,
    Dose,
    DecisionPoints,
    Deferrals,
    Status,
}

/// Sorts in place; ties keep the newest session first.
pub fn sort(rows: &mut [SessionSummary], key: SortKey, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match key {
            SortKey::Started => a.started_at.cmp(&b.started_at),
            SortKey::Client => a.client_code.cmp(&b.client_code),
            SortKey::Route => a.route.label().cmp(b.route.label()),
            SortKey::Dose => dose_order(a).total_cmp(&dose_order(b)),
            SortKey::DecisionPoints => a.decision_points.cmp(&b.decision_points),
            SortKey::Deferrals => a.deferrals.cmp(&b.deferrals),
            SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| b.started_at.cmp(&a.started_at))
    });
}

/// Sessions sort by delivered mg, those known only in mg/kg after them by mg/kg, and live sessions or
/// ones with nothing delivered first (lowest).
fn dose_order(session: &SessionSummary) -> f64 {
    const MG_PER_KG_AFTER_MG: f64 = 1.0e9;
    match (session.delivered_mg, session.delivered_mg_per_kg) {
        (Some(mg), _) => mg,
        (None, Some(per_kg)) => MG_PER_KG_AFTER_MG + per_kg,
        (None, None) => f64::NEG_INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::{Dose, SessionId, SessionStatus};

    fn summary(id: i64, client: &str, route: Route, day: u32, decisions: u32) -> SessionSummary {
        SessionSummary {
            id: SessionId(id),
            client_code: client.to_owned(),
            model: TreatmentModel::Kap,
            route,
            planned_dose: Dose::parse("0.5 mg/kg").unwrap(),
            status: SessionStatus::Ended,
            started_at: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
            ended_at: None,
            events: 10,
            decision_points: decisions,
            deferrals: 0,
            worked_through: 0,
            dose_lowered: 0,
            ended_early: 0,
            session_stopped: 0,
            suicide_risk: 0,
            delivered_mg: None,
            delivered_mg_per_kg: None,
            clinician: None,
            signature_unverified: false,
        }
    }

    #[test]
    fn filters_by_route_and_an_inclusive_date_range_and_sorts_by_any_column() {
        let mut rows = vec![
            summary(1, "C-2", Route::IvInfusion, 3, 2),
            summary(2, "C-1", Route::Intramuscular, 10, 5),
            summary(3, "C-3", Route::IvInfusion, 20, 1),
        ];
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d);
        let iv_early = ListFilter {
            route: Some(Route::IvInfusion),
            to: day(10),
            ..ListFilter::default()
        };
        assert_eq!(
            rows.iter()
                .filter(|s| iv_early.keeps(s))
                .map(|s| s.id.0)
                .collect::<Vec<_>>(),
            [1]
        );
        let range = ListFilter {
            from: day(10),
            to: day(20),
            ..ListFilter::default()
        };
        assert_eq!(rows.iter().filter(|s| range.keeps(s)).count(), 2);
        sort(&mut rows, SortKey::DecisionPoints, true);
        assert_eq!(rows.iter().map(|s| s.id.0).collect::<Vec<_>>(), [2, 1, 3]);
        sort(&mut rows, SortKey::Client, false);
        assert_eq!(
            rows.iter()
                .map(|s| s.client_code.as_str())
                .collect::<Vec<_>>(),
            ["C-1", "C-2", "C-3"]
        );
        let iso = DateTimeStyle::ISO;
        assert_eq!(parse_day(" 2026-11-24 ", iso), Ok(day(24)));
        assert_eq!(parse_day("", iso), Ok(None));
        assert!(parse_day("24/11/2026", iso).is_err());
        let us = DateTimeStyle {
            dates: crate::domain::DateOrder::Us,
            twelve_hour: false,
        };
        assert_eq!(parse_day("11/24/2026", us), Ok(day(24)));
    }

    #[test]
    fn the_dose_column_sorts_by_what_was_delivered() {
        let delivered = |id, mg, per_kg| SessionSummary {
            delivered_mg: mg,
            delivered_mg_per_kg: per_kg,
            clinician: None,
            ..summary(id, "C-1", Route::IvInfusion, 1, 0)
        };
        let mut rows = vec![
            delivered(1, Some(35.0), Some(0.5)),
            delivered(2, None, None),
            delivered(3, None, Some(0.2)),
            delivered(4, Some(8.5), Some(0.12)),
        ];
        sort(&mut rows, SortKey::Dose, false);
        assert_eq!(
            rows.iter().map(|s| s.id.0).collect::<Vec<_>>(),
            [2, 4, 1, 3]
        );
        sort(&mut rows, SortKey::Dose, true);
        assert_eq!(
            rows.iter().map(|s| s.id.0).collect::<Vec<_>>(),
            [3, 1, 4, 2]
        );
    }
}
