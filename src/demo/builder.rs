//! A session's timeline as the demo builds it: the shape it follows, and the entries made so far on
//! the session's own clock. The timeline and the decisions in it both write through it.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::grammar;
use super::story::Story;
use crate::domain::{Dose, EventKind, Route, Seq, TreatmentModel};
use crate::store::NewEvent;

/// What one session is.
pub struct SessionShape<'a> {
    pub story: &'a Story,
    /// Its place in the client's course, from 0.
    pub index: usize,
    pub model: TreatmentModel,
    pub route: Route,
    pub planned: Dose,
    pub weight_kg: f64,
    pub intention: &'a str,
    /// The lot given from, on the checklist.
    pub lot: Option<crate::domain::LotCode>,
    /// The consent the session goes ahead under.
    pub consent: Option<crate::domain::ConsentGiven>,
}

impl SessionShape<'_> {
    /// One client in five arrives at their first two sessions with thoughts of being better off
    /// dead: PHQ-9 item 9 above zero, a non-acute positive ASQ, and a safety plan before dosing.
    pub(super) fn at_risk(&self) -> bool {
        self.story.client_index % 5 == 3 && self.index < 2
    }

    /// Every fourth esketamine session, breathing slows after dosing: a respiratory rate of 8 and
    /// SpO2 of 92 %, oxygen by nasal cannula, and it recovers.
    pub(super) fn slow_breathing(&self) -> bool {
        self.route == Route::IntranasalEsketamine && self.index % 4 == 1
    }
}

/// A note during the session; in KAP, a moment the client asks to keep is marked for integration.
pub(super) fn jot(rng: &mut StdRng, log: &mut Builder, shape: &SessionShape<'_>) {
    let note = grammar::note(rng, shape.model == TreatmentModel::Kap, &mut log.said);
    let seq = log.push(EventKind::Note { text: note.text });
    if note.keep_for_integration {
        mark(log, seq);
    }
}

/// Marks an entry to bring to integration, a few seconds after it.
pub(super) fn mark(log: &mut Builder, target_seq: Seq) {
    log.at += 4000;
    log.push(EventKind::Marker {
        target_seq,
        on: true,
    });
}

/// One session's entries as they are made, and the clock they are made by.
pub(super) struct Builder {
    pub(super) started_at: DateTime<Utc>,
    /// What the client has said so far this session.
    pub(super) said: Vec<&'static str>,
    pub(super) events: Vec<NewEvent>,
    /// Milliseconds since the session started: where the next entry goes.
    pub(super) at: i64,
}

impl Builder {
    /// Appends an event at the current time and returns the sequence number it will get.
    pub(super) fn push(&mut self, kind: EventKind) -> Seq {
        let at = self
            .at
            .max(self.events.last().map_or(0, |event| event.elapsed_ms));
        self.events.push(NewEvent {
            wall_time: self.started_at + Duration::milliseconds(at),
            elapsed_ms: at,
            kind,
        });
        Seq(self.events.len() as u32)
    }

    /// Moves the clock on by `low` to `high` minutes (to the second) and returns the new time.
    pub(super) fn after(&mut self, rng: &mut StdRng, low: i64, high: i64) -> i64 {
        self.at += rng.random_range(low * 60..=high * 60) * 1000;
        self.at
    }
}
