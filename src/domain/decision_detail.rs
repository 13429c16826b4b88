//! A decision point recorded in one key (Ctrl+S, Ctrl+L) keeps the clinician's words and states
//! neither what came up nor who asked. Setting them afterwards appends a `decision_detail` entry
//! (the record is never rewritten); every reader folds the newest detail into its decision with
//! [`applied`], so summaries, the prep view, FHIR and the lists say what was chosen.

use std::borrow::Cow;

use super::{Event, EventKind, Seq};

/// The timeline with each decision point's kinds as last set; the detail entries stay in place.
/// Borrowed when no detail was ever set (nearly always), so readers pay nothing for it.
pub fn applied(events: &[Event]) -> Cow<'_, [Event]> {
    if !events
        .iter()
        .any(|event| matches!(event.kind, EventKind::DecisionDetail { .. }))
    {
        return Cow::Borrowed(events);
    }
    let mut events = events.to_vec();
    for index in 0..events.len() {
        let EventKind::DecisionDetail {
            decision_seq,
            came_up,
            asked,
        } = events[index].kind
        else {
            continue;
        };
        if let Some(EventKind::DecisionPoint(point)) = events[..index]
            .iter_mut()
            .find(|event| event.seq == decision_seq)
            .map(|event| &mut event.kind)
        {
            point.came_up = came_up;
            point.asked = asked;
        }
    }
    Cow::Owned(events)
}

/// Whether `decision_seq` names a decision point among `events` (a detail is refused otherwise).
pub fn is_decision_point(events: &[Event], decision_seq: Seq) -> bool {
    events
        .iter()
        .any(|event| event.seq == decision_seq && matches!(event.kind, EventKind::DecisionPoint(_)))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Asked, CameUp, Decision, DecisionPoint, SessionId};

    fn at(seq: u32, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: Utc::now(),
            elapsed_ms: i64::from(seq) * 1000,
            kind,
        }
    }

    fn point() -> EventKind {
        EventKind::DecisionPoint(DecisionPoint {
            came_up: CameUp::NotStated,
            detail: "nausea and fear".into(),
            asked: Asked::NotStated,
            decision: Decision::SitWithIt { minutes: 5 },
            rationale: String::new(),
        })
    }

    fn detail(decision: u32, came_up: CameUp, asked: Asked) -> EventKind {
        EventKind::DecisionDetail {
            decision_seq: Seq(decision),
            came_up,
            asked,
        }
    }

    #[test]
    fn the_newest_detail_sets_its_decisions_kinds_and_nothing_else() {
        let events = [
            at(1, point()),
            at(2, point()),
            at(3, detail(1, CameUp::Emotion, Asked::NotStated)),
            at(
                4,
                detail(1, CameUp::BodySensation, Asked::ClientAsksToLower),
            ),
        ];
        let applied = applied(&events);
        let kinds = |seq: usize| match &applied[seq].kind {
            EventKind::DecisionPoint(point) => (point.came_up, point.asked),
            other => panic!("{other:?}"),
        };
        assert_eq!(kinds(0), (CameUp::BodySensation, Asked::ClientAsksToLower));
        assert_eq!(kinds(1), (CameUp::NotStated, Asked::NotStated), "untouched");
        assert_eq!(applied.len(), 4, "the details stay in the timeline");
        assert!(matches!(super::applied(&events[..2]), Cow::Borrowed(_)));
        assert!(is_decision_point(&events, Seq(2)));
        assert!(!is_decision_point(&events, Seq(3)));
    }

    #[test]
    fn a_decision_says_only_what_was_stated() {
        assert_eq!(
            point().describe(),
            "Sit with it 5 min — “nausea and fear”",
            "nothing said of what nobody chose"
        );
        let events = [
            at(1, point()),
            at(2, detail(1, CameUp::Emotion, Asked::NotStated)),
        ];
        assert_eq!(
            applied(&events)[0].kind.describe(),
            "Emotion: sit with it 5 min — “nausea and fear”"
        );
    }
}
