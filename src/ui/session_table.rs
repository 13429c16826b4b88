//! One model's sessions as a sortable, virtualised table: 20,000 rows scroll at the cost of the ~30 shown.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{format, theme, widgets};
use crate::domain::{SessionId, SessionStatus, TreatmentModel};
use crate::review::SortKey;
use crate::store::SessionSummary;

/// The column the lists are sorted by; clicking the same header again reverses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for TableSort {
    fn default() -> Self {
        Self {
            key: SortKey::Started,
            descending: true,
        }
    }
}

const COLUMNS: [(&str, &str, SortKey); 7] = [
    ("Started", "Local time", SortKey::Started),
    ("Client", "Pseudonymous code", SortKey::Client),
    ("Route", "How ketamine was given", SortKey::Route),
    (
        "Total dose",
        "Delivered, from the dose and rate entries; known when the session ends",
        SortKey::Dose,
    ),
    (
        "Decisions",
        "Decision points logged",
        SortKey::DecisionPoints,
    ),
    (
        "Sit with it",
        "Deferrals: count, then worked through / dose lowered / ended early / session stopped",
        SortKey::Deferrals,
    ),
    ("Status", "live, ended or signed", SortKey::Status),
];

/// What the table asked for this frame.
#[derive(Default)]
pub struct TableResponse {
    pub open: Option<SessionId>,
    pub sort_changed: bool,
}

/// Whether the rows are all there are, or the newest of more still being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    All,
    NewestOf(usize),
}

/// "KAP sessions (131)", or "(100 newest of 131)" while the rest are read.
fn heading(ui: &mut Ui, model: TreatmentModel, shown: usize, listed: Listed) {
    ui.horizontal(|ui| {
        widgets::model_badge(ui, model);
        ui.heading(match listed {
            Listed::All => format!("{} sessions ({shown})", model.label()),
            Listed::NewestOf(total) => {
                format!(
                    "{} sessions ({shown} newest of {total}; reading the rest)",
                    model.label()
                )
            }
        });
    });
}

/// Shows the table in at most `height` points.
pub fn show(
    ui: &mut Ui,
    model: TreatmentModel,
    rows: &[SessionSummary],
    listed: Listed,
    sort: &mut TableSort,
    height: f32,
) -> TableResponse {
    let mut response = TableResponse::default();
    heading(ui, model, rows.len(), listed);
    if rows.is_empty() {
        ui.label(
            RichText::new(format!("No {} sessions here.", model.label())).color(theme::muted()),
        );
        return response;
    }
    // Rows open on a click anywhere, so their text must not take the click for selection.
    ui.style_mut().interaction.selectable_labels = false;
    TableBuilder::new(ui)
        .id_salt(model.as_str())
        .striped(true)
        // A click anywhere on a row opens it, but its cells are not stops for Tab: each row is one
        // stop, its first cell, named for a screen reader (see `opener`).
        .sense(egui::Sense::CLICK)
        .min_scrolled_height(height)
        .max_scroll_height(height)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        // "2026-11-24 14:05", or "11/24/2026 2:05 PM" on a 12-hour clock.
        .column(Column::exact(if format::date_style().twelve_hour {
            160.0
        } else {
            130.0
        }))
        .column(Column::exact(80.0))
        .column(Column::exact(160.0))
        .column(Column::exact(190.0))
        .column(Column::exact(80.0))
        .column(Column::exact(150.0))
        .column(Column::remainder())
        .header(22.0, |mut header| {
            for (title, hover, key) in COLUMNS {
                header.col(|ui| {
                    let sorted = sort.key == key;
                    let clicked = ui
                        .add(egui::Button::new(RichText::new(title).strong()).frame(false))
                        .on_hover_text(hover)
                        .clicked();
                    if sorted {
                        sort_arrow(ui, sort.descending);
                    }
                    if clicked {
                        *sort = TableSort {
                            key,
                            descending: if sorted {
                                !sort.descending
                            } else {
                                key == SortKey::Started
                            },
                        };
                        response.sort_changed = true;
                    }
                });
            }
        })
        .body(|body| {
            body.rows(24.0, rows.len(), |mut row| {
                let summary = &rows[row.index()];
                let mut opened = false;
                for (index, text) in cells(summary).into_iter().enumerate() {
                    row.col(|ui| {
                        if index == 0 {
                            opened = opener(ui, summary, text).clicked();
                        } else {
                            ui.add(egui::Label::new(text).truncate());
                        }
                    });
                }
                row.col(|ui| {
                    let status = RichText::new(summary.describe_status());
                    ui.horizontal(|ui| {
                        if summary.signature_unverified {
                            ui.label(status.color(theme::warning())).on_hover_text(
                                "Its signature came without a seal: who signed it, and whether it was changed since, cannot be shown.",
                            );
                        } else if summary.status == SessionStatus::Live {
                            ui.label(status.strong().color(theme::warning()));
                        } else {
                            ui.label(status);
                        }
                        if let Some(clinician) = &summary.clinician {
                            ui.label(RichText::new(format!("· {clinician}")).color(theme::muted()))
                                .on_hover_text("A colleague's session, copied from the practice: read-only.");
                        }
                        if summary.suicide_risk > 0 {
                            ui.label(RichText::new("· suicide risk").strong().color(theme::warning()))
                                .on_hover_text("A positive suicide risk screen or PHQ-9 item 9 above zero: see the session's safety plan.");
                        }
                    });
                });
                if opened || row.response().clicked() {
                    response.open = Some(summary.id);
                }
            });
        });
    response
}

/// The row's first cell, its start, as a frameless button: the one stop Tab makes on the row
/// (Enter or Space opens it), named with the whole row for a screen reader.
fn opener(ui: &mut Ui, summary: &SessionSummary, started: String) -> egui::Response {
    let name = format!(
        "Open the session of {started}, {}, {}, {}",
        summary.client_code,
        summary.route.label(),
        summary.describe_status()
    );
    let button = ui.add(egui::Button::new(started).frame(false).truncate());
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    button
}

/// A small painted triangle beside the sorted column: pointing down for descending. Painted, because
/// the default fonts have no arrow glyphs.
fn sort_arrow(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    let (top, bottom) = (rect.top() + 2.0, rect.bottom() - 2.0);
    let points = if descending {
        vec![
            egui::pos2(rect.left(), top),
            egui::pos2(rect.right(), top),
            egui::pos2(rect.center().x, bottom),
        ]
    } else {
        vec![
            egui::pos2(rect.left(), bottom),
            egui::pos2(rect.right(), bottom),
            egui::pos2(rect.center().x, top),
        ]
    };
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        ui.visuals().text_color(),
        egui::Stroke::NONE,
    ));
}

/// The row's plain cells, left to right, before its status.
fn cells(summary: &SessionSummary) -> [String; 6] {
    [
        format::date_time(summary.started_at),
        summary.client_code.clone(),
        summary.route.label().to_owned(),
        summary.describe_delivered(),
        summary.decision_points.to_string(),
        // A session that never sat with anything says so with a dash, not a row of zeros (most
        // Medical Model sessions).
        if summary.deferrals == 0 {
            "–".to_owned()
        } else {
            format!(
                "{}: {} / {} / {} / {}",
                summary.deferrals,
                summary.worked_through,
                summary.dose_lowered,
                summary.ended_early,
                summary.session_stopped
            )
        },
    ]
}
