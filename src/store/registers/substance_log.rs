//! The controlled-substance log as stored: one append-only table (migration 10), watched by the
//! audit log. Stock received, waste before a witness and corrections are written by the clinician;
//! what a session administered is written in the same transaction that ends it (or that writes it
//! whole: the demo, an import), from its delivered total and the lot on its checklist.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::ops::{Deref, DerefMut};

use super::super::{Store, StoreError, from_ms, to_ms};
use super::Registers;
use crate::domain::{
    EventKind, LotBalance, LotCode, Micrograms, Movement, NewSubstanceEntry, PreSession, Route,
    SessionId, Substance, SubstanceEntry, SubstanceLogError,
};

/// Migration 10: the log and the triggers that keep it append-only.
pub(in crate::store) const CREATE_SUBSTANCE_LOG: &str = r"
    CREATE TABLE substance_log (
        id           INTEGER PRIMARY KEY,
        at_ms        INTEGER NOT NULL,
        lot          TEXT NOT NULL CHECK (length(lot) BETWEEN 1 AND 40),
        substance    TEXT NOT NULL CHECK (substance IN ('ketamine', 'esketamine')),
        movement     TEXT NOT NULL
                     CHECK (movement IN ('received', 'administered', 'wasted', 'correction')),
        micrograms   INTEGER NOT NULL CHECK (micrograms <> 0),
        session_id   INTEGER REFERENCES sessions(id),
        witness      TEXT NOT NULL DEFAULT '',
        note         TEXT NOT NULL DEFAULT '',
        recorded_by  TEXT NOT NULL DEFAULT '',
        CHECK (movement = 'correction' OR micrograms > 0),
        CHECK (movement <> 'wasted' OR length(trim(witness)) > 0),
        CHECK (movement <> 'administered' OR session_id IS NOT NULL)
    );
    CREATE INDEX substance_log_by_lot ON substance_log (lot, id);
    CREATE UNIQUE INDEX substance_log_one_per_session ON substance_log (session_id)
        WHERE movement = 'administered';
    CREATE TRIGGER substance_log_no_update BEFORE UPDATE ON substance_log
    BEGIN SELECT RAISE(ABORT, 'append-only: the controlled-substance log is never changed'); END;
    CREATE TRIGGER substance_log_no_delete BEFORE DELETE ON substance_log
    BEGIN SELECT RAISE(ABORT, 'append-only: the controlled-substance log is never changed'); END;
";

/// How an entry changes its lot's balance, in SQL: stock in, stock out, or a correction as signed.
macro_rules! signed_change {
    () => {
        "CASE WHEN movement IN ('received', 'correction') THEN micrograms ELSE -micrograms END"
    };
}

const ENTRY_COLUMNS: &str = "id, at_ms, lot, substance, movement, micrograms, session_id, witness, note, recorded_by, clock_earlier";

/// The log with each entry marked when its clock reads earlier than an entry recorded before it (a
/// clock set back, an entry dated back): the log's order is its own sequence, never the clock's.
const MARKED_LOG: &str = "(SELECT *, at_ms < coalesce(max(at_ms) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), at_ms) AS clock_earlier FROM substance_log)";

impl Store {
    /// One entry with its lot's balance after it: the entry's row and the sum of its lot's
    /// entries up to it, not the whole log.
    fn substance_entry(&self, id: i64) -> Result<SubstanceEntry, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM {MARKED_LOG} WHERE id = ?1");
        let (mut entry, _) = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], read_row)??;
        let balance: i64 = self
            .conn
            .prepare_cached(concat!(
                "SELECT coalesce(sum(",
                signed_change!(),
                "), 0)
                 FROM substance_log WHERE lot = ?2 AND id <= ?1"
            ))?
            .query_row(params![id, entry.lot.as_str()], |row| row.get(0))?;
        entry.balance_mg = Micrograms(balance).mg();
        Ok(entry)
    }
}

impl<S: Deref<Target = Store>> Registers<S> {
    /// The log in the order it was recorded (its own sequence: a clock set back can neither
    /// reorder it nor show a balance it never had), each entry with its lot's balance after it and
    /// marked when its clock reads earlier than an entry before it; only `lot` when given.
    pub fn substance_log(&self, lot: Option<&LotCode>) -> Result<Vec<SubstanceEntry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM {MARKED_LOG} WHERE ?1 IS NULL OR lot = ?1 ORDER BY id"
        );
        let mut statement = self.0.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([lot.map(LotCode::as_str)], read_row)?;
        let mut balances = std::collections::HashMap::<String, i64>::new();
        rows.map(|row| {
            let (mut entry, change) = row??;
            let balance = balances.entry(entry.lot.to_string()).or_default();
            *balance += change;
            entry.balance_mg = Micrograms(*balance).mg();
            Ok(entry)
        })
        .collect()
    }

    /// Every lot with what was received, administered and wasted, and what is left; lots with
    /// stock first, each group the most recently used first.
    pub fn lot_balances(&self) -> Result<Vec<LotBalance>, StoreError> {
        let mut statement = self.0.conn.prepare_cached(concat!(
            "SELECT lot, substance,
                    sum(CASE movement WHEN 'received' THEN micrograms ELSE 0 END),
                    sum(CASE movement WHEN 'administered' THEN micrograms ELSE 0 END),
                    sum(CASE movement WHEN 'wasted' THEN micrograms ELSE 0 END),
                    sum(",
            signed_change!(),
            "), count(*)
             FROM substance_log GROUP BY lot, substance ORDER BY max(at_ms) DESC, lot"
        ))?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?;
        let mut lots = rows
            .map(|row| {
                let (lot, substance, received, administered, wasted, balance, entries) = row?;
                Ok(LotBalance {
                    lot: LotCode::parse(&lot).map_err(|_| StoreError::Damaged("a lot number"))?,
                    substance: Substance::parse(&substance)
                        .map_err(|_| StoreError::Damaged("a substance"))?,
                    received_mg: Micrograms(received).mg(),
                    administered_mg: Micrograms(administered).mg(),
                    wasted_mg: Micrograms(wasted).mg(),
                    balance_mg: Micrograms(balance).mg(),
                    entries: usize::try_from(entries).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Stable: the most recently used stay first within each group.
        lots.sort_by_key(|lot| lot.balance_mg <= 0.0);
        Ok(lots)
    }
}

impl<S: DerefMut<Target = Store>> Registers<S> {
    /// Records stock received, waste or a correction, once it keeps the log's rules: a lot holds one
    /// substance, and waste or a correction never takes it below nothing.
    pub fn record_substance(
        &mut self,
        entry: &NewSubstanceEntry,
        at: DateTime<Utc>,
    ) -> Result<SubstanceEntry, StoreError> {
        entry.check()?;
        if matches!(entry.movement, Movement::Administered { .. }) {
            // What a session gave is written when it ends, from its record; never typed.
            return Err(StoreError::Damaged("an administration typed into the log"));
        }
        let recorded_by = self
            .0
            .clinician()?
            .map(|clinician| clinician.signed_as())
            .unwrap_or_default();
        let id = self.0.write(|tx| {
            let held = lot_substance(tx, &entry.lot)?;
            if let Some(held) = held
                && held != entry.substance
            {
                return Err(SubstanceLogError::OtherSubstance {
                    lot: entry.lot.to_string(),
                    held: held.as_str(),
                    asked: entry.substance.as_str(),
                }
                .into());
            }
            if held.is_none() && !matches!(entry.movement, Movement::Received) {
                return Err(SubstanceLogError::UnknownLot(entry.lot.to_string()).into());
            }
            entry.balance_after(balance(tx, &entry.lot)?)?;
            insert(tx, entry, at, None, &recorded_by)
        })?;
        self.0.substance_entry(id)
    }
}

/// What an ended session administered, into the log: its delivered total under the lot of its
/// checklist. Nothing when the checklist names no lot or nothing was given; at most one entry per
/// session (the log's unique index).
pub(in crate::store) fn record_administered(
    conn: &Connection,
    session: SessionId,
) -> Result<(), StoreError> {
    let lot = checklist_lot_of(conn, session)?;
    record_administered_from(conn, session, lot)
}

/// [`record_administered`] for a caller that holds the checklist, with its `lot`.
pub(in crate::store) fn record_administered_from(
    conn: &Connection,
    session: SessionId,
    lot: Option<LotCode>,
) -> Result<(), StoreError> {
    let (route, ended_ms, delivered_mg): (String, Option<i64>, Option<f64>) = conn
        .prepare_cached("SELECT route, ended_ms, delivered_mg FROM sessions WHERE id = ?1")?
        .query_row([session.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let (Some(ended_ms), Some(delivered_mg)) = (ended_ms, delivered_mg) else {
        return Ok(());
    };
    let Ok(amount) = Micrograms::from_mg(delivered_mg) else {
        // Nothing (or less than a microgram) was given.
        return Ok(());
    };
    let Some(lot) = lot else {
        return Ok(());
    };
    let route = Route::parse(&route).ok_or(StoreError::Damaged("a route"))?;
    let entry = NewSubstanceEntry {
        lot,
        substance: Substance::of_route(route),
        movement: Movement::Administered { session },
        amount,
        note: String::new(),
    };
    insert(conn, &entry, from_ms(ended_ms)?, Some(session), "")?;
    Ok(())
}

/// The lot on a session's checklist, reading the checklist alone (by its kind), not the timeline.
fn checklist_lot_of(conn: &Connection, session: SessionId) -> Result<Option<LotCode>, StoreError> {
    let checklist: Option<String> = conn
        .prepare_cached(
            "SELECT payload FROM events WHERE session_id = ?1 AND kind = 'pre_session'
             ORDER BY seq LIMIT 1",
        )?
        .query_row([session.0], |row| row.get(0))
        .optional()?;
    let Some(checklist) = checklist else {
        return Ok(None);
    };
    let kind: EventKind =
        serde_json::from_str(&checklist).map_err(|_| StoreError::Damaged("an entry"))?;
    Ok(match kind {
        EventKind::PreSession(PreSession { lot, .. }) => lot,
        _ => None,
    })
}

fn insert(
    conn: &Connection,
    entry: &NewSubstanceEntry,
    at: DateTime<Utc>,
    session: Option<SessionId>,
    recorded_by: &str,
) -> Result<i64, StoreError> {
    let witness = match &entry.movement {
        Movement::Wasted { witness } => witness.trim(),
        _ => "",
    };
    conn.prepare_cached(
        "INSERT INTO substance_log (at_ms, lot, substance, movement, micrograms, session_id,
                                    witness, note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        to_ms(at),
        entry.lot.as_str(),
        entry.substance.as_str(),
        entry.movement.as_str(),
        entry.amount.0,
        session.map(|id| id.0),
        witness,
        entry.note.trim(),
        recorded_by,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The substance a lot's entries hold, if it has any.
fn lot_substance(conn: &Connection, lot: &LotCode) -> Result<Option<Substance>, StoreError> {
    let held: Option<String> = conn
        .prepare_cached("SELECT substance FROM substance_log WHERE lot = ?1 LIMIT 1")?
        .query_row([lot.as_str()], |row| row.get(0))
        .optional()?;
    held.map(|text| Substance::parse(&text).map_err(|_| StoreError::Damaged("a substance")))
        .transpose()
}

/// What is left of a lot now.
fn balance(conn: &Connection, lot: &LotCode) -> Result<Micrograms, StoreError> {
    let balance: Option<i64> = conn
        .prepare_cached(concat!(
            "SELECT sum(",
            signed_change!(),
            ") FROM substance_log WHERE lot = ?1"
        ))?
        .query_row([lot.as_str()], |row| row.get(0))?;
    Ok(Micrograms(balance.unwrap_or_default()))
}

/// One row as an entry (its balance filled in by the caller) and how it changed the balance.
fn read_row(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<(SubstanceEntry, i64), StoreError>> {
    let (id, at_ms, lot, substance, movement, micrograms, session, witness, note, recorded_by): (
        i64,
        i64,
        String,
        String,
        String,
        i64,
        Option<i64>,
        String,
        String,
        String,
    ) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    );
    let clock_earlier: bool = row.get(10)?;
    Ok((|| {
        let movement = match movement.as_str() {
            "received" => "received",
            "administered" => "administered",
            "wasted" => "wasted",
            "correction" => "correction",
            _ => {
                return Err(StoreError::Damaged(
                    "an entry of the controlled-substance log",
                ));
            }
        };
        let change = if matches!(movement, "received" | "correction") {
            micrograms
        } else {
            -micrograms
        };
        let entry = SubstanceEntry {
            id,
            at: from_ms(at_ms)?,
            lot: LotCode::parse(&lot).map_err(|_| StoreError::Damaged("a lot number"))?,
            substance: Substance::parse(&substance)
                .map_err(|_| StoreError::Damaged("a substance"))?,
            movement,
            change_mg: Micrograms(change).mg(),
            session: session.map(SessionId),
            witness,
            note,
            recorded_by,
            balance_mg: 0.0,
            clock_earlier,
        };
        Ok((entry, change))
    })())
}
