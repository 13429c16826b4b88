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
    /// Every session this clinician may read through the practice (colleagues' copies from the
    /// last sync included), each with its clinician.
    #[arg(long)]
    practice: bool,
    /// Print JSON (documented in docs/reference.md) instead of a table.
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
        own_only: !args.practice,
    };
    let mut summaries = store.record().session_summaries(&filter)?;
    let zone = store.clinic_zone()?;
    if args.practice {
        let membership = store
            .sharing()
            .practice_membership()?
            .ok_or(crate::practice::PracticeError::NotConnected)?;
        for summary in &mut summaries {
            summary
                .clinician
                .get_or_insert_with(|| membership.name.clone());
        }
    }
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
            "{:>7}  {:<16}  {:<10}  {:<22}  {:<26}  {:>3}  {:<17}  {}{}",
            "ID",
            format!("STARTED ({zone})"),
            "CLIENT",
            "ROUTE",
            "TOTAL DOSE",
            "DP",
            "SIT WITH IT W/L/E/S",
            if args.practice { "STATUS " } else { "STATUS" },
            if args.practice { "  CLINICIAN" } else { "" }
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
            let clinician = row
                .clinician
                .as_deref()
                .map(|name| format!("  {}", super::for_terminal(name)))
                .unwrap_or_default();
            writeln!(
                out,
                "{:>7}  {:<16}  {:<10}  {:<22}  {:<26}  {:>3}  {:<17}  {}{clinician}",
                row.id.0,
                super::clinic_time(zone, row.started_at),
                super::for_terminal(&row.client_code),
                row.route.label(),
                row.describe_delivered(),
                row.decision_points,
                outcomes,
                if args.practice {
                    format!("{:<7}", row.describe_status())
                } else {
                    row.describe_status().to_owned()
                }
            )?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
