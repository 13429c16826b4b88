use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::domain::TreatmentModel;
use crate::store::{SessionFilter, SessionSummary};

/// Arguments of `kap-journal sessions`.
#[derive(Debug, clap::Args)]
pub struct SessionsArgs {
    /// Only this client's sessions (pseudonymous code).
    #[arg(long, value_name = "CODE")]
    client: Option<String>,
    /// Only sessions of this model.
    #[arg(long, value_parser = super::parse_model)]
    model: Option<TreatmentModel>,
    /// Print JSON (documented in the README) instead of a table.
    #[arg(long)]
    json: bool,
}

/// The JSON document `sessions --json` prints: the two models are always kept apart.
#[derive(Serialize)]
struct SessionsJson<'a> {
    format_version: u32,
    kap: Vec<&'a SessionSummary>,
    medical: Vec<&'a SessionSummary>,
}

pub fn run(journal: &super::JournalAccess, args: &SessionsArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let filter = SessionFilter {
        client_code: args.client.clone(),
        model: args.model,
    };
    let summaries = store.session_summaries(&filter)?;
    let of_model = |model| {
        summaries
            .iter()
            .filter(move |summary| summary.model == model)
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let document = SessionsJson {
            format_version: 1,
            kap: of_model(TreatmentModel::Kap).collect(),
            medical: of_model(TreatmentModel::Medical).collect(),
        };
        serde_json::to_writer_pretty(&mut out, &document)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for model in TreatmentModel::ALL {
        if args.model.is_some_and(|only| only != model) {
            continue;
        }
        let rows: Vec<_> = of_model(model).collect();
        writeln!(out, "{} sessions ({})", model.label(), rows.len())?;
        writeln!(
            out,
            "{:>7}  {:<16}  {:<10}  {:<22}  {:<26}  {:>3}  {:<17}  STATUS",
            "ID", "STARTED (UTC)", "CLIENT", "ROUTE", "TOTAL DOSE", "DP", "SIT WITH IT W/L/E/S"
        )?;
        for row in rows {
            let outcomes = format!(
                "{}: {}/{}/{}/{}",
                row.deferrals,
                row.worked_through,
                row.dose_lowered,
                row.ended_early,
                row.session_stopped
            );
            writeln!(
                out,
                "{:>7}  {:<16}  {:<10}  {:<22}  {:<26}  {:>3}  {:<17}  {}",
                row.id.0,
                row.started_at.format("%Y-%m-%d %H:%M"),
                super::for_terminal(&row.client_code),
                row.route.label(),
                row.describe_delivered(),
                row.decision_points,
                outcomes,
                row.status.as_str()
            )?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
