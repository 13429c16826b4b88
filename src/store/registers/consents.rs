//! The clinic's consent texts and each client's consents (migration 12): written once, never
//! changed (SQL triggers), watched by the audit log. A new text is a new version; a renewal or a
//! withdrawal is a new record.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension as _, params};
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms, to_ms};
use super::Registers;
use crate::domain::{
    ClientId, ConsentError, ConsentItem, ConsentRecord, ConsentStanding, ConsentText, NewConsent,
    check_consent_text,
};

/// Migration 12: the texts, the records and the triggers that keep them as written.
pub(in crate::store) const CREATE_CONSENTS: &str = r"
    CREATE TABLE consent_texts (
        version           INTEGER PRIMARY KEY,
        text              TEXT NOT NULL,
        renew_after_days  INTEGER NOT NULL,
        adopted_ms        INTEGER NOT NULL
    );
    CREATE TABLE consent_records (
        id           INTEGER PRIMARY KEY,
        client_id    INTEGER NOT NULL REFERENCES clients(id),
        version      INTEGER NOT NULL REFERENCES consent_texts(version),
        given_ms     INTEGER NOT NULL,
        items        TEXT NOT NULL,
        renew_by     TEXT NOT NULL,
        recorded_by  TEXT NOT NULL,
        withdrawn    INTEGER NOT NULL
    );
    CREATE INDEX consent_records_by_client ON consent_records (client_id, given_ms);
    CREATE TRIGGER consent_texts_no_update BEFORE UPDATE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'append-only: a consent text is never changed'); END;
    CREATE TRIGGER consent_texts_no_delete BEFORE DELETE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'append-only: a consent text is never changed'); END;
    CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
    BEGIN SELECT RAISE(ABORT, 'append-only: a consent is never changed'); END;
    CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
    BEGIN SELECT RAISE(ABORT, 'append-only: a consent is never changed'); END;
";

const RECORD_COLUMNS: &str =
    "client_id, version, given_ms, items, renew_by, recorded_by, withdrawn";

/// A client whose consent needs attention before their next session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDue {
    pub client_id: ClientId,
    pub client_code: String,
    pub standing: ConsentStanding,
}

impl Store {
    fn consent_text_where(
        &self,
        clause: &str,
        params: impl rusqlite::Params,
    ) -> Result<Option<ConsentText>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT version, text, renew_after_days, adopted_ms FROM consent_texts {clause}"
            ))?
            .query_row(params, |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get::<_, i64>(3)?))
            })
            .optional()?
            .map(|(version, text, renew_after_days, adopted_ms)| {
                Ok(ConsentText {
                    version,
                    text,
                    renew_after_days,
                    adopted_at: from_ms(adopted_ms)?,
                })
            })
            .transpose()
    }

    /// Refuses to start a session for a client without a current consent (once the clinic has a
    /// consent text); gives the consent the session goes ahead under.
    pub(in crate::store) fn require_current_consent(
        &self,
        client: ClientId,
        now: DateTime<Utc>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        match self.registers().consent_standing(client, now)? {
            ConsentStanding::NoClinicText => Ok(None),
            ConsentStanding::Current { record, .. } => Ok(Some(record)),
            standing => {
                // Days only: the clock does not matter here.
                let days = crate::domain::ClinicDays {
                    zone: self.clinic_zone()?,
                    style: self.date_time_settings()?.style(false),
                };
                Err(ConsentError::NotCurrent(standing.describe(days)).into())
            }
        }
    }
}

impl<S: Deref<Target = Store>> Registers<S> {
    /// The clinic's newest consent text; `None` until one is adopted.
    pub fn consent_text(&self) -> Result<Option<ConsentText>, StoreError> {
        self.0
            .consent_text_where("ORDER BY version DESC LIMIT 1", [])
    }

    /// Version `version` of the clinic's consent text (what a recorded consent agreed to).
    pub fn consent_text_version(&self, version: u32) -> Result<Option<ConsentText>, StoreError> {
        self.0.consent_text_where("WHERE version = ?1", [version])
    }

    /// A client's consents, the newest first.
    pub fn consents(&self, client: ClientId) -> Result<Vec<ConsentRecord>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM consent_records WHERE client_id = ?1
             ORDER BY given_ms DESC, id DESC"
        ))?;
        let rows = statement.query_map([client.0], read_row)?;
        rows.map(|row| row?).collect()
    }

    /// The consent a client had given by `at` (the one a session started then went ahead under).
    pub fn consent_at(
        &self,
        client: ClientId,
        at: DateTime<Utc>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        self.0.conn
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM consent_records WHERE client_id = ?1 AND given_ms <= ?2
                 ORDER BY given_ms DESC, id DESC LIMIT 1"
            ))?
            .query_row(params![client.0, to_ms(at)], read_row)
            .optional()?
            .transpose()
    }

    /// Where a client's consent stands at `now`.
    pub fn consent_standing(
        &self,
        client: ClientId,
        now: DateTime<Utc>,
    ) -> Result<ConsentStanding, StoreError> {
        let newest = self.consent_text()?;
        if newest.is_none() {
            return Ok(ConsentStanding::NoClinicText);
        }
        Ok(ConsentStanding::of(
            self.consent_at(client, now)?,
            newest.as_ref(),
            now,
        ))
    }

    /// Clients with a session in the journal whose consent is missing, withdrawn, to an older
    /// text, expired or due for renewal soon, judged at `now`; empty while the clinic has no text.
    pub fn consents_due(&self, now: DateTime<Utc>) -> Result<Vec<ConsentDue>, StoreError> {
        let Some(newest) = self.consent_text()? else {
            return Ok(Vec::new());
        };
        let clients: Vec<(i64, String)> = self
            .0
            .conn
            .prepare_cached(
                "SELECT c.id, c.code FROM clients c
                 WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.client_id = c.id)
                 ORDER BY c.code",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut due = Vec::new();
        for (id, client_code) in clients {
            let standing =
                ConsentStanding::of(self.consent_at(ClientId(id), now)?, Some(&newest), now);
            if !matches!(standing, ConsentStanding::Current { soon: false, .. }) {
                due.push(ConsentDue {
                    client_id: ClientId(id),
                    client_code,
                    standing,
                });
            }
        }
        Ok(due)
    }
}

impl<S: DerefMut<Target = Store>> Registers<S> {
    /// Adopts `text` as the clinic's newest consent version; earlier consents then need renewing.
    pub fn adopt_consent_text(
        &mut self,
        text: &str,
        renew_after_days: u32,
        at: DateTime<Utc>,
    ) -> Result<ConsentText, StoreError> {
        check_consent_text(text, renew_after_days)?;
        // The next version is read in the same transaction that writes it.
        let version = self.0.write(|tx| {
            let version: u32 = tx
                .prepare_cached("SELECT coalesce(max(version), 0) + 1 FROM consent_texts")?
                .query_row([], |row| row.get(0))?;
            tx.prepare_cached(
                "INSERT INTO consent_texts (version, text, renew_after_days, adopted_ms)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![version, text.trim(), renew_after_days, to_ms(at)])?;
            Ok(version)
        })?;
        Ok(ConsentText {
            version,
            text: text.trim().to_owned(),
            renew_after_days,
            adopted_at: at,
        })
    }

    /// Records a client's consent (or its withdrawal) to the newest text, given at `at`.
    pub fn record_consent(
        &mut self,
        new: &NewConsent,
        at: DateTime<Utc>,
    ) -> Result<ConsentRecord, StoreError> {
        self.0.record().client(new.client_id)?;
        let text = self.consent_text()?.ok_or(ConsentError::NoText)?;
        let record = new.to_version(&text, at)?;
        self.insert_consent_records(std::slice::from_ref(&record))?;
        Ok(record)
    }

    /// Writes consents already made against their own versions (a practice's history, as the
    /// demo fills it) in one transaction: all of them, or none.
    pub fn insert_consent_records(&mut self, records: &[ConsentRecord]) -> Result<(), StoreError> {
        self.0.write(|tx| {
            let mut insert = tx.prepare_cached(&format!(
                "INSERT INTO consent_records ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))?;
            for record in records {
                let items = serde_json::to_string(&record.items)
                    .map_err(|_| StoreError::Damaged("a consent to be written"))?;
                insert.execute(params![
                    record.client_id.0,
                    record.version,
                    to_ms(record.given_at),
                    items,
                    record.renew_by.to_string(),
                    record.recorded_by,
                    record.withdrawn,
                ])?;
            }
            Ok(())
        })
    }
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<ConsentRecord, StoreError>> {
    let client_id: i64 = row.get(0)?;
    let version: u32 = row.get(1)?;
    let given_ms: i64 = row.get(2)?;
    let items: String = row.get(3)?;
    let renew_by: String = row.get(4)?;
    let recorded_by: String = row.get(5)?;
    let withdrawn: bool = row.get(6)?;
    Ok((|| {
        let damaged = || StoreError::Damaged("a consent record");
        let items: Vec<(ConsentItem, bool)> =
            serde_json::from_str(&items).map_err(|_| damaged())?;
        Ok(ConsentRecord {
            client_id: ClientId(client_id),
            version,
            given_at: from_ms(given_ms)?,
            items,
            renew_by: NaiveDate::parse_from_str(&renew_by, "%Y-%m-%d").map_err(|_| damaged())?,
            recorded_by,
            withdrawn,
        })
    })())
}
