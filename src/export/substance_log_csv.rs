//! The controlled-substance log as CSV, for the clinic's records and an inspector: one row per
//! entry in the order recorded, with the lot's running balance. Quoted as RFC 4180 says,
//! rows end in CRLF, text a spreadsheet would run is kept as text.

use std::io::Write;

use super::ExportError;
use super::csv::{csv_error, defuse_formula};
use crate::domain::SubstanceEntry;

/// The header row, in column order.
pub const SUBSTANCE_LOG_COLUMNS: [&str; 13] = [
    "entry",
    "time_utc",
    "lot",
    "substance",
    "movement",
    "change_mg",
    "balance_mg",
    "session_id",
    "witness",
    "recorded_by",
    "note",
    "clock_earlier",
    "synthetic",
];

/// Writes `entries` (as [`crate::store::Registers::substance_log`] gives them) as CSV; each row of a
/// synthetic journal's log says so (`synthetic`: `yes`), so no demo stock reads as a clinic's.
pub fn write_substance_log(
    entries: &[SubstanceEntry],
    synthetic: bool,
    out: impl Write,
) -> Result<(), ExportError> {
    let synthetic = if synthetic { "yes" } else { "" };
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    writer
        .write_record(SUBSTANCE_LOG_COLUMNS)
        .map_err(csv_error)?;
    for entry in entries {
        writer
            .write_record([
                entry.id.to_string(),
                entry.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                defuse_formula(entry.lot.as_str()),
                entry.substance.as_str().to_owned(),
                entry.movement.to_owned(),
                crate::format::milligram_number(entry.change_mg),
                crate::format::milligram_number(entry.balance_mg),
                entry.session.map(|id| id.0.to_string()).unwrap_or_default(),
                defuse_formula(&entry.witness),
                defuse_formula(&entry.recorded_by),
                defuse_formula(&entry.note),
                if entry.clock_earlier { "yes" } else { "" }.to_owned(),
                synthetic.to_owned(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}
