//! Starting the window: claim the data folder, then hand it to the app on a native window.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::KapJournalApp;
use crate::live::SystemClock;
use crate::store::LockedJournal;

/// Opens the window on the journal in `data_dir`, starting at its passphrase screen.
pub fn run_window(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let journal = LockedJournal::claim(data_dir);
    if let Err(error) = &journal {
        // Said in the terminal too, for a window started from a script.
        eprintln!("kap-journal: {error}");
    }
    let refused = journal.is_err();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("KAP Journal")
            .with_app_id("kap-journal")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "KAP Journal",
        options,
        Box::new(move |cc| {
            Ok(Box::new(KapJournalApp::new(
                cc,
                journal,
                Arc::new(SystemClock::new()),
            )))
        }),
    )
    .map_err(|error| anyhow::anyhow!("The window could not be opened: {error}."))?;
    Ok(if refused {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
