//! The composer at the bottom of the live view: one text field that keeps focus, and the few extra
//! fields of whichever entry is being made. Nothing here is a modal dialog; Escape returns to the note.

use egui::{Key, Modifiers, RichText, TextEdit, Ui};

use super::super::{theme, widgets};
use super::clinical_forms::{adverse_fields, discharge_fields, measure_fields, vitals_fields};
use crate::domain::{
    AdverseCategory, AdverseSeverity, Asked, CameUp, CurrentDose, DEFAULT_EXTENSION_MINUTES,
    DEFAULT_SIT_WITH_IT_MINUTES, DeferralOutcome, Discharge, Instrument, Seq, TreatmentModel,
};
use crate::live::{LiveCommand, LiveSession};

/// What the decision form offers; the minutes and new dose live in their own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionChoice {
    LowerNow,
    Hold,
    SitWithIt,
    Stop,
}

/// What the dose-change form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseAction {
    /// A new dose; while an infusion runs, a new rate.
    NewDose,
    /// The running infusion's planned end moves later.
    Extend,
    Stop,
}

/// The entry being made.
#[derive(Clone)]
pub enum Mode {
    Note,
    Decision {
        came_up: CameUp,
        asked: Asked,
        choice: DecisionChoice,
        minutes: String,
        new_dose: String,
        rationale: String,
    },
    DoseChange {
        action: DoseAction,
        new_dose: String,
        extend_minutes: String,
    },
    Outcome {
        deferral: Seq,
        outcome: DeferralOutcome,
        new_dose: String,
    },
    /// Vitals and/or a sedation rating; the main field is the remark.
    Vitals {
        blood_pressure: String,
        heart_rate: String,
        spo2: String,
        sedation: String,
    },
    /// A questionnaire; answers typed one digit per item.
    Measure {
        instrument: Instrument,
        answers: String,
    },
    /// An adverse event; the main field says what happened.
    Adverse {
        category: AdverseCategory,
        severity: AdverseSeverity,
        action: String,
    },
    /// Ending the session; the main field is the closing note.
    End {
        criteria_met: bool,
        ride_home: bool,
        follow_up: String,
    },
}

/// What submitting the composer asks for.
pub enum Intent {
    Log(LiveCommand),
    End(String, Discharge),
}

/// The composer's state. `text` is the main field, saved as the draft.
pub struct Composer {
    pub text: String,
    pub mode: Mode,
    focus_main: bool,
    /// Set when a form opens whose first field is where typing starts (the vitals).
    focus_first_field: bool,
    /// The current dose or rate, shown as the hint of an empty "New dose" field. A plain dose
    /// change starts empty, so a new dose is typed on purpose; lowering starts with the clinic's
    /// proposed lower rate, so Enter records it.
    dose_hint: String,
    /// While ending: how long the client has been monitored, and whether that is too short.
    pub monitoring: Option<(String, bool)>,
}

impl Composer {
    pub fn new(text: String) -> Self {
        Self {
            text,
            mode: Mode::Note,
            focus_main: true,
            focus_first_field: false,
            dose_hint: String::new(),
            monitoring: None,
        }
    }

    /// Switches to another entry, keeping what is typed, and gives the main field the focus back.
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        self.focus_main = true;
    }

    /// Opens the decision form with `choice` preselected; a new dose starts as the current one.
    pub fn open_decision(&mut self, choice: DecisionChoice, live: &LiveSession) {
        self.set_mode(Mode::Decision {
            came_up: CameUp::Emotion,
            asked: Asked::ClientAsksToLower,
            choice,
            minutes: DEFAULT_SIT_WITH_IT_MINUTES.to_string(),
            new_dose: proposed_lower_text(live),
            rationale: String::new(),
        });
        self.dose_hint = current_dose_text(live);
    }

    /// Opens the dose-change form with typing in its first field, the new dose.
    pub fn open_dose_change(&mut self, live: &LiveSession) {
        self.set_mode(Mode::DoseChange {
            action: DoseAction::NewDose,
            new_dose: String::new(),
            extend_minutes: DEFAULT_EXTENSION_MINUTES.to_string(),
        });
        self.dose_hint = current_dose_text(live);
        self.focus_main = false;
        self.focus_first_field = true;
    }

    pub fn open_outcome(&mut self, deferral: Seq, outcome: DeferralOutcome, live: &LiveSession) {
        self.set_mode(Mode::Outcome {
            deferral,
            outcome,
            new_dose: proposed_lower_text(live),
        });
        self.dose_hint = current_dose_text(live);
    }

    /// Opens the vitals form with empty fields.
    pub fn open_vitals(&mut self) {
        self.set_mode(Mode::Vitals {
            blood_pressure: String::new(),
            heart_rate: String::new(),
            spo2: String::new(),
            sedation: String::new(),
        });
        self.focus_main = false;
        self.focus_first_field = true;
    }

    /// Opens the questionnaire form; in a session CADSS-6 is the usual one.
    pub fn open_measure(&mut self) {
        self.set_mode(Mode::Measure {
            instrument: Instrument::Cadss6,
            answers: String::new(),
        });
        self.focus_main = false;
        self.focus_first_field = true;
    }

    /// Opens the end form with the after-session record unticked: each item is confirmed on purpose.
    pub fn open_end(&mut self) {
        self.set_mode(Mode::End {
            criteria_met: false,
            ride_home: false,
            follow_up: String::new(),
        });
    }

    pub fn open_adverse(&mut self) {
        self.set_mode(Mode::Adverse {
            category: AdverseCategory::NauseaVomiting,
            severity: AdverseSeverity::Mild,
            action: String::new(),
        });
    }

    /// Gives the main field the focus on the next frame, e.g. after a button was clicked.
    pub fn refocus(&mut self) {
        self.focus_main = true;
    }

    /// After a committed entry: empty field, plain note, focus back.
    pub fn reset(&mut self) {
        self.text.clear();
        self.set_mode(Mode::Note);
    }

    /// Shows the composer; returns true when the clinician submitted it (Enter or the button).
    pub fn ui(&mut self, ui: &mut Ui, model: TreatmentModel) -> bool {
        let main_id = ui.scope_id().with("composer_main");
        // Enter submits; Shift+Enter makes a new line. Taken before the field sees it.
        let has_focus = ui.memory(|memory| memory.has_focus(main_id));
        let mut submit =
            has_focus && ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Enter));
        submit |= self.mode_fields(ui, model);
        let (label, button) = self.labels();
        ui.horizontal(|ui| {
            let label = ui.label(RichText::new(label).strong());
            let width = ui.available_width() - 160.0;
            let field = ui.add(
                TextEdit::multiline(&mut self.text)
                    .id(main_id)
                    .desired_rows(2)
                    .desired_width(width.max(200.0))
                    .hint_text("Enter saves · Shift+Enter new line · Esc back to note"),
            );
            let field = field.labelled_by(label.id);
            if self.focus_main {
                field.request_focus();
                self.focus_main = false;
            }
            if ui
                .add(egui::Button::new(RichText::new(button).strong()).shortcut_text("Enter"))
                .clicked()
            {
                submit = true;
            }
        });
        submit
    }

    fn labels(&self) -> (&'static str, &'static str) {
        match self.mode {
            Mode::Note => ("Note", "Save note"),
            Mode::Decision { .. } => ("What came up", "Record decision"),
            Mode::DoseChange { .. } => ("Reason", "Record dose change"),
            Mode::Outcome { .. } => ("Outcome note", "Record outcome"),
            Mode::Vitals { .. } => ("Remark", "Record vitals"),
            Mode::Measure { .. } => ("Measure note", "Record measure"),
            Mode::Adverse { .. } => ("What happened", "Record adverse event"),
            Mode::End { .. } => ("Closing note", "End session now"),
        }
    }

    /// Shows the extra fields of the current entry; returns true when Enter was pressed in one of them.
    #[expect(
        clippy::too_many_lines,
        reason = "one short arm per entry form, side by side so they stay alike"
    )]
    fn mode_fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> bool {
        let mut fields = Vec::new();
        let dose_hint = format!("now {}", self.dose_hint);
        match &mut self.mode {
            Mode::Note => {}
            Mode::Decision {
                came_up,
                asked,
                choice,
                minutes,
                new_dose,
                rationale,
            } => {
                ui.label(
                    RichText::new("Decision point")
                        .strong()
                        .color(theme::model_color(model)),
                );
                let came_up_options: Vec<_> = CameUp::ALL.iter().map(|c| (*c, c.label())).collect();
                widgets::chips(ui, "Came up", came_up, &came_up_options);
                let asked_options: Vec<_> = Asked::ALL.iter().map(|a| (*a, a.label())).collect();
                widgets::chips(ui, "Asked", asked, &asked_options);
                let lower = (DecisionChoice::LowerNow, "Lower now");
                let sit = (DecisionChoice::SitWithIt, "Sit with it");
                let (first, second) = if model == TreatmentModel::Medical {
                    (lower, sit)
                } else {
                    (sit, lower)
                };
                widgets::chips(
                    ui,
                    "Decision",
                    choice,
                    &[
                        first,
                        second,
                        (DecisionChoice::Hold, "Hold"),
                        (DecisionChoice::Stop, "Stop"),
                    ],
                );
                ui.horizontal(|ui| {
                    match choice {
                        DecisionChoice::SitWithIt => {
                            fields.push(widgets::labelled_field(ui, "Minutes", minutes, "5", 50.0));
                        }
                        DecisionChoice::LowerNow => {
                            fields.push(widgets::labelled_field(
                                ui, "New dose", new_dose, &dose_hint, 240.0,
                            ));
                        }
                        DecisionChoice::Hold | DecisionChoice::Stop => {}
                    }
                    fields.push(widgets::labelled_field(
                        ui,
                        "Rationale",
                        rationale,
                        "why this decision",
                        360.0,
                    ));
                });
            }
            Mode::DoseChange {
                action,
                new_dose,
                extend_minutes,
            } => {
                ui.label(RichText::new(format!("Dose change · {dose_hint}")).strong());
                widgets::chips(
                    ui,
                    "Change",
                    action,
                    &[
                        (DoseAction::NewDose, "New dose or rate"),
                        (DoseAction::Extend, "Extend infusion"),
                        (DoseAction::Stop, "Stop dosing"),
                    ],
                );
                ui.horizontal(|ui| match action {
                    DoseAction::NewDose => fields.push(widgets::labelled_field(
                        ui,
                        "New dose",
                        new_dose,
                        "0.35 mg/kg over 40 min, 0.5 mg/kg/h or 35 mg/h",
                        300.0,
                    )),
                    DoseAction::Extend => fields.push(widgets::labelled_field(
                        ui,
                        "Extend by (min)",
                        extend_minutes,
                        "10",
                        50.0,
                    )),
                    DoseAction::Stop => {}
                });
            }
            Mode::Outcome {
                deferral,
                outcome,
                new_dose,
            } => {
                ui.label(RichText::new(format!("How did sit with it {deferral} end?")).strong());
                let options: Vec<_> = DeferralOutcome::ALL
                    .iter()
                    .map(|o| (*o, o.label()))
                    .collect();
                widgets::chips(ui, "Outcome", outcome, &options);
                if *outcome == DeferralOutcome::DoseLowered {
                    fields.push(widgets::labelled_field(
                        ui, "New dose", new_dose, &dose_hint, 240.0,
                    ));
                }
            }
            Mode::Vitals {
                blood_pressure,
                heart_rate,
                spo2,
                sedation,
            } => fields.extend(vitals_fields(
                ui,
                blood_pressure,
                heart_rate,
                spo2,
                sedation,
            )),
            Mode::Measure {
                instrument,
                answers,
            } => fields.push(measure_fields(ui, instrument, answers)),
            Mode::Adverse {
                category,
                severity,
                action,
            } => fields.push(adverse_fields(ui, category, severity, action)),
            Mode::End {
                criteria_met,
                ride_home,
                follow_up,
            } => fields.push(discharge_fields(
                ui,
                criteria_met,
                ride_home,
                follow_up,
                self.monitoring.as_ref(),
            )),
        }
        if std::mem::take(&mut self.focus_first_field)
            && let Some(first) = fields.first()
        {
            first.request_focus();
        }
        let enter = ui.input(|input| input.key_pressed(Key::Enter));
        enter && fields.iter().any(egui::Response::lost_focus)
    }
}

/// The dose or rate running now, as the hint of a "New dose" field.
fn current_dose_text(live: &LiveSession) -> String {
    let weight = live.weight_kg();
    match live.current_dose() {
        CurrentDose::Infusing { rate, .. } => rate.describe(weight),
        CurrentDose::Given(dose) => dose.describe(weight),
        CurrentDose::NotStarted => live.session().planned_dose.describe(weight),
        CurrentDose::InfusionComplete { .. } => "infusion complete".to_owned(),
        CurrentDose::Stopped => "stopped".to_owned(),
    }
}

/// The lower dose the clinic proposes now, typed into "New dose" so Enter records it.
fn proposed_lower_text(live: &LiveSession) -> String {
    live.proposed_lower()
        .map(|dose| dose.to_string())
        .unwrap_or_default()
}
