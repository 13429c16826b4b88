//! The integration check-ins due, on the home screen: each with its client, session and due day
//! (overdue ones in the warning colour), and a short form to record what it found: the EBI the day
//! after, the PHQ-9 a week on, a note.

use super::super::status::Status;
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::view::Nav;
use super::super::{theme, widgets};
use crate::changes::RecordCheckIn;
use crate::domain::{CheckIn, CheckInKind, Ebi, FollowUpId, Instrument, Measure, SessionError};
use crate::store::{FollowUpDue, Store, StoreError};
use crate::worker::Journal;

#[derive(Default)]
pub struct FollowUpsDueList {
    due: Vec<FollowUpDue>,
    /// The check-in whose form is open, and what is typed in it.
    open: Option<(FollowUpId, CheckInForm)>,
    recording: Awaiting<()>,
    status: Status,
}

#[derive(Default)]
struct CheckInForm {
    ebi: String,
    phq9: String,
    note: String,
}

impl CheckInForm {
    fn check_in(&self, at: chrono::DateTime<chrono::Utc>) -> Result<CheckIn, StoreError> {
        let ebi = Some(self.ebi.trim())
            .filter(|text| !text.is_empty())
            .map(Ebi::parse)
            .transpose()?;
        let phq9 = Some(self.phq9.trim())
            .filter(|text| !text.is_empty())
            .map(|text| Measure::parse(Instrument::Phq9, text).map_err(SessionError::from))
            .transpose()?;
        Ok(CheckIn {
            at,
            ebi,
            phq9,
            note: self.note.clone(),
        }
        .checked()?)
    }
}

impl FollowUpsDueList {
    /// Reads the list again as of `now`.
    pub fn refresh(&mut self, store: &Store, now: chrono::DateTime<chrono::Utc>) {
        match store.registers().follow_ups_due(now) {
            Ok(due) => self.due = due,
            Err(error) => self.status = Status::problem(error),
        }
    }

    /// The list, when any check-in is due; returns the session to open.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        journal: &Journal,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Nav {
        if let Some(answer) = self.recording.answer() {
            match answer {
                Ok(()) => {
                    self.status = Status::done("Check-in recorded.");
                    self.open = None;
                }
                Err(error) => self.status = Status::problem(error),
            }
            self.refresh(journal.read(), now);
        }
        let mut nav = Nav::Stay;
        if self.due.is_empty() {
            self.status.show(ui);
            return nav;
        }
        let overdue = self.due.iter().filter(|due| due.overdue).count();
        let heading = format!(
            "Integration check-ins due: {}{}",
            self.due.len(),
            if overdue > 0 {
                format!(" ({overdue} overdue)")
            } else {
                String::new()
            }
        );
        egui::CollapsingHeader::new(RichText::new(heading).strong().color(theme::muted()))
            .id_salt("follow_ups_due")
            .default_open(false)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("follow_ups_due_list")
                    .max_height(220.0)
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
            let follow_up = &due.follow_up;
            ui.horizontal(|ui| {
                let text = RichText::new(format!(
                    "{} · {} · session #{} · due {}{}",
                    due.client_code,
                    follow_up.kind.label(),
                    follow_up.session_id,
                    crate::format::date(follow_up.due),
                    if due.overdue { " · OVERDUE" } else { "" }
                ));
                ui.label(if due.overdue {
                    text.color(theme::warning())
                } else {
                    text
                });
                if ui.small_button("Open session").clicked() {
                    *nav = Nav::OpenSession(follow_up.session_id, None);
                }
                let open = self
                    .open
                    .as_ref()
                    .is_some_and(|(id, _)| *id == follow_up.id);
                if !open && ui.small_button("Record check-in").clicked() {
                    self.open = Some((follow_up.id, CheckInForm::default()));
                }
            });
            if let Some((id, form)) = &mut self.open
                && *id == follow_up.id
            {
                let send = check_in_fields(ui, follow_up.kind, form);
                if send && !self.recording.is_waiting() {
                    match form.check_in(now) {
                        Ok(check_in) => self.recording.send(
                            journal,
                            RecordCheckIn {
                                id: follow_up.id,
                                check_in,
                            },
                        ),
                        Err(error) => self.status = Status::problem(error),
                    }
                }
            }
        }
    }
}

/// The form's fields; true when "Save check-in" was clicked.
fn check_in_fields(ui: &mut Ui, kind: CheckInKind, form: &mut CheckInForm) -> bool {
    let mut send = false;
    ui.indent(("check_in", kind.as_str()), |ui| {
        ui.horizontal(|ui| {
            widgets::labelled_field(ui, "EBI ratings", &mut form.ebi, "6 ratings 0–100", 180.0)
                .on_hover_text(crate::domain::EBI_ITEMS.iter().enumerate().fold(
                    "Emotional Breakthrough Inventory, each 0–100:".to_owned(),
                    |text, (index, item)| format!("{text}\n{}. {item}", index + 1),
                ));
            widgets::labelled_field(ui, "PHQ-9 answers", &mut form.phq9, "9 digits 0–3", 140.0);
            widgets::labelled_field(ui, "Check-in note", &mut form.note, "how it landed", 260.0);
        });
        send = ui.button("Save check-in").clicked();
    });
    send
}
