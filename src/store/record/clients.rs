use rusqlite::{ErrorCode, OptionalExtension, Row, params};
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, to_ms};
use super::Record;
use crate::domain::{Client, ClientError, ClientId, NewClient, looks_like};

const CLIENT_COLUMNS: &str = "id, code, display_name, weight_kg";

/// Migration 19: each client's code as it looks (its UTS #39 skeleton), indexed, so a new code
/// that reads the same as another client's is refused: two people must not share a code by sight.
pub(in crate::store) const ADD_LOOK_ALIKE: &str = "
    ALTER TABLE clients ADD COLUMN look_alike TEXT;
    CREATE INDEX clients_by_look ON clients (look_alike);
";

/// Migration 19's code: the skeleton of every code already kept.
pub(in crate::store) fn fill_look_alike(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let codes: Vec<(i64, String)> = tx
        .prepare("SELECT id, code FROM clients")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare("UPDATE clients SET look_alike = ?2 WHERE id = ?1")?;
    for (id, code) in codes {
        update.execute(params![id, looks_like(&code)])?;
    }
    Ok(())
}

/// Inserts a new client, refusing (`LooksLike`) a code that reads the same as another client's.
pub(in crate::store) fn insert_client(
    conn: &rusqlite::Connection,
    client: &NewClient,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let look = looks_like(&client.code);
    let twin: Option<String> = conn
        .prepare_cached("SELECT code FROM clients WHERE look_alike = ?1 AND code <> ?2 LIMIT 1")?
        .query_row(params![look, client.code], |row| row.get(0))
        .optional()?;
    if let Some(twin) = twin {
        return Err(ClientError::LooksLike(twin).into());
    }
    conn.prepare_cached(
        "INSERT INTO clients (code, display_name, weight_kg, created_ms, look_alike) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        client.code,
        client.display_name,
        client.weight_kg,
        to_ms(now),
        look
    ])?;
    Ok(())
}

impl<S: Deref<Target = Store>> Record<S> {
    /// Every client, sorted by code.
    pub fn clients(&self) -> Result<Vec<Client>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients ORDER BY code"
        ))?;
        let clients = statement
            .query_map([], client_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(clients)
    }

    /// One client by id.
    pub fn client(&self, id: ClientId) -> Result<Client, StoreError> {
        self.0
            .conn
            .prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1"
            ))?
            .query_row([id.0], client_from_row)
            .optional()?
            .ok_or(StoreError::NotFound("client"))
    }

    /// One client by pseudonymous code.
    pub fn client_by_code(&self, code: &str) -> Result<Option<Client>, StoreError> {
        Ok(self
            .0
            .conn
            .prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients WHERE code = ?1"
            ))?
            .query_row([code.trim()], client_from_row)
            .optional()?)
    }
}

impl<S: DerefMut<Target = Store>> Record<S> {
    /// Adds a client; a code already in the journal is refused rather than merged.
    pub fn create_client(
        &mut self,
        client: &NewClient,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Client, StoreError> {
        let id = self.0.write(|tx| match insert_client(tx, client, now) {
            Ok(()) => Ok(ClientId(tx.last_insert_rowid())),
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(error, _)))
                if error.code == ErrorCode::ConstraintViolation =>
            {
                Err(ClientError::DuplicateCode.into())
            }
            Err(error) => Err(error),
        })?;
        Ok(Client {
            id,
            code: client.code.clone(),
            display_name: client.display_name.clone(),
            weight_kg: client.weight_kg,
        })
    }
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: ClientId(row.get(0)?),
        code: row.get(1)?,
        display_name: row.get(2)?,
        weight_kg: row.get(3)?,
    })
}
