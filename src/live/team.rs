//! A live session logged with colleagues: the merged timeline the practice server orders, as this
//! journal holds it, folded with this journal's own entries not given back yet. What the session
//! adds up to on the screen (the dose running and delivered, a sit-with-it's countdown, vitals due,
//! safety flags) comes from it, so the nurse's rate change moves the therapist's total and the
//! therapist's sit-with-it counts down on the nurse's screen. What this clinician may log next is
//! still checked against their own entries (each names only its own author's entries).

use super::LiveSession;
use crate::domain::{Colleague, LiveEntry, TeamTimeline, TimelineState};
use crate::store::{Store, StoreError};

/// The session as the care team logs it.
pub(super) struct Team {
    /// The live session on the server: this journal's own, or the colleague's it joined.
    live_uuid: uuid::Uuid,
    /// This journal's clinician, as the practice knows them.
    me: Colleague,
    /// Who started the session.
    author: Colleague,
    /// The merged timeline as far as this journal holds it, in the server's order.
    merged: Vec<LiveEntry>,
    /// Someone besides this journal's clinician is in it: they joined a colleague's session, or a
    /// colleague's entry is in the merged timeline. Until then the session shows its own entries.
    shared: bool,
    timeline: TeamTimeline,
    state: TimelineState,
}

impl LiveSession {
    /// The care team's side of a session of a journal in a practice: its merged timeline as the
    /// journal keeps it. `None` for a journal in no practice.
    pub(super) fn team_of(store: &Store, session: &crate::domain::Session) -> Option<Team> {
        let me = store
            .sharing()
            .practice_membership()
            .ok()
            .flatten()?
            .colleague();
        // A session that cannot be read as a team one is logged as this journal's alone.
        let part = store.sharing().live_part(session.id).ok()?;
        let (live_uuid, author) = match part {
            Some(part) => (part.live_uuid, part.author),
            None => (session.uuid, me.clone()),
        };
        let merged = store.sharing().live_merged(live_uuid).ok()?;
        let shared = author.login != me.login || has_a_colleague(&merged, &me);
        Some(Team {
            live_uuid,
            shared,
            me,
            author,
            merged,
            timeline: TeamTimeline::default(),
            state: TimelineState::default(),
        })
    }

    /// The live session on the practice server this one is (its own, or the colleague's it
    /// joined); `None` in a journal in no practice.
    pub fn live_uuid(&self) -> Option<uuid::Uuid> {
        self.team.as_ref().map(|team| team.live_uuid)
    }

    /// Who started the session, when it is logged with colleagues.
    pub fn team_author(&self) -> Option<&Colleague> {
        self.team.as_ref().map(|team| &team.author)
    }

    /// Whether this is this journal's part of a colleague's session.
    pub fn is_joined(&self) -> bool {
        self.team
            .as_ref()
            .is_some_and(|team| team.author.login != team.me.login)
    }

    /// The merged timeline, when a colleague has written in it or this is a joined session.
    pub fn team(&self) -> Option<&TeamTimeline> {
        self.team
            .as_ref()
            .filter(|team| team.shared)
            .map(|team| &team.timeline)
    }

    /// What the session adds up to as the screen shows it: the care team's merged timeline when
    /// colleagues write in it, else this journal's own.
    pub fn shown_state(&self) -> &TimelineState {
        match &self.team {
            Some(team) if team.shared => &team.state,
            _ => &self.state,
        }
    }

    /// The timeline as the screen shows it: the care team's merged one when colleagues write in
    /// it, else this journal's own.
    pub fn shown_events(&self) -> &[crate::domain::Event] {
        self.team().map_or(self.events(), TeamTimeline::events)
    }

    /// This journal's number of the entry shown as `shown`: itself in a session nobody else is in;
    /// `None` for a colleague's entry (which this clinician's entries cannot name).
    pub fn own_seq(&self, shown: crate::domain::Seq) -> Option<crate::domain::Seq> {
        match self.team() {
            Some(team) => team.own_seq_of(shown),
            None => Some(shown),
        }
    }

    /// The number shown for this journal's own entry `own`.
    pub fn shown_seq(&self, own: crate::domain::Seq) -> Option<crate::domain::Seq> {
        match self.team() {
            Some(team) => team.merged_seq_of_own(own),
            None => Some(own),
        }
    }

    /// Who wrote the entry shown as `shown`, in a session logged with colleagues.
    pub fn author_of(&self, shown: crate::domain::Seq) -> Option<&Colleague> {
        self.team().and_then(|team| team.author_of(shown))
    }

    /// Takes entries of the merged timeline read from the server (those this journal holds already
    /// are passed over; nothing after a gap is taken).
    pub fn take_merged(&mut self, entries: &[LiveEntry]) {
        let Some(team) = &mut self.team else {
            return;
        };
        let mut next = team.merged.last().map_or(1, |entry| entry.position + 1);
        let held = team.merged.len();
        for entry in entries {
            if entry.position == next {
                team.merged.push(entry.clone());
                next += 1;
            }
        }
        if team.merged.len() > held {
            team.shared |= has_a_colleague(&team.merged[held..], &team.me);
            self.refold_team();
        }
    }

    /// Folds the merged timeline again with the own entries as they stand now.
    pub(super) fn refold_team(&mut self) {
        let route = self.session.route;
        let id = self.session.id;
        let Some(team) = &mut self.team else {
            return;
        };
        // A session nobody else is in shows its own entries: nothing to fold twice.
        if !team.shared {
            return;
        }
        team.timeline = TeamTimeline::fold(&team.merged, &team.me, &self.events, id);
        team.state = TimelineState::from_events(route, team.timeline.events());
    }

    /// The author ended the session: this journal's part of it ends too (refused while one of its
    /// own sit-with-its has no outcome, like any end).
    pub fn end_with_author(&mut self, sender: &mut impl super::Sender) -> Result<(), StoreError> {
        let author = self
            .team_author()
            .map_or_else(|| "its author".to_owned(), |author| author.name.clone());
        self.send_end(
            sender,
            &format!("The session was ended by {author}."),
            None,
            None,
        )
    }
}

/// Whether a colleague of `me` wrote any of `entries`.
fn has_a_colleague(entries: &[LiveEntry], me: &Colleague) -> bool {
    entries.iter().any(|entry| entry.author.login != me.login)
}
