//! A live session's merged timeline on the server (live.sql's `kap.live_entries`): each journal
//! in the session pushes its own entries as they are written, and everyone's come back in the
//! server's order, read after the last position seen. A follower listens on `kap_live` for a
//! signal, reads what the server holds, and after a lost connection connects again and reads what
//! came meanwhile: the signal only says when to look, the read says what is there.

use std::ops::ControlFlow;
use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator as _;

use super::PracticeError;
use super::live::{LiveConnection, LiveFailure};
use crate::domain::{Colleague, LiveEntry, Session};
use crate::store::Store;

/// What following a live session brings, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Followed {
    Entry(Box<LiveEntry>),
    /// The connection was lost; entries written meanwhile come once it is back.
    Lost,
    /// Connected again after a loss.
    Back,
}

/// How long a follower waits for a signal before it reads anyway (a signal lost between a
/// reconnection and its LISTEN is caught by the next read).
const READ_AT_LEAST_EVERY: Duration = Duration::from_secs(1);

/// Pushes this journal's entries of its `session` that the server lacks into the live session
/// `live` (the session's own uuid, or the colleague's session it is this journal's part of), in one
/// transaction; how many went.
pub(super) fn push_own_entries(
    client: &mut Client,
    reader: &Store,
    session: &Session,
    live: uuid::Uuid,
) -> Result<usize, LiveFailure> {
    let pushed: i32 = client
        .query_one(
            "SELECT COALESCE(max(author_seq), 0) FROM kap.live_entries
             WHERE session_uuid = $1 AND author = kap.me()",
            &[&live],
        )?
        .get(0);
    let events = reader.record().events(session.id)?;
    let new: Vec<_> = events
        .iter()
        .filter(|event| i64::from(event.seq.0) > i64::from(pushed))
        .collect();
    if new.is_empty() {
        return Ok(0);
    }
    let mut tx = client.transaction()?;
    let insert = tx.prepare(
        "INSERT INTO kap.live_entries
             (session_uuid, author_seq, wall_time, elapsed_ms, kind, payload)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (session_uuid, author, author_seq) DO NOTHING",
    )?;
    for event in &new {
        let payload = serde_json::to_value(&event.kind)
            .map_err(|_| LiveFailure::Journal(crate::store::StoreError::Damaged("an entry")))?;
        tx.execute(
            &insert,
            &[
                &live,
                &i32::try_from(event.seq.0).unwrap_or(i32::MAX),
                &event.wall_time,
                &event.elapsed_ms,
                &event.kind.as_str(),
                &payload,
            ],
        )?;
    }
    tx.commit()?;
    Ok(new.len())
}

/// The entries of `uuid` after `position`, in the server's order.
pub(super) fn entries_after(
    client: &mut Client,
    uuid: uuid::Uuid,
    position: i32,
) -> Result<Vec<LiveEntry>, postgres::Error> {
    let rows = client.query(
        "SELECT e.position, e.author::text, c.name, e.author_seq, e.wall_time, e.elapsed_ms,
                e.kind, e.payload
         FROM kap.live_entries e JOIN kap.clinicians c ON c.login = e.author
         WHERE e.session_uuid = $1 AND e.position > $2
         ORDER BY e.position",
        &[&uuid, &position],
    )?;
    Ok(rows
        .iter()
        .map(|row| LiveEntry {
            position: row.get(0),
            author: Colleague {
                login: row.get(1),
                name: row.get(2),
            },
            author_seq: row.get(3),
            wall_time: row.get(4),
            elapsed_ms: row.get(5),
            kind: row.get(6),
            entry: row.get(7),
        })
        .collect())
}

/// Whether `uuid` is a live session this login sees, and whether its end has been said.
pub(super) fn standing(
    client: &mut Client,
    uuid: uuid::Uuid,
) -> Result<Option<bool>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT EXISTS (SELECT 1 FROM kap.live_ends e WHERE e.session_uuid = s.uuid)
             FROM kap.live_sessions s WHERE s.uuid = $1",
            &[&uuid],
        )?
        .map(|row| row.get(0)))
}

impl LiveConnection {
    /// The clinic's zone the live session `uuid` is held in, as its author's journal announced it
    /// (its entries' times are read there); `None` when unknown or not a session this login sees.
    pub fn zone_of(&mut self, uuid: uuid::Uuid) -> Result<Option<String>, PracticeError> {
        self.client
            .query_opt(
                "SELECT zone FROM kap.live_sessions WHERE uuid = $1",
                &[&uuid],
            )
            .map(|row| row.and_then(|row| row.get(0)))
            .map_err(|error| self.address.error(&error))
    }

    /// Follows the merged timeline of the live session `uuid` from its first entry, handing each
    /// to `seen` in the server's order, until its end is said or `seen` breaks. A lost connection is
    /// said, made again (every `retry`), and what came meanwhile is read then: nothing is missed or
    /// repeated.
    pub fn follow(
        reader: &Store,
        uuid: uuid::Uuid,
        retry: Duration,
        seen: &mut dyn FnMut(Followed) -> ControlFlow<()>,
    ) -> Result<(), PracticeError> {
        let mut last_seen = 0;
        let mut lost = false;
        loop {
            let mut connection = match Self::open(reader) {
                Ok(connection) => connection,
                // A server on its way back refuses or does not answer for a while.
                Err(_) if lost => {
                    std::thread::sleep(retry);
                    continue;
                }
                Err(error) => return Err(error),
            };
            // Every connection after the first follows a loss.
            if lost && seen(Followed::Back).is_break() {
                return Ok(());
            }
            match connection.follow_connected(uuid, &mut last_seen, seen) {
                Ok(Until::Ended | Until::Stopped) => return Ok(()),
                Ok(Until::NotVisible) => return Err(PracticeError::CannotFollow),
                Err(error) if is_connection_lost(&error) => {
                    if seen(Followed::Lost).is_break() {
                        return Ok(());
                    }
                    lost = true;
                    std::thread::sleep(retry);
                }
                Err(error) => return Err(connection.address.error(&error)),
            }
        }
    }

    /// Follows on this connection until the end is said or the connection fails.
    fn follow_connected(
        &mut self,
        uuid: uuid::Uuid,
        last: &mut i32,
        seen: &mut dyn FnMut(Followed) -> ControlFlow<()>,
    ) -> Result<Until, postgres::Error> {
        self.client.batch_execute("LISTEN kap_live")?;
        loop {
            let Some(ended) = standing(&mut self.client, uuid)? else {
                return Ok(Until::NotVisible);
            };
            for entry in entries_after(&mut self.client, uuid, *last)? {
                *last = entry.position;
                if seen(Followed::Entry(Box::new(entry))).is_break() {
                    return Ok(Until::Stopped);
                }
            }
            if ended {
                return Ok(Until::Ended);
            }
            // Any signal, or a second without one, is the cue to read again.
            let mut notifications = self.client.notifications();
            let _ = notifications.timeout_iter(READ_AT_LEAST_EVERY).next()?;
        }
    }
}

/// Why following stopped on a connection that still stands.
enum Until {
    Ended,
    /// The follower had enough.
    Stopped,
    /// No live session of that identifier this login may see (off its care team, or none).
    NotVisible,
}

/// The connection is gone (the server stopped, restarted or cannot be reached), rather than a
/// statement refused: connecting again may help.
fn is_connection_lost(error: &postgres::Error) -> bool {
    let broken_pipe =
        std::error::Error::source(error).is_some_and(<dyn std::error::Error>::is::<std::io::Error>);
    let gone = error.as_db_error().is_some_and(|db| {
        let class = &db.code().code()[..2];
        // 08: connection exception; 57: operator intervention (shutdown, restart).
        class == "08" || class == "57"
    });
    error.is_closed() || broken_pipe || gone
}
