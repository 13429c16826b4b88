//! The client's accounting of disclosures, on their history page: who received what of the
//! client's record, when, and in which form (the same list as `kap-journal disclosures CODE`).
//! Folded until opened; read when the page opens and again when the clinician asks.

use egui::{RichText, Ui};

use super::super::theme;
use crate::domain::{ClientId, Disclosure};
use crate::store::{Disclosures, Store};

pub struct ClientDisclosures {
    client: ClientId,
    list: Result<Disclosures, String>,
}

impl ClientDisclosures {
    pub fn load(store: &Store, client: ClientId) -> Self {
        Self {
            client,
            list: store
                .registers()
                .disclosures(Some(client))
                .map_err(|error| error.to_string()),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, store: &Store) {
        let title = match &self.list {
            Ok(list) => format!("Disclosures ({})", list.items.len()),
            Err(_) => "Disclosures".to_owned(),
        };
        egui::CollapsingHeader::new(title)
            .id_salt(("client_disclosures", self.client.0))
            .show(ui, |ui| {
                ui.label(
                    RichText::new(
                        "Every export, print, backup and push of this client's record, and every colleague's fetch of it from the practice.",
                    )
                    .color(theme::muted()),
                );
                if ui.button("Read again").clicked() {
                    *self = Self::load(store, self.client);
                }
                match &self.list {
                    Err(problem) => {
                        ui.colored_label(theme::warning(), problem);
                    }
                    Ok(list) => show(ui, list, self.client),
                }
            });
    }
}

fn show(ui: &mut Ui, list: &Disclosures, client: ClientId) {
    if list.items.is_empty() {
        ui.label("Nothing of this client's record has been disclosed.");
    } else {
        egui::Grid::new(("disclosure_rows", client.0))
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for heading in ["When", "What", "Form", "Covered", "To"] {
                    ui.strong(heading);
                }
                ui.end_row();
                // Newest first: the one just made is the one looked for.
                for disclosure in list.items.iter().rev() {
                    row(ui, disclosure);
                }
            });
    }
    if let Some(sentence) = list.unreadable_sentence() {
        ui.colored_label(theme::warning(), sentence);
    }
}

fn row(ui: &mut Ui, disclosure: &Disclosure) {
    ui.label(crate::format::date_time(disclosure.at));
    ui.label(disclosure.kind.label());
    ui.label(&disclosure.form);
    ui.label(disclosure.covered());
    let to = ui.label(&disclosure.recipient);
    if disclosure.pending {
        to.on_hover_text(
            "Recorded by a command beside the window; taken into the journal when it next opens.",
        );
    }
    ui.end_row();
}
