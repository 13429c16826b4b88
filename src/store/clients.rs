use rusqlite::{ErrorCode, OptionalExtension, Row, params};

use super::{Store, StoreError, to_ms};
use crate::domain::{Client, ClientError, ClientId, NewClient};

const CLIENT_COLUMNS: &str = "id, code, display_name, weight_kg";

impl Store {
    /// Adds a client; a code already in the journal is refused rather than merged.
    pub fn create_client(
        &mut self,
        client: &NewClient,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Client, StoreError> {
        self.require_writer()?;
        let inserted = self.conn.execute(
            "INSERT INTO clients (code, display_name, weight_kg, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![client.code, client.display_name, client.weight_kg, to_ms(now)],
        );
        self.anchor_commit();
        match inserted {
            Ok(_) => Ok(Client {
                id: ClientId(self.conn.last_insert_rowid()),
                code: client.code.clone(),
                display_name: client.display_name.clone(),
                weight_kg: client.weight_kg,
            }),
            Err(rusqlite::Error::SqliteFailure(error, _))
                if error.code == ErrorCode::ConstraintViolation =>
            {
                Err(ClientError::DuplicateCode.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Every client, sorted by code.
    pub fn clients(&self) -> Result<Vec<Client>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients ORDER BY code"
        ))?;
        let clients = statement
            .query_map([], client_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(clients)
    }

    /// One client by id.
    pub fn client(&self, id: ClientId) -> Result<Client, StoreError> {
        self.conn
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
            .conn
            .prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients WHERE code = ?1"
            ))?
            .query_row([code.trim()], client_from_row)
            .optional()?)
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
