//! Clients whose consent needs attention before their next session, on the home screen: missing,
//! withdrawn, given to an older text, expired, or due for renewal within two weeks.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::theme;
use super::super::view::Nav;
use crate::domain::ConsentStanding;
use crate::store::{ConsentDue, Store};

#[derive(Default)]
pub struct ConsentsDueList {
    due: Vec<ConsentDue>,
    problem: Status,
}

impl ConsentsDueList {
    /// Reads the list again as of `now`.
    pub fn refresh(&mut self, store: &Store, now: chrono::DateTime<chrono::Utc>) {
        match store.registers().consents_due(now) {
            Ok(due) => {
                self.due = due;
                self.problem = Status::Quiet;
            }
            Err(error) => self.problem = Status::problem(error),
        }
    }

    /// The list, when any consent needs attention; returns the client to open.
    pub fn ui(&self, ui: &mut Ui) -> Nav {
        let mut nav = Nav::Stay;
        self.problem.show(ui);
        if self.due.is_empty() {
            return nav;
        }
        let blocking = self
            .due
            .iter()
            .filter(|due| !due.standing.allows_a_session())
            .count();
        let heading = format!(
            "Consents to renew: {}{}",
            self.due.len(),
            if blocking > 0 {
                format!(" ({blocking} must be renewed before the next session)")
            } else {
                String::new()
            }
        );
        let color = if blocking > 0 {
            theme::warning()
        } else {
            theme::muted()
        };
        egui::CollapsingHeader::new(RichText::new(heading).strong().color(color))
            .id_salt("consents_due")
            .default_open(false)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("consents_due_list")
                    .max_height(150.0)
                    .show(ui, |ui| {
                        for due in &self.due {
                            ui.horizontal(|ui| {
                                ui.strong(&due.client_code);
                                let color =
                                    if matches!(due.standing, ConsentStanding::Current { .. }) {
                                        theme::muted()
                                    } else {
                                        theme::warning()
                                    };
                                ui.label(
                                    RichText::new(
                                        due.standing.describe(crate::format::clinic_days()),
                                    )
                                    .color(color),
                                );
                                if ui.small_button("Client history").clicked() {
                                    nav = Nav::ClientHistory(due.client_id);
                                }
                            });
                        }
                    });
            });
        nav
    }
}
