//! `kap-journal import`: a JSON archive written by `export`, all of it or nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::export::{OnExisting, import_file, refuse_unreadable_source};

/// Arguments of `kap-journal import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The archive, as written by `kap-journal export --format json`.
    file: PathBuf,
    /// Leave sessions the journal already has as they are and import the others (default: import
    /// nothing and say which session is already there).
    #[arg(long)]
    skip_existing: bool,
}

pub fn run(journal: &super::JournalAccess, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    // Before the journal is claimed: a pipe or a device given by mistake holds nothing up.
    refuse_unreadable_source(&args.file)?;
    let mut store = journal.open()?;
    let on_existing = if args.skip_existing {
        OnExisting::Skip
    } else {
        OnExisting::Refuse
    };
    let report = import_file(
        &mut store,
        &args.file,
        on_existing,
        crate::domain::wall_now(),
    )?;
    say!("{report}");
    Ok(ExitCode::SUCCESS)
}
