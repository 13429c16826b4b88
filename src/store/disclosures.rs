//! The journal's accounting of disclosures (migration 26): every export, print, backup and push,
//! and every colleague's fetch the practice server logged. Rows are never changed or removed. A
//! store that only reads (a command beside the window) records through the outbox instead
//! (`disclosure_outbox`), which the writer takes in when it opens.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension as _, params};

use super::disclosure_outbox::{self, OutboxLine};
use super::open::AccessMode;
use super::{Store, StoreError, from_ms, to_ms};
use crate::domain::{
    ClientId, Disclosure, DisclosureKind, DisclosureScope, NewDisclosure, SessionId,
};

/// Migration 26.
pub(super) const CREATE_DISCLOSURES: &str = r"
    CREATE TABLE disclosures (
        id             INTEGER PRIMARY KEY,
        -- 'local:<uuid>' for what this journal disclosed, 'fetch:<practice>:<server id>' for a
        -- colleague's fetch, 'emergency:<practice>:<server id>' for an emergency opening: a
        -- disclosure taken in twice (the outbox, a sync run again) is one.
        origin         TEXT NOT NULL UNIQUE,
        at_ms          INTEGER NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('export', 'print', 'backup', 'push',
                                                     'colleague_fetch', 'emergency_opening')),
        form           TEXT NOT NULL,
        recipient      TEXT NOT NULL,
        -- NULL: the whole journal, every client's record.
        client_id      INTEGER REFERENCES clients(id),
        sessions       TEXT NOT NULL,
        session_count  INTEGER NOT NULL CHECK (session_count >= 0)
    );
    CREATE INDEX disclosures_by_client ON disclosures (client_id, at_ms);
    CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
    BEGIN SELECT RAISE(ABORT, 'append-only: a disclosure is recorded for good'); END;
    CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
    BEGIN SELECT RAISE(ABORT, 'append-only: a disclosure is recorded for good'); END;
";

/// A client's accounting, or the whole journal's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disclosures {
    /// Oldest first.
    pub items: Vec<Disclosure>,
    /// Outbox lines that do not open under this journal's key (changed, or another journal's).
    pub unreadable: usize,
}

impl Disclosures {
    /// What the command line and the window say of outbox lines that cannot be read.
    pub fn unreadable_sentence(&self) -> Option<String> {
        (self.unreadable > 0).then(|| {
            format!(
                "{} disclosure{} in the outbox cannot be read (the outbox file was changed, or is another journal's); it is kept as it was.",
                self.unreadable,
                if self.unreadable == 1 { "" } else { "s" }
            )
        })
    }
}

/// One fetch of a session by a colleague, as the practice server logged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColleagueFetch {
    /// The server's number for the fetch, rising.
    pub id: i64,
    pub session: uuid::Uuid,
    pub login: String,
    pub name: String,
    pub at: DateTime<Utc>,
}

/// Records disclosures from another thread (an export's job), through the outbox; the journal's
/// writer takes them in (`Write::TakeInDisclosures` in the window, or when it next opens).
#[derive(Clone)]
pub struct DisclosureRecorder {
    dir: std::path::PathBuf,
    key: super::secret::DataKey,
}

impl DisclosureRecorder {
    /// Records `disclosures` before they are made; when they cannot be, nothing may be disclosed.
    pub fn record(&self, disclosures: &[NewDisclosure]) -> Result<(), StoreError> {
        disclosure_outbox::append(&self.dir, &self.key, &local_lines(disclosures))
    }
}

impl std::fmt::Debug for DisclosureRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisclosureRecorder")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A recorder for another thread.
    pub fn disclosure_recorder(&self) -> DisclosureRecorder {
        DisclosureRecorder {
            dir: self.dir.clone(),
            key: self.key.clone(),
        }
    }

    /// Records `disclosure` before it is made: in the journal by its writer, in the outbox by a
    /// store that reads beside one. When it cannot be recorded, nothing may be disclosed.
    pub fn record_disclosures(&self, disclosures: &[NewDisclosure]) -> Result<(), StoreError> {
        let lines = local_lines(disclosures);
        match self.access {
            AccessMode::Writer => {
                self.require_writer()?;
                let tx = self.conn.unchecked_transaction()?;
                for line in &lines {
                    insert(&tx, line)?;
                }
                tx.commit()?;
                self.anchor_commit();
                Ok(())
            }
            AccessMode::ReadOnly | AccessMode::Damaged => {
                disclosure_outbox::append(&self.dir, &self.key, &lines)
            }
        }
    }

    /// One scope per client of `sessions` (each with its sessions' uuids), for recording an
    /// export of them.
    pub fn disclosure_scopes(
        &self,
        sessions: &[SessionId],
    ) -> Result<Vec<DisclosureScope>, StoreError> {
        scopes_of(&self.conn, sessions)
    }

    /// The disclosures of `client`'s record (with those of the whole journal), or every one,
    /// oldest first, with those still in the outbox.
    pub fn disclosures(&self, client: Option<ClientId>) -> Result<Disclosures, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT origin, at_ms, kind, form, recipient, client_id, sessions, session_count
             FROM disclosures
             WHERE ?1 IS NULL OR client_id IS NULL OR client_id = ?1
             ORDER BY at_ms, id",
        )?;
        let rows = statement.query_map([client.map(|id| id.0)], |row| {
            Ok(OutboxLine {
                origin: row.get(0)?,
                at_ms: row.get(1)?,
                kind: row.get(2)?,
                form: row.get(3)?,
                recipient: row.get(4)?,
                client_id: row.get(5)?,
                sessions: serde_json::from_str(&row.get::<_, String>(6)?).unwrap_or_default(),
                session_count: row.get(7)?,
            })
        })?;
        let recorded: Vec<OutboxLine> = rows.collect::<Result<_, _>>()?;
        let origins: HashSet<&str> = recorded.iter().map(|line| line.origin.as_str()).collect();
        let outbox = disclosure_outbox::read(&self.dir, &self.key)?;
        let pending: Vec<&OutboxLine> = outbox
            .lines
            .iter()
            .filter(|line| !origins.contains(line.origin.as_str()))
            .collect();
        let mut items = Vec::with_capacity(recorded.len() + pending.len());
        for line in &recorded {
            items.push(disclosure_of(line, false)?);
        }
        for line in pending {
            let item = disclosure_of(line, true)?;
            if client.is_none_or(|client| item.concerns(client)) {
                items.push(item);
            }
        }
        items.sort_by_key(|item| item.at);
        Ok(Disclosures {
            items,
            unreadable: outbox.unreadable,
        })
    }

    /// Takes in what was recorded in the outbox: by commands beside the window, by the window's
    /// own exports (at once, through the worker) and when the writer opens.
    pub fn take_in_disclosure_outbox(&self) -> Result<(), StoreError> {
        if self.access != AccessMode::Writer {
            return Ok(());
        }
        disclosure_outbox::drain(&self.dir, &self.key, |lines| {
            let tx = self.conn.unchecked_transaction()?;
            for line in lines {
                // A line naming a client the journal does not hold (another journal's folder
                // copied in) is kept as a whole-journal disclosure rather than lost.
                let known = match line.client_id {
                    None => true,
                    Some(id) => tx
                        .prepare_cached("SELECT 1 FROM clients WHERE id = ?1")?
                        .exists([id])?,
                };
                if known {
                    insert(&tx, line)?;
                } else {
                    insert(
                        &tx,
                        &OutboxLine {
                            client_id: None,
                            ..line.clone()
                        },
                    )?;
                }
            }
            tx.commit()?;
            self.anchor_commit();
            Ok(())
        })
    }

    /// The newest colleague's fetch taken in from the practice `practice`, by the server's number.
    pub fn last_colleague_fetch(&self, practice: uuid::Uuid) -> Result<i64, StoreError> {
        let prefix = format!("fetch:{practice}:");
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(CAST(substr(origin, length(?1) + 1) AS INTEGER)), 0)
             FROM disclosures WHERE kind = 'colleague_fetch' AND origin LIKE ?1 || '%'",
            )?
            .query_row([&prefix], |row| row.get(0))?)
    }

    /// Records colleagues' fetches of sessions this journal holds (others are none of its
    /// clients' record here).
    pub fn record_colleague_fetches(
        &mut self,
        practice: uuid::Uuid,
        fetches: &[ColleagueFetch],
    ) -> Result<(), StoreError> {
        let lines = fetches.iter().map(|fetch| {
            let line = OutboxLine {
                origin: format!("fetch:{practice}:{}", fetch.id),
                at_ms: to_ms(fetch.at),
                kind: DisclosureKind::ColleagueFetch.as_str().to_owned(),
                form: "the session from the practice server".to_owned(),
                recipient: format!("{} ({})", fetch.name, fetch.login),
                client_id: None,
                sessions: vec![fetch.session],
                session_count: 1,
            };
            (Whose::Session(fetch.session), line)
        });
        self.record_from_server(lines)
    }

    /// Records what the practice server says was disclosed, each line for the client `Whose`
    /// names in this journal; a line of no client here is left out.
    fn record_from_server(
        &mut self,
        lines: impl Iterator<Item = (Whose, OutboxLine)>,
    ) -> Result<(), StoreError> {
        self.require_writer()?;
        let tx = self.conn.transaction()?;
        let mut recorded = false;
        for (whose, line) in lines {
            let (sql, key) = match &whose {
                Whose::Session(uuid) => (
                    "SELECT client_id FROM sessions WHERE uuid = ?1",
                    uuid.to_string(),
                ),
                Whose::PracticeClient(code) => (
                    "SELECT client_id FROM practice_links WHERE practice_code = ?1",
                    code.clone(),
                ),
            };
            let client: Option<i64> = tx
                .prepare_cached(sql)?
                .query_row([key], |row| row.get(0))
                .optional()?;
            if let Some(client) = client {
                insert(
                    &tx,
                    &OutboxLine {
                        client_id: Some(client),
                        ..line
                    },
                )?;
                recorded = true;
            }
        }
        if recorded {
            tx.commit()?;
            self.anchor_commit();
        }
        Ok(())
    }
}

/// Which of this journal's clients a disclosure the server reports belongs to.
enum Whose {
    /// The client of this journal's session (its own or a copy).
    Session(uuid::Uuid),
    /// The client linked to this practice client.
    PracticeClient(String),
}

/// An opening of a practice client's record by a clinician outside its care team, as the practice
/// server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyOpening {
    /// The server's number for the opening.
    pub id: i64,
    /// The practice client's code.
    pub practice_code: String,
    pub login: String,
    pub name: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Records emergency openings of this journal's linked clients (an opening of a client this
    /// journal has not linked is none of its record here); one already recorded is not again.
    pub fn record_emergency_openings(
        &mut self,
        practice: uuid::Uuid,
        openings: &[EmergencyOpening],
    ) -> Result<(), StoreError> {
        let lines = openings.iter().map(|opening| {
            let line = OutboxLine {
                origin: format!("emergency:{practice}:{}", opening.id),
                at_ms: to_ms(opening.at),
                kind: DisclosureKind::EmergencyOpening.as_str().to_owned(),
                form: format!("reason given: {}", opening.reason.trim()),
                recipient: format!("{} ({})", opening.name, opening.login),
                client_id: None,
                sessions: Vec::new(),
                session_count: 0,
            };
            (Whose::PracticeClient(opening.practice_code.clone()), line)
        });
        self.record_from_server(lines)
    }
}

/// Records a push of `sessions` to `recipient`, one disclosure per client, in `tx`.
pub(super) fn record_push(
    tx: &Connection,
    sessions: &[SessionId],
    recipient: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let disclosures: Vec<NewDisclosure> = scopes_of(tx, sessions)?
        .into_iter()
        .map(|scope| NewDisclosure {
            at,
            kind: DisclosureKind::Push,
            form: "sealed session records".to_owned(),
            recipient: recipient.to_owned(),
            scope,
        })
        .collect();
    for line in local_lines(&disclosures) {
        insert(tx, &line)?;
    }
    Ok(())
}

/// `sessions` grouped by client, in the order they first appear.
fn scopes_of(
    conn: &Connection,
    sessions: &[SessionId],
) -> Result<Vec<DisclosureScope>, StoreError> {
    let mut scopes: Vec<(i64, Vec<uuid::Uuid>)> = Vec::new();
    let mut statement =
        conn.prepare_cached("SELECT client_id, uuid FROM sessions WHERE id = ?1")?;
    for id in sessions {
        let (client, uuid): (i64, String) =
            statement.query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let uuid = uuid::Uuid::parse_str(&uuid).map_err(|_| StoreError::Damaged("a session"))?;
        match scopes.iter_mut().find(|(of, _)| *of == client) {
            Some((_, list)) => list.push(uuid),
            None => scopes.push((client, vec![uuid])),
        }
    }
    Ok(scopes
        .into_iter()
        .map(|(client, sessions)| DisclosureScope::Client {
            client: ClientId(client),
            sessions,
        })
        .collect())
}

/// Lines for what this journal discloses, each with an origin of its own.
fn local_lines(disclosures: &[NewDisclosure]) -> Vec<OutboxLine> {
    disclosures.iter().map(local_line).collect()
}

fn local_line(disclosure: &NewDisclosure) -> OutboxLine {
    let (client_id, sessions, session_count) = match &disclosure.scope {
        DisclosureScope::Client { client, sessions } => (
            Some(client.0),
            sessions.clone(),
            i64::try_from(sessions.len()).unwrap_or(i64::MAX),
        ),
        DisclosureScope::WholeJournal { sessions } => (
            None,
            Vec::new(),
            i64::try_from(*sessions).unwrap_or(i64::MAX),
        ),
    };
    OutboxLine {
        origin: format!("local:{}", uuid::Uuid::new_v4()),
        at_ms: to_ms(disclosure.at),
        kind: disclosure.kind.as_str().to_owned(),
        form: disclosure.form.clone(),
        recipient: disclosure.recipient.clone(),
        client_id,
        sessions,
        session_count,
    }
}

fn insert(conn: &Connection, line: &OutboxLine) -> Result<(), StoreError> {
    let sessions =
        serde_json::to_string(&line.sessions).map_err(|_| StoreError::Damaged("a disclosure"))?;
    conn.prepare_cached(
        "INSERT INTO disclosures (origin, at_ms, kind, form, recipient, client_id, sessions,
                                  session_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (origin) DO NOTHING",
    )?
    .execute(params![
        line.origin,
        line.at_ms,
        line.kind,
        line.form,
        line.recipient,
        line.client_id,
        sessions,
        line.session_count
    ])?;
    Ok(())
}

fn disclosure_of(line: &OutboxLine, pending: bool) -> Result<Disclosure, StoreError> {
    let damaged = || StoreError::Damaged("a disclosure");
    Ok(Disclosure {
        at: from_ms(line.at_ms)?,
        kind: DisclosureKind::parse(&line.kind).ok_or_else(damaged)?,
        form: line.form.clone(),
        recipient: line.recipient.clone(),
        scope: match line.client_id {
            Some(client) => DisclosureScope::Client {
                client: ClientId(client),
                sessions: line.sessions.clone(),
            },
            None => DisclosureScope::WholeJournal {
                sessions: u64::try_from(line.session_count).unwrap_or_default(),
            },
        },
        pending,
    })
}
