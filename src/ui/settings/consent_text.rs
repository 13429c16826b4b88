//! The clinic's consent text in Settings: the version in force, and adopting a new one (every
//! client then consents again before their next session).

use egui::{RichText, Ui};

use super::super::saved_form::SavedForm;
use super::super::status::Status;
use super::super::{theme, widgets};
use crate::changes::AdoptConsentText;
use crate::domain::{ConsentText, check_consent_text};
use crate::store::Store;
use crate::worker::Journal;

/// The first renewal period offered: every six months.
const DEFAULT_RENEW_DAYS: u32 = 180;

/// The text and its renewal period as the fields hold them.
#[derive(Clone, PartialEq)]
struct Typed {
    text: String,
    renew_days: String,
}

impl Typed {
    /// The fields showing `newest` (none yet: empty, with the first period offered).
    fn of(newest: Option<&ConsentText>) -> Self {
        Self {
            text: newest.map(|text| text.text.clone()).unwrap_or_default(),
            renew_days: newest
                .map_or(DEFAULT_RENEW_DAYS, |text| text.renew_after_days)
                .to_string(),
        }
    }
}

pub struct ConsentTextSettings {
    /// The version in force.
    newest: Option<ConsentText>,
    form: SavedForm<Typed, ConsentText>,
}

impl ConsentTextSettings {
    pub fn load(store: &Store) -> Self {
        let (newest, status) = match store.registers().consent_text() {
            Ok(newest) => (newest, Status::Quiet),
            Err(error) => (None, Status::problem(error)),
        };
        // With no text yet, nothing is there to adopt until one is typed.
        let form = SavedForm::new(Typed::of(newest.as_ref()), status);
        Self { newest, form }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal, now: chrono::DateTime<chrono::Utc>) {
        ui.heading("Consent");
        let in_force = self.newest.as_ref().map_or_else(
            || "No consent text yet: the checklist's tick box records consent. Once a text is adopted, a session starts only under a current consent to it.".to_owned(),
            |text| {
                format!(
                    "Version {} in force since {}; a consent is renewed after {} days.",
                    text.version,
                    crate::format::day_of(text.adopted_at),
                    text.renew_after_days
                )
            },
        );
        ui.label(RichText::new(in_force).color(theme::muted()));
        ui.add_space(theme::GAP);
        let typed = &mut self.form.editing;
        widgets::labelled_multiline(
            ui,
            "Consent text",
            &mut typed.text,
            "The clinic's consent to ketamine treatment: off-label use, touch, music, recording…",
            6,
        );
        widgets::labelled_field(ui, "Renew after (days)", &mut typed.renew_days, "180", 60.0);
        let mut adopted = None;
        self.form.answer("Consent text adopted.", |text| {
            let typed = Typed::of(Some(&text));
            adopted = Some(text);
            Some(typed)
        });
        if let Some(text) = adopted {
            self.form.status = Status::done(format!(
                "Version {} adopted; every client consents to it before their next session.",
                text.version
            ));
            self.newest = Some(text);
        }
        let next = self.newest.as_ref().map_or(1, |text| text.version + 1);
        let button = egui::Button::new(format!("Adopt as version {next}"));
        if ui.add_enabled(self.form.can_save(), button).clicked() {
            self.adopt(journal, now);
        }
        self.form.status.show(ui);
    }

    fn adopt(&mut self, journal: &Journal, now: chrono::DateTime<chrono::Utc>) {
        let typed = &self.form.editing;
        let Ok(days) = typed.renew_days.trim().parse::<u32>() else {
            self.form.status = Status::problem("Renew after takes a whole number of days.");
            return;
        };
        if let Err(error) = check_consent_text(&typed.text, days) {
            self.form.status = Status::problem(error);
            return;
        }
        let write = AdoptConsentText {
            text: typed.text.trim().to_owned(),
            renew_after_days: days,
            at: now,
        };
        let kept = typed.clone();
        self.form.send(journal, kept, write);
    }
}
