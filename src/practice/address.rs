//! Where the practice server is: a PostgreSQL address without a password (passwords come from the
//! environment or the encrypted journal, never a command line). Every address that leaves this
//! computer is reached over TLS with the server's certificate and name checked, unless it says
//! `sslmode=disable` (and then every sync says so).

use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};

use super::PracticeError;

/// The password of the login that connects or syncs (and of a login being added).
pub const PASSWORD_ENV: &str = "KAP_JOURNAL_PRACTICE_PASSWORD";
/// The password of the database owner, for `practice init` and `practice add-clinician`.
pub const OWNER_PASSWORD_ENV: &str = "KAP_JOURNAL_PRACTICE_OWNER_PASSWORD";
/// A PEM file of the authority that signed the server's certificate, when it is not the system's.
pub const CA_FILE_ENV: &str = "KAP_JOURNAL_PRACTICE_CA";

/// A password from the environment variable `variable`; an empty or missing one is refused with the
/// variable's name.
pub fn password_from(variable: &'static str) -> Result<String, PracticeError> {
    std::env::var(variable)
        .ok()
        .filter(|password| !password.is_empty())
        .ok_or(PracticeError::NoPassword(variable))
}

/// How long a connection may take before the server counts as out of reach: a sync must never
/// keep a clinician waiting long when the practice's network is down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Certificate bundles of the common Linux distributions, tried when no CA file is named.
const SYSTEM_CA_FILES: [&str; 3] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// How a connection to the practice travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Not encrypted: a loopback address, or one that says `sslmode=disable`.
    Plain,
    /// TLS with the certificate checked against the authority but not the host name
    /// (`sslmode=verify-ca`).
    VerifyCa,
    /// TLS with the certificate and the host name checked: the default for every address that
    /// is not loopback (`sslmode=require`, `prefer` and `verify-full` mean this too).
    VerifyFull,
}

/// A practice server's address, checked.
#[derive(Debug, Clone)]
pub struct PracticeAddress {
    config: Config,
    text: String,
    transport: Transport,
    /// The address said `sslmode=disable` for a server that is not on this computer.
    plain_by_request: bool,
}

impl PracticeAddress {
    /// Reads `postgres://LOGIN@HOST:PORT/DATABASE[?sslmode=…]`; a password in it is refused.
    pub fn parse(text: &str) -> Result<Self, PracticeError> {
        let text = text.trim();
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(PracticeError::BadAddress);
        }
        // The driver knows only disable, prefer and require; the mode is read here instead.
        let (without_mode, mode) = take_ssl_mode(text)?;
        let config: Config = without_mode
            .parse()
            .map_err(|_| PracticeError::BadAddress)?;
        if config.get_password().is_some() {
            return Err(PracticeError::PasswordInAddress(PASSWORD_ENV));
        }
        if config.get_user().is_none_or(str::is_empty) {
            return Err(PracticeError::NoLogin);
        }
        if config.get_dbname().is_none_or(str::is_empty) {
            return Err(PracticeError::NoDatabase);
        }
        if config.get_hosts().is_empty() {
            return Err(PracticeError::BadAddress);
        }
        let local = config.get_hosts().iter().all(is_loopback);
        let transport = match mode.as_deref() {
            Some("disable") => Transport::Plain,
            Some("verify-ca") => Transport::VerifyCa,
            // Without a word, or with "allow" or "prefer": encrypted unless the server is here.
            Some("allow" | "prefer") | None if local => Transport::Plain,
            Some("verify-full" | "require" | "allow" | "prefer") | None => Transport::VerifyFull,
            Some(_) => return Err(PracticeError::BadSslMode),
        };
        Ok(Self {
            config,
            text: text.to_owned(),
            transport,
            plain_by_request: transport == Transport::Plain && !local,
        })
    }

    /// The address as written (it holds no password).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn login(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// How connections to this address travel.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// Whether the address asked, with `sslmode=disable`, for a connection in clear text to a
    /// server that is not on this computer: every sync says so.
    pub fn travels_in_clear(&self) -> bool {
        self.plain_by_request
    }

    /// "host:port", for messages.
    pub fn server(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!("{host}:{port}")
    }

    /// Who receives what a sync sends, as the accounting of disclosures names it.
    pub fn recipient(&self) -> String {
        format!(
            "the practice server {}, database {}, as {}",
            self.server(),
            self.database(),
            self.login()
        )
    }

    /// Connects as the address's login with `password`.
    pub fn connect(&self, password: &str) -> Result<Client, PracticeError> {
        let mut config = self.config.clone();
        // A sync's statements are short; PostgreSQL's JIT compiler, which starts on statements it
        // guesses are long (a psychiatrist's list of 20,000 sessions), spent a second compiling
        // for 30 ms of work.
        let options = match config.get_options() {
            Some(given) => format!("{given} -c jit=off"),
            None => "-c jit=off".to_owned(),
        };
        config
            .options(&options)
            .password(password)
            .connect_timeout(CONNECT_TIMEOUT)
            .application_name("kap-journal");
        let connected = match self.transport {
            Transport::Plain => config.ssl_mode(SslMode::Disable).connect(NoTls),
            Transport::VerifyCa => config
                .ssl_mode(SslMode::Require)
                .connect(tls_connector(false)?),
            Transport::VerifyFull => config
                .ssl_mode(SslMode::Require)
                .connect(tls_connector(true)?),
        };
        connected.map_err(|error| self.error(&error))
    }

    /// What a PostgreSQL error means for this address.
    pub fn error(&self, error: &postgres::Error) -> PracticeError {
        if let Some(db) = error.as_db_error()
            && *db.code() == postgres::error::SqlState::INVALID_CATALOG_NAME
        {
            return PracticeError::NoSuchDatabase {
                database: self.database().to_owned(),
            };
        }
        PracticeError::from_postgres(error, &self.server(), self.login())
    }
}

/// The address without its `sslmode`, and the mode it named.
fn take_ssl_mode(text: &str) -> Result<(String, Option<String>), PracticeError> {
    let Some((base, query)) = text.split_once('?') else {
        return Ok((text.to_owned(), None));
    };
    let mut mode = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => {
                if mode.replace(value.to_ascii_lowercase()).is_some() {
                    return Err(PracticeError::BadSslMode);
                }
            }
            _ => kept.push(pair),
        }
    }
    let base = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((base, mode))
}

/// Whether a host is this computer: a Unix socket, `localhost` or a loopback address.
fn is_loopback(host: &Host) -> bool {
    match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            let name = name.trim_start_matches('[').trim_end_matches(']');
            name.eq_ignore_ascii_case("localhost")
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
    }
}

/// TLS that checks the server's certificate (and its name, when `check_name`), against the CA
/// file named in [`CA_FILE_ENV`] or else the system's bundle.
fn tls_connector(check_name: bool) -> Result<postgres_openssl::MakeTlsConnector, PracticeError> {
    use openssl::ssl::{SslConnector, SslMethod};
    let tls = |error: openssl::error::ErrorStack| PracticeError::Tls(error.to_string());
    let mut builder = SslConnector::builder(SslMethod::tls()).map_err(tls)?;
    let named = std::env::var_os(CA_FILE_ENV).map(std::path::PathBuf::from);
    let ca_file = named.or_else(|| {
        SYSTEM_CA_FILES
            .iter()
            .map(std::path::PathBuf::from)
            .find(|path| path.is_file())
    });
    match ca_file {
        Some(path) => builder.set_ca_file(&path).map_err(|_| {
            PracticeError::Tls(format!(
                "the certificate authority file {} cannot be read",
                path.display()
            ))
        })?,
        None => builder.set_default_verify_paths().map_err(tls)?,
    }
    let mut connector = postgres_openssl::MakeTlsConnector::new(builder.build());
    if !check_name {
        connector.set_callback(|connection, _| {
            connection.set_verify_hostname(false);
            Ok(())
        });
    }
    Ok(connector)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_off_this_computer_travels_over_checked_tls_unless_it_says_disable() {
        let transport = |text: &str| PracticeAddress::parse(text).unwrap().transport();
        for text in [
            "postgres://r@db.example/practice",
            "postgres://r@db.example/practice?sslmode=prefer",
            "postgres://r@db.example/practice?sslmode=allow",
            "postgres://r@db.example/practice?sslmode=require",
            "postgres://r@db.example/practice?sslmode=verify-full",
            "postgres://r@10.0.0.7:5432/practice?application_name=x",
            "postgres://r@[2001:db8::1]:5432/practice",
        ] {
            assert_eq!(transport(text), Transport::VerifyFull, "{text}");
        }
        assert_eq!(
            transport("postgres://r@db.example/practice?sslmode=verify-ca"),
            Transport::VerifyCa
        );
        for text in [
            "postgres://r@127.0.0.1:5433/practice",
            "postgres://r@localhost/practice?sslmode=prefer",
            "postgres://r@[::1]/practice",
            "postgres://r@db.example/practice?sslmode=disable",
        ] {
            assert_eq!(transport(text), Transport::Plain, "{text}");
        }
        let clear = |text: &str| PracticeAddress::parse(text).unwrap().travels_in_clear();
        assert!(clear("postgres://r@db.example/practice?sslmode=disable"));
        assert!(!clear("postgres://r@127.0.0.1/practice?sslmode=disable"));
        assert!(!clear("postgres://r@db.example/practice"));
        // The mode is read by the journal; the rest of the address by the driver.
        let address =
            PracticeAddress::parse("postgres://r@db.example:6432/practice?sslmode=verify-full")
                .unwrap();
        assert_eq!(address.server(), "db.example:6432");
        assert_eq!(address.database(), "practice");
    }

    #[test]
    fn an_address_names_a_login_and_a_database_but_no_password() {
        let address =
            PracticeAddress::parse("postgres://r_example@127.0.0.1:5433/practice").unwrap();
        assert_eq!(address.login(), "r_example");
        assert_eq!(address.database(), "practice");
        assert_eq!(address.server(), "127.0.0.1:5433");
        for (text, expected) in [
            ("postgres://r:secret@127.0.0.1/practice", "password"),
            ("postgres://127.0.0.1/practice", "no login"),
            ("postgres://r@127.0.0.1", "no database"),
            ("mysql://r@127.0.0.1/practice", "not a practice"),
            ("host=127.0.0.1 user=r dbname=p", "not a practice"),
            (
                "postgres://r@db.example/practice?sslmode=sometimes",
                "sslmode",
            ),
            (
                "postgres://r@db.example/practice?sslmode=disable&sslmode=require",
                "sslmode",
            ),
        ] {
            let message = PracticeAddress::parse(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
