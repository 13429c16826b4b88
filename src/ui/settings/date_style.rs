//! Dates and times in Settings: the order dates are written in (ISO, or US as the REMS form asks)
//! and the clock (as this computer says, 24-hour or 12-hour). A choice is saved as it is made and
//! every list, summary and form follows it from then on.

use egui::{RichText, Ui};

use super::super::saved_form::SavedForm;
use super::super::theme;
use crate::changes::SaveDateTimeSettings;
use crate::domain::{ClockChoice, DateOrder, DateTimeSettings};
use crate::store::Store;
use crate::worker::Journal;

/// The choice as the journal holds it, and one on its way there.
pub struct DateStyleSettings {
    form: SavedForm<DateTimeSettings>,
}

impl DateStyleSettings {
    pub fn load(store: &Store) -> Self {
        Self {
            form: SavedForm::loaded(store.date_time_settings()),
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
        let waiting = self.form.is_waiting();
        match self.form.answer("Dates and times saved.", |()| None) {
            Some(saved) => crate::format::write_dates_as(crate::system_clock::style(saved)),
            // A refused choice goes back to what the journal holds, so it is not sent again.
            None if waiting && !self.form.is_waiting() => self.form.revert(),
            None => {}
        }
        let system_twelve = crate::system_clock::twelve_hour();
        let enabled = !self.form.is_waiting();
        let choice = &mut self.form.editing;
        ui.add_enabled_ui(enabled, |ui| {
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
        let reads = self.form.editing.style(system_twelve).sample();
        ui.label(RichText::new(format!("Reads: {reads}")).color(theme::muted()));
        if self.form.can_save() {
            let choice = self.form.editing;
            self.form
                .send(journal, choice, SaveDateTimeSettings(choice));
        }
        self.form.status.show(ui);
    }
}
