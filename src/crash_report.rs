//! A crash leaves a report, never a record. A panic writes a short local report (the version, the
//! system, where it happened and the backtrace) into the data folder's `crash-reports`, owner-only,
//! and the next window that opens the journal says so once, with where it is. The report holds no
//! client data and no note text: a panic's message is kept only when it is a literal written in the
//! code; a formatted one (which could carry what was typed) is left out.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder in the data folder that reports go to.
pub const CRASH_REPORTS_DIR: &str = "crash-reports";

/// Where this process writes a report, once the data folder is known.
static REPORTS: OnceLock<PathBuf> = OnceLock::new();

/// Reports made by this process, so two panics in one moment (two threads) keep one each.
static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Installs the panic hook; the standard one still prints to the terminal after the report is made.
pub fn install() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(folder) = REPORTS.get() {
            // A report that cannot be written must not turn one panic into two.
            let _ = write_report(folder, info);
        }
        standard(info);
    }));
}

/// From now on a panic is reported into `data_dir`'s `crash-reports` folder.
pub fn report_to(data_dir: &Path) {
    let _ = REPORTS.set(data_dir.join(CRASH_REPORTS_DIR));
}

fn write_report(folder: &Path, info: &std::panic::PanicHookInfo<'_>) -> std::io::Result<PathBuf> {
    crate::store::create_private_dir(folder)?;
    let now = crate::domain::wall_now();
    let message = match info.payload().downcast_ref::<&'static str>() {
        Some(literal) => (*literal).to_owned(),
        None => "(a formatted message, left out: it may hold what was typed)".to_owned(),
    };
    let location = info.location().map_or_else(
        || "unknown".to_owned(),
        |location| format!("{}:{}", location.file(), location.line()),
    );
    let thread = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned();
    let report = format!(
        "KAP Journal crash report\n\
         version: {}\n\
         system: {} {}\n\
         at: {}\n\
         thread: {thread}\n\
         where: {location}\n\
         message: {message}\n\
         \n\
         backtrace:\n{}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        now.format("%Y-%m-%d %H:%M:%S UTC"),
        std::backtrace::Backtrace::force_capture()
    );
    let path = folder.join(format!(
        "crash-{}-{}-{}.txt",
        now.format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(report.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

/// The reports in `data_dir` not yet shown, oldest first.
pub fn unseen(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(CRASH_REPORTS_DIR)) else {
        return Vec::new();
    };
    let mut reports: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| {
                    // Only the names this module gives (lower case, as written).
                    name.starts_with("crash-")
                        && Path::new(name)
                            .extension()
                            .is_some_and(|extension| extension == "txt")
                        && !name.ends_with(".seen.txt")
                })
        })
        .collect();
    reports.sort();
    reports
}

/// Marks a report shown (it is kept, renamed `….seen.txt`); returns where it now is.
pub fn mark_seen(report: &Path) -> PathBuf {
    let seen = report.with_extension("seen.txt");
    match std::fs::rename(report, &seen) {
        Ok(()) => seen,
        Err(_) => report.to_path_buf(),
    }
}

/// The sentence the window shows once for the reports found at opening, naming where they are;
/// the reports are marked shown.
pub fn take_notice(data_dir: &Path) -> Option<String> {
    let reports = unseen(data_dir);
    let newest = reports.last()?.clone();
    let kept: Vec<PathBuf> = reports.iter().map(|report| mark_seen(report)).collect();
    let shown = kept.last().cloned().unwrap_or(newest);
    let more = match reports.len() {
        1 => String::new(),
        n => format!(" ({n} reports in that folder)"),
    };
    Some(format!(
        "KAP Journal stopped unexpectedly last time; every saved entry is in the journal. A report \
         without client data or note text was kept at {}{more}.",
        shown.display()
    ))
}
