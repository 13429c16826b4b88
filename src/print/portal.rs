//! The desktop's print dialog through the XDG print portal (`org.freedesktop.portal.Print`):
//! `PreparePrint` shows the dialog and answers with the printer chosen and a token, `Print` hands
//! over the document's file descriptor with that token. Each call answers on a request object
//! with a `Response` signal, listened to before the call is made (its path is known from the
//! `handle_token` we choose).

use std::collections::HashMap;
use std::os::fd::AsFd;

use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{Fd, OwnedObjectPath, OwnedValue, Value};

use super::{PortalBus, PrintError, Printed, SpoolFile};
use crate::store::StoreError;

const DESTINATION: &str = "org.freedesktop.portal.Desktop";
const PATH: &str = "/org/freedesktop/portal/desktop";
const INTERFACE: &str = "org.freedesktop.portal.Print";

/// A portal that answered, ready to print.
pub(super) struct Portal {
    connection: Connection,
}

/// What a request answered: 0 done, 1 cancelled, 2 failed; with its results.
type Response = (u32, HashMap<String, OwnedValue>);

impl Portal {
    /// The portal on `bus`, when it is there and has the print interface.
    pub(super) fn reach(bus: &PortalBus) -> Option<Self> {
        let connection = match bus {
            PortalBus::Off => return None,
            PortalBus::Session => Connection::session().ok()?,
            PortalBus::At(address) => {
                zbus::blocking::connection::Builder::address(address.as_str())
                    .ok()?
                    .build()
                    .ok()?
            }
        };
        let proxy = Proxy::new(&connection, DESTINATION, PATH, INTERFACE).ok()?;
        proxy.get_property::<u32>("version").ok()?;
        Some(Self { connection })
    }

    /// Shows the dialog, records the disclosure to the printer chosen, then prints `copy`.
    pub(super) fn print(
        &self,
        copy: &SpoolFile,
        title: &str,
        record: &mut impl FnMut(&str) -> Result<(), StoreError>,
    ) -> Result<Printed, PrintError> {
        let proxy = Proxy::new(&self.connection, DESTINATION, PATH, INTERFACE).map_err(failed)?;
        let empty: HashMap<&str, Value<'_>> = HashMap::new();
        let (code, results) = self.request(|token| {
            let options = HashMap::from([("handle_token", Value::from(token))]);
            proxy.call(
                "PreparePrint",
                &("", title, empty.clone(), empty.clone(), options),
            )
        })?;
        match code {
            0 => {}
            1 => return Ok(Printed::Cancelled),
            _ => {
                return Err(PrintError::Portal(
                    "the dialog could not be shown".to_owned(),
                ));
            }
        }
        let token = results
            .get("token")
            .and_then(|value| u32::try_from(value).ok())
            .ok_or_else(|| PrintError::Portal("the dialog gave no token".to_owned()))?;
        let printer = chosen_printer(&results);
        record(&printer)?;
        let file = std::fs::File::open(copy.path())?;
        let (code, _) = self.request(|handle_token| {
            let options = HashMap::from([
                ("handle_token", Value::from(handle_token)),
                ("token", Value::from(token)),
            ]);
            proxy.call("Print", &("", title, Fd::from(file.as_fd()), options))
        })?;
        match code {
            0 => Ok(Printed::Dialog { printer }),
            1 => Ok(Printed::Cancelled),
            _ => Err(PrintError::Portal(
                "the printing system did not take the document".to_owned(),
            )),
        }
    }

    /// Makes one portal request with `call` (given the handle token to pass) and waits for its
    /// answer.
    fn request(
        &self,
        call: impl FnOnce(&str) -> zbus::Result<OwnedObjectPath>,
    ) -> Result<Response, PrintError> {
        let token = format!("kap_journal_{}", uuid::Uuid::new_v4().simple());
        let sender = self
            .connection
            .unique_name()
            .map(|name| name.trim_start_matches(':').replace('.', "_"))
            .ok_or_else(|| PrintError::Portal("no name on the bus".to_owned()))?;
        let expected = format!("{PATH}/request/{sender}/{token}");
        let listen = |path: &str| -> Result<_, PrintError> {
            let request = Proxy::new(
                &self.connection,
                DESTINATION,
                path.to_owned(),
                "org.freedesktop.portal.Request",
            )
            .map_err(failed)?;
            request.receive_signal("Response").map_err(failed)
        };
        let mut responses = listen(&expected)?;
        let handle = call(&token).map_err(failed)?;
        if handle.as_str() != expected {
            // An older portal chose its own path: listen there.
            responses = listen(handle.as_str())?;
        }
        let message = responses
            .next()
            .ok_or_else(|| PrintError::Portal("the portal went away".to_owned()))?;
        message.body().deserialize::<Response>().map_err(failed)
    }
}

/// The printer's name from the dialog's settings, or a phrase when it gave none.
fn chosen_printer(results: &HashMap<String, OwnedValue>) -> String {
    results
        .get("settings")
        .and_then(|settings| HashMap::<String, OwnedValue>::try_from(settings.clone()).ok())
        .and_then(|settings| {
            settings
                .get("printer")
                .and_then(|name| String::try_from(name.clone()).ok())
        })
        .filter(|name| !name.trim().is_empty())
        .map_or_else(
            || "the printer chosen in the print dialog".to_owned(),
            |name| format!("printer {name} (chosen in the print dialog)"),
        )
}

fn failed(error: impl std::fmt::Display) -> PrintError {
    PrintError::Portal(error.to_string())
}
