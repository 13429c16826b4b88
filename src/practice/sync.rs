//! A sync in steps: connect as the journal's login and register its keys, then push what it
//! recorded and pull what it may read, a batch at a time. Each step's network part reads the
//! journal through a reader and never writes; what the step brings is written by
//! [`write_step`], a short local transaction the window hands to its journal worker, so logging
//! never waits on the server. A sync stopped or killed between steps keeps what the server
//! confirmed, and the next one goes on from there.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use postgres::Client;
use serde::Serialize;

use super::pull::{Incoming, PullPlan, write_incoming};
use super::push::{Moved, push_step};
use super::refused::Refused;
use super::setup::{practice_identity, who_am_i};
use super::{PracticeAddress, PracticeError};
use crate::domain::{PracticeMembership, SessionId};
use crate::store::{ColleagueFetch, EmergencyOpening, Pushed, Store, StoreError};

/// What moved in one sync, in numbers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Rows this journal added to the server.
    pub pushed: Moved,
    /// Rows of colleagues' sessions copied into this journal.
    pub pulled: Moved,
    /// Colleagues' sessions refused for the first time at this sync, each with why.
    pub refused: Vec<Refused>,
    /// Colleagues' sessions refused at an earlier sync and again at this one (kept out, not named
    /// again; the practice's admin lists them with `practice problems`).
    pub still_refused: usize,
    /// Sessions of this journal not sent because the server holds them as another clinician's
    /// (the same session imported into two journals).
    pub held_by_others: Vec<uuid::Uuid>,
    /// The address asked for a connection in clear text (`sslmode=disable`) to a server off this
    /// computer: said at every sync.
    pub in_clear: bool,
    /// Sessions of this journal whose client is not linked to a practice client: kept here.
    pub not_linked: Vec<uuid::Uuid>,
    /// New sessions of a linked client whose care team does not include this login: kept here.
    pub off_team: Vec<uuid::Uuid>,
    /// Practice clients this login may read that no client of this journal is linked to: nothing
    /// of them is copied until one is.
    pub unlinked_practice_clients: Vec<String>,
    /// This journal's live sessions announced to their care teams, and ends said.
    pub live: super::live::Announced,
}

impl SyncReport {
    /// The sync in one or two sentences.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "Sent {} sessions ({} entries, {} signatures, {} addenda, {} check-ins); received {} sessions ({} entries, {} signatures, {} addenda, {} check-ins).",
            self.pushed.sessions,
            self.pushed.entries,
            self.pushed.signatures,
            self.pushed.addenda,
            self.pushed.check_ins,
            self.pulled.sessions,
            self.pulled.entries,
            self.pulled.signatures,
            self.pulled.addenda,
            self.pulled.check_ins,
        );
        if self.in_clear {
            text.push_str(
                " The connection was not encrypted (the address says sslmode=disable): anyone on the network between here and the practice server could read what moved.",
            );
        }
        for refused in &self.refused {
            text.push(' ');
            text.push_str(&refused.describe());
        }
        if self.still_refused > 0 {
            let _ = write!(
                text,
                " {} colleagues' sessions stay refused, as at an earlier sync; the practice's admin lists them with kap-journal practice problems.",
                self.still_refused
            );
        }
        if self.live.started > 0 {
            let _ = write!(
                text,
                " {} live sessions are shown to their clients' care teams, who may join them.",
                self.live.started
            );
        }
        if !self.not_linked.is_empty() {
            let _ = write!(
                text,
                " {} of this journal's sessions stayed here: their clients are not linked to practice clients (kap-journal practice link CODE PRACTICE_CODE).",
                self.not_linked.len()
            );
        }
        if !self.off_team.is_empty() {
            let _ = write!(
                text,
                " {} sessions stayed here: this login is not on their client's care team at the practice.",
                self.off_team.len()
            );
        }
        if !self.unlinked_practice_clients.is_empty() {
            let _ = write!(
                text,
                " The practice has sessions of {} clients this journal has not linked ({}); link one to receive its sessions.",
                self.unlinked_practice_clients.len(),
                self.unlinked_practice_clients.join(", ")
            );
        }
        for uuid in &self.held_by_others {
            let _ = write!(
                text,
                " Session {uuid} was not sent: the practice holds it as another clinician's record."
            );
        }
        text
    }
}

/// The local part of one step: what the server now holds, and colleagues' sessions to copy.
#[derive(Debug)]
pub struct SyncStep {
    marks: Vec<(SessionId, Pushed)>,
    /// Who received what was pushed, for the accounting of disclosures.
    recipient: String,
    /// What the server says was disclosed, at the sync's last step.
    disclosed: Option<ServerDisclosures>,
    incoming: Vec<Incoming>,
    at: DateTime<Utc>,
}

/// Colleagues' fetches the server logged since the last sync and the emergency openings it keeps,
/// for the accounting of disclosures.
#[derive(Debug)]
struct ServerDisclosures {
    practice: uuid::Uuid,
    fetches: Vec<ColleagueFetch>,
    openings: Vec<EmergencyOpening>,
}

/// What writing a step copied, and which copies it refused.
#[derive(Debug, Clone, Default)]
pub struct StepWritten {
    pulled: Moved,
    refused: Vec<Refused>,
    copied: Vec<uuid::Uuid>,
}

/// Writes one step into the journal (the journal worker's part of a sync).
pub fn write_step(store: &mut Store, step: SyncStep) -> Result<StepWritten, StoreError> {
    if !step.marks.is_empty() {
        store
            .sharing_mut()
            .mark_practice_pushed(&step.marks, &step.recipient, step.at)?;
    }
    if let Some(disclosed) = &step.disclosed {
        store
            .sharing_mut()
            .record_colleague_fetches(disclosed.practice, &disclosed.fetches)?;
        store
            .sharing_mut()
            .record_emergency_openings(disclosed.practice, &disclosed.openings)?;
    }
    if step.incoming.is_empty() {
        return Ok(StepWritten::default());
    }
    let pulled = write_incoming(store, step.incoming, step.at)?;
    Ok(StepWritten {
        pulled: pulled.moved,
        refused: pulled.refused,
        copied: pulled.copied,
    })
}

/// A sync under way: the connection and what is left to do.
pub struct SyncConnection {
    client: Client,
    address: PracticeAddress,
    membership: PracticeMembership,
    /// What is left to push, worked out at the first step and read a batch ahead.
    push: Option<super::push_prepare::Preparer>,
    /// What is left to pull, once the push is done.
    pull: Option<PullPlan>,
    /// Colleagues' sessions refused at earlier syncs.
    known_refused: HashSet<uuid::Uuid>,
    /// Whether the colleagues' fetches have come in (the sync's last step).
    fetches_taken: bool,
    /// Sessions this sync copied for the first time: their fetches are taken in whatever their
    /// number in the log (a colleague may have fetched one before this journal could read it).
    copied: Vec<uuid::Uuid>,
    report: SyncReport,
}

impl SyncConnection {
    /// Connects as the journal's login (read from `reader`), checks it is still one of the
    /// practice's clinicians, and registers the journal's signing keys.
    pub fn open(reader: &Store) -> Result<Self, PracticeError> {
        let (membership, address, mut client) = super::setup::connect_as_member(reader)?;
        let (name, role) = who_am_i(&mut client, &address)?;
        // Before anything is sent or copied: a journal older than it was at its last sync.
        super::witness::check(&mut client, &address, reader)?;
        let practice = practice_identity(&mut client, &address)?;
        super::key_registry::register(&mut client, reader, &address, practice)?;
        // The care team sees a session while it runs, and no more once it has ended.
        let live =
            super::live::announce(&mut client, reader).map_err(|failure| failure.at(&address))?;
        let in_clear = address.travels_in_clear();
        let not_linked = reader.sharing().practice_unlinked_sessions()?;
        let known_refused = reader.sharing().practice_quarantined()?;
        Ok(Self {
            client,
            address,
            membership: PracticeMembership {
                name,
                role,
                practice_id: Some(practice),
                ..membership
            },
            push: None,
            pull: None,
            known_refused,
            fetches_taken: false,
            copied: Vec::new(),
            report: SyncReport {
                in_clear,
                not_linked,
                live,
                ..SyncReport::default()
            },
        })
    }

    /// Does the network part of the next step, reading the journal through `reader` (which must
    /// see every earlier step written); `None` once the sync is done.
    pub fn next_step(
        &mut self,
        reader: &Store,
        at: DateTime<Utc>,
    ) -> Result<Option<SyncStep>, PracticeError> {
        if self.pull.is_none() {
            let preparer = match &mut self.push {
                Some(preparer) => preparer,
                None => self.push.insert(super::push_prepare::Preparer::start(
                    reader,
                    reader.sharing().practice_push_due()?,
                    self.address.login(),
                )?),
            };
            if let Some(pushed) = push_step(&mut self.client, &self.address, reader, preparer)? {
                self.report.pushed.add(pushed.moved);
                self.report.held_by_others.extend(pushed.held_by_others);
                self.report.off_team.extend(pushed.off_team);
                return Ok(Some(SyncStep {
                    marks: pushed.marks,
                    recipient: self.address.recipient(),
                    disclosed: None,
                    incoming: Vec::new(),
                    at,
                }));
            }
            let practice = self
                .membership
                .practice_id
                .ok_or(PracticeError::ServerBeforeCareTeams)?;
            let plan = PullPlan::new(
                &mut self.client,
                &self.address,
                &self.membership.password,
                reader,
                practice,
            )?;
            self.report.unlinked_practice_clients = plan.unlinked_clients().to_vec();
            self.pull = Some(plan);
        }
        let Some(plan) = &mut self.pull else {
            return Ok(None);
        };
        if let Some(incoming) = plan.next(&mut self.client, &self.address)? {
            return Ok(Some(SyncStep {
                marks: Vec::new(),
                recipient: String::new(),
                disclosed: None,
                incoming,
                at,
            }));
        }
        if self.fetches_taken {
            return Ok(None);
        }
        // Everything is written: what was refused for the first time goes on the practice's
        // problem list, the server notes the journal's newest commit, and the colleagues' fetches
        // logged since the last sync and the emergency openings come in for the accounting of
        // disclosures.
        super::problems::report(&mut self.client, &self.address, &self.report.refused)?;
        super::witness::note(&mut self.client, &self.address, reader)?;
        self.fetches_taken = true;
        let practice = self
            .membership
            .practice_id
            .ok_or(PracticeError::ServerBeforeCareTeams)?;
        let since = reader.sharing().last_colleague_fetch(practice)?;
        let fetches = super::fetch_log::colleague_fetches(
            &mut self.client,
            &self.address,
            since,
            &self.copied,
        )?;
        let openings = super::fetch_log::emergency_openings(&mut self.client, &self.address)?;
        Ok(Some(SyncStep {
            marks: Vec::new(),
            recipient: String::new(),
            disclosed: Some(ServerDisclosures {
                practice,
                fetches,
                openings,
            }),
            incoming: Vec::new(),
            at,
        }))
    }

    /// What the sync has moved so far.
    pub fn report(&self) -> &SyncReport {
        &self.report
    }

    /// Takes in what a written step copied.
    pub fn written(&mut self, written: StepWritten) {
        self.report.pulled.add(written.pulled);
        self.copied.extend(written.copied);
        for refused in written.refused {
            if self.known_refused.contains(&refused.uuid) {
                self.report.still_refused += 1;
            } else {
                self.report.refused.push(refused);
            }
        }
    }

    /// The finished sync's report, and the membership as it now stands (to be saved).
    pub fn finish(self, at: DateTime<Utc>) -> (SyncReport, PracticeMembership) {
        let membership = PracticeMembership {
            last_sync: Some(at),
            ..self.membership
        };
        (self.report, membership)
    }
}

/// A whole sync on `store` at once (the command line): every step written as it comes. `stop`
/// is asked between steps.
pub fn sync(
    store: &mut Store,
    now: DateTime<Utc>,
    stop: &dyn Fn() -> bool,
) -> Result<SyncReport, PracticeError> {
    let mut connection = SyncConnection::open(store)?;
    while let Some(step) = connection.next_step(store, now)? {
        let written = write_step(store, step)?;
        connection.written(written);
        if stop() {
            return Err(PracticeError::Stopped);
        }
    }
    let (report, membership) = connection.finish(now);
    store.sharing_mut().save_practice_membership(&membership)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_in_clear_text_says_so_every_time() {
        let quiet = SyncReport::default().describe();
        assert!(!quiet.contains("not encrypted"), "{quiet}");
        let said = SyncReport {
            in_clear: true,
            ..SyncReport::default()
        }
        .describe();
        assert!(said.contains("The connection was not encrypted"), "{said}");
    }
}
