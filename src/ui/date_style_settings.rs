//! Dates and times in Settings: the order dates are written in (ISO, or US as the REMS form asks)
//! and the clock (as this computer says, 24-hour or 12-hour). A choice is saved as it is made and
//! every list, summary and form follows it from then on.

use super::status::Status;
use egui::{RichText, Ui};

use super::awaiting::Awaiting;
use super::theme;
use crate::domain::{ClockChoice, DateOrder, DateTimeSettings};
use crate::store::Store;
use crate::worker::{Journal, Write};

/// The choice as the journal holds it, and one on its way there.
pub struct DateStyleSettings {
    saved: DateTimeSettings,
    sending: Option<DateTimeSettings>,
    status: Status,
    saving: Awaiting,
}

impl DateStyleSettings {
    pub fn load(store: &Store) -> Self {
        let (saved, status) = match store.date_time_settings() {
            Ok(settings) => (settings, Status::Quiet),
            Err(error) => (DateTimeSettings::default(), Status::problem(error)),
        };
        Self {
            saved,
            sending: None,
            status,
            saving: Awaiting::default(),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.heading("Dates and times");
        ui.label(
            RichText::new(
                "How lists, summaries and forms write dates and times of day. Exports for other \
                 systems (JSON, CSV, FHIR) always use ISO 8601.",
            )
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        match self.saving.answer() {
            Some(Ok(_)) => {
                if let Some(sent) = self.sending.take() {
                    self.saved = sent;
                    crate::format::write_dates_as(crate::system_clock::style(sent));
                }
                self.status = Status::done("Dates and times saved.");
            }
            Some(Err(error)) => {
                self.sending = None;
                self.status = Status::problem(error);
            }
            None => {}
        }
        let mut choice = self.sending.unwrap_or(self.saved);
        let example = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|day| day.and_hms_opt(14, 5, 0))
            .unwrap_or_default();
        let system_twelve = crate::system_clock::twelve_hour();
        let waiting = self.saving.is_waiting();
        ui.add_enabled_ui(!waiting, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label("Dates");
                for (order, label) in [
                    (DateOrder::Iso, "ISO, 2026-12-07"),
                    (DateOrder::Us, "US, 12/07/2026"),
                ] {
                    ui.radio_value(&mut choice.dates, order, label);
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("Clock");
                let system = format!(
                    "As this computer says ({})",
                    if system_twelve { "12-hour" } else { "24-hour" }
                );
                ui.radio_value(&mut choice.clock, ClockChoice::System, system);
                ui.radio_value(&mut choice.clock, ClockChoice::TwentyFour, "24-hour, 14:05");
                ui.radio_value(&mut choice.clock, ClockChoice::Twelve, "12-hour, 2:05 PM");
            });
        });
        ui.label(
            RichText::new(format!(
                "Reads: {}",
                choice.style(system_twelve).date_time(example)
            ))
            .color(theme::muted()),
        );
        if choice != self.sending.unwrap_or(self.saved) {
            self.sending = Some(choice);
            self.saving
                .send(journal, Write::SaveDateTimeSettings(choice));
        }
        self.status.show(ui);
    }
}
