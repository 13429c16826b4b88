//! `kap-journal check`: every page's authentication code, SQLite's integrity check, the audit log's
//! hash chain and every signed session's digest. Exits non-zero on any problem, naming pages, entries
//! and sessions by number, never content.

use std::process::ExitCode;

/// Arguments of `kap-journal check` (none yet).
#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub fn run(journal: &super::JournalAccess, _args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    // What opening found (committed changes missing) comes first: it is why the journal is read only.
    let mut problems = store.damage().to_vec();
    problems.extend(store.integrity_problems()?);
    // The chain and the signatures are read through SQLite; on a file that fails its page checks
    // they would only repeat what was already found.
    if problems.is_empty() {
        problems.extend(store.audit_problems()?);
        problems.extend(store.signature_problems()?);
    }
    if problems.is_empty() {
        say!(
            "journal.db is sound: every page passed its authentication check and SQLite's integrity check, \
             the audit log's {} entries form an unbroken chain, and every signed session matches its signature.",
            store.audit_len()?
        );
        return Ok(ExitCode::SUCCESS);
    }
    tell!(
        "kap-journal: journal.db has {} problem{}; restore the newest good backup, and keep this copy for whoever looks into it:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in &problems {
        tell!("  {problem}");
    }
    Ok(ExitCode::FAILURE)
}
