//! Printing from the command line and through the desktop's print portal: the document reaches
//! the printing system as the PDF the journal makes, its temporary copy is owner-only and gone
//! afterwards, each print is in the client's accounting of disclosures, and a computer without a
//! way to print says so with nothing recorded. No printer exists here: `lp`, `lpstat` and the
//! viewer are small scripts that keep what they were given, and the portal is one served on a
//! private D-Bus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::PASSPHRASE;

/// A journal of two clients with four sessions, and a consent text adopted.
fn demo_journal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::kap_journal(
        dir.path(),
        &["demo", "--clients", "2", "--sessions", "4", "--seed", "3"],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    dir
}

/// A folder of stand-in commands: `lpstat` names `Office_Laser` the default printer, `lp` keeps
/// the file it is given (with its mode) and its arguments, `xdg-open` keeps the file it opens.
struct FakeCommands {
    bin: tempfile::TempDir,
    /// What the commands kept.
    kept: tempfile::TempDir,
}

impl FakeCommands {
    fn new(with: &[&str]) -> Self {
        let bin = tempfile::tempdir().unwrap();
        let kept = tempfile::tempdir().unwrap();
        let out = kept.path().display();
        let scripts = [
            (
                "lpstat",
                "echo 'system default destination: Office_Laser'".to_owned(),
            ),
            (
                "lp",
                format!(
                    "for last; do :; done\n\
                     echo \"$@\" > {out}/lp-args\n\
                     stat -c %a \"$last\" > {out}/mode\n\
                     cp \"$last\" {out}/printed.pdf\n\
                     echo 'request id is Office_Laser-7 (1 file(s))'"
                ),
            ),
            (
                "lp-refusing",
                "echo 'lp: Error - The printer or class does not exist.' >&2; exit 1".to_owned(),
            ),
            ("xdg-open", format!("cp \"$1\" {out}/viewed.pdf")),
        ];
        for (name, body) in scripts {
            if !with.contains(&name) {
                continue;
            }
            let file = if name == "lp-refusing" { "lp" } else { name };
            let path = bin.path().join(file);
            std::fs::write(&path, format!("#!/bin/sh\nPATH=/usr/bin:/bin\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        Self { bin, kept }
    }

    fn kept(&self, name: &str) -> PathBuf {
        self.kept.path().join(name)
    }
}

/// `kap-journal ARGS` with only `commands` on `PATH`, no session bus (so no portal) and a private
/// runtime folder for the temporary copy.
fn print_with(dir: &Path, commands: &FakeCommands, runtime: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kap-journal"))
        .env("KAP_JOURNAL_PASSPHRASE", PASSPHRASE)
        .env("PATH", commands.bin.path())
        .env("XDG_RUNTIME_DIR", runtime)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("LPDEST")
        .env_remove("PRINTER")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text_of(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the PDF back");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn printed_disclosures(dir: &Path) -> Vec<serde_json::Value> {
    let output = common::kap_journal(dir, &["disclosures", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Vec<serde_json::Value>>(&output.stdout)
        .unwrap()
        .into_iter()
        .filter(|disclosure| disclosure["kind"] == "print")
        .collect()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|entry| entry.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_summary_goes_to_the_default_printer_owner_only_and_is_recorded() {
    let journal = demo_journal();
    let commands = FakeCommands::new(&["lpstat", "lp", "xdg-open"]);
    let runtime = tempfile::tempdir().unwrap();
    let output = print_with(journal.path(), &commands, runtime.path(), &["print", "1"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("sent to printer Office_Laser"), "{said}");
    assert!(said.contains("Office_Laser-7"), "{said}");
    // The printer had the summary, from a file only its owner could read, titled without a name.
    let text = text_of(&commands.kept("printed.pdf"));
    assert!(text.contains("session #1"), "{text}");
    assert_eq!(
        std::fs::read_to_string(commands.kept("mode"))
            .unwrap()
            .trim(),
        "600"
    );
    let lp_args = std::fs::read_to_string(commands.kept("lp-args")).unwrap();
    assert!(
        lp_args.starts_with("-d Office_Laser -t KAP Journal session 1 --"),
        "{lp_args}"
    );
    // The viewer was not needed, and no copy is left behind.
    assert!(!commands.kept("viewed.pdf").exists());
    let spool = runtime.path().join("kap-journal-print");
    assert!(files_in(&spool).is_empty(), "{:?}", files_in(&spool));
    let printed = printed_disclosures(journal.path());
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert_eq!(printed[0]["recipient"], "printer Office_Laser");
    assert_eq!(printed[0]["form"], "PDF summary");

    // A client's consent as recorded, with the clinician who took it.
    let output = print_with(
        journal.path(),
        &commands,
        runtime.path(),
        &["print", "--consent", "D-0001"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = text_of(&commands.kept("printed.pdf"));
    for words in [
        "Consent to ketamine treatment",
        "Renew by",
        "agreed",
        "Clinician's signature",
    ] {
        assert!(text.contains(words), "{words} not in {text}");
    }
    assert!(!text.contains("circle one"), "{text}");
    let lp_args = std::fs::read_to_string(commands.kept("lp-args")).unwrap();
    assert!(
        !lp_args.contains("D-0001"),
        "a print queue's title names no client: {lp_args}"
    );
    assert_eq!(printed_disclosures(journal.path()).len(), 2);
}

#[test]
fn without_a_printer_the_viewer_opens_the_consent_and_without_either_nothing_is_recorded() {
    let journal = demo_journal();
    let adopt = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        adopt.path(),
        "I agree to ketamine treatment as explained to me.",
    )
    .unwrap();
    let adopted = common::kap_journal(
        journal.path(),
        &["consent", "text", "--file", adopt.path().to_str().unwrap()],
    );
    assert!(
        adopted.status.success(),
        "{}",
        String::from_utf8_lossy(&adopted.stderr)
    );
    // A new client, who has consented to nothing yet.
    let code = "Z-0001";
    {
        let mut store =
            kap_journal::store::Store::open(journal.path(), &common::passphrase()).unwrap();
        common::client(&mut store, code);
    }

    // No `lp`: the viewer is opened with the consent, a form to sign.
    let viewer_only = FakeCommands::new(&["xdg-open"]);
    let runtime = tempfile::tempdir().unwrap();
    let output = print_with(
        journal.path(),
        &viewer_only,
        runtime.path(),
        &["print", "--consent", code],
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("opened in the system's PDF viewer"), "{said}");
    let viewed = std::fs::read(viewer_only.kept("viewed.pdf")).unwrap();
    assert!(
        viewed.windows(b"pdfuaid".len()).any(|w| w == b"pdfuaid"),
        "the consent is PDF/UA-1"
    );
    let text = text_of(&viewer_only.kept("viewed.pdf"));
    for words in [
        "Consent to ketamine treatment",
        "I agree to ketamine treatment as explained to me.",
        "Client's signature",
        "circle one",
    ] {
        assert!(text.contains(words), "{words} not in {text}");
    }
    let printed = printed_disclosures(journal.path());
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert_eq!(printed[0]["form"], "Consent (PDF)");
    assert_eq!(printed[0]["client"], code);

    // Nothing at all: one sentence, nothing recorded, no copy left.
    let nothing = FakeCommands::new(&[]);
    let runtime = tempfile::tempdir().unwrap();
    let output = print_with(journal.path(), &nothing, runtime.path(), &["print", "2"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("no way to print"), "{said}");
    assert_eq!(printed_disclosures(journal.path()).len(), 1);
    assert!(files_in(&runtime.path().join("kap-journal-print")).is_empty());
}

#[test]
fn a_printer_that_refuses_is_said_and_leaves_no_copy() {
    let journal = demo_journal();
    let commands = FakeCommands::new(&["lpstat", "lp-refusing"]);
    let runtime = tempfile::tempdir().unwrap();
    let output = print_with(journal.path(), &commands, runtime.path(), &["print", "1"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("The print command refused the document"),
        "{said}"
    );
    assert!(said.contains("does not exist"), "{said}");
    assert!(files_in(&runtime.path().join("kap-journal-print")).is_empty());
}

/// The XDG print portal is Linux's (zbus is a dependency there only).
#[cfg(target_os = "linux")]
mod portal;
