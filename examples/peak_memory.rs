//! Peak memory of imports and exports at scale: writes archives of synthetic sessions (each as long
//! as a session may be, 10,000 entries), imports them into a new journal with the release build of
//! `kap-journal`, then exports every session as JSON and FHIR and the longest as CSV, Markdown and
//! PDF, and prints each command's peak resident memory (GNU time's maximum RSS) and time.
//!
//! `cargo build --release && cargo run --release --example peak_memory -- 10000000`
//! (the number of entries; 1,000,000 by default). Needs GNU time (`apt-get install time`) and, at
//! ten million entries, about 10 GB of free disk beside `target/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kap_journal::domain::MAX_SESSION_ENTRIES;

/// Sessions per archive: a million entries, about 120 MB of JSON, well under the import's 1 GiB.
const SESSIONS_PER_ARCHIVE: usize = 100;
const PASSPHRASE: &str = "synthetic benchmark passphrase";
const WORDS: [&str; 12] = [
    "breathing",
    "slowly",
    "tearful",
    "garden",
    "father",
    "door",
    "calm",
    "warm",
    "staircase",
    "music",
    "shoulders",
    "softens",
];

fn main() {
    let entries: usize = std::env::args().nth(1).map_or(1_000_000, |arg| {
        arg.replace([',', '_'], "")
            .parse()
            .expect("a number of entries")
    });
    let sessions = entries.div_ceil(MAX_SESSION_ENTRIES);
    let binary = release_binary();
    let work = tempfile::Builder::new()
        .prefix("peak-memory")
        .tempdir_in(Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .unwrap();
    let data = work.path().join("journal");
    println!(
        "{} entries in {sessions} sessions of {MAX_SESSION_ENTRIES}, with {}",
        entries,
        binary.display()
    );
    println!("| command | peak RSS | time |\n| --- | --- | --- |");

    let mut written = 0;
    let mut archive_number = 0;
    while written < sessions {
        let count = SESSIONS_PER_ARCHIVE.min(sessions - written);
        let archive = work.path().join(format!("archive-{archive_number}.json"));
        write_archive(&archive, archive_number, count);
        let bytes = std::fs::metadata(&archive).unwrap().len();
        measure(
            &binary,
            &data,
            &format!(
                "import {count} sessions ({} MB), journal at {} entries",
                bytes / 1_000_000,
                (written + count) * MAX_SESSION_ENTRIES
            ),
            &["import", archive.to_str().unwrap()],
            // The first, middle and last imports are shown; memory is the same in between.
            archive_number == 0 || written + count == sessions || written == sessions / 2,
        );
        std::fs::remove_file(&archive).unwrap();
        written += count;
        archive_number += 1;
    }
    let all = ["export", "--all", "--format"];
    measure(
        &binary,
        &data,
        "export --all, JSON",
        &[&all[..], &["json", "--out", "-"]].concat(),
        true,
    );
    measure(
        &binary,
        &data,
        "export --all, FHIR",
        &[&all[..], &["fhir", "--out", "-"]].concat(),
        true,
    );
    for format in ["csv", "md", "pdf", "fhir"] {
        measure(
            &binary,
            &data,
            &format!("export one session of {MAX_SESSION_ENTRIES} entries, {format}"),
            &["export", "1", "--format", format, "--out", "-"],
            true,
        );
    }
}

/// The release build beside this example (`target/release/kap-journal`).
fn release_binary() -> PathBuf {
    let binary = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("kap-journal");
    assert!(binary.exists(), "build it first: cargo build --release");
    binary
}

/// Runs `kap-journal args` on `data` under GNU time; prints its peak RSS and time when `shown`.
fn measure(binary: &Path, data: &Path, what: &str, args: &[&str], shown: bool) {
    let report = data.with_extension("time");
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(binary)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("KAP_JOURNAL_PASSPHRASE", PASSPHRASE)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("GNU time at /usr/bin/time");
    assert!(
        status.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let kib: u64 = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    if shown {
        println!(
            "| {what} | {} MB | {:.1} s |",
            kib * 1024 / 1_000_000,
            started.elapsed().as_secs_f64()
        );
    }
}

/// An archive of `count` ended KAP sessions of the most entries a session keeps, streamed to disk.
fn write_archive(path: &Path, archive_number: usize, count: usize) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    write!(
        out,
        "{{\"format_version\":1,\"synthetic\":true,\"sessions\":["
    )
    .unwrap();
    let day = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
        .unwrap()
        .to_utc();
    for index in 0..count {
        let number = archive_number * SESSIONS_PER_ARCHIVE + index;
        let started = day + chrono::TimeDelta::days(number as i64);
        let at = |seconds: usize| {
            (started + chrono::TimeDelta::seconds(seconds as i64))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        if index > 0 {
            write!(out, ",").unwrap();
        }
        write!(
            out,
            "{{\"uuid\":\"{}\",\"client\":{{\"code\":\"S-{:05}\",\"display_name\":null,\"weight_kg\":70.0}},\
             \"model\":\"kap\",\"route\":\"iv_infusion\",\"planned_dose\":{{\"amount\":0.5,\"unit\":\"mg/kg\",\"over_minutes\":40}},\
             \"intention\":\"Synthetic intention.\",\"comfort_plan\":\"Synthetic comfort plan.\",\"status\":\"ended\",\
             \"started_at\":\"{}\",\"ended_at\":\"{}\",\"zone\":\"Etc/UTC\",\"events\":[",
            uuid::Uuid::new_v4(),
            number % 500,
            at(0),
            at(MAX_SESSION_ENTRIES)
        )
        .unwrap();
        for seq in 1..MAX_SESSION_ENTRIES {
            let word = |k: usize| WORDS[(seq * 7 + number * 3 + k) % WORDS.len()];
            write!(
                out,
                "{{\"seq\":{seq},\"wall_time\":\"{}\",\"elapsed_ms\":{},\"entry\":{{\"kind\":\"note\",\"text\":\"Synthetic note {seq}: {} {} {}.\"}}}},",
                at(seq),
                seq * 1000,
                word(0),
                word(1),
                word(2)
            )
            .unwrap();
        }
        write!(
            out,
            "{{\"seq\":{MAX_SESSION_ENTRIES},\"wall_time\":\"{}\",\"elapsed_ms\":{},\"entry\":{{\"kind\":\"session_ended\",\"note\":\"\"}}}}]}}",
            at(MAX_SESSION_ENTRIES),
            MAX_SESSION_ENTRIES * 1000
        )
        .unwrap();
    }
    write!(out, "]}}").unwrap();
    out.flush().unwrap();
}
