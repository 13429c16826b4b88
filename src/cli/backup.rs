//! `kap-journal backup --out FILE` and `kap-journal restore FILE`: a checked copy of the journal,
//! and putting one back. Both report progress on stderr and change nothing when they fail.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::{CopyProgress, LockedJournal};

/// Arguments of `kap-journal backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where the backup goes; it carries the journal's key sealed under the passphrase, so it
    /// restores with the passphrase alone, on this computer or another.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `kap-journal restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A backup made by `kap-journal backup` (or the window) of this journal, or, into an empty
    /// data folder (a new computer), of any journal whose passphrase you give.
    file: PathBuf,
}

pub fn run_backup(journal: &super::JournalAccess, args: &BackupArgs) -> anyhow::Result<ExitCode> {
    // Beside a running window the backup reads a consistent moment through its own connection.
    let store = journal.open_for_reading()?;
    store.backup_to(&args.out, report("Backing up"))?;
    tell!();
    say!(
        "Backup written to {} and checked; it restores with the passphrase in use now, on this computer or another.",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_restore(journal: &super::JournalAccess, args: &RestoreArgs) -> anyhow::Result<ExitCode> {
    let locked = LockedJournal::claim(journal.data_dir())?;
    let store = locked.restore_from(&args.file, &journal.passphrase()?, report("Restoring"))?;
    tell!();
    drop(store);
    say!(
        "Restored from {}; the journal it replaced is kept beside it as journal.db.before-restore-<date and time>.",
        args.file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A progress line on stderr, rewritten in place.
fn report(what: &'static str) -> impl FnMut(CopyProgress) {
    move |progress| {
        let percent = (progress.done * 100)
            .checked_div(progress.total)
            .unwrap_or(100);
        let _ = write!(std::io::stderr(), "\r{what}: {percent}%");
        let _ = std::io::stderr().flush();
    }
}
