//! Small widgets shared by the views.

use egui::{Color32, CornerRadius, Response, RichText, TextEdit, Ui};

use super::theme;
use crate::domain::TreatmentModel;

/// The model as a coloured badge; it appears everywhere a session does.
pub fn model_badge(ui: &mut Ui, model: TreatmentModel) -> Response {
    egui::Frame::new()
        .fill(theme::model_fill(model))
        .corner_radius(CornerRadius::same(4))
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(model.label()).color(Color32::WHITE).strong())
        })
        .inner
}

/// A label above a one-line text field; the field is named by the label for screen readers and tests.
pub fn labelled_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
) -> Response {
    ui.vertical(|ui| {
        let label = ui.label(label);
        ui.add(
            TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(width),
        )
        .labelled_by(label.id)
    })
    .inner
}

/// A label above a multi-line text field.
pub fn labelled_multiline(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    rows: usize,
) -> Response {
    let label = ui.label(label);
    ui.add(
        TextEdit::multiline(text)
            .hint_text(hint)
            .desired_rows(rows)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id)
}

/// Makes the label `response` a live region: a screen reader announces it when it appears and
/// when its words change, at once (`urgent`: a safety flag, a countdown's end) or when the reader
/// is free (something due). A line whose visible text counts the seconds would be announced every
/// second: `steady` gives the words to announce (the label's value), and what the line shows
/// beyond them becomes its description, read when the clinician goes to it.
pub fn announce(ui: &Ui, response: &egui::Response, steady: Option<(&str, &str)>, urgent: bool) {
    let live = if urgent {
        egui::accesskit::Live::Assertive
    } else {
        egui::accesskit::Live::Polite
    };
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_live(live);
        if let Some((words, shown)) = steady {
            // A label's words are its value in the accessibility tree (as egui gives them).
            node.set_value(words);
            node.set_description(shown);
        }
    });
}

/// Gives a chart its one-line text alternative: a screen reader says it where the chart is (the
/// plot is an image to it, named by `text`).
pub fn describe_chart(ui: &Ui, response: &egui::Response, text: &str) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Image);
        node.set_label(text);
    });
}

/// A refusal or failure, in plain words, where the user is looking.
pub fn error_line(ui: &mut Ui, error: Option<&str>) {
    if let Some(error) = error {
        ui.label(RichText::new(error).color(theme::warning()).strong());
    }
}

/// A row of selectable chips for choosing one of a few values.
pub fn chips<T: Copy + PartialEq>(ui: &mut Ui, label: &str, value: &mut T, options: &[(T, &str)]) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).color(theme::muted()));
        for (option, text) in options {
            ui.selectable_value(value, *option, *text);
        }
    });
}

/// A notice with a Dismiss button; dismissing clears it. A long one wraps within the window, the
/// button after its last word.
pub fn dismissable_notice(ui: &mut Ui, notice: &mut Option<String>, color: Color32) {
    let Some(text) = notice.as_deref() else {
        return;
    };
    let dismissed = ui
        .horizontal_wrapped(|ui| {
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
            ui.small_button("Dismiss").clicked()
        })
        .inner;
    if dismissed {
        *notice = None;
    }
}

/// A chart's key as a row of colour swatches above it, so no key ever sits on the data.
pub fn legend_row<'k>(ui: &mut Ui, keys: impl Iterator<Item = &'k (&'k str, Color32)>) {
    ui.horizontal_wrapped(|ui| {
        for (name, color) in keys {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *color);
            ui.label(RichText::new(*name).small());
            ui.add_space(super::theme::GAP);
        }
    });
}

/// A model's name on a choice chip: in the model's colour while not chosen; once chosen, in the
/// theme's selected text colour, which reads on the selection fill (the model colour does not).
pub fn model_choice_text(model: TreatmentModel, chosen: bool) -> RichText {
    let text = RichText::new(model.label()).strong();
    if chosen {
        text
    } else {
        text.color(super::theme::model_color(model))
    }
}
