//! Signing and addenda in the real window: the name comes from Settings, signing asks once inline,
//! a signed progress note can no longer be edited, and an addendum appears after the original.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::ui::{app, click, end_with_discharge, start_session, type_into};
use egui::accesskit::Role;
use egui_kittest::kittest::{By, Queryable};
use kap_journal::domain::{SessionId, SessionStatus};
use kap_journal::live::ManualClock;
use kap_journal::store::Store;

fn ended_session_window() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, kap_journal::ui::KapJournalApp>,
) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    start_session(&mut harness, "KAP");
    end_with_discharge(&mut harness);
    (dir, harness)
}

/// Opens the session from the list by its row (the client's code).
fn open_first_session(
    harness: &mut egui_kittest::Harness<'static, kap_journal::ui::KapJournalApp>,
) {
    harness.get_by_label("C-0142").click();
    harness.run();
}

#[test]
fn signing_asks_for_a_name_first_then_signs_and_closes_the_progress_note() {
    let (dir, mut harness) = ended_session_window();
    harness.get(By::new().label("Progress note")).click();
    harness.run();
    type_into(&mut harness, "Subjective", "Felt the grief and stayed.");
    harness.get(By::new().label("Timeline")).click();
    harness.run();

    click(&mut harness, "Sign session");
    harness.get_by_label("Add your name (and credentials) in Settings before signing.");
    click(&mut harness, "Cancel");

    click(&mut harness, "Back to sessions");
    click(&mut harness, "Settings");
    type_into(&mut harness, "Your name", "R. Example");
    type_into(&mut harness, "Credentials", "PsyD");
    click(&mut harness, "Save name");
    harness.get_by_label("Name saved.");
    click(&mut harness, "Back to sessions");
    open_first_session(&mut harness);

    click(&mut harness, "Sign session");
    harness.get_by_label_contains("Sign as R. Example, PsyD?");
    harness
        .get(By::new().role(Role::Button).label("Sign"))
        .click();
    harness.run();
    harness.get_by_label_contains("Signed by R. Example, PsyD on");

    harness.get(By::new().label("Progress note")).click();
    harness.run();
    harness.get_by_label("Felt the grief and stayed.");
    assert!(
        harness
            .query(By::new().label("Subjective").role(Role::MultilineTextInput))
            .is_none(),
        "a signed note is shown, not edited"
    );

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let signature = store
        .record()
        .signature(SessionId(1))
        .unwrap()
        .expect("signed");
    assert_eq!(signature.clinician.signed_as(), "R. Example, PsyD");
    assert_eq!(
        store.record().session(SessionId(1)).unwrap().status,
        SessionStatus::Signed
    );
    assert_eq!(
        store
            .record()
            .progress_note(SessionId(1))
            .unwrap()
            .unwrap()
            .sections()[0],
        "Felt the grief and stayed."
    );
}

#[test]
fn an_addendum_is_written_under_the_timeline_and_kept_beside_the_original() {
    let (dir, mut harness) = ended_session_window();
    click(&mut harness, "Back to sessions");
    click(&mut harness, "Settings");
    type_into(&mut harness, "Your name", "R. Example");
    click(&mut harness, "Save name");
    click(&mut harness, "Back to sessions");
    open_first_session(&mut harness);
    click(&mut harness, "Sign session");
    harness
        .get(By::new().role(Role::Button).label("Sign"))
        .click();
    harness.run();

    // A blank reason is refused with a sentence, and the typed text stays.
    type_into(&mut harness, "Addendum", "Phoned next day; sleeping well.");
    click(&mut harness, "Add addendum");
    harness.get_by_label_contains("An addendum needs a reason");
    type_into(&mut harness, "Reason for the addendum", "late entry");
    click(&mut harness, "Add addendum");
    harness.get_by_label("Addendum added.");
    harness.get_by_label_contains("Addendum 1 ·");
    harness.get_by_label("Reason: late entry");
    harness.get_by_label("Phoned next day; sleeping well.");

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    let addenda = store.record().addenda(SessionId(1)).unwrap();
    assert_eq!(addenda.len(), 1);
    assert_eq!(addenda[0].reason, "late entry");
    assert_eq!(addenda[0].text, "Phoned next day; sleeping well.");
    assert_eq!(addenda[0].author.signed_as(), "R. Example");
    assert!(store.record().signature_problems().unwrap().is_empty());
}

#[test]
fn the_clinic_name_is_saved_in_settings_and_a_hidden_mark_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let mut harness = app(dir.path(), &clock);
    click(&mut harness, "Settings");
    type_into(&mut harness, "Clinic name", "Riverside\u{202E} Clinic");
    click(&mut harness, "Save clinic details");
    harness.get_by_label(
        "A clinic name is one line of visible text, without control or direction marks.",
    );

    // Select what was typed and type the name over it.
    common::ui::field(&harness, "Clinic name").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    common::ui::field(&harness, "Clinic name")
        .type_text("  Riverside Ketamine Clinic (synthetic) ");
    harness.run();
    // The REMS form's contact details beside it: an email that is not one is refused.
    type_into(&mut harness, "Telephone", "+1 555 010 0199");
    type_into(&mut harness, "Email", "front desk");
    click(&mut harness, "Save clinic details");
    harness.get_by_label("An email address looks like name@clinic.example.");
    common::ui::field(&harness, "Email").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    common::ui::field(&harness, "Email").type_text("front.desk@clinic.example");
    harness.run();
    click(&mut harness, "Save clinic details");
    harness.get_by_label("Clinic details saved.");
    drop(harness);

    let store = Store::open_for_reading(dir.path(), &common::passphrase()).unwrap();
    assert_eq!(
        store.clinic_name().unwrap().map(String::from).as_deref(),
        Some("Riverside Ketamine Clinic (synthetic)")
    );
    let contact = store.registers().rems_contact().unwrap();
    assert_eq!(
        (
            contact.telephone.as_str(),
            contact.email.as_str(),
            contact.address.as_str()
        ),
        ("+1 555 010 0199", "front.desk@clinic.example", "")
    );
}
