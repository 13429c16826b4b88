//! `kap-journal rems`: the esketamine REMS monitoring forms still to submit, each with its 7-day due
//! date; `rems submitted ID` marks one submitted, `rems withdraw ID --reason WHY` takes a mark made in
//! error back. The form itself is `export ID --format rems`.

use std::process::ExitCode;

use crate::domain::SessionId;

/// Arguments of `kap-journal rems`.
#[derive(Debug, clap::Args)]
pub struct RemsArgs {
    #[command(subcommand)]
    action: Option<RemsAction>,
    /// The forms to submit as JSON (stable; documented in the README).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum RemsAction {
    /// The session's form was submitted (now).
    Submitted { session: i64 },
    /// A "submitted" mark made in error is taken back (a later, audited mark; the form is due again).
    Withdraw {
        session: i64,
        /// Why, e.g. "marked in error: the form was not sent".
        #[arg(long)]
        reason: String,
    },
}

pub fn run(journal: &super::JournalAccess, args: &RemsArgs) -> anyhow::Result<ExitCode> {
    let now = crate::domain::wall_now();
    if let Some(RemsAction::Submitted { session }) = &args.action {
        let mut store = journal.open()?;
        store.mark_rems_submitted(SessionId(*session), now)?;
        say!("Marked submitted.");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(RemsAction::Withdraw { session, reason }) = &args.action {
        let mut store = journal.open()?;
        store.withdraw_rems_submission(SessionId(*session), now, reason)?;
        say!("The mark is withdrawn; the form is due again.");
        return Ok(ExitCode::SUCCESS);
    }
    let store = journal.open_for_reading()?;
    let due = store.rems_due(now)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&due)?);
        return Ok(ExitCode::SUCCESS);
    }
    if due.is_empty() {
        say!("No REMS monitoring form is waiting to be submitted.");
    }
    let zone = store.clinic_zone()?;
    for form in due {
        say!(
            "session {:>6}  {:<12} treated {} ({zone})  due {}{}",
            form.session_id.0,
            super::for_terminal(&form.client_code),
            super::clinic_time(zone, form.treated_at),
            form.due,
            if form.overdue { "  OVERDUE" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
