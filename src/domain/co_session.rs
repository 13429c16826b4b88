//! A live session logged by two clinicians at once (the nurse at the pump, the therapist in the
//! chair), each from their own journal. Each writes their own entries, numbered in their own
//! journal (`author_seq`); the practice server puts everyone's in one order (`position`), and both
//! journals keep that merged timeline. What the session adds up to (the dose running and
//! delivered, a sit-with-it's countdown, vitals due, safety flags) is folded from it, so both
//! laptops show the same figures.
//!
//! An entry that names another (a deferral its decision, an outcome its deferral, a marker its
//! target) names one of its own author's: once merged, the name is `(author, author_seq)`, and the
//! fold gives every entry one number in the merged order and rewrites the names to it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Event, EventKind, Seq, SessionId};

/// A clinician of the practice, by login and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Colleague {
    pub login: String,
    pub name: String,
}

/// One entry of a live session's merged timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LiveEntry {
    /// Its place in the server's order: 1, 2, 3, … with no gap, in the order entries committed.
    pub position: i32,
    /// Who wrote it: their login and the name the practice knows them by.
    pub author: Colleague,
    /// Its place in its author's journal.
    pub author_seq: i32,
    /// Its author's clock when it was written.
    pub wall_time: DateTime<Utc>,
    /// Since the session started, as its author's journal counted.
    pub elapsed_ms: i64,
    /// The kind of entry (`note`, `decision_point`, …).
    pub kind: String,
    /// The entry as its author's journal wrote it.
    pub entry: serde_json::Value,
}

impl LiveEntry {
    /// The entry as this build reads it, or `None` for one it does not know.
    pub fn kind(&self) -> Option<EventKind> {
        serde_json::from_value(self.entry.clone()).ok()
    }
}

/// Who wrote one entry of the timeline both clinicians see.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    pub author: Colleague,
    /// Written in this journal.
    pub own: bool,
    /// Its place in its author's journal.
    pub author_seq: Seq,
}

/// The merged timeline of a live session as this journal sees it now: the server's entries in
/// their order, then this journal's own the server has not given back yet, in its order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TeamTimeline {
    /// Every entry's author, by its number in the merged order: the entry numbered n is row n - 1.
    pub rows: Vec<TeamRow>,
    /// The entries this build reads (a newer journal's kind is left out), renumbered in the merged
    /// order with their names of other entries rewritten to it.
    events: Vec<Event>,
}

impl TeamTimeline {
    /// The merged timeline: the server's `merged` entries in their order, then this journal's own
    /// entries (`own`, written by `me`) the server does not hold yet. Each entry gets the number of
    /// its place (its names of other entries rewritten to match), and its time since the start
    /// never goes back (two laptops' clocks differ a little), so the figures add up the same on
    /// every laptop that holds the same entries.
    pub fn fold(merged: &[LiveEntry], me: &Colleague, own: &[Event], session: SessionId) -> Self {
        let own_on_server = merged
            .iter()
            .filter(|entry| entry.author.login == me.login)
            .map(|entry| entry.author_seq)
            .max()
            .unwrap_or(0);
        let from_server = merged.iter().map(|entry| {
            (
                &entry.author,
                Seq(u32::try_from(entry.author_seq).unwrap_or(0)),
                entry.wall_time,
                entry.elapsed_ms,
                entry.kind(),
            )
        });
        let not_yet = own
            .iter()
            .filter(|event| i64::from(event.seq.0) > i64::from(own_on_server))
            .map(|event| {
                (
                    me,
                    event.seq,
                    event.wall_time,
                    event.elapsed_ms,
                    Some(event.kind.clone()),
                )
            });
        let all: Vec<_> = from_server.chain(not_yet).collect();
        // Each entry's number in the merged order, by who wrote it and its number there.
        let numbers: HashMap<(&str, Seq), Seq> = all
            .iter()
            .zip(1..)
            .map(|((author, seq, ..), number)| ((author.login.as_str(), *seq), Seq(number)))
            .collect();
        let mut floor = 0;
        let mut events = Vec::with_capacity(all.len());
        let mut rows = Vec::with_capacity(all.len());
        for ((author, author_seq, wall_time, elapsed_ms, kind), number) in all.iter().zip(1..) {
            floor = floor.max(*elapsed_ms);
            if let Some(kind) = kind {
                events.push(Event {
                    session_id: session,
                    seq: Seq(number),
                    wall_time: *wall_time,
                    elapsed_ms: floor,
                    kind: renamed(kind.clone(), |seq| {
                        numbers
                            .get(&(author.login.as_str(), seq))
                            .copied()
                            // A name of an entry the timeline lacks stays one nothing answers to.
                            .unwrap_or(Seq(0))
                    }),
                });
            }
            rows.push(TeamRow {
                own: author.login == me.login,
                author: (*author).clone(),
                author_seq: *author_seq,
            });
        }
        Self { rows, events }
    }

    /// The readable entries in the merged order, as the timeline's folds take them.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The row of the entry numbered `seq` in the merged order.
    fn row(&self, seq: Seq) -> Option<&TeamRow> {
        self.rows.get(usize::try_from(seq.0).ok()?.checked_sub(1)?)
    }

    /// Who wrote the entry numbered `seq` in the merged order.
    pub fn author_of(&self, seq: Seq) -> Option<&Colleague> {
        self.row(seq).map(|row| &row.author)
    }

    /// The number in the merged order of this journal's own entry `own`.
    pub fn merged_seq_of_own(&self, own: Seq) -> Option<Seq> {
        (1..)
            .zip(&self.rows)
            .find(|(_, row)| row.own && row.author_seq == own)
            .map(|(number, _)| Seq(number))
    }

    /// The number in this journal of the merged entry `merged`, when it is one of its own.
    pub fn own_seq_of(&self, merged: Seq) -> Option<Seq> {
        self.row(merged)
            .filter(|row| row.own)
            .map(|row| row.author_seq)
    }
}

/// `kind` with each name of another entry passed through `rename`.
fn renamed(kind: EventKind, rename: impl Fn(Seq) -> Seq) -> EventKind {
    match kind {
        EventKind::DecisionDetail {
            decision_seq,
            came_up,
            asked,
        } => EventKind::DecisionDetail {
            decision_seq: rename(decision_seq),
            came_up,
            asked,
        },
        EventKind::DeferralStart {
            decision_seq,
            minutes,
        } => EventKind::DeferralStart {
            decision_seq: rename(decision_seq),
            minutes,
        },
        EventKind::DeferralMinutes {
            deferral_seq,
            minutes,
        } => EventKind::DeferralMinutes {
            deferral_seq: rename(deferral_seq),
            minutes,
        },
        EventKind::DeferralOutcome {
            deferral_seq,
            outcome,
            note,
        } => EventKind::DeferralOutcome {
            deferral_seq: rename(deferral_seq),
            outcome,
            note,
        },
        EventKind::Marker { target_seq, on } => EventKind::Marker {
            target_seq: rename(target_seq),
            on,
        },
        // Kinds that name no other entry, by name: a new kind that names one is placed above.
        kind @ (EventKind::Note { .. }
        | EventKind::PreSession(_)
        | EventKind::DosingBegan { .. }
        | EventKind::DoseChange { .. }
        | EventKind::InfusionExtended { .. }
        | EventKind::DecisionPoint(_)
        | EventKind::WentAhead { .. }
        | EventKind::Vitals { .. }
        | EventKind::Sedation { .. }
        | EventKind::Measure { .. }
        | EventKind::AdverseEvent(_)
        | EventKind::SuicideScreen { .. }
        | EventKind::SafetyPlan(_)
        | EventKind::SessionEnded { .. }) => kind,
    }
}
