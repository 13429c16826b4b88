//! Hostile round three: numbers and text. A typed amount that two readers would take for two
//! numbers is refused wherever amounts are typed; names and client codes hold nothing invisible,
//! nothing that steers a terminal, and no code reads the same as another client's (UTS #39).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Utc;
use common::kap_journal;
use kap_journal::domain::{ClientError, Dose, DoseError, NewClient, NumberError, parse_weight};
use kap_journal::export::{OnExisting, import_archive};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_amount_that_reads_two_ways_is_refused_wherever_it_is_typed() {
    let data = tempfile::tempdir().unwrap();
    drop(kap_journal::store::Store::open(data.path(), &common::passphrase()).unwrap());
    for typed in ["1,000", "1.000", "12,500"] {
        let output = kap_journal(
            data.path(),
            &[
                "lots",
                "receive",
                "KET-1",
                "--substance",
                "ketamine",
                "--mg",
                typed,
            ],
        );
        assert!(!output.status.success(), "{typed} was taken");
        common::assert_one_sentence(
            stderr(&output).trim_end(),
            "can be read as two different numbers",
        );
    }
    let output = kap_journal(data.path(), &["lots", "log", "--csv", "--out", "-"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        1,
        "nothing entered the append-only log, only its header is there"
    );
    let output = kap_journal(
        data.path(),
        &[
            "lots",
            "receive",
            "KET-1",
            "--substance",
            "ketamine",
            "--mg",
            "1000",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    // The same rule for a dose, a weight and a reading's oxygen.
    assert!(matches!(
        Dose::parse("1,000 mg"),
        Err(DoseError::Ambiguous(NumberError::Ambiguous(_)))
    ));
    assert!(Dose::parse("0,125 mg/kg").is_ok());
    assert!(matches!(
        parse_weight("70,500"),
        Err(ClientError::WeightAmbiguous(_))
    ));
    assert!((parse_weight("70,5").unwrap() - 70.5).abs() < 1e-9);
}

#[test]
fn a_clinicians_name_that_hides_or_steers_text_is_refused() {
    let data = tempfile::tempdir().unwrap();
    for name in [
        "R. \u{1b}[31mExample",
        "R. Example\u{202E}",
        "R. Ex\u{00AD}ample",
    ] {
        let output = kap_journal(data.path(), &["settings", "--clinician", name]);
        assert!(!output.status.success(), "{name:?} was saved");
        common::assert_one_sentence(stderr(&output).trim_end(), "visible text");
        assert!(!stderr(&output).contains('\u{1b}'));
    }
    let output = kap_journal(data.path(), &["settings"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("clinician        not set"));
}

/// The fixture archive with its first client's code replaced by `code`.
fn archive_with_code(code: &str) -> String {
    common::FIXTURE.replacen(
        "\"code\":\"C-0142\"",
        &format!("\"code\":{}", serde_json::to_string(code).unwrap()),
        1,
    )
}

#[test]
fn a_client_code_with_hidden_or_mixed_script_characters_is_refused_on_import_and_typed() {
    for code in [
        "C-0\u{00AD}142",  // soft hyphen
        "C-0142\u{E0041}", // tag character
        "C-\u{3164}0142",  // Hangul filler
        "\u{0421}-0142ab", // a Cyrillic letter among Latin ones
        "C-0142\u{FE0F}",  // variation selector
    ] {
        let mut journal = common::journal();
        let error = import_archive(
            &mut journal.store,
            archive_with_code(code).as_bytes(),
            OnExisting::Refuse,
            Utc::now(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("all of one script"), "{code:?}: {error}");
        assert!(journal.store.record().session_ids().unwrap().is_empty());
        assert_eq!(
            NewClient::parse(code, "", ""),
            Err(ClientError::BadCode),
            "{code:?}"
        );
    }
    assert_eq!(
        NewClient::parse("C-1", "Anna\u{00AD}", ""),
        Err(ClientError::BadName)
    );
}

#[test]
fn a_code_that_reads_the_same_as_another_clients_is_refused() {
    let mut journal = common::journal_with_fixture();
    // Cyrillic Es, then digits: one script, and it reads exactly as the fixture's Latin C-0142.
    let twin = NewClient::parse("\u{0421}-0142", "", "").unwrap();
    let error = journal
        .store
        .record_mut()
        .create_client(&twin, Utc::now())
        .unwrap_err();
    assert!(
        error.to_string().contains("The code C-0142 reads the same"),
        "{error}"
    );
    let mut archive = common::journal();
    archive
        .store
        .record_mut()
        .create_client(&twin, Utc::now())
        .unwrap();
    // And on import: the fixture's sessions go into a journal that already has the twin.
    let error = import_archive(
        &mut archive.store,
        common::FIXTURE.as_bytes(),
        OnExisting::Refuse,
        Utc::now(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("reads the same"), "{error}");
}

#[test]
fn a_client_a_practice_link_would_add_is_checked_as_a_typed_one() {
    let journal = common::journal();
    let mut store = journal.store;
    for hostile in ["D-0001\u{202e}", "D\u{200b}-0001", &"D".repeat(40)] {
        assert!(
            store
                .sharing_mut()
                .link_practice_client(hostile, "D-0001", Utc::now())
                .is_err(),
            "{hostile:?}"
        );
    }
    assert!(store.sharing().practice_links().unwrap().is_empty());
    assert!(
        store.record().clients().unwrap().is_empty(),
        "nothing half made"
    );
}
