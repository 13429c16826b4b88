//! Where the practice server is: a PostgreSQL address without a password (passwords come from the
//! environment or the encrypted journal, never a command line), with TLS when it asks for it.

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

/// How long a connection may take before the server counts as out of reach: a sync must never
/// keep a clinician waiting long when the practice's network is down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Certificate bundles of the common Linux distributions, tried when no CA file is named.
const SYSTEM_CA_FILES: [&str; 3] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// A practice server's address, checked.
#[derive(Debug, Clone)]
pub struct PracticeAddress {
    config: Config,
    text: String,
}

impl PracticeAddress {
    /// Reads `postgres://LOGIN@HOST:PORT/DATABASE[?sslmode=require]`; a password in it is refused.
    pub fn parse(text: &str) -> Result<Self, PracticeError> {
        let text = text.trim();
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(PracticeError::BadAddress);
        }
        let config: Config = text.parse().map_err(|_| PracticeError::BadAddress)?;
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
        Ok(Self {
            config,
            text: text.to_owned(),
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

    /// Whether the connection is encrypted with TLS (the address asked for it).
    pub fn uses_tls(&self) -> bool {
        self.config.get_ssl_mode() == SslMode::Require
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

    /// Connects as the address's login with `password`.
    pub fn connect(&self, password: &str) -> Result<Client, PracticeError> {
        let mut config = self.config.clone();
        config
            .password(password)
            .connect_timeout(CONNECT_TIMEOUT)
            .application_name("kap-journal");
        let connected = if self.uses_tls() {
            config.connect(tls_connector()?)
        } else {
            config.ssl_mode(SslMode::Disable).connect(NoTls)
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

/// TLS that checks the server's certificate and name, against the CA file named in
/// [`CA_FILE_ENV`] or else the system's bundle.
fn tls_connector() -> Result<postgres_openssl::MakeTlsConnector, PracticeError> {
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
    Ok(postgres_openssl::MakeTlsConnector::new(builder.build()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_a_login_and_a_database_but_no_password() {
        let address =
            PracticeAddress::parse("postgres://r_example@127.0.0.1:5433/practice").unwrap();
        assert_eq!(address.login(), "r_example");
        assert_eq!(address.database(), "practice");
        assert_eq!(address.server(), "127.0.0.1:5433");
        assert!(!address.uses_tls());
        assert!(
            PracticeAddress::parse("postgres://r_example@db.example/practice?sslmode=require")
                .unwrap()
                .uses_tls()
        );
        for (text, expected) in [
            ("postgres://r:secret@127.0.0.1/practice", "password"),
            ("postgres://127.0.0.1/practice", "no login"),
            ("postgres://r@127.0.0.1", "no database"),
            ("mysql://r@127.0.0.1/practice", "not a practice"),
            ("host=127.0.0.1 user=r dbname=p", "not a practice"),
        ] {
            let message = PracticeAddress::parse(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
