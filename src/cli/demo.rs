use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use crate::demo::{DemoPlan, generate};

/// Arguments of `kap-journal demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many synthetic clients.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    clients: u32,
    /// How many synthetic sessions, spread over the clients.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    sessions: u32,
    /// Seed for the generator: the same seed gives the same journal.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(journal: &super::JournalAccess, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let mut store = journal.open()?;
    let started = Instant::now();
    let plan = DemoPlan {
        clients: args.clients as usize,
        sessions: args.sessions as usize,
        seed: args.seed,
    };
    let mut stderr = std::io::stderr();
    let report = generate(&mut store, plan, |done, total| {
        // Progress is best effort: a closed stderr must not stop the write.
        let _ = write!(stderr, "\rWriting synthetic sessions: {done}/{total}");
    })?;
    let _ = writeln!(stderr);
    say!(
        "Wrote {} synthetic sessions with {} events for {} clients to {} in {:.1} s.",
        report.sessions,
        report.events,
        report.clients,
        journal.data_dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
