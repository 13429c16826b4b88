//! Writes the README's performance table from the benches' last figures: the figures in
//! `target/bench-results/` (the benches just run) replace those of the same row in
//! `docs/bench-results.json` (the last run kept in the repository), which is written back with today's
//! date and this machine's core count, and the README's table is written from it. Run by
//! `script/bench-table` after the benches; alone, it writes the table from what is there.

#[path = "../benches/common/figures.rs"]
mod figures;

use std::path::Path;

/// The order of a new table's rows, by bench.
const BENCH_ORDER: [&str; 4] = ["unlock_to_home", "log_event", "search", "bulk"];

fn main() -> std::process::ExitCode {
    match write_table(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(rows) => {
            println!(
                "performance table: {rows} figures written to README.md and docs/bench-results.json"
            );
            std::process::ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("performance table: {problem}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn write_table(root: &Path) -> Result<usize, String> {
    let kept_path = root.join("docs/bench-results.json");
    let kept: Vec<figures::Figure> = match std::fs::read_to_string(&kept_path) {
        Ok(text) => {
            serde_json::from_str::<figures::Run>(&text)
                .map_err(|error| format!("docs/bench-results.json cannot be read ({error})"))?
                .figures
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(error) => return Err(format!("docs/bench-results.json cannot be read ({error})")),
    };
    let mut newer = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(figures::results_dir())
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|entry| entry.path())
                .collect()
        })
        .unwrap_or_default();
    // The table reads from what the clinician meets first; benches not named here come after.
    files.sort_by_key(|path| {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let place = BENCH_ORDER
            .iter()
            .position(|bench| *bench == name)
            .unwrap_or(BENCH_ORDER.len());
        (place, name)
    });
    for file in files
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
    {
        let text = std::fs::read_to_string(file)
            .map_err(|error| format!("{} cannot be read ({error})", file.display()))?;
        let figures: Vec<figures::Figure> = serde_json::from_str(&text)
            .map_err(|error| format!("{} is not a bench's figures ({error})", file.display()))?;
        newer.extend(figures);
    }
    let run = figures::Run {
        generated: figures::today(),
        cores: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        figures: figures::merged(kept, newer),
    };
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .map_err(|error| format!("README.md cannot be read ({error})"))?;
    let written = figures::with_table(&readme, &run)
        .ok_or("README.md has no place for the table (its two marker lines)")?;
    let json = serde_json::to_string_pretty(&run).map_err(|error| error.to_string())?;
    std::fs::write(&kept_path, json + "\n")
        .map_err(|error| format!("docs/bench-results.json cannot be written ({error})"))?;
    std::fs::write(&readme_path, written)
        .map_err(|error| format!("README.md cannot be written ({error})"))?;
    Ok(run.figures.len())
}
