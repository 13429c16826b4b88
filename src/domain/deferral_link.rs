//! Which decision point each "sit with it" deferral belongs to, read the same way by every reader.
//!
//! A deferral start names the decision point it was decided at. Until schema 16 a decision made past
//! a soft stop (SpO2 89 %, then Ctrl+S and Enter) named the first "went ahead" entry of its keystroke
//! instead: the went-ahead entries come first in the transaction, and the link was counted before
//! them. The same shift reached the reason of a dose change made at such a decision ("Lowered at
//! decision point #21" for #23). Unsigned records are repaired (migration 16, import); a signed record
//! keeps its sealed bytes, so every reader resolves its link here and all of them agree.

use std::collections::{BTreeSet, HashMap};

use super::{Decision, Event, EventKind, Seq};

/// What a timeline has shown so far about decisions and soft stops: enough to resolve a link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeferralLinks {
    /// Decision points that decided to sit with it.
    sit_with_it: BTreeSet<Seq>,
    /// Every decision point, with what was decided.
    decided: HashMap<Seq, Decision>,
    /// "Went ahead" entries (soft stops gone past).
    went_ahead: BTreeSet<Seq>,
}

impl DeferralLinks {
    /// Takes in one more entry, in sequence order.
    pub fn observe(&mut self, event: &Event) {
        self.observe_entry(event.seq, &event.kind);
    }

    /// [`observe`](Self::observe) for an entry not (yet) in a journal: an archive's.
    pub fn observe_entry(&mut self, seq: Seq, kind: &EventKind) {
        match kind {
            EventKind::DecisionPoint(point) => {
                if matches!(point.decision, Decision::SitWithIt { .. }) {
                    self.sit_with_it.insert(seq);
                }
                self.decided.insert(seq, point.decision);
            }
            EventKind::WentAhead { .. } => {
                self.went_ahead.insert(seq);
            }
            // Kinds that neither decide nor shift a place, by name: a new kind goes here or above.
            EventKind::Note { .. }
            | EventKind::PreSession(_)
            | EventKind::DosingBegan { .. }
            | EventKind::DoseChange { .. }
            | EventKind::InfusionExtended { .. }
            | EventKind::DecisionDetail { .. }
            | EventKind::DeferralStart { .. }
            | EventKind::DeferralMinutes { .. }
            | EventKind::DeferralOutcome { .. }
            | EventKind::Marker { .. }
            | EventKind::Vitals { .. }
            | EventKind::Sedation { .. }
            | EventKind::Measure { .. }
            | EventKind::AdverseEvent(_)
            | EventKind::SuicideScreen { .. }
            | EventKind::SafetyPlan(_)
            | EventKind::SessionEnded { .. } => {}
        }
    }

    /// The decision point of the deferral started at `start`, which recorded `recorded`: the recorded
    /// one when it is a decision to sit with it, the one decided in the same keystroke when the
    /// record carries the soft-stop shift, else the recorded one (which the import checks refuse).
    pub fn decision_of(&self, start: Seq, recorded: Seq) -> Seq {
        if self.sit_with_it.contains(&recorded) {
            return recorded;
        }
        match start.0.checked_sub(1).map(Seq) {
            Some(decision)
                if self.sit_with_it.contains(&decision) && self.shifted(recorded, decision) =>
            {
                decision
            }
            _ => recorded,
        }
    }

    /// Whether `recorded` is where the shifted link of a decision at `decision` may point: one of the
    /// went-ahead entries just before it.
    fn shifted(&self, recorded: Seq, decision: Seq) -> bool {
        self.went_ahead_before(decision).any(|at| at == recorded)
    }

    /// The unbroken run of went-ahead entries just before `decision`, nearest first.
    fn went_ahead_before(&self, decision: Seq) -> impl Iterator<Item = Seq> + '_ {
        (1..decision.0)
            .rev()
            .map(Seq)
            .take_while(|seq| self.went_ahead.contains(seq))
    }

    /// The reason a dose change made at a decision point recorded, as the journal words it.
    fn reason_of(decision: Decision, at: Seq) -> Option<String> {
        match decision {
            Decision::LowerNow => Some(format!("Lowered at decision point {at}")),
            Decision::Stop => Some(format!("Stopped at decision point {at}")),
            Decision::Hold | Decision::SitWithIt { .. } => None,
        }
    }

    /// The entry `seq` as it should have been recorded, if the soft-stop shift changed it.
    fn repaired(&self, seq: Seq, kind: &EventKind) -> Option<EventKind> {
        let decision = seq.0.checked_sub(1).map(Seq)?;
        match kind {
            EventKind::DeferralStart {
                decision_seq,
                minutes,
            } => {
                let resolved = self.decision_of(seq, *decision_seq);
                (resolved != *decision_seq).then_some(EventKind::DeferralStart {
                    decision_seq: resolved,
                    minutes: *minutes,
                })
            }
            EventKind::DoseChange { dose, reason } => {
                let decided = *self.decided.get(&decision)?;
                let shifted = self
                    .went_ahead_before(decision)
                    .any(|at| Self::reason_of(decided, at).as_deref() == Some(reason.as_str()));
                shifted.then(|| EventKind::DoseChange {
                    dose: *dose,
                    reason: Self::reason_of(decided, decision).unwrap_or_default(),
                })
            }
            _ => None,
        }
    }
}

/// Each deferral start's decision point, by the deferral start's sequence number.
pub fn decisions_of_deferrals(events: &[Event]) -> HashMap<Seq, Seq> {
    let mut links = DeferralLinks::default();
    let mut decisions = HashMap::new();
    for event in events {
        links.observe(event);
        if let EventKind::DeferralStart { decision_seq, .. } = &event.kind {
            decisions.insert(event.seq, links.decision_of(event.seq, *decision_seq));
        }
    }
    decisions
}

/// The entries of a timeline (in sequence order) that carry the soft-stop shift, each with what it
/// should have recorded: what migration 16 and an import write in place of an unsigned session's.
pub fn repaired_links<'a>(
    entries: impl IntoIterator<Item = (Seq, &'a EventKind)>,
) -> Vec<(Seq, EventKind)> {
    let mut links = DeferralLinks::default();
    let mut repaired = Vec::new();
    for (seq, kind) in entries {
        links.observe_entry(seq, kind);
        if let Some(kind) = links.repaired(seq, kind) {
            repaired.push((seq, kind));
        }
    }
    repaired
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{Asked, CameUp, DecisionPoint, Dose, SessionId};

    fn entry(seq: u32, kind: EventKind) -> Event {
        Event {
            session_id: SessionId(1),
            seq: Seq(seq),
            wall_time: Utc::now(),
            elapsed_ms: i64::from(seq) * 1000,
            kind,
        }
    }

    fn decided(decision: Decision) -> EventKind {
        EventKind::DecisionPoint(DecisionPoint {
            came_up: CameUp::Emotion,
            detail: "fear".into(),
            asked: Asked::ClientAsksToLower,
            decision,
            rationale: String::new(),
        })
    }

    fn entries(record: &[Event]) -> impl Iterator<Item = (Seq, &EventKind)> {
        record.iter().map(|event| (event.seq, &event.kind))
    }

    fn went_ahead() -> EventKind {
        EventKind::WentAhead {
            warning: "SpO2 89 %".into(),
        }
    }

    /// The record the journal wrote before schema 16: two soft stops gone past, then the decision,
    /// and the deferral naming the first went-ahead entry.
    fn shifted_record() -> Vec<Event> {
        vec![
            entry(
                1,
                EventKind::Note {
                    text: "calm".into(),
                },
            ),
            entry(2, went_ahead()),
            entry(3, went_ahead()),
            entry(4, decided(Decision::SitWithIt { minutes: 5 })),
            entry(
                5,
                EventKind::DeferralStart {
                    decision_seq: Seq(2),
                    minutes: 5,
                },
            ),
        ]
    }

    #[test]
    fn a_shifted_link_resolves_to_the_decision_of_its_keystroke() {
        let decisions = decisions_of_deferrals(&shifted_record());
        assert_eq!(decisions.get(&Seq(5)), Some(&Seq(4)));
    }

    #[test]
    fn a_right_link_is_kept_and_needs_no_repair() {
        let mut record = shifted_record();
        record[4].kind = EventKind::DeferralStart {
            decision_seq: Seq(4),
            minutes: 5,
        };
        assert_eq!(decisions_of_deferrals(&record).get(&Seq(5)), Some(&Seq(4)));
        assert!(repaired_links(entries(&record)).is_empty());
    }

    #[test]
    fn a_link_to_something_else_is_left_for_the_import_checks() {
        let mut record = shifted_record();
        // A note is not a went-ahead entry: no soft stop explains this link.
        record[4].kind = EventKind::DeferralStart {
            decision_seq: Seq(1),
            minutes: 5,
        };
        assert_eq!(decisions_of_deferrals(&record).get(&Seq(5)), Some(&Seq(1)));
        assert!(repaired_links(entries(&record)).is_empty());
    }

    #[test]
    fn repair_rewrites_the_link_and_the_reason_of_a_lowering() {
        let mut record = shifted_record();
        record.extend([
            entry(6, went_ahead()),
            entry(7, decided(Decision::LowerNow)),
            entry(
                8,
                EventKind::DoseChange {
                    dose: Some(Dose::parse("0.3 mg/kg").unwrap()),
                    reason: "Lowered at decision point #6".into(),
                },
            ),
        ]);
        let repaired = repaired_links(entries(&record));
        assert_eq!(repaired.len(), 2);
        assert_eq!(
            repaired[0],
            (
                Seq(5),
                EventKind::DeferralStart {
                    decision_seq: Seq(4),
                    minutes: 5
                }
            )
        );
        assert_eq!(repaired[1].0, Seq(8));
        assert!(matches!(
            &repaired[1].1,
            EventKind::DoseChange { reason, .. } if reason == "Lowered at decision point #7"
        ));
    }
}
