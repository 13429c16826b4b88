//! The REMS monitoring forms still to submit, on the home screen: each ended esketamine session's
//! form with its 7-day due date (overdue ones in the warning colour), a way to its session (where
//! the form is exported) and "Mark submitted", confirmed inline (no dialog); the mark just made
//! can be withdrawn as made in error, which the log keeps as a later mark.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::view::Nav;
use super::super::{format, theme};
use crate::changes::{MarkRemsSubmitted, WithdrawRemsSubmission};
use crate::domain::SessionId;
use crate::store::{RemsDue, Store};
use crate::worker::Journal;

#[derive(Default)]
pub struct RemsDueList {
    due: Vec<RemsDue>,
    marking: Awaiting<()>,
    status: Status,
    /// The session whose "Mark submitted" was clicked, waiting for its confirmation.
    confirming: Option<SessionId>,
    /// The session just marked submitted: its mark may be withdrawn as made in error.
    marked: Option<SessionId>,
}

impl RemsDueList {
    /// Reads the list again as of `now`.
    pub fn refresh(&mut self, store: &Store, now: chrono::DateTime<chrono::Utc>) {
        match store.registers().rems_due(now) {
            Ok(due) => self.due = due,
            Err(error) => self.status = Status::problem(error),
        }
    }

    /// The list, when any form is due; returns the session to open.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Nav {
        if let Some(answer) = self.marking.answer() {
            match answer {
                Ok(()) => {}
                Err(error) => {
                    self.marked = None;
                    self.status = Status::problem(error);
                }
            }
            self.refresh(journal.read(), now);
        }
        let mut nav = Nav::Stay;
        self.just_marked(ui, journal, now);
        if self.due.is_empty() {
            self.status.show(ui);
            return nav;
        }
        let overdue = self.due.iter().filter(|due| due.overdue).count();
        let heading = format!(
            "REMS monitoring forms to submit: {}{}",
            self.due.len(),
            if overdue > 0 {
                format!(" ({overdue} overdue)")
            } else {
                String::new()
            }
        );
        let color = if overdue > 0 {
            theme::warning()
        } else {
            theme::muted()
        };
        egui::CollapsingHeader::new(RichText::new(heading).strong().color(color))
            .id_salt("rems_due")
            .default_open(overdue > 0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("rems_due_list")
                    .max_height(170.0)
                    .show(ui, |ui| self.rows(ui, journal, now, &mut nav));
            });
        self.status.show(ui);
        nav
    }

    fn rows(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        now: chrono::DateTime<chrono::Utc>,
        nav: &mut Nav,
    ) {
        for due in &self.due {
            ui.horizontal(|ui| {
                let text = format!(
                    "Session #{} · {} · treated {} · due {}{}",
                    due.session_id,
                    due.client_code,
                    format::date_time(due.treated_at),
                    format::date(due.due),
                    if due.overdue { " · OVERDUE" } else { "" }
                );
                let label = RichText::new(text);
                ui.label(if due.overdue {
                    label.color(theme::warning())
                } else {
                    label
                });
                if ui.button("Open session").clicked() {
                    *nav = Nav::OpenSession(due.session_id, None);
                }
                let waiting = self.marking.is_waiting();
                if self.confirming == Some(due.session_id) {
                    ui.label(RichText::new("Submitted to the REMS?").strong());
                    if ui
                        .add_enabled(!waiting, egui::Button::new("Yes, mark submitted"))
                        .clicked()
                    {
                        self.confirming = None;
                        self.marked = Some(due.session_id);
                        self.status = Status::Quiet;
                        self.marking.send(
                            journal,
                            MarkRemsSubmitted {
                                session: due.session_id,
                                at: now,
                            },
                        );
                    }
                    if ui.button("Not yet").clicked() {
                        self.confirming = None;
                    }
                } else if ui
                    .add_enabled(!waiting, egui::Button::new("Mark submitted"))
                    .clicked()
                {
                    self.confirming = Some(due.session_id);
                }
            });
        }
    }

    /// The mark just made, with the way to take it back when it was made in error.
    fn just_marked(&mut self, ui: &mut Ui, journal: &Journal, now: chrono::DateTime<chrono::Utc>) {
        let Some(session) = self.marked else {
            return;
        };
        if self.marking.is_waiting() {
            return;
        }
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("Session #{session}: REMS form marked submitted."))
                    .color(theme::saved()),
            );
            if ui.button("Marked in error: withdraw").clicked() {
                self.marked = None;
                self.status = Status::done("The mark is withdrawn; the form is due again.");
                self.marking.send(
                    journal,
                    WithdrawRemsSubmission {
                        session,
                        at: now,
                        reason: "marked in error from the list of forms to submit".to_owned(),
                    },
                );
            }
        });
    }
}
