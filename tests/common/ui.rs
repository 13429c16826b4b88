//! Helpers for driving the real app with egui_kittest.

use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use kap_journal::live::{Clock, ManualClock};
use kap_journal::store::Store;
use kap_journal::ui::KapJournalApp;

/// Frames a `run` may take before it settles. egui_kittest's default of 4 is exceeded when the
/// window's jobs (the home lists' complete read, the start-up check, a search) answer during a
/// run: each answer asks for a frame of its own from another thread, at a moment no test
/// chooses. A window that never settles still fails, after this many frames.
pub const FRAMES_TO_SETTLE: u64 = 16;

/// A harness the size of a laptop window, with room for the window's jobs to answer mid-run.
pub fn harness() -> egui_kittest::HarnessBuilder<KapJournalApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(FRAMES_TO_SETTLE)
}

pub fn app(dir: &std::path::Path, clock: &Arc<ManualClock>) -> Harness<'static, KapJournalApp> {
    app_sized(dir, clock, [1280.0, 800.0])
}

/// The app in a window of `size` points (1024x640 is the smallest laptop screen it is laid out for).
pub fn app_sized(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
    size: [f32; 2],
) -> Harness<'static, KapJournalApp> {
    let store = Store::open(dir, &super::passphrase());
    let clock: Arc<dyn Clock> = clock.clone();
    harness().with_size(size).build_eframe(move |cc| {
        // No tone from the speaker while the tests run (tests/ui_clinical/ counts them).
        KapJournalApp::new(cc, store, clock)
            .automatic_backups(false)
            .alert_sound(false)
            .writes_inline()
    })
}

/// The app with save dialogs unavailable, so an export goes to the journal's exports folder.
pub fn app_without_file_dialogs(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
) -> Harness<'static, KapJournalApp> {
    let store = Store::open(dir, &super::passphrase());
    let clock: Arc<dyn Clock> = clock.clone();
    harness().build_eframe(move |cc| {
        kap_journal::ui::disable_file_dialogs(&cc.egui_ctx);
        KapJournalApp::new(cc, store, clock)
            .automatic_backups(false)
            .alert_sound(false)
            .writes_inline()
    })
}

/// The app on a journal whose window locks only after an hour untouched, for tests that let the
/// session clock run for long stretches without touching the window (as a clinician watching the
/// client would not, within ten minutes, without the lock stepping in).
pub fn unattended_app(
    dir: &std::path::Path,
    clock: &Arc<ManualClock>,
) -> Harness<'static, KapJournalApp> {
    let mut store = Store::open(dir, &super::passphrase()).unwrap();
    let mut settings = store.clinic_settings().unwrap();
    settings.lock_after_minutes = 60;
    store.save_clinic_settings(&settings).unwrap();
    drop(store);
    app(dir, clock)
}

/// Clicks the button whose label starts with `text` (buttons also show their shortcut).
/// Scrolls it into view first, as a user would.
pub fn click(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    let button = || By::new().role(Role::Button).label_contains(text);
    harness.get(button()).scroll_to_me();
    harness.run();
    harness.get(button()).click();
    harness.run();
}

/// The text field named by `label` (timeline rows may carry the same word as plain labels).
pub fn field<'a>(
    harness: &'a Harness<'_, KapJournalApp>,
    label: &'a str,
) -> egui_kittest::Node<'a> {
    harness.get(By::new().label(label).predicate(|node| {
        matches!(
            node.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        )
    }))
}

/// Scrolls a text field found by its label into view, clicks it, then types into it.
pub fn type_into(harness: &mut Harness<'_, KapJournalApp>, label: &str, text: &str) {
    field(harness, label).scroll_to_me();
    harness.run();
    field(harness, label).click();
    harness.run();
    field(harness, label).type_text(text);
    harness.run();
}

/// Starts a session as a clinician would: the checklist with consent and a baseline blood pressure.
pub fn start_session(harness: &mut Harness<'_, KapJournalApp>, model: &str) {
    fill_start_form(harness, model);
    type_into(harness, "Blood pressure", "124/80");
    click(harness, "Start session");
}

/// Starts a session without baseline vitals (dosing then asks first).
pub fn start_session_without_baseline(harness: &mut Harness<'_, KapJournalApp>, model: &str) {
    fill_start_form(harness, model);
    click(harness, "Start session");
}

fn fill_start_form(harness: &mut Harness<'_, KapJournalApp>, model: &str) {
    click(harness, "New session");
    type_into(harness, "Client code", "C-0142");
    type_into(harness, "Weight", "72");
    harness.get(By::new().label(model)).click();
    harness.run();
    type_into(harness, "Starting dose", "0.5 mg/kg over 40 min");
    type_into(harness, "Intention", "Meet the grief about my father.");
    type_into(harness, "Comfort plan", "Hand on shoulder if I reach out.");
    confirm_consent(harness);
}

/// Chooses a client the journal already has in the start form's client list.
pub fn choose_client(harness: &mut Harness<'_, KapJournalApp>, code: &str) {
    harness
        .get(By::new().role(Role::ComboBox).label("Client"))
        .click();
    harness.run();
    harness.get(By::new().label(code)).click();
    harness.run();
}

/// Ticks "Consent confirmed today" in the start form's checklist.
pub fn confirm_consent(harness: &mut Harness<'_, KapJournalApp>) {
    harness
        .get(
            By::new()
                .role(Role::CheckBox)
                .label("Consent confirmed today"),
        )
        .click();
    harness.run();
}

/// The note field has the focus in a live session: typing and Enter log a note.
pub fn log_note(harness: &mut Harness<'_, KapJournalApp>, text: &str) {
    field(harness, "Note").type_text(text);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// Ends the session through the end form: criteria ticked, ride home left unticked.
pub fn end_with_discharge(harness: &mut Harness<'_, KapJournalApp>) {
    click(harness, "End session");
    fill_discharge(harness);
}

/// Fills the open end form and submits it.
pub fn fill_discharge(harness: &mut Harness<'_, KapJournalApp>) {
    harness
        .get(
            By::new()
                .role(Role::CheckBox)
                .label("Discharge criteria met"),
        )
        .click();
    harness.run();
    // The Medical Model's end form asks for a follow-up plan, KAP's for the integration plan too.
    if harness.query_by_label("Follow-up plan").is_some() {
        type_into(harness, "Follow-up plan", "Next infusion Thursday 10:00");
    } else {
        type_into(
            harness,
            "Follow-up and integration plan",
            "Integration Thursday 10:00",
        );
    }
    end_now(harness);
}

/// Submits the open end form; where the journal asks first (monitored too briefly, ride home not
/// confirmed), goes ahead with Enter, as a clinician who has checked would.
pub fn end_now(harness: &mut Harness<'_, KapJournalApp>) {
    click(harness, "End session now");
    if harness.query_by_label_contains("Enter: go ahead").is_some() {
        harness.key_press(egui::Key::Enter);
        harness.run();
    }
}

/// The entries written when the session started (the checklist, the baseline readings): the
/// tests that read a timeline back look past them.
pub fn is_start_entry(event: &kap_journal::domain::Event) -> bool {
    use kap_journal::domain::EventKind;
    event.elapsed_ms == 0
        && match &event.kind {
            EventKind::PreSession(_) => true,
            EventKind::Vitals { note, .. } => note == "baseline",
            _ => false,
        }
}

/// Steps the window until `done`, for up to 20 seconds: for work on a thread of its own (a backup, a
/// restore, the journal worker's slowed commits), whose answer comes at a moment of its own.
pub fn step_until(
    harness: &mut Harness<'_, KapJournalApp>,
    what: &str,
    mut done: impl FnMut(&Harness<'_, KapJournalApp>) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done(harness) {
        assert!(
            std::time::Instant::now() < deadline,
            "waited 20 s for {what}"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
