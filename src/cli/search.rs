use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::domain::TreatmentModel;
use crate::store::{SearchHit, SearchQuery};

/// Arguments of `kap-journal search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The words to find; every word must appear, the last also as the start of a word.
    query: String,
    /// Only this client's sessions (pseudonymous code).
    #[arg(long, value_name = "CODE")]
    client: Option<String>,
    /// Only sessions of this model.
    #[arg(long, value_parser = super::parse_model)]
    model: Option<TreatmentModel>,
    /// The most hits to show: the newest matches ranked best first, then older ones newest first.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    limit: u32,
    /// Print JSON (documented in docs/reference.md) instead of lines.
    #[arg(long)]
    json: bool,
}

/// The JSON document `search --json` prints.
#[derive(Serialize)]
struct SearchJson<'a> {
    format_version: u32,
    query: &'a str,
    /// How many entries match in all; `hits` holds the first `--limit` of them.
    total: usize,
    hits: &'a [SearchHit],
}

pub fn run(journal: &super::JournalAccess, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let query = SearchQuery {
        text: args.query.clone(),
        model: args.model,
        client_code: args.client.clone(),
        limit: args.limit as usize,
    };
    let hits = store.search(&query)?;
    let total = store.search_count(&query)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &SearchJson {
                format_version: 1,
                query: &args.query,
                total,
                hits: &hits,
            },
        )?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        writeln!(out, "No entries match.")?;
    }
    for hit in &hits {
        writeln!(
            out,
            "session {:>6} entry {:>4}  {}  {:<10} {:<13} {:<16} {}",
            hit.session_id.0,
            hit.seq.0,
            crate::format::date_time(hit.wall_time),
            super::for_terminal(&hit.client_code),
            hit.model.label(),
            hit.kind,
            super::for_terminal(&marked(&hit.snippet.snippet, &hit.snippet.highlights))
        )?;
    }
    if hits.len() < total {
        tell!(
            "{} of {total} matching entries: the newest ranked best first, then older ones newest first; --limit {total} shows them all.",
            hits.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The snippet with each match in [brackets], for a terminal.
fn marked(snippet: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::with_capacity(snippet.len() + highlights.len() * 2);
    for (index, c) in snippet.chars().enumerate() {
        if highlights.iter().any(|h| h[1] == index) {
            out.push(']');
        }
        if highlights.iter().any(|h| h[0] == index) {
            out.push('[');
        }
        out.push(c);
    }
    if highlights.iter().any(|h| h[1] == snippet.chars().count()) {
        out.push(']');
    }
    out
}
