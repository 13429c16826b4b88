//! The clinic's monitoring settings in the window: the vitals schedule and the thresholds that flag
//! a reading. The same names and checks as `kap-journal settings`.

pub(super) mod clinic;
pub(super) mod clinician;
pub(super) mod consent_text;
pub(super) mod date_style;
pub(super) mod passphrase;

use super::status::Status;
use egui::{RichText, Ui};

use self::clinic::ClinicSettingsPanel;
use self::clinician::ClinicianSettings;
use self::consent_text::ConsentTextSettings;
use self::date_style::DateStyleSettings;
use self::passphrase::PassphraseChange;
use super::commands::{Scope, UiCommand};
use super::prefs::{Prefs, ThemeChoice, ZOOM_RANGE};
use super::saved_form::SavedForm;
use super::theme;
use super::view::{AppView, Nav, ViewContext, back_on};
use crate::changes::SaveClinicSettings;
use crate::domain::{ClinicSettings, SETTING_KEYS};
use crate::store::Store;
use crate::ui::practice::settings::PracticeSettings;
use crate::worker::Journal;

/// The settings being edited and what the journal holds.
pub struct SettingsView {
    monitoring: SavedForm<ClinicSettings>,
    clinician: ClinicianSettings,
    clinic: ClinicSettingsPanel,
    dates: DateStyleSettings,
    consent_text: ConsentTextSettings,
    passphrase: PassphraseChange,
    practice: PracticeSettings,
}

impl AppView for SettingsView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        let now = cx.wall();
        let (nav, saved) = self.draw(ui, cx, now);
        if let Some(settings) = saved {
            cx.settings_saved(settings);
        }
        nav
    }
}

impl SettingsView {
    /// The form on the clinic settings the window holds (`unreadable` says why they are the
    /// defaults), and the clinician's from the journal.
    pub fn load(store: &Store, settings: ClinicSettings, unreadable: Option<&str>) -> Self {
        Self {
            monitoring: SavedForm::new(settings, unreadable.map_or(Status::Quiet, Status::problem)),
            clinician: ClinicianSettings::load(store),
            clinic: ClinicSettingsPanel::load(store),
            dates: DateStyleSettings::load(store),
            consent_text: ConsentTextSettings::load(store),
            passphrase: PassphraseChange::default(),
            practice: PracticeSettings::load(store),
        }
    }

    fn draw(
        &mut self,
        ui: &mut Ui,
        cx: &mut ViewContext<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (Nav, Option<ClinicSettings>) {
        let mut nav = Nav::Stay;
        let mut saved = None;
        let journal = cx.journal;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                saved = self.sections(ui, journal, &mut nav, now);
                ui.add_space(3.0 * theme::GAP);
                ui.separator();
                self.practice.ui(ui, journal, cx.practice, now);
                ui.add_space(3.0 * theme::GAP);
                ui.separator();
                this_computer(ui, cx.prefs);
                ui.add_space(3.0 * theme::GAP);
                ui.separator();
                if let Some(backup) = cx.backups.settings_ui(
                    ui,
                    journal.read(),
                    now,
                    self.monitoring.saved().backups_kept,
                ) {
                    nav = Nav::Restore(backup);
                }
            });
        });
        (nav, saved)
    }

    /// The monitoring settings, then who signs, the clinic's name and consent text, then the passphrase (the backups follow). Returns
    /// the clinic settings once the journal holds them.
    fn sections(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        nav: &mut Nav,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<ClinicSettings> {
        ui.horizontal(|ui| {
            if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
                *nav = Nav::Home;
            }
            ui.heading("Clinic settings");
        });
        ui.label(
            RichText::new(
                "Kept in the journal: every window and command uses them. Summaries flag \
                 readings against the thresholds in force when they are made.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        egui::Grid::new("settings_grid")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                for (key, meaning) in SETTING_KEYS {
                    let label = ui.label(meaning);
                    let mut value = self.monitoring.editing.get(key).unwrap_or_default();
                    let changed = ui
                        .add(egui::DragValue::new(&mut value).range(0..=400))
                        .labelled_by(label.id)
                        .changed();
                    if changed {
                        self.monitoring.editing.set_number(key, value);
                    }
                    ui.end_row();
                }
            });
        ui.add_space(theme::GAP);
        let now_saved = self.monitoring.answer("Settings saved.", |()| None);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    self.monitoring.can_save(),
                    egui::Button::new("Save settings"),
                )
                .clicked()
            {
                let typed = self.monitoring.editing;
                self.monitoring
                    .send(journal, typed, SaveClinicSettings(typed));
            }
            if ui.button("Clinic defaults").clicked() {
                self.monitoring.editing = ClinicSettings::default();
            }
        });
        self.monitoring.status.show(ui);
        ui.add_space(3.0 * theme::GAP);
        ui.separator();
        self.clinician.ui(ui, journal);
        ui.add_space(3.0 * theme::GAP);
        ui.separator();
        self.clinic.ui(ui, journal);
        ui.add_space(3.0 * theme::GAP);
        ui.separator();
        self.dates.ui(ui, journal);
        ui.add_space(3.0 * theme::GAP);
        ui.separator();
        self.consent_text.ui(ui, journal, now);
        ui.add_space(3.0 * theme::GAP);
        ui.separator();
        self.passphrase.ui(ui, journal);
        now_saved
    }
}

/// The look and the alert sound of this computer (kept by the window, not the journal).
fn this_computer(ui: &mut Ui, prefs: &mut Prefs) {
    ui.heading("This computer");
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        ui.label("Theme");
        for choice in ThemeChoice::ALL {
            changed |= ui
                .radio_value(&mut prefs.theme, choice, choice.label())
                .changed();
        }
    });
    ui.horizontal_wrapped(|ui| {
        prefs.follow(ui.ctx());
        ui.label(format!(
            "Text size {:.0} % (Ctrl+plus, Ctrl+minus, Ctrl+0)",
            prefs.zoom * 100.0
        ));
        if ui.button("Smaller").clicked() {
            prefs.zoom = (prefs.zoom - 0.1).max(*ZOOM_RANGE.start());
            changed = true;
        }
        if ui.button("Larger").clicked() {
            prefs.zoom = (prefs.zoom + 0.1).min(*ZOOM_RANGE.end());
            changed = true;
        }
    });
    ui.checkbox(
        &mut prefs.alert_sound,
        "Play a short sound when a countdown ends or a safety flag rises",
    );
    if changed {
        prefs.apply(ui.ctx());
    }
}
