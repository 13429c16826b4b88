//! How a client's questionnaire scores moved across sessions: the points of the trend chart and the
//! sentence beside it. PHQ-9 item 9 above zero is carried on every point so the chart can mark it.

use crate::domain::{Instrument, SessionId};
use crate::store::RecordedMeasure;

/// One questionnaire on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The session's number in the client's history (1 = first); a second questionnaire of the same
    /// kind in one session sits a little to the right of the first.
    pub x: f64,
    pub total: u32,
    /// PHQ-9 item 9 (thoughts of death or self-harm) above zero.
    pub self_harm: bool,
}

/// One instrument's scores across the client's sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureTrend {
    pub instrument: Instrument,
    pub points: Vec<TrendPoint>,
    /// The first and the newest, described ("PHQ-9 19 (moderately severe)").
    first: Option<String>,
    newest: Option<String>,
    sessions: usize,
}

impl MeasureTrend {
    /// The scores of `instrument` in `measures` (oldest first); `number_of` gives a session's number.
    pub fn of(
        instrument: Instrument,
        measures: &[RecordedMeasure],
        number_of: impl Fn(SessionId) -> Option<usize>,
    ) -> Self {
        let mine: Vec<&RecordedMeasure> = measures
            .iter()
            .filter(|recorded| recorded.measure.instrument() == instrument)
            .collect();
        let mut points = Vec::with_capacity(mine.len());
        let mut previous: Option<(SessionId, f64)> = None;
        for recorded in &mine {
            let Some(number) = number_of(recorded.session) else {
                continue;
            };
            let x = match previous {
                Some((session, x)) if session == recorded.session => x + 0.25,
                _ => number as f64,
            };
            previous = Some((recorded.session, x));
            points.push(TrendPoint {
                x,
                total: recorded.measure.total(),
                self_harm: recorded.measure.self_harm_flag(),
            });
        }
        let mut sessions: Vec<SessionId> = mine.iter().map(|recorded| recorded.session).collect();
        sessions.dedup();
        Self {
            instrument,
            points,
            first: mine.first().map(|recorded| recorded.measure.describe()),
            newest: mine.last().map(|recorded| recorded.measure.describe()),
            sessions: sessions.len(),
        }
    }

    /// e.g. "PHQ-9: 19 (moderately severe) first, 11 (moderate) now, over 4 sessions"; `None` when
    /// the client has no score of this kind.
    pub fn sentence(&self) -> Option<String> {
        let newest = self.newest.as_ref()?;
        if self.points.len() < 2 {
            return Some(format!("{newest} (one score so far)"));
        }
        let first = self.first.as_deref().unwrap_or_default();
        Some(format!(
            "{first} first; {newest} now; across {} session{}",
            self.sessions,
            if self.sessions == 1 { "" } else { "s" }
        ))
    }

    /// Whether the newest score has PHQ-9 item 9 above zero.
    pub fn newest_self_harm(&self) -> bool {
        self.points.last().is_some_and(|point| point.self_harm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Measure;

    fn recorded(session: i64, instrument: Instrument, answers: &[u8]) -> RecordedMeasure {
        RecordedMeasure {
            session: SessionId(session),
            taken_at: chrono::Utc::now(),
            measure: Measure::new(instrument, answers.to_vec()).unwrap(),
        }
    }

    #[test]
    fn scores_follow_the_sessions_and_item_nine_is_carried() {
        let measures = [
            recorded(10, Instrument::Phq9, &[3, 3, 2, 2, 2, 2, 2, 2, 1]),
            recorded(10, Instrument::Gad7, &[2, 2, 2, 2, 1, 1, 1]),
            recorded(10, Instrument::Phq9, &[3, 3, 2, 2, 2, 2, 2, 1, 0]),
            recorded(12, Instrument::Phq9, &[1, 1, 1, 1, 1, 1, 1, 0, 0]),
        ];
        // Session 10 is the client's 1st, 12 the 3rd (11 had no questionnaire).
        let number_of = |id: SessionId| Some(usize::try_from(id.0 - 9).unwrap());
        let phq9 = MeasureTrend::of(Instrument::Phq9, &measures, number_of);
        let xs: Vec<f64> = phq9.points.iter().map(|p| p.x).collect();
        assert_eq!(xs, [1.0, 1.25, 3.0]);
        let totals: Vec<u32> = phq9.points.iter().map(|p| p.total).collect();
        assert_eq!(totals, [19, 17, 7]);
        assert!(phq9.points[0].self_harm && !phq9.points[1].self_harm);
        assert!(!phq9.newest_self_harm());
        assert_eq!(
            phq9.sentence().unwrap(),
            "PHQ-9 19 (moderately severe) · item 9 above zero first; PHQ-9 7 (mild) now; across 2 sessions"
        );
        let gad7 = MeasureTrend::of(Instrument::Gad7, &measures, number_of);
        assert_eq!(
            gad7.sentence().unwrap(),
            "GAD-7 11 (moderate) (one score so far)"
        );
        let none = MeasureTrend::of(Instrument::Cadss6, &measures, number_of);
        assert_eq!(none.sentence(), None);
    }
}
