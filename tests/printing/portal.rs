//! Printing through the desktop's print portal (XDG), against a stand-in for the portal.

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
