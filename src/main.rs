//! The `kap-journal` binary: parses the command line and turns the outcome into an exit code.

use std::process::ExitCode;

/// The exit status of a process stopped by Ctrl+C, as shells report it.
const INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // A panic leaves a report in the data folder (never client data), once that folder is known.
    kap_journal::crash_report::install();
    // Ctrl+C or SIGTERM during an export or a backup: its half-made file goes first. (A handler that
    // cannot be installed leaves that to the next start, which removes it too.)
    let _ = ctrlc::set_handler(|| {
        kap_journal::store::abandon_outputs_in_making();
        std::process::exit(INTERRUPTED);
    });
    match kap_journal::cli::run() {
        Ok(code) => code,
        // A reader that stops early (`sessions | head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kap-journal: {}", kap_journal::cli::error_sentence(&error));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}
