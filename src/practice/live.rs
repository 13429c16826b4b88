//! Live co-sessions at the practice (live.sql): a session running in a journal is announced to
//! the server, so the clinicians on its client's care team see it and may join it; its end is said
//! when it has ended. A sync announces and ends (`announce`), `kap-journal live` lists what this
//! login may join (`live_sessions`), and a clinician joins one (`join`). Nothing here waits on the
//! journal: it reads it and writes to the server only.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use postgres::Client;
use serde::Serialize;

use super::{PracticeAddress, PracticeError};
pub use crate::domain::Colleague;
use crate::domain::{PracticeMembership, Session};
use crate::store::Store;

/// A live session of the practice that this login may see and join.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveInPractice {
    pub uuid: uuid::Uuid,
    /// The practice's code of the client.
    pub client_code: String,
    /// `kap` or `medical`.
    pub model: String,
    /// As the journal names it (`iv_infusion`, …).
    pub route: String,
    /// The planned dose, as the JSON archive writes one.
    pub planned_dose: serde_json::Value,
    /// The weight the session is dosed by, when known.
    pub weight_kg: Option<f64>,
    /// What the client hopes to meet or understand.
    pub intention: String,
    /// How the client wants to be supported when it gets hard.
    pub comfort_plan: String,
    pub started_at: DateTime<Utc>,
    /// The clinic's IANA time zone.
    pub zone: Option<String>,
    /// Who started it: the login and the name the practice knows them by.
    pub author: Colleague,
    /// Who joined it, first to join first.
    pub joined: Vec<Joined>,
}

impl LiveInPractice {
    /// Its model and route as a clinician reads them ("KAP · IV infusion").
    pub fn kind_line(&self) -> String {
        let model = crate::domain::TreatmentModel::parse(&self.model)
            .map_or("an unknown model", crate::domain::TreatmentModel::label);
        let route = crate::domain::Route::parse(&self.route)
            .map_or("an unknown route", crate::domain::Route::label);
        format!("{model} · {route}")
    }

    /// Who joined, by name, first to join first ("Dr. A, Dr. B"); `None` while nobody has.
    pub fn joined_names(&self) -> Option<String> {
        (!self.joined.is_empty()).then(|| {
            self.joined
                .iter()
                .map(|joined| joined.colleague.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// One who joined a live session, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Joined {
    pub colleague: Colleague,
    pub at: DateTime<Utc>,
}

/// What a sync said of this journal's live sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Announced {
    /// Live sessions announced for the first time.
    pub started: usize,
    /// Announced sessions whose end was said.
    pub ended: usize,
    /// Entries of this journal's live sessions added to their merged timelines.
    pub entries: usize,
}

/// A connection as the journal's login, for the live sessions of its practice.
pub struct LiveConnection {
    pub(super) client: Client,
    pub(super) address: PracticeAddress,
    /// Whether the server has a place for live sessions, once asked (its shape does not change
    /// while connected).
    knows_live: Option<bool>,
    /// Sessions this connection has seen shown, so a push does not show them again.
    shown: HashSet<uuid::Uuid>,
    /// Whether this connection listens on `kap_live` already.
    pub(super) listening: bool,
}

impl LiveConnection {
    /// Connects as the journal's login (read from `reader`); an admin, who records no sessions,
    /// joins none.
    pub fn open(reader: &Store) -> Result<Self, PracticeError> {
        let (_, address, client) = super::setup::connect_as_member(reader)?;
        Ok(Self::over(client, address))
    }

    /// Connects as `membership`'s login (read from the journal beforehand, so a job thread needs no
    /// reader of its own).
    pub fn for_member(membership: &PracticeMembership) -> Result<Self, PracticeError> {
        let (address, client) = super::setup::connect_member(membership)?;
        Ok(Self::over(client, address))
    }

    fn over(client: Client, address: PracticeAddress) -> Self {
        Self {
            client,
            address,
            knows_live: None,
            shown: HashSet::new(),
            listening: false,
        }
    }

    /// The practice's live sessions this login may see, newest first.
    pub fn live_sessions(&mut self) -> Result<Vec<LiveInPractice>, PracticeError> {
        live_sessions(&mut self.client).map_err(|error| self.address.error(&error))
    }

    /// Joins the live session `uuid`; joining twice is joining once.
    pub fn join(&mut self, uuid: uuid::Uuid) -> Result<(), PracticeError> {
        join(&mut self.client, uuid).map_err(|error| {
            if is_refused_by_policy(&error) {
                PracticeError::CannotJoin
            } else {
                self.address.error(&error)
            }
        })
    }
}

/// Announces `reader`'s live sessions of clients linked to the practice whose care team this
/// login is on, and says the end of those it announced that run here no more.
pub(super) fn announce(client: &mut Client, reader: &Store) -> Result<Announced, LiveFailure> {
    if !knows_live(client)? {
        return Ok(Announced::default());
    }
    let running = reader.record().live_sessions()?;
    let mut announced = Announced::default();
    let mut here = HashSet::new();
    for session in &running {
        if let Some(part) = reader.sharing().live_part(session.id)? {
            // A part of a colleague's session is theirs to announce; its entries go into it.
            if super::live_timeline::standing(client, part.live_uuid)? == Some(false) {
                announced.entries += super::live_timeline::push_own_entries(
                    client,
                    reader,
                    session,
                    part.live_uuid,
                )?;
            }
            continue;
        }
        here.insert(session.uuid);
        if let Some(first) = show(client, reader, session)? {
            announced.started += usize::from(first);
            announced.entries +=
                super::live_timeline::push_own_entries(client, reader, session, session.uuid)?;
        }
    }
    let open: Vec<uuid::Uuid> = client
        .query(
            "SELECT s.uuid FROM kap.live_sessions s
             WHERE s.author = kap.me()
               AND NOT EXISTS (SELECT 1 FROM kap.live_ends e WHERE e.session_uuid = s.uuid)",
            &[],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect();
    for uuid in open.into_iter().filter(|uuid| !here.contains(uuid)) {
        let (entries, ended) = say_end(client, reader, uuid)?;
        announced.entries += entries;
        announced.ended += usize::from(ended);
    }
    Ok(announced)
}

/// Whether the server has a place for live sessions: one set up before them (until its owner runs
/// practice upgrade) has none, and a sync goes on without.
fn knows_live(client: &mut Client) -> Result<bool, postgres::Error> {
    Ok(client
        .query_one("SELECT to_regclass('kap.live_sessions') IS NOT NULL", &[])?
        .get(0))
}

/// Shows the live `session` to its client's care team: `Some(true)` the first time, `Some(false)`
/// when the server had it, `None` when it stays this journal's alone (its client is not linked, or
/// this login is off the care team).
fn show(
    client: &mut Client,
    reader: &Store,
    session: &Session,
) -> Result<Option<bool>, LiveFailure> {
    let Some(code) = reader.sharing().practice_link(session.client_id)? else {
        return Ok(None);
    };
    let planned_dose = serde_json::to_value(session.planned_dose)
        .map_err(|_| LiveFailure::Journal(crate::store::StoreError::Damaged("a planned dose")))?;
    let inserted = client.execute(
        "INSERT INTO kap.live_sessions (uuid, client_code, model, route, planned_dose, weight_kg,
                                       intention, comfort_plan, started_at, zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (uuid) DO NOTHING",
        &[
            &session.uuid,
            &code,
            &session.model.as_str(),
            &session.route.as_str(),
            &planned_dose,
            &session.weight_kg,
            &session.intention,
            &session.comfort_plan,
            &session.started_at,
            &session.zone.map(|zone| zone.to_string()),
        ],
    );
    match inserted {
        Ok(rows) => Ok(Some(rows > 0)),
        Err(error) if is_refused_by_policy(&error) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Pushes what was written of the session `uuid` up to its end, the end included, then says the
/// end: how many entries went, and whether the end was new to the server.
fn say_end(
    client: &mut Client,
    reader: &Store,
    uuid: uuid::Uuid,
) -> Result<(usize, bool), LiveFailure> {
    let entries = match reader.record().session_of_uuid(uuid)? {
        Some(ended) => super::live_timeline::push_own_entries(client, reader, &ended, uuid)?,
        None => 0,
    };
    let said = client.execute(
        "INSERT INTO kap.live_ends (session_uuid) VALUES ($1) ON CONFLICT DO NOTHING",
        &[&uuid],
    )?;
    Ok((entries, said > 0))
}

/// Where one live session of this journal stands with the practice, after [`LiveConnection::share`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shared {
    /// Its client is not linked to the practice, this login is off the care team, or the server
    /// has no place for live sessions yet: it is this journal's alone.
    NotShown,
    /// Shown to the care team, with who joined (by name), first to join first.
    Shown { joined: Vec<String> },
    /// Ended, and the end said.
    Ended,
}

impl LiveConnection {
    /// Brings the practice up to date with this journal's session `uuid`: shows it to the care team
    /// while it runs and pushes what was written since; once it has ended, pushes the last of it and
    /// says the end.
    pub fn share(&mut self, reader: &Store, uuid: uuid::Uuid) -> Result<Shared, PracticeError> {
        self.shared(reader, uuid)
            .map_err(|failure| failure.at(&self.address))
    }

    fn shared(&mut self, reader: &Store, uuid: uuid::Uuid) -> Result<Shared, LiveFailure> {
        match reader.record().session_of_uuid(uuid)? {
            Some(session) => self.shared_session(reader, &session),
            None => Ok(Shared::NotShown),
        }
    }

    /// [`share`](Self::share) of a session already read from the journal.
    pub(super) fn shared_session(
        &mut self,
        reader: &Store,
        session: &Session,
    ) -> Result<Shared, LiveFailure> {
        let uuid = session.uuid;
        let knows_live = match self.knows_live {
            Some(knows) => knows,
            None => *self.knows_live.insert(knows_live(&mut self.client)?),
        };
        if !knows_live {
            return Ok(Shared::NotShown);
        }
        if let Some(part) = reader.sharing().live_part(session.id)? {
            return super::live_join::share_part(self, reader, session, part.live_uuid);
        }
        let client = &mut self.client;
        if session.status != crate::domain::SessionStatus::Live {
            let on_server: bool = client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM kap.live_sessions WHERE uuid = $1)",
                    &[&uuid],
                )?
                .get(0);
            if on_server {
                say_end(client, reader, uuid)?;
                return Ok(Shared::Ended);
            }
            return Ok(Shared::NotShown);
        }
        if !self.shown.contains(&uuid) {
            if show(client, reader, session)?.is_none() {
                return Ok(Shared::NotShown);
            }
            self.shown.insert(uuid);
        }
        super::live_timeline::push_own_entries(client, reader, session, uuid)?;
        Ok(Shared::Shown {
            joined: joined_names(client, uuid)?,
        })
    }
}

/// Who joined the live session `uuid`, by name, first to join first.
pub(super) fn joined_names(
    client: &mut Client,
    uuid: uuid::Uuid,
) -> Result<Vec<String>, postgres::Error> {
    Ok(client
        .query(
            "SELECT c.name FROM kap.live_joins j JOIN kap.clinicians c ON c.login = j.login
             WHERE j.session_uuid = $1 ORDER BY j.joined_at, j.login",
            &[&uuid],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect())
}

impl LiveFailure {
    /// The failure as the sentence of the practice at `address`.
    pub(super) fn at(self, address: &PracticeAddress) -> PracticeError {
        match self {
            Self::Journal(error) => error.into(),
            Self::Server(error) => address.error(&error),
        }
    }
}

/// Why announcing stopped: the journal could not be read, or the server refused.
#[derive(Debug)]
pub(super) enum LiveFailure {
    Journal(crate::store::StoreError),
    Server(postgres::Error),
}

impl From<crate::store::StoreError> for LiveFailure {
    fn from(error: crate::store::StoreError) -> Self {
        Self::Journal(error)
    }
}

impl From<postgres::Error> for LiveFailure {
    fn from(error: postgres::Error) -> Self {
        Self::Server(error)
    }
}

fn live_sessions(client: &mut Client) -> Result<Vec<LiveInPractice>, postgres::Error> {
    let mut joined: HashMap<uuid::Uuid, Vec<Joined>> = HashMap::new();
    for row in client.query(
        "SELECT j.session_uuid, j.login::text, c.name, j.joined_at
         FROM kap.live_joins j JOIN kap.clinicians c ON c.login = j.login
         WHERE NOT EXISTS (SELECT 1 FROM kap.live_ends e WHERE e.session_uuid = j.session_uuid)
         ORDER BY j.joined_at, j.login",
        &[],
    )? {
        joined.entry(row.get(0)).or_default().push(Joined {
            colleague: Colleague {
                login: row.get(1),
                name: row.get(2),
            },
            at: row.get(3),
        });
    }
    let rows = client.query(
        "SELECT s.uuid, s.client_code, s.model, s.route, s.started_at, s.zone, s.author::text, c.name,
                s.planned_dose, s.weight_kg, s.intention, s.comfort_plan
         FROM kap.live_sessions s JOIN kap.clinicians c ON c.login = s.author
         WHERE NOT EXISTS (SELECT 1 FROM kap.live_ends e WHERE e.session_uuid = s.uuid)
         ORDER BY s.started_at DESC, s.uuid",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| {
            let uuid = row.get(0);
            LiveInPractice {
                uuid,
                client_code: row.get(1),
                model: row.get(2),
                route: row.get(3),
                started_at: row.get(4),
                zone: row.get(5),
                author: Colleague {
                    login: row.get(6),
                    name: row.get(7),
                },
                planned_dose: row.get(8),
                weight_kg: row.get(9),
                intention: row.get(10),
                comfort_plan: row.get(11),
                joined: joined.remove(&uuid).unwrap_or_default(),
            }
        })
        .collect())
}

fn join(client: &mut Client, uuid: uuid::Uuid) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO kap.live_joins (session_uuid) VALUES ($1) ON CONFLICT DO NOTHING",
        &[&uuid],
    )?;
    Ok(())
}

/// The server's row-level security refused the row (SQLSTATE 42501).
fn is_refused_by_policy(error: &postgres::Error) -> bool {
    error.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
}
