//! The prep sheet for the next talk-therapy appointment: the last few sessions' intentions, what was
//! marked to bring to integration (with the entry before it as context), the decision points and how
//! their deferrals ended, and the themes still open.

use std::collections::HashMap;

use super::Statistics;
use crate::domain::{
    Client, ClientId, Decision, DecisionPoint, DeferralOutcome, Event, EventKind, Seq,
    TimelineState, decisions_of_deferrals,
};
use crate::store::{SessionFilter, SessionSummary, Store, StoreError};

/// How many recent sessions the sheet covers; five minutes of reading, not more.
pub const PREP_SESSIONS: usize = 3;

/// An entry marked "bring to integration" and the entry before it, which usually says what led there
/// (another mark is skipped: it says nothing of what happened).
#[derive(Debug, Clone, PartialEq)]
pub struct MarkedEntry {
    pub entry: Event,
    pub context: Option<Event>,
}

/// A decision point and, when it was to sit with it, how that ended.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionSummary {
    pub seq: Seq,
    pub elapsed_ms: i64,
    pub point: DecisionPoint,
    pub outcome: Option<(DeferralOutcome, String)>,
}

impl DecisionSummary {
    /// Material the client could not yet stay with: lowered or stopped at once, or a deferral that did
    /// not end worked through. These are the themes to take up in integration.
    pub fn is_open_theme(&self) -> bool {
        match self.point.decision {
            Decision::LowerNow | Decision::Stop => true,
            Decision::Hold => false,
            Decision::SitWithIt { .. } => {
                !matches!(self.outcome, Some((DeferralOutcome::WorkedThrough, _)))
            }
        }
    }
}

/// One recent session on the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepSession {
    pub summary: SessionSummary,
    pub intention: String,
    pub marked: Vec<MarkedEntry>,
    pub decisions: Vec<DecisionSummary>,
}

/// Everything the therapist reads before an integration appointment with one client.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepSheet {
    pub client: Client,
    /// Newest first.
    pub sessions: Vec<PrepSession>,
    /// The themes still open across those sessions, newest first, each once.
    pub open_themes: Vec<String>,
    /// All of the client's sessions, per model.
    pub statistics: Statistics,
    /// The newest positive suicide risk screen or PHQ-9 item 9 above zero, in any session, with
    /// the safety plan.
    pub suicide_risk: Option<super::SuicideRisk>,
}

impl PrepSheet {
    /// Reads the client's recent sessions from the journal.
    pub fn load(store: &Store, client: ClientId) -> Result<Self, StoreError> {
        let client = store.record().client(client)?;
        let all = store.record().session_summaries(&SessionFilter {
            client_code: Some(client.code.clone()),
            ..SessionFilter::default()
        })?;
        let sessions = all
            .iter()
            .take(PREP_SESSIONS)
            .map(|summary| {
                let session = store.record().session(summary.id)?;
                let events = store.record().events(summary.id)?;
                Ok(prep_session(summary.clone(), session.intention, &events))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut open_themes: Vec<String> = Vec::new();
        for decision in sessions
            .iter()
            .flat_map(|session| &session.decisions)
            .filter(|decision| decision.is_open_theme())
        {
            let theme = if decision.point.detail.is_empty() {
                decision.point.came_up.label().to_owned()
            } else {
                decision.point.detail.clone()
            };
            if !open_themes.contains(&theme) {
                open_themes.push(theme);
            }
        }
        Ok(Self {
            suicide_risk: super::SuicideRisk::of(store, client.id, &all)?,
            client,
            sessions,
            open_themes,
            statistics: Statistics::of(&all),
        })
    }
}

/// One session's part of the sheet, from its timeline.
pub fn prep_session(summary: SessionSummary, intention: String, events: &[Event]) -> PrepSession {
    // A decision's kinds as last set (a `decision_detail` set afterwards).
    let events = &*crate::domain::decision_detail::applied(events);
    let state = TimelineState::from_events(summary.route, events);
    let index: HashMap<Seq, usize> = events
        .iter()
        .enumerate()
        .map(|(at, event)| (event.seq, at))
        .collect();
    let marked = state
        .marked
        .iter()
        .filter_map(|seq| index.get(seq))
        .map(|&at| MarkedEntry {
            entry: events[at].clone(),
            context: events[..at]
                .iter()
                .rev()
                .find(|before| !matches!(before.kind, EventKind::Marker { .. }))
                .cloned(),
        })
        .collect();
    // Deferral start → decision, then outcome → deferral: join the two to the decision point.
    let decision_of_deferral = decisions_of_deferrals(events);
    let mut outcomes: HashMap<Seq, (DeferralOutcome, String)> = HashMap::new();
    for event in events {
        if let EventKind::DeferralOutcome {
            deferral_seq,
            outcome,
            note,
        } = &event.kind
            && let Some(decision) = decision_of_deferral.get(deferral_seq)
        {
            outcomes.insert(*decision, (*outcome, note.clone()));
        }
    }
    let decisions = events
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::DecisionPoint(point) => Some(DecisionSummary {
                seq: event.seq,
                elapsed_ms: event.elapsed_ms,
                point: point.clone(),
                outcome: outcomes.get(&event.seq).cloned(),
            }),
            _ => None,
        })
        .collect();
    PrepSession {
        summary,
        intention,
        marked,
        decisions,
    }
}
