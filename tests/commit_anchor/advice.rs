//! What the journal advises when its anchor and its records disagree: no restore that would lose records.

use super::*;

/// An anchor file naming entry `seq` with a seal that no journal holds, well formed (its checksum
/// right) as anyone could write one: the anchor's file has no secret of its own.
fn forge_anchor(dir: &Path, seq: i64) {
    use sha2::Digest as _;
    let hex = |bytes: &[u8]| {
        use std::fmt::Write as _;
        bytes.iter().fold(String::new(), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
    };
    let body = format!(
        "kap-journal-anchor-1 {seq} 1790000000000 {}",
        hex(&[0xab; 32])
    );
    let check = hex(&sha2::Sha256::digest(body.as_bytes())[..8]);
    std::fs::write(dir.join(ANCHOR_FILE_NAME), format!("{body} {check}\n")).unwrap();
}

#[test]
fn a_forged_anchor_on_an_intact_journal_advises_no_restore_that_would_lose_records() {
    let mut journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    // A backup first, then records the backup lacks: a restore would throw them away.
    journal
        .store
        .backup_rotating(Utc::now(), 5, |_| {})
        .unwrap();
    common::client(&mut journal.store, "C-0600");
    common::client(&mut journal.store, "C-0601");
    let newest = journal.store.record().audit_len().unwrap();
    drop(journal.store);
    forge_anchor(&dir, newest + 87);

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert!(!store.restore_advised());
    let said = format!("{}.", store.damage()[0]);
    common::assert_one_sentence(&said, "lacks the newest 87 changes");
    assert!(said.contains("does not hold that change either"), "{said}");
    assert!(
        said.contains("would bring nothing back and lose records"),
        "{said}"
    );
    assert!(said.contains("check --accept"), "{said}");
    drop(store);
    let output = common::kap_journal(&dir, &["check"]);
    let told = String::from_utf8(output.stderr).unwrap();
    assert!(!told.contains("restore the newest good backup"), "{told}");

    // An anchor of another journal (its own seal at an entry this journal holds) is told the same way.
    let other = common::journal_with_fixture();
    drop(other.store);
    std::fs::copy(
        other.dir.path().join(ANCHOR_FILE_NAME),
        dir.join(ANCHOR_FILE_NAME),
    )
    .unwrap();
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert!(!store.restore_advised());
    assert!(
        store.damage()[0].contains("is not the one")
            && store.damage()[0].contains("do not restore"),
        "{:?}",
        store.damage()
    );
}

#[test]
fn a_real_loss_that_the_newest_backup_holds_advises_restoring_it() {
    let mut journal = common::journal_with_fixture();
    let dir = journal.dir.path().to_path_buf();
    drop(journal.store);
    let older = std::fs::read(dir.join(DB_FILE_NAME)).unwrap();
    journal.store = Store::open(&dir, &common::passphrase()).unwrap();
    common::client(&mut journal.store, "C-0700");
    journal
        .store
        .backup_rotating(Utc::now(), 5, |_| {})
        .unwrap();
    drop(journal.store);
    std::fs::write(dir.join(DB_FILE_NAME), &older).unwrap();

    let store = Store::open(&dir, &common::passphrase()).unwrap();
    assert_eq!(store.access(), AccessMode::Damaged);
    assert!(store.restore_advised());
    assert!(
        store.damage()[0].contains("holds that change: restore it"),
        "{:?}",
        store.damage()
    );
    drop(store);
    let output = common::kap_journal(&dir, &["check"]);
    let told = String::from_utf8(output.stderr).unwrap();
    assert!(told.contains("restore the newest good backup"), "{told}");
}
