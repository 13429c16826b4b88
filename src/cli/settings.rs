//! `kap-journal settings`: shows the clinic's monitoring settings, or changes them with
//! `--set KEY=VALUE` (all changes checked together, then saved at once or not at all).

use std::process::ExitCode;

use anyhow::Context as _;

use crate::domain::SETTING_KEYS;

/// Arguments of `kap-journal settings`.
#[derive(Debug, clap::Args)]
pub struct SettingsArgs {
    /// A change, e.g. --set vitals-every=10 --set systolic=170. Without it the settings are shown.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    changes: Vec<String>,
}

pub fn run(journal: &super::JournalAccess, args: &SettingsArgs) -> anyhow::Result<ExitCode> {
    let mut store = if args.changes.is_empty() {
        journal.open_for_reading()?
    } else {
        journal.open()?
    };
    let mut settings = store.clinic_settings()?;
    for change in &args.changes {
        let (key, value) = change.split_once('=').with_context(|| {
            format!("Write a change as KEY=VALUE, e.g. systolic=170 (not \"{change}\").")
        })?;
        settings.set(key.trim(), value)?;
    }
    if !args.changes.is_empty() {
        store.save_clinic_settings(&settings)?;
        println!("Saved.");
    }
    for (key, meaning) in SETTING_KEYS {
        println!("{key:<16} {:>4}  {meaning}", settings.get(key)?);
    }
    Ok(ExitCode::SUCCESS)
}
