//! The composer at the bottom of the live view: one text field that keeps focus, and the few extra
//! fields of whichever entry is being made (forms/). Nothing here is a modal dialog; Escape returns
//! to the note.

use egui::{Key, Modifiers, RichText, TextEdit, Ui};

use super::forms::{Form, Intent};
use crate::domain::{SessionError, TreatmentModel};

/// The composer's state. `text` is the main field, saved as the draft.
pub struct Composer {
    pub text: String,
    pub form: Form,
    focus_main: bool,
    /// Set when a form opens whose first field is where typing starts (the vitals).
    focus_first_field: bool,
}

impl Composer {
    pub fn new(text: String) -> Self {
        Self {
            text,
            form: Form::note(),
            focus_main: true,
            focus_first_field: false,
        }
    }

    /// Switches to another entry, keeping what is typed; typing goes on in the main field, or in the
    /// form's first field when that is where the form starts.
    pub fn open(&mut self, form: impl Into<Form>) {
        let form = form.into();
        self.focus_first_field = form.starts_in_first_field();
        self.focus_main = !self.focus_first_field;
        self.form = form;
    }

    /// Gives the main field the focus on the next frame, e.g. after a button was clicked.
    pub fn refocus(&mut self) {
        self.focus_main = true;
    }

    /// After a committed entry: empty field, plain note, focus back.
    pub fn reset(&mut self) {
        self.text.clear();
        self.open(Form::note());
    }

    /// The entry the composer describes, or the plain sentence saying what is missing.
    pub fn intent(&self) -> Result<Intent, SessionError> {
        self.form.intent(self.text.clone())
    }

    /// Shows the composer; returns true when the clinician submitted it (Enter or the button).
    pub fn ui(&mut self, ui: &mut Ui, model: TreatmentModel) -> bool {
        let main_id = ui.scope_id().with("composer_main");
        // Enter submits; Shift+Enter makes a new line. Taken before the field sees it.
        let has_focus = ui.memory(|memory| memory.has_focus(main_id));
        let mut submit =
            has_focus && ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Enter));
        // A tall form (the safety plan) scrolls within a quarter of the window, so the timeline
        // above it keeps its rows on a small screen.
        let most = (ui.ctx().content_rect().height() / 4.0).max(110.0);
        submit |= egui::ScrollArea::vertical()
            .id_salt("composer_form")
            .max_height(most)
            .auto_shrink([false, true])
            .show(ui, |ui| self.form_fields(ui, model))
            .inner;
        let (label, button) = self.form.labels();
        ui.horizontal(|ui| {
            let label = ui.label(RichText::new(label).strong());
            // The button is laid out first, from the right, so the field takes what is left and
            // the button is never cut off by a narrow window.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                if ui
                    .add(egui::Button::new(RichText::new(button).strong()).shortcut_text("Enter"))
                    .clicked()
                {
                    submit = true;
                }
                let field = ui.add(
                    TextEdit::multiline(&mut self.text)
                        .id(main_id)
                        .desired_rows(2)
                        .desired_width(ui.available_width().max(120.0))
                        .hint_text("Enter saves · Shift+Enter new line · Esc back to note"),
                );
                let field = field.labelled_by(label.id);
                if self.focus_main {
                    field.request_focus();
                    self.focus_main = false;
                    // Typing goes on after what the field holds (a resumed draft, words kept while
                    // locked), never before it.
                    caret_at_end(ui.ctx(), main_id, &self.text);
                }
            });
        });
        submit
    }

    /// Shows the extra fields of the current entry; returns true when Enter was pressed in one of them.
    fn form_fields(&mut self, ui: &mut Ui, model: TreatmentModel) -> bool {
        let fields = self.form.fields(ui, model);
        if std::mem::take(&mut self.focus_first_field)
            && let Some(first) = fields.first()
        {
            first.request_focus();
        }
        let enter = ui.input(|input| input.key_pressed(Key::Enter));
        enter && fields.iter().any(egui::Response::lost_focus)
    }
}

/// Puts the caret of the text field `id` after the last character of `text`.
fn caret_at_end(ctx: &egui::Context, id: egui::Id, text: &str) {
    let mut state = TextEdit::load_state(ctx, id).unwrap_or_default();
    let end = egui::text::CCursor::new(text.chars().count());
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(end)));
    state.store(ctx, id);
}
