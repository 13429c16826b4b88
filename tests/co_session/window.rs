//! Signing a session logged together in the window: the therapist's and the nurse's journals each
//! open the session they logged together, see everyone's entries with their authors, sign what is
//! theirs to sign, and see the other's signature once the practice has it.

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use kap_journal::domain::Clinician;
use kap_journal::live::ManualClock;
use kap_journal::ui::KapJournalApp;

use super::common::pg_server::TestServer;
use super::common::ui::step_until;
use super::signatures::ended_co_session;

/// Clicks the button whose label starts with `text`, stepping the frames (jobs run beside).
fn press(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .label_contains(text),
        )
        .click();
    for _ in 0..3 {
        harness.step();
    }
}

/// The window on the journal in `dir`, opened on its one session of D-0001.
fn session_window(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
) -> Harness<'static, KapJournalApp> {
    let mut harness = super::common::ui::app(dir, clock);
    harness.run();
    harness.get_by_label("D-0001").click();
    step_until(
        &mut harness,
        "the session asked of the practice",
        |harness| {
            harness.query_by_label("Signed together").is_some()
                && harness
                    .query_by_label("Ask the practice again")
                    .is_some_and(|button| !button.accesskit_node().is_disabled())
        },
    );
    harness
}

#[test]
fn the_therapist_and_the_nurse_each_sign_in_their_window_and_see_the_others_signature() {
    let server = TestServer::start();
    let (therapist, nurse) = ended_co_session(&server);
    let mut dirs = Vec::new();
    for (mut laptop, name) in [(therapist, "R. Example"), (nurse, "N. Example")] {
        laptop
            .store
            .save_clinician(&Clinician {
                name: name.to_owned(),
                credentials: "synthetic".to_owned(),
            })
            .unwrap();
        dirs.push(laptop.dir);
    }
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));

    // The therapist sees the nurse's entries under her name and signs the whole and her own.
    let mut window = session_window(dirs[0].path(), &clock);
    assert!(
        window.query_all_by_label("Dr. n_one (synthetic)").count() >= 2,
        "the nurse's entries carry her name"
    );
    press(&mut window, "Sign the whole session");
    step_until(&mut window, "the whole signed", |harness| {
        harness
            .query_by_label_contains("R. Example, synthetic signed the whole session on")
            .is_some()
    });
    press(&mut window, "Sign my entries");
    step_until(
        &mut window,
        "her entries signed and on the server",
        |harness| {
            harness
                .query_by_label_contains("R. Example, synthetic signed the entries they wrote on")
                .is_some()
                && harness
                    .query_by_label("Your signature is on the practice server.")
                    .is_some()
        },
    );
    drop(window);

    // The nurse's window, on her part: the therapist's signatures verify with the key the practice
    // registered; she may sign her entries, not the whole.
    let mut window = session_window(dirs[1].path(), &clock);
    step_until(&mut window, "the therapist's signatures", |harness| {
        harness
            .query_by_label_contains("signed the whole session on")
            .is_some_and(|label| {
                // A label's words are its value.
                label
                    .accesskit_node()
                    .value()
                    .is_some_and(|text| text.contains("registered with the practice"))
            })
    });
    assert!(window.query_by_label("Sign the whole session").is_none());
    press(&mut window, "Sign my entries");
    step_until(&mut window, "her signature on the server", |harness| {
        harness
            .query_by_label("Your signature is on the practice server.")
            .is_some()
    });
    drop(window);

    // Back in the therapist's window, the nurse's signature has come.
    let window = session_window(dirs[0].path(), &clock);
    assert!(
        window
            .query_by_label_contains("N. Example, synthetic signed the entries they wrote on")
            .is_some()
    );
}
