//! What the summary's pages hold, section by section, as a display list (layout.rs): the facts, the
//! dose chart, dosing, decision points with their deferrals, notes, measures, what to bring to
//! integration, the after-session record and the notes written after. Nothing here knows how a
//! page is drawn (backend.rs).

use super::chart;
use super::fonts::Weight;
use super::layout::{CONTENT_WIDTH, INK, Layout, MARGIN, MUTED, Op, Rgb, Style};
use crate::export::SessionRecord;
use crate::export::summary::{DecisionLine, Summary, Timed};
use crate::review::DoseCurve;

/// Room for the time column beside timed entries.
const TIME_COLUMN: f32 = 88.0;

pub fn text_op(x: f32, y: f32, text: &str, style: Style) -> Op {
    Op::Text {
        x,
        y,
        weight: style.weight,
        size: style.size,
        color: style.color,
        text: text.to_owned(),
    }
}

/// Lays the whole summary out, page after page.
pub fn lay_out(layout: &mut Layout<'_>, record: &SessionRecord, summary: &Summary, accent: Rgb) {
    let title = Style {
        weight: Weight::Bold,
        size: 17.0,
        color: accent,
    };
    layout.line(&summary.title, MARGIN, title);
    layout.space(4.0);
    facts(layout, &summary.facts);
    if !summary.before_session.is_empty() {
        section(layout, "Before the session", accent);
        facts(layout, &summary.before_session);
    }
    for (heading, text) in [
        ("Intention", &summary.intention),
        ("Comfort plan", &summary.comfort_plan),
    ] {
        if !text.trim().is_empty() {
            section(layout, heading, accent);
            layout.paragraph(text.trim(), MARGIN, CONTENT_WIDTH, Style::BODY);
        }
    }
    let curve = DoseCurve::of(&record.events, record.session.route, record.weight_kg());
    if !curve.steps.is_empty() {
        section(layout, "Dose over time", accent);
        chart::draw(layout, &curve, record.session.model);
    }
    section(layout, "Dosing", accent);
    timed_list(layout, &summary.dosing, "Dosing did not begin.");
    section(layout, "Decision points", accent);
    if summary.decisions.is_empty() {
        layout.paragraph("No decision points.", MARGIN, CONTENT_WIDTH, Style::BODY);
    }
    for (index, line) in summary.decisions.iter().enumerate() {
        decision(layout, index + 1, line);
    }
    if let Some(sentence) = summary.outcome_sentence() {
        layout.space(3.0);
        layout.paragraph(
            &sentence,
            MARGIN,
            CONTENT_WIDTH,
            Style {
                weight: Weight::Bold,
                ..Style::BODY
            },
        );
    }
    if !summary.suicide_risk.is_empty() {
        section(layout, "Suicide risk and safety plan", accent);
        timed_list(layout, &summary.suicide_risk, "");
    }
    section(layout, "Notes", accent);
    timed_list(layout, &summary.notes, "No notes.");
    section(layout, "Vitals and sedation", accent);
    timed_list(layout, &summary.monitoring, "No vitals recorded.");
    section(layout, "Measures", accent);
    timed_list(layout, &summary.measures, "No measures recorded.");
    section(layout, "Adverse events", accent);
    timed_list(
        layout,
        &summary.adverse_events,
        "No adverse events recorded.",
    );
    if summary.shows_integration() {
        section(layout, "Bring to integration", accent);
        timed_list(layout, &summary.for_integration, "Nothing was marked.");
    }
    if let Some(closing) = &summary.closing {
        section(layout, "Session end", accent);
        let text = if closing.text.is_empty() {
            "Session ended."
        } else {
            &closing.text
        };
        timed(layout, closing, text);
    }
    after_session_and_notes(layout, summary, accent);
}

/// The discharge record, the progress note, the signature and addenda, and (only when asked for)
/// the private note.
fn after_session_and_notes(layout: &mut Layout<'_>, summary: &Summary, accent: Rgb) {
    if !summary.after_session.is_empty() {
        section(layout, "After the session", accent);
        facts(layout, &summary.after_session);
    }
    if !summary.check_ins.is_empty() {
        section(layout, summary.check_ins_heading(), accent);
        facts(layout, &summary.check_ins);
    }
    if let Some((format, sections)) = &summary.progress_note {
        section(layout, &format!("Progress note ({format})"), accent);
        for (heading, text) in sections {
            layout.space(3.0);
            layout.line(
                heading,
                MARGIN,
                Style {
                    weight: Weight::Bold,
                    ..Style::BODY
                },
            );
            let text = if text.is_empty() {
                "(left blank)"
            } else {
                text
            };
            layout.paragraph(text, MARGIN, CONTENT_WIDTH, Style::BODY);
        }
    }
    if let Some(signature) = &summary.signature {
        section(layout, "Signature", accent);
        layout.paragraph(signature, MARGIN, CONTENT_WIDTH, Style::BODY);
    }
    if !summary.addenda.is_empty() {
        section(layout, "Addenda", accent);
    }
    for (index, addendum) in summary.addenda.iter().enumerate() {
        layout.space(3.0);
        layout.paragraph(
            &format!("Addendum {}: {}", index + 1, addendum.heading),
            MARGIN,
            CONTENT_WIDTH,
            Style {
                weight: Weight::Bold,
                ..Style::BODY
            },
        );
        layout.paragraph(
            &format!("Reason: {}", addendum.reason),
            MARGIN,
            CONTENT_WIDTH,
            Style {
                color: MUTED,
                ..Style::BODY
            },
        );
        layout.paragraph(&addendum.text, MARGIN, CONTENT_WIDTH, Style::BODY);
    }
    if let Some(text) = &summary.private_note {
        section(layout, "Private psychotherapy note", accent);
        layout.paragraph(
            crate::export::markdown::PRIVATE_NOTICE,
            MARGIN,
            CONTENT_WIDTH,
            Style {
                color: MUTED,
                ..Style::BODY
            },
        );
        layout.space(3.0);
        layout.paragraph(text, MARGIN, CONTENT_WIDTH, Style::BODY);
    }
}

/// Label and value pairs in two columns. The values start after the widest label of the block (at
/// most 45 % of a column; a longer label wraps), so no label is ever written over by its value.
pub(super) fn facts(layout: &mut Layout<'_>, facts: &[(&'static str, String)]) {
    const GAP: f32 = 6.0;
    let label = Style {
        weight: Weight::Bold,
        size: 8.5,
        color: MUTED,
    };
    let value = Style {
        size: 9.5,
        ..Style::BODY
    };
    let column = CONTENT_WIDTH / 2.0;
    let widest = facts
        .iter()
        .map(|(name, _)| layout.fonts.width(name, label.weight, label.size))
        .fold(0.0_f32, f32::max);
    let label_width = widest.min(column * 0.45 - GAP);
    let value_width = column - label_width - 2.0 * GAP;
    for pair in facts.chunks(2) {
        let top = layout.y;
        let mut lowest = top;
        for (index, (name, text)) in pair.iter().enumerate() {
            let x = MARGIN + column * index as f32;
            // Label lines share the value lines' baselines.
            let mut baseline = top + value.size;
            for line in layout.wrap(name, label_width, label) {
                layout.push(text_op(x, baseline, &line, label));
                baseline += value.size * 1.35;
            }
            layout.y = top;
            for line in layout.wrap(text, value_width, value) {
                layout.line(&line, x + label_width + GAP, value);
            }
            lowest = lowest.max(layout.y).max(baseline - value.size);
        }
        layout.y = lowest;
    }
}

pub(super) fn section(layout: &mut Layout<'_>, heading: &str, accent: Rgb) {
    layout.space(8.0);
    // A heading never ends a page alone.
    layout.ensure(40.0);
    layout.line(
        heading,
        MARGIN,
        Style {
            weight: Weight::Bold,
            size: 12.0,
            color: accent,
        },
    );
    layout.push(Op::Line {
        points: vec![
            (MARGIN, layout.y - 2.0),
            (MARGIN + CONTENT_WIDTH, layout.y - 2.0),
        ],
        width: 0.5,
        color: accent,
        dashed: false,
    });
    layout.space(3.0);
}

fn time_label(at: &Timed) -> String {
    format!("{} ({})", at.elapsed, at.clock)
}

fn timed(layout: &mut Layout<'_>, at: &Timed, text: &str) {
    let label = Style {
        weight: Weight::Bold,
        size: 9.0,
        color: INK,
    };
    layout.labelled(&time_label(at), label, text, TIME_COLUMN, Style::BODY);
}

fn timed_list(layout: &mut Layout<'_>, lines: &[Timed], when_empty: &str) {
    if lines.is_empty() {
        layout.paragraph(when_empty, MARGIN, CONTENT_WIDTH, Style::BODY);
    }
    for line in lines {
        timed(layout, line, line.text.trim());
    }
}

fn decision(layout: &mut Layout<'_>, number: usize, line: &DecisionLine) {
    let point = &line.point;
    layout.space(2.0);
    layout.ensure(50.0);
    let mut head = format!("{number}. {}", point.came_up.label());
    if !point.detail.trim().is_empty() {
        head = format!("{head}: {}", point.detail.trim());
    }
    let label = Style {
        weight: Weight::Bold,
        size: 9.0,
        color: INK,
    };
    layout.labelled(
        &time_label(&line.at),
        label,
        &head,
        TIME_COLUMN,
        Style {
            weight: Weight::Bold,
            ..Style::BODY
        },
    );
    let detail = |layout: &mut Layout<'_>, text: &str| {
        layout.paragraph(
            text,
            MARGIN + TIME_COLUMN + 10.0,
            CONTENT_WIDTH - TIME_COLUMN - 10.0,
            Style::BODY,
        );
    };
    detail(
        layout,
        &format!(
            "Asked: {}; decided: {}",
            point.asked.label(),
            point.decision.label()
        ),
    );
    if !point.rationale.trim().is_empty() {
        detail(layout, &format!("Why: {}", point.rationale.trim()));
    }
    if let Some(deferral) = &line.deferral {
        let ending = match (&deferral.outcome, &deferral.ended) {
            (Some(outcome), Some(ended)) if ended.text.is_empty() => {
                format!("{} at {}", outcome.label(), ended.elapsed)
            }
            (Some(outcome), Some(ended)) => {
                format!("{} at {}: {}", outcome.label(), ended.elapsed, ended.text)
            }
            _ => "still open".to_owned(),
        };
        detail(
            layout,
            &format!("Sat with it ({} min agreed): {ending}", deferral.minutes),
        );
    }
}
