//! The crash shim (`tests/fixtures/kill_at_sync.c`): `kap-journal` killed just before its Nth call
//! that makes data durable or moves a file, as a power cut at that instant would leave the disk.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The shim, compiled once for the whole test binary with the C compiler that links Rust.
pub fn shim() -> &'static Path {
    static SHIM: OnceLock<PathBuf> = OnceLock::new();
    SHIM.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kill_at_sync.so");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kill_at_sync.c");
        let status = Command::new("cc")
            .args(["-shared", "-fPIC", "-O1", "-o"])
            .arg(&out)
            .arg(&source)
            .arg("-ldl")
            .status()
            .expect("a C compiler (cc), which Rust needs to link anyway");
        assert!(status.success(), "the shim did not compile");
        out
    })
}

/// `kap-journal`, to be killed just before durable call number `kill_at` (0: not killed; then
/// `count` receives how many such calls it made).
pub fn killed_at(kill_at: usize, count: Option<&Path>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kap-journal"));
    command
        .env("LD_PRELOAD", shim())
        .env("KAP_KILL_AT", kill_at.to_string());
    if let Some(count) = count {
        command.env("KAP_KILL_COUNT_FILE", count);
    }
    command
}

/// How many durable calls the run that wrote `count` made.
pub fn points_in(count: &Path) -> usize {
    std::fs::read_to_string(count)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}
