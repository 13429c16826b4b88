//! A session's timeline as rows: elapsed time, clock time, what kind of entry, and its words.

use std::collections::BTreeSet;

use egui::{Color32, RichText, Sense, Ui};

use super::{format, theme};
use crate::domain::{Event, EventKind, Seq, Thresholds, TreatmentModel, entry_flags};

/// The short tag and colour of an entry's kind.
fn tag(kind: &EventKind, model: TreatmentModel) -> (&'static str, Color32) {
    match kind {
        EventKind::Note { .. } => ("Note", theme::muted()),
        EventKind::WentAhead { .. } => ("Went ahead", theme::warning()),
        EventKind::PreSession(_) => ("Check", theme::vitals()),
        EventKind::DosingBegan { .. }
        | EventKind::DoseChange { .. }
        | EventKind::InfusionExtended { .. } => ("Dose", theme::dose()),
        EventKind::DecisionPoint(_) | EventKind::DecisionDetail { .. } => {
            ("Decision", theme::model_color(model))
        }
        EventKind::DeferralStart { .. } | EventKind::DeferralMinutes { .. } => {
            ("Sit with it", theme::model_color(TreatmentModel::Kap))
        }
        EventKind::DeferralOutcome { .. } => ("Outcome", theme::saved()),
        EventKind::Marker { .. } => ("Integration", theme::marker()),
        EventKind::Vitals { .. } | EventKind::Sedation { .. } => ("Vitals", theme::vitals()),
        EventKind::Measure { .. } => ("Measure", theme::vitals()),
        EventKind::AdverseEvent(_) => ("Adverse", theme::warning()),
        EventKind::SuicideScreen { screen, .. } if screen.is_positive() => {
            ("Risk", theme::warning())
        }
        EventKind::SuicideScreen { .. } => ("Screen", theme::vitals()),
        EventKind::SafetyPlan(_) => ("Safety plan", theme::warning()),
        EventKind::SessionEnded { .. } => ("End", theme::ink()),
    }
}

/// A timeline to draw: its entries and what colours and marks them.
pub struct Rows<'a> {
    pub events: &'a [Event],
    pub model: TreatmentModel,
    pub marked: &'a BTreeSet<Seq>,
    pub thresholds: &'a Thresholds,
    /// The first entry not yet committed (a live session's entries on their way to the disk).
    pub saving_from: Option<Seq>,
    /// Who wrote each entry, in a live session logged with colleagues.
    pub authors: Option<&'a crate::domain::TeamTimeline>,
}

impl Rows<'_> {
    /// Shows the rows inside a scroll area; clicking a row selects it (the target of "bring to
    /// integration"). The row `scroll_to` names is brought into view once.
    ///
    /// Only the rows near the visible part are drawn: the others take the space they took when last
    /// drawn (an estimate before that), so a frame costs the same with 30 entries or 3,000.
    pub fn show(&self, ui: &mut Ui, selected: &mut Option<Seq>, scroll_to: &mut Option<Seq>) {
        let heights_id = ui.make_persistent_id("row_heights");
        let width = ui.available_width();
        // Taken out and put back, not copied: a long timeline's heights are read every frame.
        let mut heights: RowHeights =
            ui.data_mut(|data| data.remove_temp(heights_id).unwrap_or_default());
        if (heights.width - width).abs() > 0.5 {
            heights = RowHeights {
                width,
                advances: std::collections::HashMap::new(),
            };
        }
        let visible = ui.clip_rect().expand2(egui::vec2(0.0, DRAWN_BEYOND_VIEW));
        let mut skipped = 0.0;
        for event in self.events {
            let advance = heights
                .advances
                .get(&event.seq)
                .copied()
                .unwrap_or(ESTIMATED_ROW);
            let top = ui.cursor().top() + skipped;
            let near = top <= visible.bottom() && top + advance >= visible.top();
            if !near && *scroll_to != Some(event.seq) {
                skipped += advance;
                continue;
            }
            if skipped > 0.0 {
                ui.add_space(skipped);
                skipped = 0.0;
            }
            let before = ui.cursor().top();
            self.row(ui, event, selected, scroll_to);
            heights
                .advances
                .insert(event.seq, ui.cursor().top() - before);
        }
        if skipped > 0.0 {
            ui.add_space(skipped);
        }
        ui.data_mut(|data| data.insert_temp(heights_id, heights));
    }

    /// One entry's row: number, elapsed and clock time, kind, marks and words.
    fn row(
        &self,
        ui: &mut Ui,
        event: &Event,
        selected: &mut Option<Seq>,
        scroll_to: &mut Option<Seq>,
    ) {
        let Rows {
            model,
            marked,
            thresholds,
            saving_from,
            authors,
            ..
        } = *self;
        let is_selected = *selected == Some(event.seq);
        let fill = if is_selected {
            ui.visuals().selection.bg_fill.gamma_multiply(0.4)
        } else {
            Color32::TRANSPARENT
        };
        let response = egui::Frame::new()
            .fill(fill)
            .inner_margin(egui::Margin::symmetric(4, 2))
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    ui.label(
                        RichText::new(format!("{:>3}", event.seq.0))
                            .monospace()
                            .color(theme::muted()),
                    );
                    ui.label(
                        RichText::new(format!("{:>8}", format::elapsed(event.elapsed_ms)))
                            .monospace(),
                    );
                    ui.label(
                        RichText::new(format::clock_time(event.wall_time))
                            .small()
                            .color(theme::muted()),
                    );
                    let (name, color) = tag(&event.kind, model);
                    ui.add_sized(
                        [84.0, 18.0],
                        egui::Label::new(RichText::new(name).strong().color(color)),
                    );
                    if let Some(author) = authors.and_then(|team| team.author_of(event.seq)) {
                        ui.add_sized(
                            [150.0, 18.0],
                            egui::Label::new(
                                RichText::new(&author.name).small().color(theme::muted()),
                            )
                            .truncate(),
                        );
                    }
                    if saving_from.is_some_and(|first| event.seq >= first) {
                        ui.label(RichText::new("saving…").small().color(theme::muted()));
                    }
                    if marked.contains(&event.seq) {
                        ui.label(
                            RichText::new("for integration")
                                .small()
                                .strong()
                                .color(theme::marker()),
                        );
                    }
                    let flags = entry_flags(&event.kind, thresholds);
                    if flags.is_empty() {
                        ui.add(egui::Label::new(event.kind.describe()).wrap());
                    } else {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!(
                                    "{} — {}",
                                    event.kind.describe(),
                                    flags.join("; ")
                                ))
                                .strong()
                                .color(theme::warning()),
                            )
                            .wrap(),
                        );
                    }
                });
            })
            .response;
        if *scroll_to == Some(event.seq) {
            response.scroll_to_me(Some(egui::Align::Center));
            *scroll_to = None;
        }
        if ui
            .interact(
                response.rect,
                ui.scope_id().with(("event", event.seq.0)),
                Sense::click(),
            )
            .clicked()
        {
            *selected = if is_selected { None } else { Some(event.seq) };
        }
    }
}

/// How far above and below the visible part rows are still drawn, so a scroll shows no gap.
const DRAWN_BEYOND_VIEW: f32 = 300.0;

/// The height a row is taken to have before it was first drawn: one line.
const ESTIMATED_ROW: f32 = 24.0;

/// How far each row moved the cursor when last drawn, at one width of the timeline.
#[derive(Clone, Default)]
struct RowHeights {
    width: f32,
    advances: std::collections::HashMap<Seq, f32>,
}
