//! `kap-journal follow-ups`: the integration check-ins due (the next day with the EBI, a week on
//! with the PHQ-9); `follow-ups record ID` records what one found.

use std::process::ExitCode;

use crate::domain::{CheckIn, Ebi, FollowUpId, Instrument, Measure};

/// Arguments of `kap-journal follow-ups`.
#[derive(Debug, clap::Args)]
pub struct FollowUpsArgs {
    #[command(subcommand)]
    action: Option<FollowUpsAction>,
    /// The check-ins due as JSON (stable; documented in docs/reference.md).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum FollowUpsAction {
    /// Records what check-in ID found (now): an EBI, a PHQ-9 and/or a note.
    Record {
        id: i64,
        /// Six EBI ratings 0–100, e.g. "70,40,80,60,50,65".
        #[arg(long, value_name = "RATINGS")]
        ebi: Option<String>,
        /// The nine PHQ-9 answers 0–3, e.g. 211101000.
        #[arg(long, value_name = "ANSWERS")]
        phq9: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
}

pub fn run(journal: &super::JournalAccess, args: &FollowUpsArgs) -> anyhow::Result<ExitCode> {
    let now = crate::domain::wall_now();
    if let Some(FollowUpsAction::Record {
        id,
        ebi,
        phq9,
        note,
    }) = &args.action
    {
        let check_in = CheckIn {
            at: now,
            ebi: ebi.as_deref().map(Ebi::parse).transpose()?,
            phq9: phq9
                .as_deref()
                .map(|answers| Measure::parse(Instrument::Phq9, answers))
                .transpose()?,
            note: note.clone(),
        };
        let mut store = journal.open()?;
        let done = store
            .registers_mut()
            .record_check_in(FollowUpId(*id), &check_in)?;
        let found = done
            .done
            .as_ref()
            .map(CheckIn::describe)
            .unwrap_or_default();
        say!("Recorded: {found}.");
        return Ok(ExitCode::SUCCESS);
    }
    let store = journal.open_for_reading()?;
    let due = store.registers().follow_ups_due(now)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&due)?);
        return Ok(ExitCode::SUCCESS);
    }
    if due.is_empty() {
        say!("No integration check-in is due.");
    }
    for due in due {
        let follow_up = &due.follow_up;
        say!(
            "check-in {:>6}  {:<12} {:<26} session {:>6}  due {}{}",
            follow_up.id.0,
            super::for_terminal(&due.client_code),
            follow_up.kind.label(),
            follow_up.session_id.0,
            crate::format::date(follow_up.due),
            if due.overdue { "  OVERDUE" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
