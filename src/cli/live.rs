//! `kap-journal live`: the practice's sessions running now that this login may join (those of
//! clients whose care team it is on), with who started each and who joined.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::domain::{ClinicZone, Route, TreatmentModel};
use crate::practice::{LiveConnection, LiveInPractice};

/// Arguments of `kap-journal live`.
#[derive(Debug, clap::Args)]
pub struct LiveArgs {
    /// Print JSON (documented in docs/reference.md) instead of lines.
    #[arg(long)]
    json: bool,
}

/// The JSON document `live --json` prints.
#[derive(Serialize)]
struct LiveJson<'a> {
    format_version: u32,
    sessions: &'a [LiveInPractice],
}

pub fn run(journal: &super::JournalAccess, args: &LiveArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
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
        say!("{}", line(session, here));
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
    let model =
        TreatmentModel::parse(&session.model).map_or("an unknown model", |model| model.label());
    let route = Route::parse(&session.route).map_or("an unknown route", Route::label);
    let mut text = format!(
        "{} · {model} · {route} · started {} ({}) by {}",
        session.client_code,
        super::clinic_time(zone, session.started_at),
        zone.name(),
        session.author.name,
    );
    if !session.joined.is_empty() {
        let names: Vec<&str> = session
            .joined
            .iter()
            .map(|joined| joined.colleague.name.as_str())
            .collect();
        let _ = write!(text, " · joined by {}", names.join(", "));
    }
    let _ = write!(text, " · {}", session.uuid);
    text
}
