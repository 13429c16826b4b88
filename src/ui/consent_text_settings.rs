//! The clinic's consent text in Settings: the version in force, and adopting a new one (every
//! client then consents again before their next session).

use super::status::Status;
use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::{theme, widgets};
use crate::domain::{ConsentText, check_consent_text};
use crate::store::Store;
use crate::worker::{Journal, Write, Written};

/// The first renewal period offered: every six months.
const DEFAULT_RENEW_DAYS: u32 = 180;

pub struct ConsentTextSettings {
    newest: Option<ConsentText>,
    text: String,
    renew_days: String,
    status: Status,
    adopting: Awaiting,
}

impl ConsentTextSettings {
    pub fn load(store: &Store) -> Self {
        let (newest, status) = match store.consent_text() {
            Ok(newest) => (newest, Status::Quiet),
            Err(error) => (None, Status::problem(error)),
        };
        Self {
            text: newest
                .as_ref()
                .map(|text| text.text.clone())
                .unwrap_or_default(),
            renew_days: newest
                .as_ref()
                .map_or(DEFAULT_RENEW_DAYS, |text| text.renew_after_days)
                .to_string(),
            newest,
            status,
            adopting: Awaiting::default(),
        }
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
        widgets::labelled_multiline(
            ui,
            "Consent text",
            &mut self.text,
            "The clinic's consent to ketamine treatment: off-label use, touch, music, recording…",
            6,
        );
        widgets::labelled_field(ui, "Renew after (days)", &mut self.renew_days, "180", 60.0);
        match self.adopting.answer() {
            Some(Ok(Written::ConsentText(adopted))) => {
                self.status = Status::done(format!(
                    "Version {} adopted; every client consents to it before their next session.",
                    adopted.version
                ));
                self.newest = Some(adopted);
            }
            Some(Err(error)) => self.status = Status::problem(error),
            Some(Ok(_)) | None => {}
        }
        let next = self.newest.as_ref().map_or(1, |text| text.version + 1);
        let changed = self.newest.as_ref().is_none_or(|text| {
            text.text != self.text.trim()
                || text.renew_after_days.to_string() != self.renew_days.trim()
        });
        let button = egui::Button::new(format!("Adopt as version {next}"));
        if ui
            .add_enabled(changed && !self.adopting.is_waiting(), button)
            .clicked()
        {
            self.adopt(journal, now);
        }
        self.status.show(ui);
    }

    fn adopt(&mut self, journal: &Journal, now: chrono::DateTime<chrono::Utc>) {
        let Ok(days) = self.renew_days.trim().parse::<u32>() else {
            self.status = Status::problem("Renew after takes a whole number of days.".to_owned());
            return;
        };
        if let Err(error) = check_consent_text(&self.text, days) {
            self.status = Status::problem(error);
            return;
        }
        self.adopting.send(
            journal,
            Write::AdoptConsentText {
                text: self.text.trim().to_owned(),
                renew_after_days: days,
                at: now,
            },
        );
    }
}
