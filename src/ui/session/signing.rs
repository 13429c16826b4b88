//! Signing a session and writing addenda in the session view. Signing asks once, inline (no modal):
//! afterwards the record never changes, and what needs adding or correcting is an addendum shown
//! after the original with who wrote it, when and why.

use super::super::status::Status;
use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::super::awaiting::Awaiting;
use super::super::{format, theme, widgets};
use crate::changes::{AddAddendum, SignSession};
use crate::domain::{Addendum, Clinician, SessionId, SessionStatus, SignatureError};
use crate::export::SessionRecord;
use crate::store::{Store, StoreError};
use crate::worker::Journal;

/// The signing and addendum controls of one session view.
#[derive(Default)]
pub struct SigningPanel {
    /// "Sign session" was pressed and the inline question is showing: who would sign, read from
    /// the journal once when the button was pressed (or why that failed).
    confirming: Option<Result<Clinician, StoreError>>,
    reason: String,
    text: String,
    /// The outcome of signing, shown in the header.
    sign_status: Status,
    /// The outcome of the last addendum, shown under the form.
    addendum_status: Status,
    /// The signature on its way to the journal.
    signing: Awaiting<crate::domain::Signature>,
    /// The addendum on its way to the journal.
    adding: Awaiting<()>,
}

impl SigningPanel {
    /// The signature line, or the button that signs. Returns true when the session was signed and
    /// the view must read it again.
    pub fn header_ui(
        &mut self,
        ui: &mut Ui,
        record: &SessionRecord,
        journal: &Journal,
        wall: DateTime<Utc>,
    ) -> bool {
        let mut signed = false;
        match self.signing.answer() {
            Some(Ok(_)) => signed = true,
            Some(Err(error)) => self.sign_status = Status::problem(error),
            None => {}
        }
        if let Some(signature) = &record.signature {
            ui.label(
                RichText::new(format!(
                    "Signed by {} on {}",
                    signature.clinician.signed_as(),
                    format::date_time(signature.signed_at)
                ))
                .color(theme::saved())
                .strong(),
            );
            if let Some(note) = signature.signed_under_note() {
                ui.label(RichText::new(note).weak());
            }
            if let Some(standing) = &record.signature_standing {
                // A key the journal does not know, or no key at all, is said plainly beside it.
                let text = RichText::new(standing.describe());
                ui.label(match standing {
                    crate::domain::SignatureStanding::ThisJournal { .. } => text.weak(),
                    _ => text.color(theme::warning()),
                });
            }
        } else if let Some(author) = &record.copied_from {
            ui.label(
                RichText::new(format!(
                    "Not signed yet by {}; the progress note arrives with the signature.",
                    author.name
                ))
                .color(theme::muted()),
            );
        } else if self.signing.is_waiting() {
            ui.label(RichText::new("Signing…").color(theme::muted()));
        } else if record.session.status == SessionStatus::Ended {
            ui.horizontal(|ui| {
                let Some(who) = &self.confirming else {
                    if ui
                        .button("Sign session")
                        .on_hover_text("Signing closes the record; corrections become addenda.")
                        .clicked()
                    {
                        self.confirming = Some(who_signs(journal.read()));
                        self.sign_status = Status::Quiet;
                    }
                    return;
                };
                match who {
                    Ok(clinician) => {
                        ui.label(format!(
                            "Sign as {}? The record will never change again; corrections become addenda.",
                            clinician.signed_as()
                        ));
                        if ui.button("Sign").clicked() {
                            let signing = SignSession {
                                session: record.session.id,
                                clinician: clinician.clone(),
                                at: wall,
                            };
                            self.signing.send(journal, signing);
                            self.confirming = None;
                            return;
                        }
                    }
                    Err(problem) => {
                        ui.colored_label(theme::warning(), problem.to_string());
                    }
                }
                if ui.button("Cancel").clicked() {
                    self.confirming = None;
                }
            });
        }
        self.sign_status.show(ui);
        signed
    }

    /// The addenda after the original, and (for a signed session) the form that adds one. Returns
    /// true when an addendum was added and the view must read the session again.
    pub fn addenda_ui(
        &mut self,
        ui: &mut Ui,
        record: &SessionRecord,
        journal: &Journal,
        wall: DateTime<Utc>,
    ) -> bool {
        if record.signature.is_none() {
            return false;
        }
        ui.add_space(2.0 * theme::GAP);
        ui.separator();
        ui.heading("Addenda");
        let kept = if record.addenda.is_empty() {
            "None yet. An addendum adds to or corrects the record; the record above stays exactly \
             as it was signed."
        } else {
            "Written after signing, oldest first. The record above stays exactly as it was signed."
        };
        ui.label(RichText::new(kept).color(theme::muted()));
        for (index, addendum) in record.addenda.iter().enumerate() {
            ui.add_space(theme::GAP);
            ui.label(
                RichText::new(format!(
                    "Addendum {} · {} · {}",
                    index + 1,
                    format::date_time(addendum.written_at),
                    addendum.author.signed_as()
                ))
                .strong(),
            );
            ui.label(RichText::new(format!("Reason: {}", addendum.reason)).color(theme::muted()));
            ui.label(&addendum.text);
        }
        if record.copied_from.is_some() {
            // Only its author adds to a colleague's session.
            return false;
        }
        ui.add_space(2.0 * theme::GAP);
        widgets::labelled_field(
            ui,
            "Reason for the addendum",
            &mut self.reason,
            "late entry, correction…",
            320.0,
        );
        widgets::labelled_multiline(ui, "Addendum", &mut self.text, "", 3);
        let added = self.take_addendum_answer();
        let button = egui::Button::new(if self.adding.is_waiting() {
            "Adding…"
        } else {
            "Add addendum"
        });
        if ui.add_enabled(!self.adding.is_waiting(), button).clicked() {
            self.add(record.session.id, journal, wall);
        }
        self.addendum_status.show(ui);
        added
    }

    /// Shows a problem met after signing or adding (reading the session again).
    pub fn report(&mut self, problem: String) {
        self.sign_status = Status::problem(problem);
    }

    /// Checks the addendum and sends it; what was typed stays until the journal has it.
    fn add(&mut self, session: SessionId, journal: &Journal, wall: DateTime<Utc>) {
        let checked = journal.read().clinician().and_then(|clinician| {
            let clinician = clinician.unwrap_or_default();
            Ok(Addendum::new(&clinician, wall, &self.reason, &self.text)?)
        });
        match checked {
            Ok(addendum) => self.adding.send(journal, AddAddendum { session, addendum }),
            Err(error) => self.addendum_status = Status::problem(error),
        }
    }

    /// True once the addendum sent has been added (the view reads the session again).
    fn take_addendum_answer(&mut self) -> bool {
        match self.adding.answer() {
            None => false,
            Some(Ok(())) => {
                self.reason.clear();
                self.text.clear();
                self.addendum_status = Status::done("Addendum added.");
                true
            }
            Some(Err(error)) => {
                // What was typed stays in the fields, to be sent again.
                self.addendum_status = Status::problem(error);
                false
            }
        }
    }
}

/// The clinician set in Settings, or the sentence saying why nobody can sign yet.
fn who_signs(store: &Store) -> Result<Clinician, StoreError> {
    store
        .clinician()?
        .ok_or(StoreError::Signature(SignatureError::NoClinician))
}
