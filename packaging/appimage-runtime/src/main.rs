//! The runtime at the head of KAP Journal's AppImage (type 2: this ELF, then a SquashFS image of
//! the AppDir). Where the AppImage project's runtime mounts the image with FUSE, this one extracts
//! it once into the user's cache (as `--appimage-extract-and-run` does), so it needs neither FUSE
//! nor a binary downloaded at build time, and runs `AppRun` from there. It understands the
//! runtime's own options: `--appimage-offset`, `--appimage-extract` and `--appimage-version`.
//!
//! The image is checked before anything is run: every path stays inside the folder it is
//! extracted to, links are made last and only to places inside it, and an extraction is made in a
//! folder of its own and renamed into place whole, so a run that was cut short leaves nothing half
//! made that a later run would use.

mod elf;
mod extract;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(problem) => {
            eprintln!("kap-journal (AppImage): {problem}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let image = std::env::current_exe()
        .map_err(|error| format!("This AppImage cannot find its own file ({error})."))?;
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let offset = elf::end_of_elf(&image)?;
    match args.first().and_then(|arg| arg.to_str()) {
        Some("--appimage-offset") => {
            println!("{offset}");
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-version") => {
            println!("KAP Journal AppImage runtime {VERSION} (extracts; no FUSE)");
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-extract") => {
            let into = Path::new("squashfs-root");
            if into.exists() {
                return Err(
                    "squashfs-root is already here; move it away first, nothing was extracted."
                        .to_owned(),
                );
            }
            extract::extract(&image, offset, into)?;
            println!("{}", into.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(other) if other.starts_with("--appimage-") => Err(format!(
            "{other} is not an option this AppImage knows; it knows --appimage-offset, \
             --appimage-extract and --appimage-version."
        )),
        _ => {
            let app_dir = extract::cached(&image, offset, &cache_folder()?)?;
            run_app(&image, &app_dir, args)
        }
    }
}

/// Where extracted images are kept: `$XDG_CACHE_HOME/kap-journal-appimage`, else
/// `~/.cache/kap-journal-appimage`.
fn cache_folder() -> Result<PathBuf, String> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or("This account has no home folder to keep the AppImage's files in.")?;
    Ok(base.join("kap-journal-appimage"))
}

/// Replaces this process with the image's `AppRun`, as the AppImage runtime does, with the
/// variables it sets.
#[cfg(unix)]
fn run_app(image: &Path, app_dir: &Path, args: Vec<OsString>) -> Result<ExitCode, String> {
    use std::os::unix::process::CommandExt as _;
    let app_run = app_dir.join("AppRun");
    let error = std::process::Command::new(&app_run)
        .args(args)
        .env("APPIMAGE", image)
        .env("APPDIR", app_dir)
        .env(
            "ARGV0",
            std::env::args_os().next().unwrap_or_else(|| image.into()),
        )
        .env(
            "OWD",
            std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
        )
        .exec();
    Err(format!(
        "The AppImage's program could not be started ({error})."
    ))
}

#[cfg(not(unix))]
fn run_app(_: &Path, _: &Path, _: Vec<OsString>) -> Result<ExitCode, String> {
    Err("An AppImage runs on Linux only.".to_owned())
}
