//! Whether this computer reads times on a 12-hour clock, for the clinic that leaves the clock to the
//! system: the desktop's own switch where it has one (GNOME's clock format, Windows' and macOS's
//! regional settings), else the language's time format (`locale t_fmt`: `%r` in `en_US`, `%T`
//! in `en_GB`). Asked once per process; a computer that says nothing reads 24-hour.

use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::domain::{DateTimeSettings, DateTimeStyle};

/// The dates and clock the clinic's `settings` give on this computer.
pub fn style(settings: DateTimeSettings) -> DateTimeStyle {
    settings.style(twelve_hour())
}

/// Whether the system's clock is a 12-hour one.
pub fn twelve_hour() -> bool {
    static ASKED: OnceLock<bool> = OnceLock::new();
    *ASKED.get_or_init(|| {
        // KAP_JOURNAL_CLOCK=12 or 24 stands in for the system (tests, and a kiosk set up by hand).
        match std::env::var("KAP_JOURNAL_CLOCK").ok().as_deref() {
            Some("12") => true,
            Some("24") => false,
            _ => asked_of_the_system().unwrap_or(false),
        }
    })
}

#[cfg(all(unix, not(target_os = "macos")))]
fn asked_of_the_system() -> Option<bool> {
    let gnome = std::env::var("XDG_CURRENT_DESKTOP").is_ok_and(|desktop| {
        desktop
            .split(':')
            .any(|name| matches!(name, "GNOME" | "Unity" | "Budgie" | "Pantheon"))
    });
    if gnome
        && let Some(format) = said_by(
            "gsettings",
            &["get", "org.gnome.desktop.interface", "clock-format"],
        )
    {
        match format.trim().trim_matches('\'') {
            "12h" => return Some(true),
            "24h" => return Some(false),
            _ => {}
        }
    }
    said_by("locale", &["t_fmt"]).map(|format| crate::domain::twelve_hour_in_strftime(&format))
}

#[cfg(target_os = "macos")]
fn asked_of_the_system() -> Option<bool> {
    let forced = |key: &str| {
        said_by("defaults", &["read", "-g", key]).is_some_and(|value| value.trim() == "1")
    };
    if forced("AppleICUForce24HourTime") {
        return Some(false);
    }
    if forced("AppleICUForce12HourTime") {
        return Some(true);
    }
    // Otherwise the region's habit (en_US, say): the regions whose clocks read 12-hour.
    const TWELVE_HOUR_REGIONS: [&str; 9] = ["US", "CA", "AU", "NZ", "IN", "PH", "PK", "EG", "SA"];
    said_by("defaults", &["read", "-g", "AppleLocale"]).map(|locale| {
        let region = locale
            .trim()
            .rsplit('_')
            .next()
            .unwrap_or_default()
            .to_owned();
        TWELVE_HOUR_REGIONS.contains(&region.as_str())
    })
}

#[cfg(windows)]
fn asked_of_the_system() -> Option<bool> {
    let answer = said_by(
        "reg",
        &[
            "query",
            r"HKCU\Control Panel\International",
            "/v",
            "sTimeFormat",
        ],
    )?;
    let format = answer.lines().find_map(|line| {
        line.split_once("REG_SZ")
            .map(|(_, format)| format.trim().to_owned())
    })?;
    Some(crate::domain::twelve_hour_in_windows_format(&format))
}

#[cfg(not(any(unix, windows)))]
fn asked_of_the_system() -> Option<bool> {
    None
}

/// What `program args` prints, when it runs and succeeds.
fn said_by(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn the_language_s_time_format_is_read_from_locale() {
        // The C locale, which every system has, is 24-hour.
        let format = std::process::Command::new("locale")
            .arg("t_fmt")
            .env("LC_ALL", "C")
            .output()
            .expect("locale runs");
        let format = String::from_utf8_lossy(&format.stdout);
        assert_eq!(format.trim(), "%H:%M:%S");
        assert!(!crate::domain::twelve_hour_in_strftime(&format));
    }
}
