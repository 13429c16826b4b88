use std::sync::Arc;
use std::time::Duration;

use super::changes::StartSession;
use super::draft::DraftKeeper;
use super::sending::InFlight;
use super::soft_stop::Held;
use super::{Clock, LiveCommand, Sender};
use crate::domain::{
    Client, ClinicSettings, CurrentDose, Discharge, Event, EventKind, NewSession, Seq, Session,
    SessionError, SessionId, TimelineState,
};
use crate::store::{NewEvent, Store, StoreError};

/// A session being logged right now: its timeline and the clocks that measure it.
///
/// The engine owns each entry's whole life (sending.rs): a command is validated against the
/// timeline with its pending entries, in the order they will be committed, held at a soft stop when
/// one asks, sent, shown at once as pending, then confirmed as saved when its answer comes or taken
/// back, with every later one, when refused. The half-typed note is kept as a draft beside them.
pub struct LiveSession {
    pub(super) session: Session,
    client: Client,
    /// The saved entries, then the pending ones.
    pub(super) events: Vec<Event>,
    /// How many of `events` are committed.
    saved: usize,
    pub(super) state: TimelineState,
    clock: Arc<dyn Clock>,
    /// Elapsed session time when this engine attached to the session (0 at start, more after a restart).
    base_elapsed_ms: i64,
    /// The monotonic reading when this engine attached.
    attached_at: Duration,
    /// The clinic's rules this session is logged under (rate ceiling, the lowering proposed).
    settings: ClinicSettings,
    /// Entries sent and not yet answered, oldest first.
    pub(super) in_flight: std::collections::VecDeque<InFlight>,
    /// An action held at a soft stop.
    pub(super) held: Option<Held>,
    pub(super) draft: DraftKeeper,
    /// The care team's merged timeline, in a journal in a practice.
    pub(super) team: Option<super::team::Team>,
}

impl LiveSession {
    /// Starts a new live session and commits it.
    pub fn start(
        store: &mut Store,
        clock: Arc<dyn Clock>,
        new: &NewSession,
    ) -> Result<Self, StoreError> {
        Self::start_with(store, clock, new, Vec::new())
    }

    /// Starts a new live session with its first entries (the checklist and baseline readings),
    /// all committed together at the session's first moment.
    pub fn start_with(
        store: &mut Store,
        clock: Arc<dyn Clock>,
        new: &NewSession,
        first: Vec<EventKind>,
    ) -> Result<Self, StoreError> {
        let now = clock.wall();
        let first: Vec<NewEvent> = first
            .into_iter()
            .map(|kind| NewEvent {
                wall_time: now,
                elapsed_ms: 0,
                kind,
            })
            .collect();
        let started = store
            .send(StartSession {
                client: None,
                session: new.clone(),
                at: now,
                first,
                consent: None,
            })
            .wait()
            .result?;
        Self::attach(store, clock, started.session, started.events)
    }

    /// Picks a live session up again, e.g. after the app was closed or the laptop died.
    pub fn resume(store: &Store, clock: Arc<dyn Clock>, id: SessionId) -> Result<Self, StoreError> {
        let session = store.record().session(id)?;
        if session.status != crate::domain::SessionStatus::Live {
            return Err(SessionError::NotLive.into());
        }
        let events = store.record().events(id)?;
        Self::attach(store, clock, session, events)
    }

    /// Takes up a session just started by the journal worker, with its first entries as committed.
    pub fn attach(
        store: &Store,
        clock: Arc<dyn Clock>,
        session: Session,
        events: Vec<Event>,
    ) -> Result<Self, StoreError> {
        let client = store.record().client(session.client_id)?;
        // After a restart the monotonic clock starts again; continue from the wall-clock gap, but never
        // before the last committed event, so elapsed time only grows.
        let since_start = (clock.wall() - session.started_at)
            .num_milliseconds()
            .max(0);
        let last_elapsed = events.last().map_or(0, |event| event.elapsed_ms);
        let state = TimelineState::from_events(session.route, &events);
        // Unreadable settings must not keep a session from being logged: the defaults are safe ones.
        let settings = store.clinic_settings().unwrap_or_default();
        // A draft that cannot be read must not keep the session from being taken up.
        let draft = store.record().draft(session.id).ok().flatten();
        let team = Self::team_of(store, &session);
        let mut live = Self {
            in_flight: std::collections::VecDeque::new(),
            held: None,
            draft: DraftKeeper::new(draft),
            settings,
            base_elapsed_ms: since_start.max(last_elapsed),
            attached_at: clock.monotonic(),
            session,
            client,
            saved: events.len(),
            events,
            state,
            clock,
            team,
        };
        live.refold_team();
        Ok(live)
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The half-typed note found when the session was taken up (after a restart: the words to put
    /// back in the note field).
    pub fn draft_found(&self) -> Option<&crate::store::Draft> {
        self.draft.found()
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The weight this session's doses are worked out with: today's checklist, else the one it
    /// started with (an older session without one: its client's).
    pub fn weight_kg(&self) -> Option<f64> {
        self.shown_state()
            .checklist_weight_kg
            .or(self.session.weight_kg)
            .or(self.client.weight_kg)
    }

    /// The clinic's rules the session is logged under.
    pub fn settings(&self) -> &ClinicSettings {
        &self.settings
    }

    /// Takes the clinic's settings as they were just changed.
    pub fn set_settings(&mut self, settings: ClinicSettings) {
        self.settings = settings;
    }

    /// The clinic's infusion-rate ceiling, in mg/kg/h.
    pub fn rate_ceiling(&self) -> f64 {
        f64::from(self.settings.rate_ceiling_mg_per_kg_h)
    }

    /// The dose running now.
    pub fn current_dose(&self) -> CurrentDose {
        self.shown_state().current_dose(self.elapsed_ms())
    }

    /// What "Lower dose" proposes now: the clinic's share of the rate or dose running.
    pub fn proposed_lower(&self) -> Option<crate::domain::Dose> {
        self.settings.proposed_lower(self.current_dose())
    }

    /// The soft stops standing between the clinician and `action` now.
    pub fn soft_stops(&self, action: crate::domain::Guarded<'_>) -> Vec<String> {
        crate::domain::soft_stops(
            action,
            self.shown_state(),
            self.session.route,
            &self.settings,
            self.elapsed_ms(),
        )
    }

    /// The clock the session is measured with.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The timeline in sequence order: the saved entries, then those on their way to the disk.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The entries not yet committed, oldest first.
    pub fn pending(&self) -> &[Event] {
        &self.events[self.saved..]
    }

    /// Whether the entry `seq` is committed.
    pub fn is_saved(&self, seq: Seq) -> bool {
        self.events[..self.saved]
            .last()
            .is_some_and(|last| seq <= last.seq)
    }

    /// What the timeline adds up to now, pending entries included.
    pub fn state(&self) -> &TimelineState {
        &self.state
    }

    /// Milliseconds since the session started, from the monotonic clock.
    pub fn elapsed_ms(&self) -> i64 {
        let since_attach = self.clock.monotonic().saturating_sub(self.attached_at);
        self.base_elapsed_ms + i64::try_from(since_attach.as_millis()).unwrap_or(i64::MAX / 2)
    }

    /// Milliseconds since the first dose, if dosing has begun.
    pub fn since_dosing_ms(&self) -> Option<i64> {
        self.shown_state()
            .dosing_began_ms
            .map(|at| self.elapsed_ms() - at)
    }

    /// Milliseconds since the dose last changed, if dosing has begun.
    pub fn since_last_dose_change_ms(&self) -> Option<i64> {
        self.shown_state()
            .last_dose_change_ms
            .map(|at| self.elapsed_ms() - at)
    }

    /// Validates a command, sends its events (committed in one transaction) and waits for them;
    /// returns them as committed (the command line and tests; the window does not wait). Nothing is
    /// committed when validation fails.
    pub fn log(
        &mut self,
        sender: &mut impl Sender,
        command: LiveCommand,
    ) -> Result<&[Event], StoreError> {
        let first = self.events.len();
        self.send(sender, command, None)?;
        self.wait_for_answers()?;
        Ok(&self.events[first..])
    }

    /// Validates a command against the timeline with its pending entries and adds its entries as
    /// pending: what the journal worker is to commit, in one transaction.
    pub fn prepare(&mut self, command: LiveCommand) -> Result<Prepared, StoreError> {
        let kinds = super::rules::events_for(self, command)?;
        let now = self.stamp();
        let expected_next = self.next_seq();
        let events: Vec<NewEvent> = kinds
            .into_iter()
            .map(|kind| NewEvent {
                wall_time: now.0,
                elapsed_ms: now.1,
                kind,
            })
            .collect();
        self.add_pending(expected_next, &events);
        Ok(Prepared {
            session: self.session.id,
            expected_next,
            events,
        })
    }

    /// The oldest pending entries were committed as `committed`; returns them.
    pub fn confirm(&mut self, committed: Vec<Event>) -> &[Event] {
        let first = self.saved;
        let count = committed.len().min(self.events.len() - first);
        // The committed rows are the record: they replace the pending copies.
        self.events.splice(first..first + count, committed);
        self.saved = first + count;
        self.refold_team();
        &self.events[first..self.saved]
    }

    /// The worker could not commit the oldest pending entries, so it commits none of those after them
    /// either (each expects its place in the sequence): every pending entry is taken back.
    pub fn refuse(&mut self) -> Vec<Event> {
        let taken = self.events.split_off(self.saved);
        self.state = TimelineState::from_events(self.session.route, &self.events);
        self.refold_team();
        taken
    }

    /// Ends the session with its closing note and, when made, the after-session record, and waits
    /// for it (the command line and tests). Refused while a "sit with it" deferral has no outcome.
    pub fn end(
        &mut self,
        sender: &mut impl Sender,
        note: &str,
        discharge: Option<Discharge>,
    ) -> Result<(), StoreError> {
        self.send_end(sender, note, discharge, None)?;
        self.wait_for_answers()
    }

    /// The closing entries, pending until [`confirm_end`](Self::confirm_end): the end, after a stop
    /// of an infusion still running (a session never ends with its infusion left on in the
    /// record). Refused while a "sit with it" deferral has no outcome.
    pub fn prepare_end(
        &mut self,
        note: &str,
        discharge: Option<Discharge>,
    ) -> Result<Prepared, StoreError> {
        if !self.state.open_deferrals.is_empty() {
            return Err(SessionError::OpenDeferral.into());
        }
        let (wall_time, elapsed_ms) = self.stamp();
        let at = |kind| NewEvent {
            wall_time,
            elapsed_ms,
            kind,
        };
        let mut closing = Vec::with_capacity(2);
        // Whoever runs the pump, the infusion is stopped in the record at the session's end (a
        // colleague's rate, in a session logged together, included).
        if matches!(
            self.shown_state().administration.current(elapsed_ms),
            crate::domain::CurrentDose::Infusing { .. }
        ) {
            closing.push(at(EventKind::DoseChange {
                dose: None,
                reason: "Infusion stopped at the end of the session".to_owned(),
            }));
        }
        closing.push(at(EventKind::SessionEnded {
            note: note.trim().to_owned(),
            discharge: discharge.map(|discharge| Discharge {
                follow_up: discharge.follow_up.trim().to_owned(),
                ..discharge
            }),
        }));
        let expected_next = self.next_seq();
        self.add_pending(expected_next, &closing);
        Ok(Prepared {
            session: self.session.id,
            expected_next,
            events: closing,
        })
    }

    /// The closing entries were committed: the session has ended.
    pub fn confirm_end(&mut self, events: Vec<Event>) {
        self.session.status = crate::domain::SessionStatus::Ended;
        self.session.ended_at = events.last().map(|event| event.wall_time);
        self.confirm(events);
    }

    fn stamp(&self) -> (chrono::DateTime<chrono::Utc>, i64) {
        let floor = self.events.last().map_or(0, |event| event.elapsed_ms);
        (self.clock.wall(), self.elapsed_ms().max(floor))
    }

    pub(super) fn next_seq(&self) -> Seq {
        Seq(self.state.last_seq.map_or(1, |seq| seq.0 + 1))
    }

    /// Adds entries as they will be committed from `first`, and applies them to the state.
    fn add_pending(&mut self, first: Seq, new: &[NewEvent]) {
        for (offset, event) in (0..).zip(new) {
            let event = Event {
                session_id: self.session.id,
                seq: Seq(first.0 + offset),
                wall_time: event.wall_time,
                elapsed_ms: event.elapsed_ms,
                kind: event.kind.clone(),
            };
            self.state.apply(&event);
            self.events.push(event);
        }
        self.refold_team();
    }
}

/// Entries validated and stamped, on their way to the journal worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub session: SessionId,
    /// The sequence number the first of them must get; the worker refuses them otherwise.
    pub expected_next: Seq,
    pub events: Vec<NewEvent>,
}
