//! A PostgreSQL server of the test's own: `initdb` into a temporary folder, started on a free
//! loopback port with password (SCRAM) logins, stopped when dropped. Under root (CI) it runs as
//! `nobody`, since PostgreSQL refuses to run as root. Needs PostgreSQL's server binaries
//! (Debian: `postgresql`); `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The superuser of every test server (synthetic, like all test data).
pub const SUPERUSER: &str = "kap_test_super";
pub const SUPERUSER_PASSWORD: &str = "synthetic superuser password";
/// The practice's owner: CREATEROLE, not a superuser, as a hosted database gives one.
pub const OWNER: &str = "practice_owner";
pub const OWNER_PASSWORD: &str = "synthetic owner password";
pub const DATABASE: &str = "practice";

pub struct TestServer {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
}

/// Every clinician's password in tests and benchmarks (synthetic).
pub const CLINICIAN_PASSWORD: &str = "synthetic clinician password";

impl TestServer {
    /// Creates the practice schema, as its owner.
    pub fn init_practice(&self) {
        kap_journal::practice::init(
            &kap_journal::practice::PracticeAddress::parse(&self.url(OWNER)).unwrap(),
            OWNER_PASSWORD,
        )
        .unwrap();
    }

    /// Adds a login `login` ("Dr. LOGIN (synthetic)") with [`CLINICIAN_PASSWORD`], as the owner.
    pub fn add_clinician(&self, login: &str, role: kap_journal::domain::PracticeRole) {
        kap_journal::practice::add_clinician(
            &kap_journal::practice::PracticeAddress::parse(&self.url(OWNER)).unwrap(),
            OWNER_PASSWORD,
            &kap_journal::practice::NewClinician {
                login: login.to_owned(),
                name: format!("Dr. {login} (synthetic)"),
                credentials: String::new(),
                role,
            },
            CLINICIAN_PASSWORD,
        )
        .unwrap();
    }

    /// Enrols client `code` and puts `logins` on its care team, as the owner.
    pub fn share(&self, code: &str, logins: &[&str]) {
        let owner = kap_journal::practice::PracticeAddress::parse(&self.url(OWNER)).unwrap();
        kap_journal::practice::enrol(&owner, OWNER_PASSWORD, code).unwrap();
        for login in logins {
            kap_journal::practice::assign(
                &owner,
                OWNER_PASSWORD,
                code,
                login,
                kap_journal::practice::Assignment::Assign,
            )
            .unwrap();
        }
    }

    /// A fresh cluster with database `practice` owned by `practice_owner`.
    pub fn start() -> Self {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("kap-pg").tempdir().unwrap();
        let as_root = effective_uid() == 0;
        if as_root {
            let status = Command::new("chown")
                .args(["65534:65534"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).unwrap();
        if as_root {
            Command::new("chown")
                .args(["65534:65534"])
                .arg(&pwfile)
                .status()
                .unwrap();
        }
        let port = free_port();
        let server = Self { dir, bin, port };
        let data = server.data_dir();
        let output = server.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                SUPERUSER,
                "--pwfile",
                pwfile.to_str().unwrap(),
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(output.status.success(), "initdb: {output:?}");
        server.start_again();
        server.superuser_sql(&format!(
            "CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'"
        ));
        server.superuser_sql(&format!("CREATE DATABASE {DATABASE} OWNER {OWNER}"));
        server
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs one of PostgreSQL's programs, as `nobody` under root.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bin.join(program);
        let mut command = if effective_uid() == 0 {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(&program);
            command
        } else {
            Command::new(&program)
        };
        command
            .args(args)
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Starts the server (again, after [`stop`](Self::stop)) and waits until it accepts logins.
    pub fn start_again(&self) {
        let data = self.data_dir();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log");
        let output = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        assert!(
            output.status.success(),
            "pg_ctl start: {output:?}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// Stops the server at once, as a crash or a pulled cable would look to a journal.
    pub fn stop(&self) {
        let data = self.data_dir();
        let output = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        assert!(output.status.success(), "pg_ctl stop: {output:?}");
    }

    /// `postgres://LOGIN@127.0.0.1:PORT/practice`.
    pub fn url(&self, login: &str) -> String {
        format!("postgres://{login}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    /// A connection as `login`.
    pub fn connect(&self, login: &str, password: &str) -> postgres::Client {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(login)
            .password(password)
            .dbname(DATABASE)
            .connect(postgres::NoTls)
            .unwrap()
    }

    /// Runs SQL as the superuser in the practice database (or `postgres` before it exists).
    pub fn superuser_sql(&self, sql: &str) {
        let mut client = postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(SUPERUSER)
            .password(SUPERUSER_PASSWORD)
            .dbname("postgres")
            .connect(postgres::NoTls)
            .unwrap();
        client.batch_execute(sql).unwrap();
    }

    pub fn superuser(&self) -> postgres::Client {
        self.connect(SUPERUSER, SUPERUSER_PASSWORD)
    }

    /// `pg_dump` of the practice database as plain SQL, as the superuser.
    pub fn dump(&self) -> String {
        let output = Command::new(self.bin.join("pg_dump"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                SUPERUSER,
            ])
            .arg(DATABASE)
            .env("PGPASSWORD", SUPERUSER_PASSWORD)
            .output()
            .unwrap();
        assert!(output.status.success(), "pg_dump: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn folder(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

/// The folder of `initdb` and `pg_ctl`: `KAP_JOURNAL_PG_BIN`, else `pg_config --bindir`, else the
/// newest `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KAP_JOURNAL_PG_BIN") {
        return PathBuf::from(dir);
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| Some(e.ok()?.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
        .pop()
        .filter(|dir| dir.join("initdb").exists())
        .expect(
            "PostgreSQL's server programs (initdb, pg_ctl) are needed: apt-get install postgresql",
        )
}

/// The effective user id, read from /proc (the tests forbid no unsafe code, but need none).
fn effective_uid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("Uid:"))
                .and_then(|line| line.split_whitespace().nth(2))
                .and_then(|uid| uid.parse().ok())
        })
        .unwrap_or(u32::MAX)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A certificate authority and a server certificate for 127.0.0.1 it signed (synthetic, made for
/// the test): PEM texts of (CA certificate, server certificate, server key).
pub fn tls_certificates() -> (String, String, String) {
    tls_certificates_for("127.0.0.1")
}

/// The same for a server named `name` (an IP address or a host name).
pub fn tls_certificates_for(server_name: &str) -> (String, String, String) {
    use openssl::asn1::Asn1Time;
    use openssl::bn::BigNum;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
    use openssl::x509::{X509, X509NameBuilder};

    let key = || {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
        PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
    };
    let name = |common: &str| {
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("CN", common).unwrap();
        name.build()
    };
    let ca_key = key();
    let mut ca = X509::builder().unwrap();
    ca.set_version(2).unwrap();
    ca.set_serial_number(&BigNum::from_u32(1).unwrap().to_asn1_integer().unwrap())
        .unwrap();
    ca.set_subject_name(&name("KAP Journal test CA (synthetic)"))
        .unwrap();
    ca.set_issuer_name(&name("KAP Journal test CA (synthetic)"))
        .unwrap();
    ca.set_pubkey(&ca_key).unwrap();
    ca.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    ca.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    ca.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
        .unwrap();
    ca.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let ca = ca.build();

    let server_key = key();
    let mut server = X509::builder().unwrap();
    server.set_version(2).unwrap();
    server
        .set_serial_number(&BigNum::from_u32(2).unwrap().to_asn1_integer().unwrap())
        .unwrap();
    server.set_subject_name(&name(server_name)).unwrap();
    server.set_issuer_name(ca.subject_name()).unwrap();
    server.set_pubkey(&server_key).unwrap();
    server
        .set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    server
        .set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    let mut san = SubjectAlternativeName::new();
    if server_name.parse::<std::net::IpAddr>().is_ok() {
        san.ip(server_name);
    } else {
        san.dns(server_name);
    }
    let san = san.build(&server.x509v3_context(Some(&ca), None)).unwrap();
    server.append_extension(san).unwrap();
    server.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let server = server.build();
    let pem = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        pem(ca.to_pem().unwrap()),
        pem(server.to_pem().unwrap()),
        pem(server_key.private_key_to_pem_pkcs8().unwrap()),
    )
}

impl TestServer {
    /// Turns TLS on with `certificate` and `key` (PEM), and from then on accepts only TLS
    /// connections from the loopback address.
    pub fn require_tls(&self, certificate: &str, key: &str) {
        use std::os::unix::fs::PermissionsExt as _;
        let data = self.data_dir();
        for (name, text) in [("server.crt", certificate), ("server.key", key)] {
            let path = data.join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            if effective_uid() == 0 {
                Command::new("chown")
                    .args(["65534:65534"])
                    .arg(&path)
                    .status()
                    .unwrap();
            }
        }
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
        self.superuser_sql("ALTER SYSTEM SET ssl = on");
        self.superuser_sql("SELECT pg_reload_conf()");
    }
}
