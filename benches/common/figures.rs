//! The figures the benchmarks report, as the README's performance table shows them: each bench writes
//! its figures to `target/bench-results/<bench>.json`; `script/bench-table` runs the benches and then
//! `examples/performance_table.rs`, which keeps the last run in `docs/bench-results.json` and writes
//! the table from it. `tests/performance_table.rs` fails when the README's table is not the one the
//! last run gives. Shared by the benches, the example and the test through `#[path]`.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};

/// One row of the table: what was measured, its timings, and the floor measured beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Stable across runs: the row a new run replaces.
    pub id: String,
    /// What a clinician waits for, in words.
    pub what: String,
    pub median_ms: f64,
    /// The tail, e.g. `("p95", 9.6)`.
    pub tail: Option<(String, f64)>,
    /// The bare operation measured in the same run, and its median.
    pub floor: Option<Floor>,
    /// The command's peak resident memory, for the whole-journal commands run as a user runs them.
    #[serde(default)]
    pub peak_mb: Option<f64>,
    /// The goal the issue set, in words ("≤ 300 ms", "≤ 1.5x the floor").
    pub goal: String,
    /// The day the bench ran (UTC).
    pub measured: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Floor {
    pub what: String,
    pub median_ms: f64,
}

/// The last run of every bench: what the table is written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The day the table was written (UTC).
    pub generated: String,
    /// The cores of the machine it ran on.
    pub cores: usize,
    pub figures: Vec<Figure>,
}

/// Where the benches leave their figures.
pub fn results_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-results")
}

/// Today (UTC), as the figures are dated.
pub fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// Writes `bench`'s figures for the table (replacing its last ones).
pub fn record(bench: &str, figures: &[Figure]) {
    let dir = results_dir();
    if let Err(error) = std::fs::create_dir_all(&dir)
        .and_then(|()| serde_json::to_vec_pretty(figures).map_err(std::io::Error::other))
        .and_then(|json| std::fs::write(dir.join(format!("{bench}.json")), json))
    {
        eprintln!("the figures of {bench} could not be kept for the table: {error}");
    }
}

/// The median and a tail quantile of `samples`, in milliseconds.
pub fn median_and(samples: &[std::time::Duration], tail: f64) -> (f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let at =
        |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(tail))
}

/// A duration as the table writes it: µs under a millisecond, seconds from 10 s.
pub fn duration(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.0} µs", ms * 1e3)
    } else if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1e3)
    }
}

/// Where the table starts and ends in the README; what is between is written, never edited.
pub const TABLE_START: &str = "<!-- performance table: written by script/bench-table from docs/bench-results.json; do not edit -->";
pub const TABLE_END: &str = "<!-- end of performance table -->";

/// The table's header row, its separator, then one row per figure.
pub const COLUMNS: [&str; 8] = [
    "what",
    "median",
    "tail",
    "floor, same run",
    "ratio",
    "peak memory",
    "goal",
    "measured",
];

/// The table (with the line before it saying when and where), as the README holds it.
pub fn render(run: &Run) -> String {
    let mut lines = vec![
        format!(
            "Last run {} on a {}-core machine (`script/bench-table`; release build, criterion and the \
             benches' own timing loops; ratios are medians over the floor's median):",
            run.generated, run.cores
        ),
        String::new(),
        format!("| {} |", COLUMNS.join(" | ")),
        format!("|{}", " --- |".repeat(COLUMNS.len())),
    ];
    for figure in &run.figures {
        let tail = figure.tail.as_ref().map_or("–".to_owned(), |(name, ms)| {
            format!("{name} {}", duration(*ms))
        });
        let (floor, ratio) =
            figure
                .floor
                .as_ref()
                .map_or(("–".to_owned(), "–".to_owned()), |f| {
                    (
                        format!("{}: {}", f.what, duration(f.median_ms)),
                        format!("{:.2}x", figure.median_ms / f.median_ms),
                    )
                });
        let peak = figure
            .peak_mb
            .map_or("–".to_owned(), |mb| format!("{mb:.0} MB"));
        let cells = [
            figure.what.clone(),
            duration(figure.median_ms),
            tail,
            floor,
            ratio,
            peak,
            figure.goal.clone(),
            figure.measured.clone(),
        ];
        lines.push(format!("| {} |", cells.join(" | ")));
    }
    lines.join("\n") + "\n"
}

/// The text between the markers in `readme`, if both are there once.
pub fn table_in(readme: &str) -> Option<&str> {
    if readme.matches(TABLE_START).count() != 1 || readme.matches(TABLE_END).count() != 1 {
        return None;
    }
    let (_, after) = readme.split_once(TABLE_START)?;
    let (table, _) = after.split_once(TABLE_END)?;
    Some(table.trim_matches('\n'))
}

/// `readme` with the table between the markers replaced by `run`'s.
pub fn with_table(readme: &str, run: &Run) -> Option<String> {
    let (before, after) = readme.split_once(TABLE_START)?;
    let (_, rest) = after.split_once(TABLE_END)?;
    Some(format!(
        "{before}{TABLE_START}\n{}\n{TABLE_END}{rest}",
        render(run).trim_end_matches('\n')
    ))
}

/// `last` with each figure of `newer` in place of the one of the same id (new ones after).
pub fn merged(last: Vec<Figure>, newer: Vec<Figure>) -> Vec<Figure> {
    let mut figures = last;
    for figure in newer {
        match figures.iter_mut().find(|kept| kept.id == figure.id) {
            Some(kept) => *kept = figure,
            None => figures.push(figure),
        }
    }
    figures
}
