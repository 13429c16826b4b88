//! Printing from the command line and through the desktop's print portal: the document reaches
//! the printing system as the PDF the journal makes, its temporary copy is owner-only and gone
//! afterwards, each print is in the client's accounting of disclosures, and a computer without a
//! way to print says so with nothing recorded. No printer exists here: `lp`, `lpstat` and the
//! viewer are small scripts that keep what they were given, and the portal is one served on a
//! private D-Bus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
mod portal {
    use std::collections::HashMap;
    use std::process::Command;
    use std::sync::{Arc, Mutex};

    use kap_journal::print::{PortalBus, PrintCommands, Printed, Printer, print};

    /// A stand-in for the desktop's print portal: the dialog "chooses" `Fake_Printer` (or is
    /// cancelled), and what `Print` is handed is kept.
    struct FakePortal {
        cancel: bool,
        printed: Arc<Mutex<Option<Vec<u8>>>>,
        titles: Arc<Mutex<Vec<String>>>,
    }

    /// Answers the request at `path` on `connection`, as the portal does once the dialog closes.
    fn respond(
        connection: &zbus::Connection,
        path: String,
        code: u32,
        results: HashMap<String, zbus::zvariant::OwnedValue>,
    ) {
        let connection = connection.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            pollster::block_on(connection.emit_signal(
                None::<()>,
                path.as_str(),
                "org.freedesktop.portal.Request",
                "Response",
                &(code, results),
            ))
            .unwrap();
        });
    }

    fn request_path(
        header: &zbus::message::Header<'_>,
        options: &HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> String {
        let sender = header
            .sender()
            .unwrap()
            .trim_start_matches(':')
            .replace('.', "_");
        let token = String::try_from(options["handle_token"].clone()).unwrap();
        format!("/org/freedesktop/portal/desktop/request/{sender}/{token}")
    }

    // The portal's D-Bus signatures decide these methods' arguments, not clippy.
    #[allow(clippy::unused_self, clippy::needless_pass_by_value)]
    #[zbus::interface(name = "org.freedesktop.portal.Print")]
    impl FakePortal {
        #[zbus(property, name = "version")]
        fn version(&self) -> u32 {
            2
        }

        #[allow(clippy::too_many_arguments)]
        fn prepare_print(
            &self,
            #[zbus(header)] header: zbus::message::Header<'_>,
            #[zbus(connection)] connection: &zbus::Connection,
            parent: &str,
            title: &str,
            settings: HashMap<String, zbus::zvariant::OwnedValue>,
            page_setup: HashMap<String, zbus::zvariant::OwnedValue>,
            options: HashMap<String, zbus::zvariant::OwnedValue>,
        ) -> zbus::zvariant::OwnedObjectPath {
            // No parent window is named and no settings proposed: the dialog's own defaults.
            assert!(parent.is_empty() && settings.is_empty() && page_setup.is_empty());
            self.titles
                .lock()
                .unwrap()
                .push(format!("PreparePrint {title}"));
            let path = request_path(&header, &options);
            let settings: HashMap<String, zbus::zvariant::OwnedValue> = HashMap::from([(
                "printer".to_owned(),
                zbus::zvariant::Value::from("Fake_Printer")
                    .try_into()
                    .unwrap(),
            )]);
            let results = HashMap::from([
                (
                    "settings".to_owned(),
                    zbus::zvariant::Value::from(settings).try_into().unwrap(),
                ),
                (
                    "token".to_owned(),
                    zbus::zvariant::Value::from(42_u32).try_into().unwrap(),
                ),
            ]);
            respond(connection, path.clone(), u32::from(self.cancel), results);
            zbus::zvariant::OwnedObjectPath::try_from(path).unwrap()
        }

        fn print(
            &self,
            #[zbus(header)] header: zbus::message::Header<'_>,
            #[zbus(connection)] connection: &zbus::Connection,
            parent: &str,
            title: &str,
            fd: zbus::zvariant::OwnedFd,
            options: HashMap<String, zbus::zvariant::OwnedValue>,
        ) -> zbus::zvariant::OwnedObjectPath {
            assert!(parent.is_empty());
            assert_eq!(u32::try_from(options["token"].clone()).unwrap(), 42);
            self.titles.lock().unwrap().push(format!("Print {title}"));
            let mut file = std::fs::File::from(std::os::fd::OwnedFd::from(fd));
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
            *self.printed.lock().unwrap() = Some(bytes);
            let path = request_path(&header, &options);
            respond(connection, path.clone(), 0, HashMap::new());
            zbus::zvariant::OwnedObjectPath::try_from(path).unwrap()
        }
    }

    /// A D-Bus of its own, ended when dropped.
    struct PrivateBus {
        daemon: std::process::Child,
        address: String,
        _dir: tempfile::TempDir,
    }

    impl PrivateBus {
        fn start() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let socket = dir.path().join("bus");
            let config = dir.path().join("bus.conf");
            std::fs::write(
                &config,
                format!(
                    "<busconfig><type>session</type><listen>unix:path={}</listen>\
                     <auth>EXTERNAL</auth><policy context=\"default\">\
                     <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>\
                     <allow own=\"*\"/></policy></busconfig>",
                    socket.display()
                ),
            )
            .unwrap();
            let daemon = Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .arg("--nofork")
                .spawn()
                .expect("dbus-daemon (the dbus-daemon package) runs a private bus");
            let started = std::time::Instant::now();
            while !socket.exists() {
                assert!(
                    started.elapsed().as_secs() < 10,
                    "the private bus never started"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Self {
                daemon,
                address: format!("unix:path={}", socket.display()),
                _dir: dir,
            }
        }
    }

    impl Drop for PrivateBus {
        fn drop(&mut self) {
            let _ = self.daemon.kill();
            let _ = self.daemon.wait();
        }
    }

    #[test]
    fn the_print_portal_shows_its_dialog_then_takes_the_document_and_a_cancel_sends_nothing() {
        let bus = PrivateBus::start();
        let spool = tempfile::tempdir().unwrap();
        for cancel in [false, true] {
            let printed = Arc::new(Mutex::new(None));
            let titles = Arc::new(Mutex::new(Vec::new()));
            let portal = FakePortal {
                cancel,
                printed: Arc::clone(&printed),
                titles: Arc::clone(&titles),
            };
            let server = zbus::blocking::connection::Builder::address(bus.address.as_str())
                .unwrap()
                .name("org.freedesktop.portal.Desktop")
                .unwrap()
                .serve_at("/org/freedesktop/portal/desktop", portal)
                .unwrap()
                .build()
                .unwrap();
            let through_portal = Printer {
                portal: PortalBus::At(bus.address.clone()),
                commands: PrintCommands::default(),
                spool_fallback: spool.path().join("printing"),
            };
            let mut recorded = Vec::new();
            let outcome = print(
                &through_portal,
                b"%PDF-1.7 summary",
                "KAP Journal session 9",
                |to| {
                    recorded.push(to.to_owned());
                    Ok(())
                },
            )
            .unwrap();
            let calls = titles.lock().unwrap().clone();
            if cancel {
                assert!(matches!(outcome, Printed::Cancelled), "{outcome:?}");
                assert!(recorded.is_empty(), "a cancelled dialog disclosed nothing");
                assert_eq!(calls, ["PreparePrint KAP Journal session 9"]);
                assert!(printed.lock().unwrap().is_none());
            } else {
                assert!(
                    matches!(&outcome, Printed::Dialog { printer } if printer.contains("Fake_Printer")),
                    "{outcome:?}"
                );
                assert_eq!(
                    recorded,
                    ["printer Fake_Printer (chosen in the print dialog)"]
                );
                assert_eq!(
                    printed.lock().unwrap().as_deref(),
                    Some(&b"%PDF-1.7 summary"[..])
                );
            }
            // The server's name is released before the next round takes it.
            drop(server);
        }
    }
}
