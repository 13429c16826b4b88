//! The journal's accounting of disclosures (migration 26): every export, print, backup and push,
//! and what the practice server reports (`server_disclosures`). Rows are never changed or removed.
//! A store that only reads (a command beside the window) records through the outbox instead
//! (`disclosure_outbox`), which the writer takes in when it opens.

use std::collections::HashSet;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::super::{AccessMode, Store, StoreError, from_ms, to_ms};
use super::Registers;
use crate::domain::{
    ClientId, Disclosure, DisclosureKind, DisclosureScope, NewDisclosure, SessionId,
};
use crate::store::registers::disclosure_outbox::{self, OutboxLine};

/// Migration 26.
pub(in crate::store) const CREATE_DISCLOSURES: &str = r"
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

/// Records disclosures from another thread (an export's job), through the outbox; the journal's
/// writer takes them in (`changes::TakeInDisclosures` in the window, or when it next opens).
#[derive(Clone)]
pub struct DisclosureRecorder {
    dir: std::path::PathBuf,
    key: super::super::secret::DataKey,
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

impl<S: Deref<Target = Store>> Registers<S> {
    /// A recorder for another thread.
    pub fn disclosure_recorder(&self) -> DisclosureRecorder {
        DisclosureRecorder {
            dir: self.0.dir.clone(),
            key: self.0.key.clone(),
        }
    }

    /// Records `disclosure` before it is made: in the journal by its writer, in the outbox by a
    /// store that reads beside one. When it cannot be recorded, nothing may be disclosed.
    pub fn record_disclosures(&self, disclosures: &[NewDisclosure]) -> Result<(), StoreError> {
        let lines = local_lines(disclosures);
        match self.0.access {
            AccessMode::Writer => self.0.write(|tx| {
                for line in &lines {
                    insert(tx, line)?;
                }
                Ok(())
            }),
            AccessMode::ReadOnly | AccessMode::Damaged => {
                disclosure_outbox::append(&self.0.dir, &self.0.key, &lines)
            }
        }
    }

    /// One scope per client of `sessions` (each with its sessions' uuids), for recording an
    /// export of them.
    pub fn disclosure_scopes(
        &self,
        sessions: &[SessionId],
    ) -> Result<Vec<DisclosureScope>, StoreError> {
        scopes_of(&self.0.conn, sessions)
    }

    /// The disclosures of `client`'s record (with those of the whole journal), or every one,
    /// oldest first, with those still in the outbox.
    pub fn disclosures(&self, client: Option<ClientId>) -> Result<Disclosures, StoreError> {
        let mut statement = self.0.conn.prepare_cached(
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
        let outbox = disclosure_outbox::read(&self.0.dir, &self.0.key)?;
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
        if self.0.access != AccessMode::Writer {
            return Ok(());
        }
        disclosure_outbox::drain(&self.0.dir, &self.0.key, |lines| {
            self.0.write(|tx| take_in(tx, lines))
        })
    }
}

/// Writes lines taken from the outbox into `tx`.
fn take_in(tx: &rusqlite::Transaction<'_>, lines: &[OutboxLine]) -> Result<(), StoreError> {
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
            insert(tx, line)?;
        } else {
            insert(
                tx,
                &OutboxLine {
                    client_id: None,
                    ..line.clone()
                },
            )?;
        }
    }
    Ok(())
}

/// Records a push of `sessions` to `recipient`, one disclosure per client, in `tx`.
pub(in crate::store) fn record_push(
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

pub(in crate::store) fn insert(conn: &Connection, line: &OutboxLine) -> Result<(), StoreError> {
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
