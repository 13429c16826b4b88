//! Archives that must not import: refused whole with a clear message that quotes nothing from the file.

use super::*;

/// The session line `medical` with a second entry (elapsed `ms`, content `entry`) added.
fn with_second_entry(medical: &str, ms: u32, entry: &str) -> String {
    let event = format!(
        r#",{{"seq":2,"wall_time":"2026-11-21T09:06:00Z","elapsed_ms":{ms},"entry":{entry}}}]}}"#
    );
    archive(&medical.replace("]}", &event))
}

/// Each bad file (from the valid one-session line `medical`), and words its message must contain.
fn bad_cases(medical: &str) -> Vec<(&'static str, String, &'static str)> {
    let archive = |session: &str| {
        format!("{{\n  \"format_version\": 1,\n  \"sessions\": [\n    {session}\n  ]\n}}\n")
    };
    let valid_second = archive(medical);
    vec![
        ("cut short", valid_second[..valid_second.len() / 2].to_owned(), "ends too early"),
        ("not JSON", "this is not json".to_owned(), "not valid JSON"),
        (
            "unknown version",
            valid_second.replace("\"format_version\": 1", "\"format_version\": 7"),
            "format_version 7",
        ),
        (
            "version not first",
            "{\"sessions\": [], \"format_version\": 1}".to_owned(),
            "does not begin with format_version",
        ),
        (
            "same uuid twice in the file",
            archive(&format!("{medical},\n    {medical}")),
            "appears earlier in the file",
        ),
        (
            "repeated entry number",
            archive(&medical.replace(
                "]}",
                ",{\"seq\":1,\"wall_time\":\"2026-11-21T09:06:00Z\",\"elapsed_ms\":360000,\"entry\":{\"kind\":\"note\",\"text\":\"x\"}}]}",
            )),
            "repeats the number #1",
        ),
        (
            "dangling deferral",
            with_second_entry(medical, 360_000, r#"{"kind":"deferral_outcome","deferral_seq":9,"outcome":"worked_through","note":""}"#),
            "refers to #9",
        ),
        (
            "marker on a later entry",
            with_second_entry(medical, 360_000, r#"{"kind":"marker","target_seq":3,"on":true}"#),
            "refers to #3",
        ),
        (
            "negative dose",
            archive(&medical.replace("\"amount\":56.0", "\"amount\":-56.0")),
            "more than zero",
        ),
        (
            "a dose of 50 mg/kg",
            archive(&medical.replace(
                "\"planned_dose\":{\"amount\":56.0,\"unit\":\"mg\"}",
                "\"planned_dose\":{\"amount\":50.0,\"unit\":\"mg/kg\"}",
            )),
            "more than 10 mg/kg",
        ),
        (
            "an unknown field",
            archive(&medical.replace("\"intention\":", "\"mood\":1,\"intention\":")),
            "unknown field, expected one of `uuid`",
        ),
        (
            "nesting far deeper than the format",
            format!(
                "{{\"format_version\": 1, \"sessions\": {}{}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            "Line 1",
        ),
        (
            "nesting deep inside an entry",
            archive(&medical.replace(
                "\"kind\":\"dosing_began\",",
                &format!("\"kind\":\"dosing_began\",\"deep\":{}1{},", "[".repeat(100_000), "]".repeat(100_000)),
            )),
            "nested deeper than the format allows",
        ),
        (
            "a note of 5 MiB",
            archive(&medical.replace(
                "]}",
                &format!(
                    ",{{\"seq\":2,\"wall_time\":\"2026-11-21T09:06:00Z\",\"elapsed_ms\":360000,\"entry\":{{\"kind\":\"note\",\"text\":\"{}\"}}}}]}}",
                    "a".repeat(5 << 20)
                ),
            )),
            "longer than 4 MiB",
        ),
        (
            "an entry timed before the one before it",
            with_second_entry(medical, 1000, r#"{"kind":"note","text":"x"}"#),
            "timed before",
        ),
    ]
}

/// Every bad file gets a sentence naming what and where, and leaves the journal as it was.
#[test]
fn bad_archives_are_refused_with_a_clear_message_and_the_journal_unchanged() {
    let mut journal = common::journal();
    // Something already in the journal, so "unchanged" is not trivially "empty".
    let first_session_only = {
        let (head, rest) = FIXTURE.split_once(",\n    {\"uuid\":\"0b8e").unwrap();
        let _ = rest;
        format!("{head}\n  ]\n}}\n")
    };
    import(&mut journal.store, &first_session_only).unwrap();
    let before = fingerprint(&journal.store);
    // The second session alone, edited in each case to be wrong in one way.
    let medical = FIXTURE.lines().nth(4).unwrap();
    let valid_second = archive(medical);
    for (what, json, expected) in bad_cases(medical) {
        let error = import(&mut journal.store, &json)
            .expect_err(what)
            .to_string();
        assert!(error.contains(expected), "{what}: {error}");
        assert!(
            error.ends_with("so nothing was imported.")
                || error.starts_with("Nothing was imported: "),
            "{what}: {error}"
        );
        common::assert_one_sentence(&error, expected);
        assert_eq!(
            fingerprint(&journal.store),
            before,
            "{what} changed the journal"
        );
    }
    // The unchanged second session on its own is fine, so each case failed for its one edit.
    import(&mut journal.store, &valid_second).unwrap();
}

#[test]
fn a_bad_session_after_good_ones_imports_none_of_them() {
    let mut journal = common::journal();
    let broken = FIXTURE.replace("\"deferral_seq\":5", "\"deferral_seq\":6");
    let error = import(&mut journal.store, &broken).unwrap_err().to_string();
    assert!(
        error.contains("Session 1 of the file") && error.contains("#6"),
        "{error}"
    );
    assert!(journal.store.record().session_ids().unwrap().is_empty());
    assert!(journal.store.record().clients().unwrap().is_empty());
}

#[test]
fn messages_never_quote_what_the_file_says() {
    let mut journal = common::journal();
    let secret = "SECRET-NOTE-TEXT";
    let json = FIXTURE.replace("\"seq\":1,", &format!("\"seq\":\"{secret}\","));
    let error = import(&mut journal.store, &json).unwrap_err().to_string();
    assert!(
        error.contains("session 1") && error.contains("Line 4"),
        "{error}"
    );
    assert!(!error.contains(secret), "{error}");
    let json = FIXTURE.replace("\"kind\":\"note\"", &format!("\"kind\":\"{secret}\""));
    let error = import(&mut journal.store, &json).unwrap_err().to_string();
    assert!(!error.contains(secret), "{error}");
}

#[test]
fn a_file_larger_than_the_limit_is_refused_before_it_is_read() {
    let mut journal = common::journal();
    let path = journal.dir.path().join("huge.json");
    // Sparse: takes no disk space, but reports its size.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MAX_IMPORT_BYTES + 1)
        .unwrap();
    let error = import_file(&mut journal.store, &path, OnExisting::Refuse, Utc::now()).unwrap_err();
    assert!(matches!(error, ImportError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("1024 MiB"), "{error}");
    assert!(journal.store.record().session_ids().unwrap().is_empty());
}
