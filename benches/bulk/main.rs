//! The whole-journal commands, run as a user runs them (the release binary, in its own process, its
//! peak memory taken from the kernel), beside their floors in the same run, alternating:
//!
//! - `demo`: the floor writes the same entry rows into a new file under the journal's key, cipher
//!   settings and pragmas, with the journal's own full-text index of their words, 500 sessions to a
//!   transaction as the demo commits them;
//! - `import` of the `export --all` archive into an empty journal: the same floor in one
//!   transaction, as the import commits;
//! - `export --all --format json`: every entry row read under the same key and written as a JSON line;
//! - `export --all --format fhir`: every entry row read and written as one FHIR-shaped resource
//!   (subject, instant, kind, text), unvalidated.
//!
//! The floors leave out what only the journal does (the audit log and its chain, the sessions' and
//! clients' rows, the archive's checks and signatures), which is the gap the ratio shows. Rows are read
//! and their words worked out before a floor's clock starts. `KAP_BENCH_SIZES=20000` measures the
//! smaller demo alone; `KAP_BENCH_RUNS` sets the runs of each (default 3 at 20k, 1 at 100k).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
mod floors;

use common::figures::{self, Figure, Floor};
use floors::{entry_rows, fhir_floor_run, insert_floor, json_lines_floor};

/// Set in the environment of this bench's own binary when it runs as the waiter of one command.
const WAITER: &str = "KAP_BENCH_PEAK_OF";

/// A command's time and its peak resident memory.
struct Ran {
    took: Duration,
    peak_mb: f64,
}

fn main() {
    if std::env::var_os(WAITER).is_some() {
        wait_for_the_command();
    }
    let mut recorded = Vec::new();
    for (sessions, clients) in common::sizes() {
        recorded.extend(measure(sessions, clients));
        // Each size is kept as soon as it is measured: the 100k one takes most of an hour.
        figures::record("bulk", &figures::merged(previous(), recorded.clone()));
    }
}

/// The figures of this bench's last run, so a run of one size keeps the other's rows.
fn previous() -> Vec<Figure> {
    std::fs::read(figures::results_dir().join("bulk.json"))
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .unwrap_or_default()
}

/// As the waiter: runs the command in the arguments, then prints its peak memory (the most any
/// child of this process held: it has only the one) and exits with its status.
fn wait_for_the_command() -> ! {
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("the command to run");
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the command starts");
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    if !output.status.success() {
        std::io::stderr().write_all(&output.stderr).unwrap();
        std::process::exit(output.status.code().unwrap_or(1));
    }
    // Linux gives the peak in KiB.
    println!("{}", usage.max_rss());
    std::process::exit(0);
}

/// Runs `kap-journal --data-dir DIR ARGS…` as a user would, through the waiter.
fn kap_journal(dir: &Path, args: &[&str]) -> Ran {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().unwrap())
        .env(WAITER, "1")
        .env("KAP_JOURNAL_PASSPHRASE", "synthetic bench passphrase")
        .arg(env!("CARGO_BIN_EXE_kap-journal"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "kap-journal {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let kib: f64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap();
    Ran {
        took,
        peak_mb: kib * 1024.0 / 1e6,
    }
}

fn runs(sessions: usize) -> usize {
    std::env::var("KAP_BENCH_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(if sessions >= 100_000 { 1 } else { 3 })
}

fn measure(sessions: usize, clients: usize) -> Vec<Figure> {
    let demo = common::cached_demo_journal(clients, sessions);
    let key = kap_journal::store::unlock_key(&demo, &common::passphrase()).unwrap();
    let rows = entry_rows(&demo, &key);
    let label = format!("{}k", sessions / 1000);
    eprintln!("{label}: {} entry rows", rows.len());
    let runs = runs(sessions);
    let (mut demo_runs, mut demo_floor) = (Vec::new(), Vec::new());
    let (mut json_runs, mut json_floor) = (Vec::new(), Vec::new());
    let (mut fhir_runs, mut fhir_floor) = (Vec::new(), Vec::new());
    let (mut import_runs, mut import_floor) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let fresh = common::scratch();
        demo_runs.push(kap_journal(
            fresh.path(),
            &[
                "demo",
                "--clients",
                &clients.to_string(),
                "--sessions",
                &sessions.to_string(),
                "--seed",
                "1",
            ],
        ));
        drop(fresh);
        demo_floor.push(insert_floor(&rows, &key, 500));

        let out = common::scratch();
        let archive = out.path().join("all.json");
        json_runs.push(export_all(&demo, "json", &archive));
        json_floor.push(json_lines_floor(
            &out.path().join("bare.jsonl"),
            &key,
            &demo,
        ));

        let bundle = out.path().join("all.fhir.json");
        fhir_runs.push(export_all(&demo, "fhir", &bundle));
        std::fs::remove_file(&bundle).unwrap();
        fhir_floor.push(fhir_floor_run(
            &out.path().join("bare.fhir.jsonl"),
            &key,
            &demo,
        ));

        let fresh = common::scratch();
        import_runs.push(kap_journal(
            fresh.path(),
            &["import", archive.to_str().unwrap()],
        ));
        drop(fresh);
        import_floor.push(insert_floor(&rows, &key, usize::MAX));
        for (what, runs, floor) in [
            ("demo", &demo_runs, &demo_floor),
            ("export json", &json_runs, &json_floor),
            ("export fhir", &fhir_runs, &fhir_floor),
            ("import", &import_runs, &import_floor),
        ] {
            let (ran, floor) = (runs.last().unwrap(), floor.last().unwrap());
            eprintln!(
                "{label} run {run}: {what} {:.1} s, peak {:.0} MB; floor {:.1} s",
                ran.took.as_secs_f64(),
                ran.peak_mb,
                floor.as_secs_f64()
            );
        }
    }
    let scale = format!("{sessions} sessions, {clients} clients");
    vec![
        figure(
            &format!("demo-{label}"),
            &format!("`demo` writes {scale}"),
            &demo_runs,
            &demo_floor,
            "same entries + search index, encrypted, 500 sessions a commit",
            "≤ 2x the floor",
        ),
        figure(
            &format!("import-{label}"),
            &format!("`import` of the {label} archive into an empty journal"),
            &import_runs,
            &import_floor,
            "same entries + search index, encrypted, one commit",
            "≤ 2x the floor, < 100 MB",
        ),
        figure(
            &format!("export-json-{label}"),
            &format!("`export --all --format json`, {label}"),
            &json_runs,
            &json_floor,
            "every entry read, one JSON line each",
            "≤ 2x the floor",
        ),
        figure(
            &format!("export-fhir-{label}"),
            &format!("`export --all --format fhir`, {label}"),
            &fhir_runs,
            &fhir_floor,
            "every entry read, one FHIR-shaped resource each",
            "≤ 2x the floor",
        ),
    ]
}

/// `kap-journal export --all --format FORMAT --out OUT` of the journal at `dir`.
fn export_all(dir: &Path, format: &str, out: &Path) -> Ran {
    let out = out.to_str().unwrap();
    kap_journal(dir, &["export", "--all", "--format", format, "--out", out])
}

/// The median of the runs and their slowest as the tail; the highest peak memory of any run.
fn figure(
    id: &str,
    what: &str,
    runs: &[Ran],
    floor: &[Duration],
    floor_what: &str,
    goal: &str,
) -> Figure {
    let took: Vec<Duration> = runs.iter().map(|run| run.took).collect();
    let (median_ms, max_ms) = figures::median_and(&took, 1.0);
    let (floor_ms, _) = figures::median_and(floor, 0.5);
    Figure {
        id: id.to_owned(),
        what: what.to_owned(),
        median_ms,
        tail: (runs.len() > 1).then(|| ("max".to_owned(), max_ms)),
        floor: Some(Floor {
            what: floor_what.to_owned(),
            median_ms: floor_ms,
        }),
        peak_mb: runs.iter().map(|run| run.peak_mb).reduce(f64::max),
        goal: goal.to_owned(),
        measured: figures::today(),
    }
}
