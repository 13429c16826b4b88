//! The connection to the server: TLS and its checks, the server down and back.

use super::*;

#[test]
fn with_the_server_down_sync_says_so_in_one_sentence_and_goes_on_when_it_is_back() {
    let server = TestServer::start();
    let _admin = practice(&server, &[("t_one", "therapist")]);
    let t1 = demo_journal(&server, "t_one", 3, 15, 2);
    share_clients(&server, &[(&t1, "t_one")]);
    server.stop();
    let output = cli(t1.path(), &["sync"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    common::assert_one_sentence(stderr.trim(), "cannot be reached");
    assert!(!open(t1.path()).sharing().practice_has_pushed().unwrap());
    server.start_again();
    let report: serde_json::Value =
        serde_json::from_str(&ok(&cli(t1.path(), &["sync", "--json"]))).unwrap();
    assert_eq!(
        report["pushed"]["sessions"].as_u64().unwrap() as usize,
        own_uuids(t1.path()).len()
    );
}

#[test]
fn an_address_that_asks_for_tls_gets_it_with_the_servers_certificate_checked() {
    let server = TestServer::start();
    let (ca, certificate, key) = common::pg_server::tls_certificates();
    server.require_tls(&certificate, &key);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("practice-ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let owner_url = format!("{}?sslmode=require", server.url(OWNER));
    let with_ca = |args: &[&str], ca: &Path| {
        Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_PASSWORD", PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", OWNER_PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_CA", ca)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    // Without TLS the server no longer answers.
    let plain = cli(dir.path(), &["practice", "init", &server.url(OWNER)]);
    assert!(!plain.status.success());
    // A certificate signed by another authority is refused, in one sentence.
    let (other_ca, _, _) = common::pg_server::tls_certificates();
    let other_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_file, other_ca).unwrap();
    let refused = with_ca(&["practice", "init", &owner_url], &other_file);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("TLS"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    // With the practice's authority, everything works over TLS.
    ok(&with_ca(&["practice", "init", &owner_url], &ca_file));
    ok(&with_ca(
        &[
            "practice",
            "add-clinician",
            &owner_url,
            "--login",
            "t_one",
            "--name",
            "T. One",
            "--role",
            "therapist",
        ],
        &ca_file,
    ));
    ok(&cli(
        dir.path(),
        &["demo", "--sessions", "5", "--clients", "1"],
    ));
    let url = format!("{}?sslmode=require", server.url("t_one"));
    ok(&with_ca(&["practice", "connect", &url], &ca_file));
    for (args, password) in [
        (
            vec!["practice", "enrol", &owner_url, "D-0001"],
            OWNER_PASSWORD,
        ),
        (
            vec!["practice", "assign", &owner_url, "D-0001", "t_one"],
            OWNER_PASSWORD,
        ),
        (vec!["practice", "link", "D-0001", "D-0001"], PASSWORD),
    ] {
        ok(&Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_PASSWORD", password)
            .env("KAP_JOURNAL_PRACTICE_CA", &ca_file)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap());
    }
    let report: serde_json::Value =
        serde_json::from_str(&ok(&with_ca(&["sync", "--json"], &ca_file))).unwrap();
    assert!(
        report["pushed"]["sessions"].as_u64().unwrap() >= 4,
        "{report}"
    );
}

#[test]
fn verify_full_checks_the_servers_name_and_verify_ca_only_its_authority() {
    let server = TestServer::start();
    // The server's certificate names another host than the address the journal dials.
    let (ca, certificate, key) = common::pg_server::tls_certificates_for("db.practice.example");
    server.require_tls(&certificate, &key);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("practice-ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let init = |mode: &str| {
        Command::new(env!("CARGO_BIN_EXE_kap-journal"))
            .env("KAP_JOURNAL_PASSPHRASE", common::PASSPHRASE)
            .env("KAP_JOURNAL_PRACTICE_OWNER_PASSWORD", OWNER_PASSWORD)
            .env("KAP_JOURNAL_PRACTICE_CA", &ca_file)
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "practice",
                "init",
                &format!("{}?sslmode={mode}", server.url(OWNER)),
            ])
            .output()
            .unwrap()
    };
    for mode in ["verify-full", "require"] {
        let refused = init(mode);
        assert!(!refused.status.success(), "{mode}");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("TLS"), "{mode}: {said}");
        assert_eq!(said.trim().lines().count(), 1, "{said}");
    }
    ok(&init("verify-ca"));
}
