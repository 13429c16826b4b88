//! The system's print command (CUPS `lp`, asked for its default printer with `lpstat -d`) and its
//! PDF viewer (`xdg-open`, `open` on macOS, `start` on Windows), found on `PATH` or named by tests.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::PrintError;

/// A viewer that fails does so at once (no program for PDFs); one still running after this has
/// opened the document.
const VIEWER_FAILS_WITHIN: Duration = Duration::from_secs(3);

/// The programs printing may use; `None` where this computer has none.
#[derive(Debug, Clone, Default)]
pub struct PrintCommands {
    pub lp: Option<PathBuf>,
    pub lpstat: Option<PathBuf>,
    /// The viewer's program and the arguments before the file.
    pub viewer: Option<Vec<OsString>>,
}

impl PrintCommands {
    /// What `PATH` holds.
    pub fn from_path() -> Self {
        let viewer = if cfg!(windows) {
            find("cmd")
                .map(|cmd| vec![cmd.into_os_string(), "/C".into(), "start".into(), "".into()])
        } else if cfg!(target_os = "macos") {
            find("open").map(|open| vec![open.into_os_string()])
        } else {
            find("xdg-open").map(|open| vec![open.into_os_string()])
        };
        Self {
            lp: find("lp"),
            lpstat: find("lpstat"),
            viewer,
        }
    }

    /// The printer `lp` sends to when none is named: `$LPDEST` or `$PRINTER`, else what `lpstat
    /// -d` calls the system default. `None` without `lp` or without a default printer.
    pub(super) fn default_queue(&self) -> Option<String> {
        self.lp.as_ref()?;
        for variable in ["LPDEST", "PRINTER"] {
            if let Some(name) = std::env::var(variable).ok().filter(|name| queue_name(name)) {
                return Some(name);
            }
        }
        let output = Command::new(self.lpstat.as_ref()?)
            .arg("-d")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let said = String::from_utf8_lossy(&output.stdout);
        said.lines()
            .find_map(|line| line.split_once("system default destination:"))
            .map(|(_, name)| name.trim().to_owned())
            .filter(|name| queue_name(name))
    }

    /// Sends `file` to `queue`; the command's answer ("request id is …").
    pub(super) fn queue(
        &self,
        queue: &str,
        file: &Path,
        title: &str,
    ) -> Result<String, PrintError> {
        let Some(lp) = &self.lp else {
            return Err(PrintError::NoWay);
        };
        let output = Command::new(lp)
            .args(["-d", queue, "-t", title, "--"])
            .arg(file)
            .stdin(Stdio::null())
            .output()?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(PrintError::Refused(first_line(&output.stderr)))
        }
    }

    pub(super) fn has_viewer(&self) -> bool {
        self.viewer
            .as_ref()
            .is_some_and(|viewer| !viewer.is_empty())
    }

    /// Opens `file` in the viewer; fails when the viewer says at once that it could not.
    pub(super) fn open_in_viewer(&self, file: &Path) -> Result<(), PrintError> {
        let Some((program, arguments)) = self.viewer.as_ref().and_then(|v| v.split_first()) else {
            return Err(PrintError::NoWay);
        };
        let mut child = Command::new(program)
            .args(arguments)
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| PrintError::Viewer(error.to_string()))?;
        let started = Instant::now();
        while started.elapsed() < VIEWER_FAILS_WITHIN {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => {
                    let mut said = Vec::new();
                    if let Some(mut stderr) = child.stderr.take() {
                        let _ = std::io::Read::read_to_end(&mut stderr, &mut said);
                    }
                    let why = first_line(&said);
                    return Err(PrintError::Viewer(if why.is_empty() {
                        status.to_string()
                    } else {
                        why
                    }));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(error) => return Err(PrintError::Viewer(error.to_string())),
            }
        }
        // Still running: the viewer has the document. Reaped when it ends.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
}

/// A printer name as CUPS allows it (no spaces, slashes or control characters), so a stray
/// answer is never taken for one.
fn queue_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 127
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '/' && c != '#')
}

/// The first line of what a command said, cut to a sentence's length.
fn first_line(said: &[u8]) -> String {
    let text = String::from_utf8_lossy(said);
    let line = text.lines().next().unwrap_or_default().trim();
    line.chars().take(200).collect()
}

/// `program` in a folder of `PATH`, when it is there and executable.
fn find(program: &str) -> Option<PathBuf> {
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{program}.exe"), format!("{program}.com")]
    } else {
        vec![program.to_owned()]
    };
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| executable(candidate))
}

fn executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_name_is_one_word_of_printable_characters() {
        assert!(queue_name("Front_Desk-2"));
        assert!(!queue_name(""));
        assert!(!queue_name("no system default"));
        assert!(!queue_name("../x"));
    }

    #[test]
    fn what_a_command_said_is_cut_to_its_first_line() {
        assert_eq!(
            first_line(b"lp: Error - no printer\nmore"),
            "lp: Error - no printer"
        );
        assert_eq!(first_line(&[b'x'; 500]).len(), 200);
    }
}
