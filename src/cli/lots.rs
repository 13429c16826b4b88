//! `kap-journal lots`: the controlled-substance log. Without a subcommand it lists every lot with
//! what is left; `receive`, `waste` and `correct` add entries; `log` shows (or writes as CSV) the
//! entries with their running balance. What a session administered is entered when it ends.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::domain::{LotCode, Micrograms, Movement, NewSubstanceEntry, Substance};
use crate::export::{write_atomically, write_substance_log};

/// Arguments of `kap-journal lots`.
#[derive(Debug, clap::Args)]
pub struct LotsArgs {
    #[command(subcommand)]
    action: Option<LotsAction>,
    /// The list of lots as JSON (stable; documented in docs/reference.md).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum LotsAction {
    /// Stock received: `lots receive KET-2611 --substance ketamine --mg 1000`.
    Receive {
        lot: String,
        #[arg(long, value_name = "ketamine|esketamine")]
        substance: String,
        #[arg(long, value_name = "MG")]
        mg: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Drawn up or opened and not given, destroyed before a witness.
    Waste {
        lot: String,
        #[arg(long, value_name = "MG")]
        mg: String,
        /// Who saw it destroyed.
        #[arg(long, value_name = "NAME")]
        witness: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A count that differs from the log: `--mg -20` takes 20 mg away; the note says why.
    Correct {
        lot: String,
        #[arg(long, value_name = "MG", allow_hyphen_values = true)]
        mg: String,
        #[arg(long)]
        note: String,
    },
    /// Every entry (or one lot's) with the running balance; `--csv` for the record.
    Log {
        #[arg(long)]
        lot: Option<String>,
        /// CSV instead of the table.
        #[arg(long)]
        csv: bool,
        /// Write the CSV to this file instead of standard output (`-` for standard output).
        #[arg(long, requires = "csv")]
        out: Option<PathBuf>,
    },
}

pub fn run(journal: &super::JournalAccess, args: &LotsArgs) -> anyhow::Result<ExitCode> {
    let now = crate::domain::wall_now();
    let entry = match &args.action {
        None => return list(journal, args.json),
        Some(LotsAction::Log { lot, csv, out }) => {
            return log(journal, lot.as_deref(), *csv, out.as_deref());
        }
        Some(LotsAction::Receive {
            lot,
            substance,
            mg,
            note,
        }) => NewSubstanceEntry {
            lot: LotCode::parse(lot)?,
            substance: Substance::parse(substance)?,
            movement: Movement::Received,
            amount: Micrograms::parse_mg(mg)?,
            note: note.clone(),
        },
        Some(LotsAction::Waste {
            lot,
            mg,
            witness,
            note,
        }) => {
            let lot = LotCode::parse(lot)?;
            NewSubstanceEntry {
                substance: substance_of(journal, &lot)?,
                lot,
                movement: Movement::Wasted {
                    witness: witness.clone(),
                },
                amount: Micrograms::parse_mg(mg)?,
                note: note.clone(),
            }
        }
        Some(LotsAction::Correct { lot, mg, note }) => {
            let lot = LotCode::parse(lot)?;
            NewSubstanceEntry {
                substance: substance_of(journal, &lot)?,
                lot,
                movement: Movement::Correction,
                amount: Micrograms::parse_signed_mg(mg)?,
                note: note.clone(),
            }
        }
    };
    let mut store = journal.open()?;
    let saved = store.registers_mut().record_substance(&entry, now)?;
    say!(
        "Saved: lot {} {} {}; balance {}.",
        saved.lot,
        saved.movement,
        crate::format::milligrams(saved.change_mg),
        crate::format::milligrams(saved.balance_mg)
    );
    Ok(ExitCode::SUCCESS)
}

/// The substance a lot already holds (waste and corrections are of stock the log knows).
fn substance_of(journal: &super::JournalAccess, lot: &LotCode) -> anyhow::Result<Substance> {
    let store = journal.open_for_reading()?;
    let held = store
        .registers()
        .lot_balances()?
        .into_iter()
        .find(|balance| &balance.lot == lot)
        .map(|balance| balance.substance);
    Ok(held.ok_or_else(|| crate::domain::SubstanceLogError::UnknownLot(lot.to_string()))?)
}

fn list(journal: &super::JournalAccess, json: bool) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let lots = store.registers().lot_balances()?;
    if json {
        say!("{}", serde_json::to_string_pretty(&lots)?);
        return Ok(ExitCode::SUCCESS);
    }
    if lots.is_empty() {
        say!(
            "No lots yet: record stock with `kap-journal lots receive LOT --substance ketamine --mg 1000`."
        );
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{:<16} {:<11} {:>12} {:>13} {:>10} {:>12}",
        "lot",
        "substance",
        "received",
        "administered",
        "wasted",
        "balance"
    );
    for lot in lots {
        say!(
            "{:<16} {:<11} {:>12} {:>13} {:>10} {:>12}",
            lot.lot.as_str(),
            lot.substance.as_str(),
            crate::format::milligrams(lot.received_mg),
            crate::format::milligrams(lot.administered_mg),
            crate::format::milligrams(lot.wasted_mg),
            crate::format::milligrams(lot.balance_mg)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn log(
    journal: &super::JournalAccess,
    lot: Option<&str>,
    csv: bool,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let store = journal.open_for_reading()?;
    let lot = lot.map(LotCode::parse).transpose()?;
    let entries = store.registers().substance_log(lot.as_ref())?;
    // A lot asked for by name that the log has never seen is a typing slip, not an empty lot.
    if let Some(lot) = &lot
        && entries.is_empty()
    {
        anyhow::bail!(
            "The log has no lot {}; `kap-journal lots` lists every lot it has.",
            super::for_terminal(lot.as_str())
        );
    }
    if csv {
        let synthetic = store.record().is_synthetic()?;
        let write = |out: &mut dyn std::io::Write| write_substance_log(&entries, synthetic, out);
        match out {
            Some(path) if path != Path::new("-") => {
                write_atomically(path, journal.data_dir(), write)?;
                tell!("Wrote {} entries to {}.", entries.len(), path.display());
            }
            _ => write(&mut std::io::stdout().lock())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    for entry in entries {
        let detail = match (entry.session, entry.witness.as_str()) {
            (Some(session), _) => format!("session #{}", session.0),
            (None, "") => String::new(),
            (None, witness) => format!("witness {}", super::for_terminal(witness)),
        };
        say!(
            "{}{}  {:<14} {:<12} {:>12} {:>12}  {} {}",
            crate::format::date_time(entry.at),
            if entry.clock_earlier {
                " (clock earlier than an entry before it)"
            } else {
                ""
            },
            entry.lot.as_str(),
            entry.movement,
            crate::format::milligrams(entry.change_mg),
            crate::format::milligrams(entry.balance_mg),
            detail,
            super::for_terminal(&entry.note)
        );
    }
    Ok(ExitCode::SUCCESS)
}
