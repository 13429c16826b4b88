//! `kap-journal live`: the practice's sessions running now that this login may join (those of
//! clients whose care team it is on), with who started each and who joined; `live follow UUID`
//! prints one's merged timeline as its entries arrive, until it ends (or Ctrl+C).

use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::time::Duration;

use serde::Serialize;

use crate::domain::ClinicZone;
use crate::practice::{Followed, LiveConnection, LiveEntry, LiveInPractice};

/// Arguments of `kap-journal live`.
#[derive(Debug, clap::Args)]
pub struct LiveArgs {
    #[command(subcommand)]
    action: Option<LiveAction>,
    /// Print JSON (documented in docs/reference.md) instead of lines.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum LiveAction {
    /// Print the merged timeline of a live session as its entries arrive, until it ends.
    Follow {
        /// The session's identifier, as `kap-journal live` ends its line.
        session: uuid::Uuid,
        /// One JSON object per entry, a line each (documented in docs/reference.md).
        #[arg(long)]
        json: bool,
    },
}

/// How long a follower waits before connecting again to a server it lost.
const RETRY: Duration = Duration::from_secs(1);

/// The JSON document `live --json` prints.
#[derive(Serialize)]
struct LiveJson<'a> {
    format_version: u32,
    sessions: &'a [LiveInPractice],
}

pub fn run(journal: &super::JournalAccess, args: &LiveArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    if let Some(LiveAction::Follow { session, json }) = &args.action {
        return follow(&store, *session, *json);
    }
    let sessions = LiveConnection::open(&store)?.live_sessions()?;
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&LiveJson {
                format_version: 1,
                sessions: &sessions,
            })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if sessions.is_empty() {
        say!("No session is live in the practice for a client whose care team you are on.");
        return Ok(ExitCode::SUCCESS);
    }
    let here = store.clinic_zone()?;
    for session in &sessions {
        say!("{}", super::for_terminal(&line(session, here)));
    }
    Ok(ExitCode::SUCCESS)
}

/// One live session as a line: its client, model and route, when it started and by whom, who
/// joined, and its identifier (which `live follow` takes).
fn line(session: &LiveInPractice, here: ClinicZone) -> String {
    let zone = session
        .zone
        .as_deref()
        .and_then(|name| ClinicZone::parse(name).ok())
        .unwrap_or(here);
    let mut text = format!(
        "{} · {} · started {} ({}) by {}",
        session.client_code,
        session.kind_line(),
        super::clinic_time(zone, session.started_at),
        zone.name(),
        session.author.name,
    );
    if let Some(names) = session.joined_names() {
        let _ = write!(text, " · joined by {names}");
    }
    let _ = write!(text, " · {}", session.uuid);
    text
}

/// Prints the merged timeline of `session` as it grows; a closed output ends it quietly.
fn follow(
    store: &crate::store::Store,
    session: uuid::Uuid,
    json: bool,
) -> anyhow::Result<ExitCode> {
    // Its entries' times are read in the clinic's zone the session is held in.
    let held_in = LiveConnection::open(store)?
        .zone_of(session)?
        .and_then(|name| ClinicZone::parse(&name).ok());
    let zone = match held_in {
        Some(zone) => zone,
        None => store.clinic_zone()?,
    };
    let mut out = std::io::stdout().lock();
    let mut closed = false;
    LiveConnection::follow(store, session, RETRY, &mut |followed| {
        let written = match followed {
            Followed::Entry(entry) if json => serde_json::to_string(&*entry)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}")),
            Followed::Entry(entry) => writeln!(out, "{}", entry_line(&entry, zone)),
            Followed::Lost => {
                tell!("The practice server cannot be reached; following again once it is back.");
                Ok(())
            }
            Followed::Back => {
                tell!(
                    "Connected to the practice server again; what was written meanwhile follows."
                );
                Ok(())
            }
        };
        if written.is_err() {
            closed = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    if !closed && !json {
        let _ = writeln!(out, "The session has ended.");
    }
    Ok(ExitCode::SUCCESS)
}

/// One entry as a line: its place, its author's clock (to the second, in the clinic's zone) and
/// time since the start, who wrote it and what it says.
fn entry_line(entry: &LiveEntry, zone: ClinicZone) -> String {
    let said = entry.kind().map_or_else(
        || format!("an entry this version cannot read ({})", entry.kind),
        |kind| kind.describe(),
    );
    super::for_terminal(&format!(
        "#{} {} +{} {}: {said}",
        entry.position,
        crate::format::date_style().time_with_seconds(zone.local(entry.wall_time).time()),
        crate::format::elapsed(entry.elapsed_ms),
        entry.author.name,
    ))
}
