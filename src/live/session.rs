use std::sync::Arc;
use std::time::Duration;

use super::{Clock, LiveCommand};
use crate::domain::{
    Client, ClinicSettings, CurrentDose, Discharge, Event, EventKind, NewSession, Seq, Session,
    SessionError, SessionId, TimelineState,
};
use crate::store::{NewEvent, Store, StoreError};

/// A session being logged right now: its committed timeline and the clocks that measure it.
pub struct LiveSession {
    session: Session,
    client: Client,
    events: Vec<Event>,
    state: TimelineState,
    clock: Arc<dyn Clock>,
    /// Elapsed session time when this engine attached to the session (0 at start, more after a restart).
    base_elapsed_ms: i64,
    /// The monotonic reading when this engine attached.
    attached_at: Duration,
    /// The clinic's rules this session is logged under (rate ceiling, the lowering proposed).
    settings: ClinicSettings,
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
        let (session, events) = store.start_session_with(new, now, &first)?;
        Self::attach(store, clock, session, events)
    }

    /// Picks a live session up again, e.g. after the app was closed or the laptop died.
    pub fn resume(
        store: &mut Store,
        clock: Arc<dyn Clock>,
        id: SessionId,
    ) -> Result<Self, StoreError> {
        let session = store.session(id)?;
        if session.status != crate::domain::SessionStatus::Live {
            return Err(SessionError::NotLive.into());
        }
        let events = store.events(id)?;
        Self::attach(store, clock, session, events)
    }

    fn attach(
        store: &Store,
        clock: Arc<dyn Clock>,
        session: Session,
        events: Vec<Event>,
    ) -> Result<Self, StoreError> {
        let client = store.client(session.client_id)?;
        // After a restart the monotonic clock starts again; continue from the wall-clock gap, but never
        // before the last committed event, so elapsed time only grows.
        let since_start = (clock.wall() - session.started_at)
            .num_milliseconds()
            .max(0);
        let last_elapsed = events.last().map_or(0, |event| event.elapsed_ms);
        let state = TimelineState::from_events(&events);
        // Unreadable settings must not keep a session from being logged: the defaults are safe ones.
        let settings = store.clinic_settings().unwrap_or_default();
        Ok(Self {
            settings,
            base_elapsed_ms: since_start.max(last_elapsed),
            attached_at: clock.monotonic(),
            session,
            client,
            events,
            state,
            clock,
        })
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The weight this session's doses are worked out with: today's checklist, else the one it
    /// started with (an older session without one: its client's).
    pub fn weight_kg(&self) -> Option<f64> {
        self.state
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
        self.state.current_dose(self.elapsed_ms())
    }

    /// What "Lower dose" proposes now: the clinic's share of the rate or dose running.
    pub fn proposed_lower(&self) -> Option<crate::domain::Dose> {
        self.settings.proposed_lower(self.current_dose())
    }

    /// The soft stops standing between the clinician and `action` now.
    pub fn soft_stops(&self, action: crate::domain::Guarded<'_>) -> Vec<String> {
        crate::domain::soft_stops(
            action,
            &self.state,
            self.session.route,
            &self.settings,
            self.elapsed_ms(),
        )
    }

    /// The clock the session is measured with.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The committed timeline, in sequence order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// What the timeline adds up to now.
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
        self.state.dosing_began_ms.map(|at| self.elapsed_ms() - at)
    }

    /// Milliseconds since the dose last changed, if dosing has begun.
    pub fn since_last_dose_change_ms(&self) -> Option<i64> {
        self.state
            .last_dose_change_ms
            .map(|at| self.elapsed_ms() - at)
    }

    /// Validates a command, commits its events in one transaction and returns them.
    /// Nothing is committed when validation fails.
    pub fn log(&mut self, store: &mut Store, command: LiveCommand) -> Result<&[Event], StoreError> {
        let kinds = super::rules::events_for(self, command)?;
        let now = self.stamp();
        let new: Vec<NewEvent> = kinds
            .into_iter()
            .map(|kind| NewEvent {
                wall_time: now.0,
                elapsed_ms: now.1,
                kind,
            })
            .collect();
        let committed = store.append_events(self.session.id, self.next_seq(), &new)?;
        Ok(self.remember(committed))
    }

    /// Ends the session with its closing note and, when made, the after-session record. Refused
    /// while a "sit with it" deferral has no outcome.
    pub fn end(
        &mut self,
        store: &mut Store,
        note: &str,
        discharge: Option<Discharge>,
    ) -> Result<(), StoreError> {
        if !self.state.open_deferrals.is_empty() {
            return Err(SessionError::OpenDeferral.into());
        }
        let (wall_time, elapsed_ms) = self.stamp();
        let closing = NewEvent {
            wall_time,
            elapsed_ms,
            kind: EventKind::SessionEnded {
                note: note.trim().to_owned(),
                discharge: discharge.map(|discharge| Discharge {
                    follow_up: discharge.follow_up.trim().to_owned(),
                    ..discharge
                }),
            },
        };
        let event = store.end_session(self.session.id, self.next_seq(), &closing)?;
        self.session.status = crate::domain::SessionStatus::Ended;
        self.session.ended_at = Some(wall_time);
        self.remember(vec![event]);
        Ok(())
    }

    fn stamp(&self) -> (chrono::DateTime<chrono::Utc>, i64) {
        let floor = self.events.last().map_or(0, |event| event.elapsed_ms);
        (self.clock.wall(), self.elapsed_ms().max(floor))
    }

    pub(super) fn next_seq(&self) -> Seq {
        Seq(self.state.last_seq.map_or(1, |seq| seq.0 + 1))
    }

    fn remember(&mut self, committed: Vec<Event>) -> &[Event] {
        let first_new = self.events.len();
        for event in &committed {
            self.state.apply(event);
        }
        self.events.extend(committed);
        &self.events[first_new..]
    }
}
