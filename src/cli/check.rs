//! `kap-journal check`: every page's authentication code and SQLite's integrity check. Exits non-zero
//! on any problem, naming pages and tables, never content.

use std::process::ExitCode;

/// Arguments of `kap-journal check` (none yet).
#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub fn run(journal: &super::JournalAccess, _args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let problems = store.integrity_problems()?;
    if problems.is_empty() {
        println!(
            "journal.db is sound: every page passed its authentication check and SQLite's integrity check."
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "kap-journal: journal.db has {} problem{}; it opens read-only until it is repaired or restored from a backup:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in &problems {
        eprintln!("  {problem}");
    }
    Ok(ExitCode::FAILURE)
}
