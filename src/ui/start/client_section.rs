//! The start form's client section: a returning client chosen from the list, or a new one typed in.

use egui::{RichText, Ui};

use super::super::{theme, widgets};
use super::{MATCHES_SHOWN, StartView};
use crate::domain::{Client, ClientId};

impl StartView {
    /// Who the session is for: a returning client chosen from the list (with their last recorded
    /// weight), or a new one typed in, with the look-alike codes already held said as it is typed.
    pub(super) fn client_section(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Client");
            let selected = self
                .chosen_client()
                .map_or_else(|| "New client".to_owned(), Client::title);
            egui::ComboBox::from_id_salt("client")
                .selected_text(selected)
                .width(260.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.chosen, None, "New client");
                    for client in &self.clients {
                        ui.selectable_value(&mut self.chosen, Some(client.id), client.title());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if self.chosen.is_none() {
            ui.horizontal(|ui| {
                let code =
                    widgets::labelled_field(ui, "Client code", &mut self.code, "C-0142", 120.0);
                if std::mem::take(&mut self.opening.focus_code) {
                    code.request_focus();
                }
                widgets::labelled_field(
                    ui,
                    "Display name (optional)",
                    &mut self.display_name,
                    "",
                    180.0,
                );
            });
            self.returning_matches(ui);
        } else if let Some(client) = self.chosen_client() {
            // In the unit the last checklist was typed in.
            let unit = self
                .last
                .checklist
                .as_ref()
                .map(|checklist| checklist.weighed_in)
                .unwrap_or_default();
            let weight = client.weight_kg.map_or_else(
                || "no weight recorded".to_owned(),
                |kg| format!("last recorded weight {}", unit.describe(kg)),
            );
            ui.label(RichText::new(weight).color(theme::muted()));
        }
    }

    /// The returning clients whose code or name holds what is typed in the client code, to choose
    /// with a click (or Tab and Space): typing finds a client without opening the list.
    fn returning_matches(&mut self, ui: &mut Ui) {
        let typed = self.code.trim().to_lowercase();
        if typed.is_empty() {
            return;
        }
        let matches: Vec<(ClientId, String)> = self
            .clients
            .iter()
            .filter(|client| {
                client.code.to_lowercase().contains(&typed)
                    || client
                        .display_name
                        .as_deref()
                        .is_some_and(|name| name.to_lowercase().contains(&typed))
            })
            .take(MATCHES_SHOWN)
            .map(|client| (client.id, client.title()))
            .collect();
        if matches.is_empty() {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Returning client:").color(theme::muted()));
            for (id, title) in matches {
                if ui.button(title).clicked() {
                    self.chosen = Some(id);
                    self.code.clear();
                }
            }
        });
    }
}
