//! The command line: the window is the product; these commands serve scripting, backups and checks.

/// A line on standard output. A closed output (`kap-journal settings | head -1`) is an error that
/// ends the command quietly (see `main`), never a panic as `println!` would.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

/// Text from the journal made safe for a terminal: a line break becomes a space, and control,
/// direction and invisible characters (an escape sequence hidden in an imported note, a word turned
/// right to left) become U+FFFD, so nothing written in a record can steer the terminal.
pub(crate) fn for_terminal(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if crate::domain::hides_or_moves_text(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// A line on standard error for the person at the terminal; a closed stderr loses it, nothing else.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod backup;
mod check;
mod consent;
mod demo;
mod disclosures;
mod error_sentence;
mod export;
mod follow_ups;
mod import;
mod journal_access;
mod live;
mod lots;
mod practice;
mod practice_registry;
mod print;
mod rems;
mod search;
mod sessions;
mod settings;

pub use error_sentence::error_sentence;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::store::{DATA_DIR_ENV, default_data_dir};

pub use journal_access::{JournalAccess, PASSPHRASE_ENV};

/// KAP Journal: a session journal for clinicians who give ketamine treatment.
#[derive(Debug, Parser)]
#[command(name = "kap-journal", version, about)]
pub struct Cli {
    /// The folder that holds journal.db (default: the platform data folder).
    #[arg(long, global = true, env = DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A file whose first line is the journal's passphrase (else `KAP_JOURNAL_PASSPHRASE` is read).
    /// The window always asks for it instead.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; none opens the window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the data folder with synthetic clients and sessions.
    Demo(demo::DemoArgs),
    /// List sessions, KAP and Medical Model apart.
    Sessions(sessions::SessionsArgs),
    /// Find entries by the words in them (notes, decision points, deferral outcomes).
    Search(search::SearchArgs),
    /// Write a session as a Markdown summary, CSV or a JSON archive; or every session as JSON.
    Export(export::ExportArgs),
    /// Read a JSON archive written by export: all of it, or nothing if anything is wrong.
    Import(import::ImportArgs),
    /// Check the journal file: every page's authentication code and SQLite's integrity check.
    Check(check::CheckArgs),
    /// Write a checked, encrypted backup of the journal to a file.
    Backup(backup::BackupArgs),
    /// Replace the journal with a backup of it (the replaced journal is kept beside it).
    Restore(backup::RestoreArgs),
    /// Show the clinic's monitoring settings (vitals schedule, thresholds), or change them with --set.
    Settings(settings::SettingsArgs),
    /// The controlled-substance log: lots with what is left, stock received, waste before a
    /// witness, corrections, and the log with its running balance (also as CSV).
    Lots(lots::LotsArgs),
    /// The esketamine REMS monitoring forms still to submit, with their due dates; `rems submitted
    /// ID` marks one submitted.
    Rems(rems::RemsArgs),
    /// The clinic's consent text and each client's consent: list what needs renewing, adopt a
    /// new version (`consent text --file F`), record a consent or a withdrawal.
    Consent(consent::ConsentArgs),
    /// The integration check-ins due (the next day with the EBI, a week on with the PHQ-9);
    /// `follow-ups record ID` records what one found.
    FollowUps(follow_ups::FollowUpsArgs),
    /// Print a session's summary (or, with --rems, its REMS form) or, with --consent CODE, a
    /// client's consent: through the print dialog, the default printer or the PDF viewer.
    Print(print::PrintArgs),
    /// Who received what of a client's record, when, in which form: exports, prints, backups,
    /// pushes to the practice and colleagues' fetches from it (an accounting of disclosures).
    Disclosures(disclosures::DisclosuresArgs),
    /// The group practice: `practice init URL` sets up its server, `practice add-clinician URL`
    /// adds a login, `practice connect URL` joins this journal; alone, where this journal stands.
    Practice(practice::PracticeArgs),
    /// Send what this journal recorded to the practice server and copy what this clinician may
    /// read from it.
    Sync(practice::SyncArgs),
    /// The practice's sessions running now that this login may join: those of clients whose care
    /// team it is on, with who started each and who joined.
    Live(live::LiveArgs),
}

/// Parses the process arguments and runs what they ask for.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let journal = JournalAccess {
        data_dir: resolve_data_dir(cli.data_dir)?,
        passphrase_file: cli.passphrase_file,
    };
    crate::crash_report::report_to(journal.data_dir());
    match cli.command {
        None => crate::ui::run_window(journal.data_dir()),
        Some(Command::Demo(args)) => demo::run(&journal, &args),
        Some(Command::Sessions(args)) => sessions::run(&journal, &args),
        Some(Command::Search(args)) => search::run(&journal, &args),
        Some(Command::Export(args)) => export::run(&journal, &args),
        Some(Command::Import(args)) => import::run(&journal, &args),
        Some(Command::Settings(args)) => settings::run(&journal, &args),
        Some(Command::Lots(args)) => lots::run(&journal, &args),
        Some(Command::Rems(args)) => rems::run(&journal, &args),
        Some(Command::Consent(args)) => consent::run(&journal, &args),
        Some(Command::FollowUps(args)) => follow_ups::run(&journal, &args),
        Some(Command::Print(args)) => print::run(&journal, &args),
        Some(Command::Disclosures(args)) => disclosures::run(&journal, &args),
        Some(Command::Practice(args)) => practice::run(&journal, &args),
        Some(Command::Sync(args)) => practice::run_sync(&journal, &args),
        Some(Command::Live(args)) => live::run(&journal, &args),
        Some(Command::Check(args)) => check::run(&journal, &args),
        Some(Command::Backup(args)) => backup::run_backup(&journal, &args),
        Some(Command::Restore(args)) => backup::run_restore(&journal, &args),
    }
}

/// A moment as the clinic's clock reads it, for a line a clinician reads (the zone is named
/// beside it, in a heading or the line itself).
fn clinic_time(zone: crate::domain::ClinicZone, at: chrono::DateTime<chrono::Utc>) -> String {
    crate::format::date_style().date_time(zone.local(at).naive_local())
}

fn resolve_data_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    given
        .or_else(default_data_dir)
        .context("This system has no home folder for the journal; choose one with --data-dir.")
}

/// `--model medical|kap`.
fn parse_model(text: &str) -> Result<crate::domain::TreatmentModel, String> {
    crate::domain::TreatmentModel::parse(text).ok_or_else(|| "use medical or kap".to_owned())
}
