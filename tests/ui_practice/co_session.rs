//! Two windows, one live session: the therapist's and the nurse's journals, each in its own window
//! against one practice server. The nurse joins from the Practice view and logs in her own part;
//! her rate change moves the therapist's dose and total, and the therapist's sit-with-it counts
//! down on the nurse's screen.

use std::sync::Arc;

use egui_kittest::Harness;
use kap_journal::live::{LiveSession, ManualClock};
use kap_journal::ui::KapJournalApp;

use super::*;

/// Steps both windows until `done` holds of them (each has jobs beside it).
fn step_both(
    therapist: &mut Harness<'_, KapJournalApp>,
    nurse: &mut Harness<'_, KapJournalApp>,
    what: &str,
    done: impl Fn(&Harness<'_, KapJournalApp>, &Harness<'_, KapJournalApp>) -> bool,
) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done(therapist, nurse) {
        assert!(std::time::Instant::now() < until, "waited 30 s for {what}");
        therapist.step();
        nurse.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Clicks the button whose label starts with `text`, stepping the frames (jobs run beside).
fn press(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    let button = || {
        egui_kittest::kittest::By::new()
            .role(egui::accesskit::Role::Button)
            .label_contains(text)
    };
    harness.get(button()).scroll_to_me();
    harness.step();
    harness.get(button()).click();
    for _ in 0..3 {
        harness.step();
    }
}

/// What the live session in `harness`'s window adds up to: the dose running and the total.
fn figures(harness: &Harness<'_, KapJournalApp>) -> (String, String) {
    let live: &LiveSession = harness.state().live_session().expect("a live session");
    let total = live
        .shown_state()
        .administration
        .delivered(live.weight_kg(), live.elapsed_ms());
    (format!("{:?}", live.current_dose()), total.describe())
}

/// A practice with the therapist `t_one` and the nurse `n_one` on C-0142's care team, and a journal
/// for each joined to it (the therapist's with C-0142 linked).
fn two_journals(server: &TestServer) -> (tempfile::TempDir, tempfile::TempDir) {
    server.init_practice();
    server.add_clinician("t_one", PracticeRole::Therapist);
    server.add_clinician("n_one", PracticeRole::Nurse);
    server.share("C-0142", &["t_one", "n_one"]);
    let therapist_journal = common::journal();
    let mut store = therapist_journal.store;
    super::connect_as(server, &mut store, "t_one");
    common::client(&mut store, "C-0142");
    kap_journal::practice::link(&mut store, "C-0142", "C-0142", Utc::now()).unwrap();
    drop(store);
    let nurse_journal = common::journal();
    let mut store = nurse_journal.store;
    super::connect_as(server, &mut store, "n_one");
    drop(store);

    (therapist_journal.dir, nurse_journal.dir)
}

#[test]
fn the_nurse_lowers_the_rate_and_the_therapists_countdown_runs_on_her_screen() {
    let server = TestServer::start();
    let (therapist_dir, nurse_dir) = two_journals(&server);
    // One clock for the room: both laptops read the same time.
    let clock = Arc::new(ManualClock::new(Utc::now()));
    // The therapist starts the session in her window.
    let mut therapist = common::ui::unattended_app(therapist_dir.path(), &clock);
    super::start_shared_session(&mut therapist);
    common::ui::step_until(&mut therapist, "the shown session", |harness| {
        harness.query_by_label("Shown to the care team").is_some()
    });

    // The nurse joins from the Practice view and is taken into her part of it.
    let mut nurse = common::ui::unattended_app(nurse_dir.path(), &clock);
    super::join_from_the_practice_view(&mut nurse);
    step_both(
        &mut therapist,
        &mut nurse,
        "the nurse in the session",
        |t, n| {
            n.query_by_label("In Dr. t_one (synthetic)'s session")
                .is_some()
                && t.query_by_label("Joined by Dr. n_one (synthetic)")
                    .is_some()
        },
    );

    // She starts the infusion and lowers the rate ten minutes in.
    press(&mut nurse, "Begin dosing");
    clock.advance(std::time::Duration::from_mins(10));
    press(&mut nurse, "Dose change");
    common::ui::field(&nurse, "New dose").type_text("0.35 mg/kg over 40 min");
    nurse.step();
    nurse
        .get(egui_kittest::kittest::By::new().label("The vitals"))
        .click();
    nurse.step();
    press(&mut nurse, "Record dose change");
    step_both(
        &mut therapist,
        &mut nurse,
        "the rate on the therapist's screen",
        |t, n| {
            // 0.35 mg/kg over 40 minutes runs at 0.525 mg/kg/h.
            figures(t) == figures(n) && figures(t).0.contains("per_hour: 0.525")
        },
    );
    assert!(
        therapist
            .query_all_by_label("Dr. n_one (synthetic)")
            .count()
            >= 2,
        "the nurse's entries carry her name on the therapist's screen"
    );
    let therapist_own = harness_live(&therapist);
    assert!(
        therapist_own.state().dosing_began_ms.is_none(),
        "the dose is the nurse's: the therapist's own entries give none"
    );

    // The therapist's sit-with-it counts down on the nurse's screen, started by her.
    common::ui::field(&therapist, "Note").type_text("grief about father");
    therapist.step();
    press(&mut therapist, "Sit with it");
    step_both(
        &mut therapist,
        &mut nurse,
        "the countdown on the nurse's screen",
        |_, n| {
            n.query_by_label_contains("Sit with it  5:00").is_some()
                && n.query_by_label("started by Dr. t_one (synthetic)")
                    .is_some()
        },
    );
    clock.advance(std::time::Duration::from_mins(2));
    step_both(
        &mut therapist,
        &mut nurse,
        "both totals two minutes on",
        |t, n| n.query_by_label_contains("Sit with it  3:00").is_some() && figures(t) == figures(n),
    );
}

fn harness_live<'a>(harness: &'a Harness<'_, KapJournalApp>) -> &'a LiveSession {
    harness.state().live_session().expect("a live session")
}
