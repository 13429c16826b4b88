//! Changing the journal's passphrase from the settings screen. The data key is rewrapped, so nothing
//! is re-encrypted and it takes a moment whatever the journal's size.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::theme;
use crate::changes::ChangePassphrase;
use crate::store::{MIN_PASSPHRASE_CHARS, Passphrase};
use crate::ui::unlock::{forget_typing, passphrase_field};
use crate::worker::Journal;

/// The three fields and the outcome of the last try.
#[derive(Default)]
pub struct PassphraseChange {
    current: String,
    new: String,
    again: String,
    status: Status,
    /// The change on its way: the worker derives the new key (Argon2id, a quarter of a second),
    /// not the frame.
    changing: Awaiting<()>,
}

impl PassphraseChange {
    pub fn ui(&mut self, ui: &mut Ui, journal: &Journal) {
        ui.heading("Passphrase");
        ui.label(
            RichText::new(format!(
                "Changing it takes effect at once and re-encrypts nothing: the journal's key is \
                 rewrapped. Backups made before it keep the passphrase they were made under. At \
                 least {MIN_PASSPHRASE_CHARS} characters."
            ))
            .color(theme::muted()),
        );
        ui.add_space(theme::GAP);
        let fields = [
            passphrase_field(ui, "Current passphrase", &mut self.current).id,
            passphrase_field(ui, "New passphrase", &mut self.new).id,
            passphrase_field(ui, "New passphrase again", &mut self.again).id,
        ];
        ui.add_space(theme::GAP);
        match self.changing.answer() {
            Some(Ok(())) => self.status = Status::done("Passphrase changed."),
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
        if self.changing.is_waiting() {
            self.status = Status::done("Changing the passphrase…");
        }
        let filled =
            !self.current.is_empty() && !self.new.is_empty() && !self.changing.is_waiting();
        if ui
            .add_enabled(filled, egui::Button::new("Change passphrase"))
            .clicked()
        {
            self.change(ui.ctx(), journal, &fields);
        }
        self.status.show(ui);
    }

    fn change(&mut self, ctx: &egui::Context, journal: &Journal, fields: &[egui::Id]) {
        // The typed text moves into passphrases, which wipe it when dropped.
        let current = Passphrase::new(std::mem::take(&mut self.current));
        let new = Passphrase::new(std::mem::take(&mut self.new));
        let again = Passphrase::new(std::mem::take(&mut self.again));
        forget_typing(ctx, fields);
        if new.as_bytes() == again.as_bytes() {
            self.changing
                .send(journal, ChangePassphrase { current, new });
        } else {
            self.status =
                Status::problem("The two new passphrases differ; nothing was changed.".to_owned());
        }
    }
}
